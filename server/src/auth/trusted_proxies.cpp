#include "trusted_proxies.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

using Bytes = std::array<std::uint8_t, 16>;

constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool IsMapped(const Bytes& bytes) {
    return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

Bytes Mapped(const in_addr& in4) {
    Bytes bytes{};
    std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
    std::memcpy(bytes.data() + 12, &in4, 4);
    return bytes;
}

// An address as written (no port, no brackets), IPv4 as IPv4-mapped IPv6.
std::optional<Bytes> ParseAddress(std::string_view text) {
    // inet_pton needs a terminated string; an address is never longer than this.
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string copy(text);
    if (in_addr in4{}; inet_pton(AF_INET, copy.c_str(), &in4) == 1) return Mapped(in4);
    if (in6_addr in6{}; inet_pton(AF_INET6, copy.c_str(), &in6) == 1) {
        Bytes bytes{};
        std::memcpy(bytes.data(), in6.s6_addr, 16);
        return bytes;
    }
    return std::nullopt;
}

// The address written the way the rest of the server writes it: IPv4 dotted, IPv6 compressed.
std::string Canonical(const Bytes& bytes) {
    char text[INET6_ADDRSTRLEN] = {};
    if (IsMapped(bytes)) {
        inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
    } else {
        inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
    }
    return text;
}

bool Matches(const Bytes& network, int prefix, const Bytes& address) {
    const int whole = prefix / 8;
    if (!std::equal(network.begin(), network.begin() + whole, address.begin())) return false;
    const int rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (network[whole] & mask) == (address[whole] & mask);
}

// One entry of X-Forwarded-For without its port: "10.0.0.1", "10.0.0.1:80", "[::1]:80", "::1".
std::string_view WithoutPort(std::string_view entry) {
    if (entry.starts_with('[')) {
        const std::size_t close = entry.find(']');
        return close == std::string_view::npos ? std::string_view() : entry.substr(1, close - 1);
    }
    // One colon: IPv4 with a port. More: IPv6, which has no port without brackets.
    const std::size_t colon = entry.find(':');
    if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
        return entry.substr(0, colon);
    }
    return entry;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
    for (const std::string& entry : entries) {
        const auto refuse = [&entry](const std::string& why) {
            return Error(ErrorCode::kBadInput,
                         "configuration: auth.trusted_proxies: \"" + entry + "\" " + why);
        };
        const std::string_view text = core::Trim(entry);
        const std::size_t slash = text.find('/');
        const std::optional<Bytes> bytes = ParseAddress(text.substr(0, slash));
        if (!bytes) throw refuse("is not an IP address or network (10.0.0.0/8, fd00::/8)");
        const bool v4 = IsMapped(*bytes) && text.find(':') == std::string_view::npos;
        const int longest = v4 ? 32 : 128;
        int prefix = longest;
        if (slash != std::string_view::npos) {
            const std::string_view digits = text.substr(slash + 1);
            const auto [end, error] =
                std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
                prefix < 0 || prefix > longest) {
                throw refuse("has a prefix length that is not 0–" + std::to_string(longest));
            }
        }
        Network network{*bytes, v4 ? prefix + 96 : prefix};
        // 10.0.0.1/8 most likely means 10.0.0.0/8, but may be a typing error for /32: say so.
        Bytes masked{};
        for (int bit = 0; bit < network.prefix; ++bit) {
            masked[bit / 8] |=
                static_cast<std::uint8_t>(network.bytes[bit / 8] & (0x80 >> (bit % 8)));
        }
        if (masked != network.bytes) throw refuse("has bits set after its prefix length");
        networks_.push_back(network);
    }
}

bool TrustedProxies::Contains(const Bytes& bytes) const {
    return std::any_of(networks_.begin(), networks_.end(), [&bytes](const Network& network) {
        return Matches(network.bytes, network.prefix, bytes);
    });
}

bool TrustedProxies::Contains(std::string_view address) const {
    const std::optional<Bytes> bytes = ParseAddress(address);
    return bytes && Contains(*bytes);
}

bool TrustedProxies::Contains(const void* address, std::size_t length) const {
    const auto* generic = static_cast<const sockaddr*>(address);
    if (generic->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        return Contains(Mapped(static_cast<const sockaddr_in*>(address)->sin_addr));
    }
    if (generic->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        Bytes bytes{};
        std::memcpy(bytes.data(), static_cast<const sockaddr_in6*>(address)->sin6_addr.s6_addr, 16);
        return Contains(bytes);
    }
    return false;
}

ForwardedClient FindClient(const TrustedProxies& proxies, std::string_view peer,
                           std::string_view forwarded_for, std::string_view forwarded_proto) {
    ForwardedClient client;
    const std::optional<Bytes> peer_bytes = ParseAddress(peer);
    client.address = peer_bytes ? Canonical(*peer_bytes) : std::string(peer);
    if (!peer_bytes || !proxies.Contains(*peer_bytes)) return client;
    client.via_trusted_proxy = true;
    const std::string_view scheme =
        core::Trim(forwarded_proto.substr(0, forwarded_proto.find(',')));
    client.https = EqualsIgnoringCase(scheme, "https");
    std::size_t end = forwarded_for.size();
    while (end > 0) {
        const std::size_t comma = forwarded_for.rfind(',', end - 1);
        const std::size_t start = comma == std::string_view::npos ? 0 : comma + 1;
        const std::string_view entry = core::Trim(forwarded_for.substr(start, end - start));
        end = comma == std::string_view::npos ? 0 : comma;
        if (entry.empty()) continue;  // "a,,b": nothing was written there
        const std::optional<Bytes> bytes = ParseAddress(WithoutPort(entry));
        if (!bytes) break;
        client.address = Canonical(*bytes);
        if (!proxies.Contains(*bytes)) break;
    }
    return client;
}

}  // namespace styrdok::server
