#include "styrdok/core/styrmodell.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace styrdok::core {
namespace {

// Vision over program over verksamhetsplan (expected to implement), reglementen beside.
Schema ChainSchema(std::string_view group_by = "none") {
    return Schema::Parse(
        "<schema name=\"Test\" version=\"1\">\n"
        "<doctypes>\n"
        "  <doctype id=\"vision\" label=\"Vision\" category=\"politisk\" review=\"none\"/>\n"
        "  <doctype id=\"program\" label=\"Program\" category=\"politisk\" review=\"none\"/>\n"
        "  <doctype id=\"verksamhetsplan\" label=\"Verksamhetsplan\" category=\"politisk\" "
        "review=\"none\"/>\n"
        "  <doctype id=\"reglemente\" label=\"Reglemente\" category=\"politisk\" "
        "review=\"none\"/>\n"
        "</doctypes>\n"
        "<goal_areas>\n"
        "  <goal_area id=\"bo\" name=\"Bygga och bo\"/>\n"
        "  <goal_area id=\"miljo\" name=\"Miljö\"/>\n"
        "</goal_areas>\n"
        "<styrmodell group_by=\"" +
            std::string(group_by) +
            "\">\n"
            "  <level id=\"vision\" name=\"Vision\" doctypes=\"vision\"/>\n"
            "  <level id=\"program\" name=\"Program\" doctypes=\"program\"/>\n"
            "  <level id=\"vp\" name=\"Verksamhetsplaner\" doctypes=\"verksamhetsplan\" "
            "implements_above=\"true\"/>\n"
            "  <level id=\"regler\" name=\"Reglementen\" doctypes=\"reglemente\" "
            "beside=\"true\"/>\n"
            "</styrmodell>\n"
            "</schema>\n",
        "test.xml");
}

ChainDocument Doc(std::string id, std::string title, std::string doctype,
                  std::vector<std::string> implements = {},
                  std::vector<std::string> goal_areas = {}) {
    return {std::move(id), std::move(title), std::move(doctype), std::move(implements),
            std::move(goal_areas)};
}

// The tree as text, one line a node, indented by depth, "(även x)" for also_implements;
// with `grouped`, groups as "[målområde]" lines ("[utan]" for none); levels as "# id".
void Describe(const ChainNode& node, int depth, std::string& out) {
    out += std::string(depth * 2, ' ') + node.document->id;
    for (const ChainDocument* other : node.also_implements) out += " (även " + other->id + ")";
    out += "\n";
    for (const ChainNode& child : node.children) Describe(child, depth + 1, out);
}

std::string Describe(const std::vector<ChainLevel>& levels, bool grouped = false) {
    std::string out;
    for (const ChainLevel& level : levels) {
        out += "# " + level.level->id + "\n";
        for (const ChainGroup& group : level.groups) {
            if (grouped) {
                out += "[" + (group.goal_area ? group.goal_area->id : std::string("utan")) + "]\n";
            }
            for (const ChainNode& node : group.documents) Describe(node, 1, out);
        }
    }
    return out;
}

TEST(BuildChain, PlacesEachDocumentUnderWhatItImplements) {
    const Schema schema = ChainSchema();
    const struct {
        std::string_view name;
        std::vector<ChainDocument> docs;
        std::string_view tree;
    } cases[] = {
        {"empty registry", {}, "# vision\n# program\n# vp\n# regler\n"},
        {"a chain from the vision down, children by level and title",
         {Doc("vp-sn", "Socialnämndens verksamhetsplan", "verksamhetsplan", {"kp"}),
          Doc("vp-bun", "Barn- och utbildningsnämndens verksamhetsplan", "verksamhetsplan", {"kp"}),
          Doc("kp", "Kommunprogram", "program", {"vision"}), Doc("vision", "Vision", "vision"),
          Doc("vp-direkt", "Ärendeplan", "verksamhetsplan", {"vision"}),
          Doc("reg", "Reglemente", "reglemente")},
         "# vision\n  vision\n    kp\n      vp-bun\n      vp-sn\n    vp-direkt\n# program\n"
         "# vp\n# regler\n  reg\n"},
        {"implementing nothing in force: at its own level, by Swedish title",
         {Doc("b", "Östra planen", "verksamhetsplan", {"upphavt-program"}),
          Doc("a", "Ängens plan", "verksamhetsplan"), Doc("c", "Zeta", "verksamhetsplan")},
         "# vision\n# program\n# vp\n  c\n  a\n  b\n# regler\n"},
        {"several documents implemented: under the first in force, the rest named",
         {Doc("p1", "Program 1", "program"), Doc("p2", "Program 2", "program"),
          Doc("vp", "Plan", "verksamhetsplan", {"borta", "p2", "p1", "p2"})},
         "# vision\n# program\n  p1\n  p2\n    vp (även p1)\n# vp\n# regler\n"},
        {"implementing itself is no link",
         {Doc("vp", "Plan", "verksamhetsplan", {"vp"})},
         "# vision\n# program\n# vp\n  vp\n# regler\n"},
        {"a cycle opens at its member first by title",
         {Doc("x", "Xylofon", "program", {"y"}), Doc("y", "Yxa", "program", {"z"}),
          Doc("z", "Apel", "program", {"x"}), Doc("w", "Under", "verksamhetsplan", {"y"})},
         "# vision\n# program\n  z (även x)\n    y\n      x\n      w\n# vp\n# regler\n"},
        {"an unknown doctype is left out, and so is what hangs on nothing else",
         {Doc("okand", "Okänd", "protokoll"), Doc("vp", "Plan", "verksamhetsplan", {"okand"})},
         "# vision\n# program\n# vp\n  vp\n# regler\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(Describe(BuildChain(schema, c.docs)), c.tree);
    }
}

TEST(BuildChain, GroupsEachLevelByGoalAreaWhenTheStyrmodellSaysSo) {
    const Schema schema = ChainSchema("goal_area");
    const std::vector<ChainDocument> docs = {
        Doc("p-bo", "Bostadsprogram", "program", {}, {"bo"}),
        Doc("p-bada", "Program för båda", "program", {}, {"miljo", "Bygga och bo"}),
        Doc("p-inget", "Program utan mål", "program"),
        Doc("vp", "Plan", "verksamhetsplan", {"p-bo"}, {"miljo"}),
    };
    EXPECT_EQ(Describe(BuildChain(schema, docs), true),
              "# vision\n# program\n[bo]\n  p-bo\n    vp\n  p-bada\n[miljo]\n  p-bada\n"
              "[utan]\n  p-inget\n# vp\n# regler\n");
}

TEST(BuildChain, AVeryLongChainGoesOnAtItsLevel) {
    const Schema schema = ChainSchema();
    std::vector<ChainDocument> docs;
    for (int i = 0; i < 70; ++i) {
        docs.push_back(Doc("p" + std::to_string(i), "P" + std::to_string(1000 + i), "program",
                           i == 0 ? std::vector<std::string>{}
                                  : std::vector<std::string>{"p" + std::to_string(i - 1)}));
    }
    const std::vector<ChainLevel> levels = BuildChain(schema, docs);
    ASSERT_EQ(levels[1].groups.size(), 1u);
    std::vector<std::string> roots;
    for (const ChainNode& node : levels[1].groups[0].documents) roots.push_back(node.document->id);
    EXPECT_EQ(roots, (std::vector<std::string>{"p0", "p32", "p64"}));
}

TEST(FindMissingLinks, ListsWhatShouldImplementSomethingInForceAndDoesNot) {
    const Schema schema = ChainSchema();
    const std::vector<ChainDocument> docs = {
        Doc("kp", "Kommunprogram", "program"),
        Doc("vp-ok", "Kopplad plan", "verksamhetsplan", {"gammalt", "kp"}),
        Doc("vp-ingen", "Plan utan koppling", "verksamhetsplan"),
        Doc("vp-gammal", "Ändrad plan", "verksamhetsplan", {"gammalt", "annat"}),
        Doc("vp-sig-sjalv", "Egen plan", "verksamhetsplan", {"vp-sig-sjalv"}),
        Doc("reg", "Reglemente", "reglemente"),
    };
    std::vector<std::string> found;
    for (const MissingLink& link : FindMissingLinks(schema, docs)) {
        std::string line = link.document->id + " at " + link.level->id + ":";
        for (const std::string& id : link.not_in_force) line += " " + id;
        found.push_back(line);
    }
    EXPECT_EQ(found, (std::vector<std::string>{"vp-sig-sjalv at vp:", "vp-ingen at vp:",
                                               "vp-gammal at vp: gammalt annat"}));
}

}  // namespace
}  // namespace styrdok::core
