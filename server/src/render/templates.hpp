#pragma once

#include <filesystem>
#include <map>
#include <mstch/mstch.hpp>
#include <string>

namespace styrdok::server {

/// The page templates of templates/*.mustache, read once at start-up; every template is also
/// a partial of the others ({{> header}}). Read-only afterwards, so safe to share.
class Templates {
public:
    /// Reads every *.mustache in `dir`. Throws Error(kNotFound) when `dir` has none.
    static Templates Load(const std::filesystem::path& dir);

    /// Renders template `name` (file name without .mustache) with `context`. Throws
    /// Error(kInternal) for an unknown template.
    std::string Render(const std::string& name, const mstch::map& context) const;

private:
    std::map<std::string, std::string> sources_;
    /// For each template, the partials it uses, transitively, with their sources: mstch
    /// parses every partial it is given on every render, and that parsing was most of a
    /// page's cost when every template was passed.
    std::map<std::string, std::map<std::string, std::string>> partials_;
};

/// mstch takes a C string literal as a bool; these make the intended type explicit.
inline mstch::node Text(std::string text) { return mstch::node(std::move(text)); }

}  // namespace styrdok::server
