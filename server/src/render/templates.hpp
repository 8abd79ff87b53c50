#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mstch/mstch.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace styrdok::server {

/// The page templates of templates/*.mustache, each parsed once, when loaded, into a tree of
/// parts (text, variables, sections, partials); every template is also a partial of the others
/// ({{> header}}). A render walks that tree over the context, which it reads in place and never
/// copies. The output is byte for byte what mstch::render gives for the same template, context
/// and partials, for the Mustache that mstch knows: variables ({{x}}, {{{x}}}, {{&x}}, {{.}},
/// dotted names), sections and inverted sections, comments, partials (indented ones too), and
/// mstch's rule for standalone lines. Not supported: "set delimiter" tags, which loading refuses,
/// and lambdas in the context, which render as nothing (no page passes one). Read-only once
/// loaded, so one Templates may be shared by any number of threads.
class Templates {
public:
    /// Reads and parses every *.mustache in `dir`. Throws Error(kNotFound) when `dir` has none,
    /// Error(kInternal) naming the template when one cannot be parsed (a section closed that is
    /// not the one open, a section left open, a "set delimiter" tag).
    static Templates Load(const std::filesystem::path& dir);

    /// Parses `sources` (name, without .mustache → text); throws as Load does.
    static Templates Parse(const std::map<std::string, std::string>& sources);

    /// Renders template `name` (file name without .mustache) with `context`. Throws
    /// Error(kInternal) for an unknown template.
    std::string Render(const std::string& name, const mstch::map& context) const;

    Templates(Templates&&) noexcept;
    Templates& operator=(Templates&&) noexcept;
    ~Templates();

private:
    struct Part;
    struct Compiled;
    struct Scope;
    class Builder;

    static void RenderParts(const std::vector<Part>& parts, Scope& scope, std::string& out);

    Templates();
    /// Every parsed template, partials indented on their line included (one per indentation);
    /// parts point into these, which never move.
    std::vector<std::unique_ptr<Compiled>> compiled_;
    std::map<std::string, const Compiled*, std::less<>> by_name_;
};

/// mstch takes a C string literal as a bool; these make the intended type explicit.
inline mstch::node Text(std::string text) { return mstch::node(std::move(text)); }

inline void AddFields(mstch::map&) {}

/// Adds each key and value of `rest` (key, value, key, value, …) to `map`, moving each value
/// in; the value of a key already there stays.
template <typename Value, typename... Rest>
void AddFields(mstch::map& map, const char* key, Value&& value, Rest&&... rest) {
    static_assert(!std::is_convertible_v<Value, const char*>, "a C string is a bool: use Text()");
    map.emplace(key, mstch::node(std::forward<Value>(value)));
    AddFields(map, std::forward<Rest>(rest)...);
}

/// A map of `fields` (key, value, key, value, …), each value moved in: mstch::map{{…}} copies
/// every value out of its initializer list, lists and maps within it too.
template <typename... Fields>
mstch::map MapOf(Fields&&... fields) {
    mstch::map map;
    AddFields(map, std::forward<Fields>(fields)...);
    return map;
}

}  // namespace styrdok::server
