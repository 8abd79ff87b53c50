#pragma once

#include "http.hpp"

namespace styrdok::server {

/// Fills request.form (and request.uploads) from a body sent as
/// application/x-www-form-urlencoded or multipart/form-data; other bodies are left alone.
/// Throws Error(kBadInput) for a malformed body, text that is not UTF-8, or more than 1000
/// fields.
void ParseFormBody(Request& request);

}  // namespace styrdok::server
