#pragma once

#include <string>

#include "../render/templates.hpp"
#include "../site.hpp"

namespace styrdok::server {

/// The keys every page's header and footer read (templates/README.md): site name,
/// municipality, <title>, the search text, the contact address.
mstch::map PageContext(const Site& site, const Request& request, const std::string& title);

/// Renders template `name` as an HTML response.
Response Page(const Site& site, const std::string& name, const mstch::map& context,
              int status = 200);

/// The address of a document's page.
std::string DocumentUrl(const std::string& id);

}  // namespace styrdok::server
