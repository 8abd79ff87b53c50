#include "target.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <string>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {

namespace {

std::string Decode(std::string_view text, bool plus_as_space) {
    std::string encoded(text);
    // Forms send a space in the query as '+' (a real plus comes as %2B). Poco 1.11's decode
    // leaves '+' alone whatever its plusAsSpace says, so the swap happens before decoding.
    if (plus_as_space) std::replace(encoded.begin(), encoded.end(), '+', ' ');
    std::string decoded;
    try {
        Poco::URI::decode(encoded, decoded);
    } catch (const Poco::Exception&) {
        throw Error(ErrorCode::kBadInput, "felaktig procentkodning i adressen");
    }
    if (!core::IsValidUtf8(decoded)) {
        throw Error(ErrorCode::kBadInput, "adressen är inte giltig UTF-8");
    }
    return decoded;
}

}  // namespace

void ParseTarget(std::string_view target, Request& request) {
    std::size_t question = target.find('?');
    std::string_view path = target.substr(0, question);
    std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    if (std::size_t hash = query.find('#'); hash != std::string_view::npos) {
        query = query.substr(0, hash);
    }
    if (!path.starts_with('/')) {
        throw Error(ErrorCode::kBadInput, "adressen måste börja med /");
    }
    // Segments are split before decoding, so an encoded "/" (%2F) stays inside its segment
    // and can never climb out of it.
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        if (slash > start)
            request.segments.push_back(Decode(path.substr(start, slash - start), false));
        start = slash + 1;
    }
    start = 0;
    while (start < query.size()) {
        std::size_t amp = query.find('&', start);
        if (amp == std::string_view::npos) amp = query.size();
        std::string_view pair = query.substr(start, amp - start);
        if (!pair.empty()) {
            std::size_t equals = pair.find('=');
            std::string name = Decode(pair.substr(0, equals), true);
            std::string value = equals == std::string_view::npos
                                    ? std::string()
                                    : Decode(pair.substr(equals + 1), true);
            request.query.emplace_back(std::move(name), std::move(value));
        }
        start = amp + 1;
    }
}

}  // namespace styrdok::server
