#pragma once

#include <string>
#include <string_view>

namespace styrdok::server {

/// Where to send a browser after signing in, from the `next` it asked for: `next` itself when
/// it is a path of this site, else "/". A path starts with exactly one '/' and has no control
/// character (TAB, CR, LF: browsers drop the first and the others would end the Location
/// header) and no backslash (browsers read it as '/'), neither as sent nor after percent-
/// decoding it as often as it decodes; no decoded form starts with "//". Shorter than 2000
/// bytes. Never a URL with a scheme or a host, so never another site.
std::string LocalTarget(std::string_view next);

}  // namespace styrdok::server
