#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::server {

/// The reverse proxies whose word on the client is believed (auth.trusted_proxies): single
/// addresses and networks in CIDR notation, IPv4 and IPv6 ("127.0.0.1", "10.0.0.0/8", "::1",
/// "fd00::/8"). An IPv4 address written as IPv6 (::ffff:10.0.0.1) is the IPv4 address.
/// Immutable once made: thread-safe.
class TrustedProxies {
public:
    TrustedProxies() = default;

    /// Parses `entries`. Throws Error(kBadInput) naming the first entry that is not an address
    /// or network (a prefix longer than the address, host bits set after the prefix, …).
    explicit TrustedProxies(const std::vector<std::string>& entries);

    bool empty() const { return networks_.empty(); }

    /// True when the textual address `address` (no port, no brackets) is in one of the
    /// networks; false for anything that is not an address.
    bool Contains(std::string_view address) const;

    /// The same for a socket address (a sockaddr of `length` bytes); false for other families.
    bool Contains(const void* address, std::size_t length) const;

private:
    friend struct ForwardedClient FindClient(const TrustedProxies&, std::string_view,
                                             std::string_view, std::string_view);
    struct Network {
        std::array<std::uint8_t, 16> bytes{};  // IPv4 as ::ffff:a.b.c.d
        int prefix = 0;                        // bits of `bytes` that must match, 0..128
    };
    bool Contains(const std::array<std::uint8_t, 16>& bytes) const;

    std::vector<Network> networks_;
};

/// Who a request comes from, as far as the proxies in front can be believed.
struct ForwardedClient {
    /// The client's address: the TCP peer's, or the right-most address of X-Forwarded-For
    /// that is not a trusted proxy.
    std::string address;
    /// True when the TCP peer is a trusted proxy: its headers (X-Forwarded-*, the single
    /// sign-on headers) are believed.
    bool via_trusted_proxy = false;
    /// True when a trusted proxy says the client reached it over TLS (X-Forwarded-Proto).
    bool https = false;
};

/// Finds the client of a request from `peer` (the TCP peer's address) and its X-Forwarded-For
/// and X-Forwarded-Proto headers (empty when absent). The headers count only when the peer is
/// a trusted proxy; then the client is found from the right of X-Forwarded-For, skipping
/// trusted proxies, since each proxy appends the address it was connected from and only the
/// part a trusted one wrote can be believed: never the left-most entry, which the client
/// writes as it likes. When every entry is trusted, or an entry is not an address (which only
/// a party beyond the trusted ones could have written), the last address believed is the
/// client. Entries may carry a port ("10.0.0.1:1234", "[::1]:80"). X-Forwarded-Proto's first
/// value is the scheme the client used (the proxy at the edge sets it).
ForwardedClient FindClient(const TrustedProxies& proxies, std::string_view peer,
                           std::string_view forwarded_for, std::string_view forwarded_proto);

}  // namespace styrdok::server
