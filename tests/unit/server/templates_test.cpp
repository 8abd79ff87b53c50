// Templates renders what mstch::render rendered before it, byte for byte: each case here is
// rendered by both and compared, the real templates with generated contexts too.
#include "render/templates.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {
namespace {

struct Case {
    const char* what;
    std::string source;
    mstch::map context;
    std::map<std::string, std::string> partials;
};

std::string RenderedByMstch(const std::string& source, const mstch::map& context,
                            const std::map<std::string, std::string>& partials) {
    return mstch::render(source, context, partials);
}

std::string RenderedByTemplates(const std::string& source, const mstch::map& context,
                                std::map<std::string, std::string> partials) {
    partials["the-page"] = source;
    return Templates::Parse(partials).Render("the-page", context);
}

// A node of a tree for a recursive partial. Each says it has no children, or the lookup would
// find its parent's children and recurse for ever.
mstch::map Node(const char* name, mstch::array children = {}) {
    return mstch::map{{"name", Text(name)}, {"children", std::move(children)}};
}

TEST(Templates, RendersAsMstchDid) {
    const mstch::array strings{Text("a/b"), Text("<c>")};
    const std::vector<Case> cases = {
        {"plain text", "ingen tagg\nalls", {}, {}},
        {"escaped variable", "<p title=\"{{x}}\">{{x}}</p>", {{"x", Text("&'\"<>/=` åäö")}}, {}},
        {"raw variables", "{{{x}}}|{{&x}}|{{& x }}", {{"x", Text("<b>&</b>")}}, {}},
        {"numbers and booleans",
         "{{i}} {{zero}} {{d}} {{yes}} {{no}} {{nothing}}",
         {{"i", 42}, {"zero", 0}, {"d", 1.5}, {"yes", true}, {"no", false}, {"nothing", nullptr}},
         {}},
        {"missing names", "[{{x}}][{{{y}}}][{{#z}}z{{/z}}][{{^z}}inte z{{/z}}]", {}, {}},
        {"spaces in tags", "{{ x }}{{# s }}[{{ x }}]{{/ s }}", {{"x", Text("1")}, {"s", true}}, {}},
        {"empty values in sections",
         "{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}{{#d}}d{{/d}}{{#e}}e{{/e}}{{#f}}f{{/f}}",
         {{"a", Text("")},
          {"b", 0},
          {"c", false},
          {"d", mstch::array{}},
          {"e", mstch::map{}},
          {"f", 0.0}},
         {}},
        {"inverted sections",
         "{{^a}}a{{/a}}{{^b}}b{{/b}}{{^c}}c{{/c}}{{^d}}d{{/d}}{{^e}}e{{/e}}",
         {{"a", Text("")}, {"b", 1}, {"c", false}, {"d", mstch::array{1}}, {"e", mstch::map{}}},
         {}},
        {"lists of maps and fallback to the outer scope",
         "{{#items}}<{{name}} {{outer}}>{{/items}}",
         {{"outer", Text("ute")},
          {"items", mstch::array{mstch::map{{"name", Text("ett")}},
                                 mstch::map{{"name", Text("två")}, {"outer", Text("inne")}}}}},
         {}},
        {"the current item",
         "{{#list}}[{{.}}]{{/list}}{{#s}}({{.}}){{/s}}{{.}}{{#m}}<{{.}}>{{/m}}",
         {{"list", mstch::array{Text("x"), 3, true, strings, mstch::map{}}},
          {"s", Text("text")},
          {"m", mstch::map{{"k", 1}}}},
         {}},
        {"the current item in an inverted section",
         "{{#s}}{{^no}}<{{.}}>{{/no}}{{/s}}",
         {{"s", Text("text")}, {"no", false}},
         {}},
        {"a list of lists", "{{#l}}[{{#.}}{{.}},{{/.}}]{{/l}}", {{"l", mstch::array{strings}}}, {}},
        {"dotted names",
         "{{a.b.c}} {{#a}}{{b.c}}{{/a}} {{a.x}} {{x.y}} {{a.b}}",
         {{"a", mstch::map{{"b", mstch::map{{"c", Text("djup")}}}}}},
         {}},
        {"nested sections of one name",
         "{{#a}}1{{#a}}2{{/a}}3{{/a}}",
         {{"a", mstch::array{mstch::map{{"a", true}}, mstch::map{{"a", false}}}}},
         {}},
        {"comments", "a{{! en kommentar }}b\n{{!\nflera rader\n}}\nc", {}, {}},
        {"standalone lines",
         "<ul>\n  {{#items}}  \n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n{{#no}}\nnej\n{{/no}}\n"
         "\t{{^no}}\t\nja\n{{/no}}\n  {{x}}  \n{{#yes}}inte ensam{{/yes}}\n",
         {{"items", strings}, {"no", false}, {"yes", true}, {"x", Text("")}},
         {}},
        {"a template that ends with a tag", "rad\n{{#a}}x{{/a}}", {{"a", true}}, {}},
        {"windows line ends", "a\r\n{{#s}}\r\n{{x}}\r\n{{/s}}\r\n", {{"s", true}, {"x", 1}}, {}},
        {"partials",
         "<h1>{{> rubrik}}</h1>\n{{> fot}}\n{{> saknas}}\n",
         {{"titel", Text("T&T")}},
         {{"rubrik", "{{titel}}"},
          {"fot", "<footer>\n{{#titel}}{{titel}}{{/titel}}\n</footer>\n"}}},
        {"indented partials",
         "<div>\n  {{> inne}}\n\t{{> inne}}\n</div>\n  {{> inne}}x\n",
         {{"items", strings}},
         {{"inne", "<p>\n{{#items}}\n<i>{{.}}</i>\n{{/items}}\n</p>\n{{> sista}}\n"},
          {"sista", "slut"}}},
        {"a recursive partial",
         "{{#tree}}{{> node}}{{/tree}}",
         {{"tree", mstch::array{Node("rot", mstch::array{Node("gren", mstch::array{Node("löv")}),
                                                         Node("gren 2")})}}},
         {{"node", "<li>{{name}}{{#children}}<ul>{{> node}}</ul>{{/children}}</li>\n"}}},
        {"braces that are no tags", "a { b } {x} }} {{{{x}}}} {{", {{"x", Text("y")}}, {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(RenderedByTemplates(c.source, c.context, c.partials),
                  RenderedByMstch(c.source, c.context, c.partials));
    }
}

// A context for a template's `names` drawn at random: strings that need escaping, empty ones,
// numbers, booleans, and for the names of `sections` also lists of such contexts, two levels
// deep. A name in `recursive` opens a section that includes a partial (styrmodell-nod includes
// itself): it is always a list, empty at the deepest level, or both renderers would recurse for
// ever through Mustache's lookup in the outer scopes.
mstch::map RandomContext(const std::set<std::string>& names, const std::set<std::string>& sections,
                         const std::set<std::string>& recursive, std::mt19937& random, int depth) {
    static const char* const kTexts[] = {"", "Miljöplan", "<b>&\"'/</b>", "a b", "2024-01-31"};
    constexpr int kDeepest = 2;
    mstch::map context;
    for (const std::string& name : names) {
        const int kinds = sections.count(name) ? 7 : 4;
        const int kind =
            recursive.count(name) ? 7 : std::uniform_int_distribution<int>(0, kinds)(random);
        switch (kind) {
            case 0:
                break;
            case 1:
            case 2:
                context[name] = Text(kTexts[random() % std::size(kTexts)]);
                break;
            case 3:
                context[name] = static_cast<int>(random() % 3);
                break;
            case 4:
                context[name] = random() % 2 == 0;
                break;
            default: {
                mstch::array list;
                if (depth < kDeepest) {
                    for (unsigned n = random() % 3; n > 0; --n)
                        list.push_back(
                            RandomContext(names, sections, recursive, random, depth + 1));
                }
                context[name] = std::move(list);
            }
        }
    }
    return context;
}

// The first group of each match of `pattern` in `text`.
std::set<std::string> Matches(const std::string& text, const std::regex& pattern) {
    std::set<std::string> found;
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it)
        found.insert((*it)[1]);
    return found;
}

TEST(Templates, RendersEveryPageAsMstchDid) {
    std::map<std::string, std::string> sources;
    for (const auto& entry : std::filesystem::directory_iterator("templates")) {
        if (entry.path().extension() != ".mustache") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        sources[entry.path().stem().string()] = text.str();
    }
    ASSERT_GT(sources.size(), 10u);
    const Templates templates = Templates::Load("templates");
    const std::regex tag(R"(\{\{[#^/&]?\s*([a-z_]+)\s*\}\})");
    const std::regex section(R"(\{\{[#^]\s*([a-z_]+)\s*\}\})");
    const std::regex partial(R"(\{\{>\s*([a-z-]+)\s*\}\})");
    const std::regex section_of_partial(R"(\{\{#\s*([a-z_]+)\s*\}\}\{\{>)");
    std::mt19937 random(19);
    for (const auto& [name, source] : sources) {
        SCOPED_TRACE(name);
        // The text of the page and of the partials it includes.
        std::string text;
        std::set<std::string> included{name};
        std::vector<std::string> pending{name};
        while (!pending.empty()) {
            auto found = sources.find(pending.back());
            pending.pop_back();
            if (found == sources.end()) continue;
            text += found->second;
            for (const std::string& next : Matches(found->second, partial)) {
                if (included.insert(next).second) pending.push_back(next);
            }
        }
        const std::set<std::string> names = Matches(text, tag);
        const std::set<std::string> sections = Matches(text, section);
        const std::set<std::string> recursive = Matches(text, section_of_partial);
        for (int round = 0; round < 8; ++round) {
            const mstch::map context = RandomContext(names, sections, recursive, random, 0);
            ASSERT_EQ(templates.Render(name, context), mstch::render(source, context, sources));
        }
    }
}

TEST(Templates, RefusesTemplatesItCannotRenderAsWritten) {
    const std::vector<std::pair<const char*, std::string>> cases = {
        {"a section closed that is not open", "{{#a}}{{/b}}"},
        {"a close without an open", "x{{/a}}"},
        {"a section never closed", "{{#a}}x"},
        {"sections closed out of order", "{{#a}}{{^b}}{{/a}}{{/b}}"},
        {"set delimiters", "{{=<% %>=}}<% x %>"},
    };
    for (const auto& [what, source] : cases) {
        SCOPED_TRACE(what);
        EXPECT_THROW(Templates::Parse({{"t", source}}), Error);
    }
}

TEST(Templates, RefusesAnUnknownTemplate) {
    const Templates templates = Templates::Parse({{"t", "x"}});
    EXPECT_EQ(templates.Render("t", {}), "x");
    EXPECT_THROW(templates.Render("finns-inte", {}), Error);
}

TEST(Templates, LoadRefusesAFolderWithoutTemplates) {
    EXPECT_THROW(Templates::Load(std::filesystem::temp_directory_path() / "inga-mallar-här"),
                 Error);
}

TEST(MapOf, MovesEachValueIn) {
    mstch::array list{Text("a"), Text("b")};
    const mstch::map map = MapOf("text", Text("t"), "list", std::move(list), "n", 3, "yes", true);
    EXPECT_EQ(
        Templates::Parse({{"t", "{{text}}{{#list}}{{.}}{{/list}}{{n}}{{yes}}"}}).Render("t", map),
        "tab3true");
}

}  // namespace
}  // namespace styrdok::server
