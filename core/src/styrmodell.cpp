#include "styrdok/core/styrmodell.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "styrdok/core/utf8.hpp"

namespace styrdok::core {
namespace {

// A chain deeper than this goes on at its level: the tree is built, shown and destroyed
// recursively, and a real styrmodell is a handful of levels deep.
constexpr int kMaxDepth = 32;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Orders titles as Swedish does, å, ä and ö after z, ignoring case.
std::string TitleKey(const std::string& title) {
    const std::string folded = FoldCase(RepairUtf8(title));
    std::string key;
    key.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const std::string_view rest(folded.data() + i, folded.size() - i);
        if (rest.starts_with("å")) {
            key += '{';
        } else if (rest.starts_with("ä")) {
            key += '|';
        } else if (rest.starts_with("ö")) {
            key += '}';
        } else {
            key += folded[i];
            continue;
        }
        ++i;  // the second byte of the letter
    }
    return key;
}

class Chain {
public:
    Chain(const Schema& schema, const std::vector<ChainDocument>& docs)
        : schema_(schema), docs_(docs) {
        for (std::size_t i = 0; i < docs.size(); ++i) {
            index_.emplace(docs[i].id, i);
            keys_.push_back(TitleKey(docs[i].title));
            level_.push_back(LevelIndex(docs[i].doctype));
        }
    }

    std::vector<ChainLevel> Build() {
        ChooseParents();
        BreakCycles();
        LimitDepth();
        std::vector<std::vector<std::size_t>> children(docs_.size());
        std::vector<std::vector<std::size_t>> roots(schema_.styrmodell().size());
        for (std::size_t i = 0; i < docs_.size(); ++i) {
            if (level_[i] == kNone) continue;
            (parent_[i] == kNone ? roots[level_[i]] : children[parent_[i]]).push_back(i);
        }
        for (auto& list : children) Sort(list);
        std::vector<ChainLevel> levels;
        for (std::size_t l = 0; l < roots.size(); ++l) {
            Sort(roots[l]);
            ChainLevel level;
            level.level = &schema_.styrmodell()[l];
            if (!roots[l].empty()) level.groups = Group(roots[l], children);
            levels.push_back(std::move(level));
        }
        return levels;
    }

private:
    std::size_t LevelIndex(const std::string& doctype) const {
        const StyrmodellLevel* level = schema_.LevelOf(doctype);
        return level == nullptr ? kNone
                                : static_cast<std::size_t>(level - &schema_.styrmodell()[0]);
    }

    std::size_t Find(const std::string& id) const {
        auto found = index_.find(id);
        return found == index_.end() ? kNone : found->second;
    }

    void ChooseParents() {
        parent_.assign(docs_.size(), kNone);
        for (std::size_t i = 0; i < docs_.size(); ++i) {
            if (level_[i] == kNone) continue;
            for (const std::string& id : docs_[i].implements) {
                const std::size_t p = Find(id);
                if (p != kNone && p != i && level_[p] != kNone) {
                    parent_[i] = p;
                    break;
                }
            }
        }
    }

    // Each document has one parent, so a walk upwards either ends at a root, reaches a
    // document already settled, or comes back onto itself: a cycle, opened at its member
    // first by title.
    void BreakCycles() {
        enum { kUnseen, kOnPath, kSettled };
        std::vector<int> mark(docs_.size(), kUnseen);
        for (std::size_t start = 0; start < docs_.size(); ++start) {
            std::vector<std::size_t> path;
            std::size_t j = start;
            while (j != kNone && mark[j] == kUnseen) {
                mark[j] = kOnPath;
                path.push_back(j);
                j = parent_[j];
            }
            if (j != kNone && mark[j] == kOnPath) {
                auto first = std::find(path.begin(), path.end(), j);
                const std::size_t top = *std::min_element(first, path.end(), [&](auto a, auto b) {
                    return std::tie(keys_[a], docs_[a].id) < std::tie(keys_[b], docs_[b].id);
                });
                parent_[top] = kNone;
            }
            for (std::size_t k : path) mark[k] = kSettled;
        }
    }

    void LimitDepth() {
        std::vector<int> depth(docs_.size(), -1);
        for (std::size_t start = 0; start < docs_.size(); ++start) {
            std::vector<std::size_t> path;
            for (std::size_t j = start; j != kNone && depth[j] < 0; j = parent_[j]) {
                path.push_back(j);
            }
            for (auto k = path.rbegin(); k != path.rend(); ++k) {
                depth[*k] = parent_[*k] == kNone ? 0 : depth[parent_[*k]] + 1;
            }
        }
        for (std::size_t i = 0; i < docs_.size(); ++i) {
            if (depth[i] > 0 && depth[i] % kMaxDepth == 0) parent_[i] = kNone;
        }
    }

    void Sort(std::vector<std::size_t>& list) const {
        std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
            return std::tie(level_[a], keys_[a], docs_[a].id) <
                   std::tie(level_[b], keys_[b], docs_[b].id);
        });
    }

    ChainNode Node(std::size_t i, const std::vector<std::vector<std::size_t>>& children) const {
        ChainNode node;
        node.document = &docs_[i];
        for (const std::string& id : docs_[i].implements) {
            const std::size_t other = Find(id);
            if (other == kNone || other == i || other == parent_[i] || level_[other] == kNone) {
                continue;
            }
            if (std::find(node.also_implements.begin(), node.also_implements.end(),
                          &docs_[other]) == node.also_implements.end()) {
                node.also_implements.push_back(&docs_[other]);
            }
        }
        for (std::size_t child : children[i]) node.children.push_back(Node(child, children));
        return node;
    }

    std::vector<ChainGroup> Group(const std::vector<std::size_t>& roots,
                                  const std::vector<std::vector<std::size_t>>& children) const {
        if (schema_.styrmodell_grouping() == StyrmodellGrouping::kNone) {
            ChainGroup all;
            for (std::size_t i : roots) all.documents.push_back(Node(i, children));
            return {std::move(all)};
        }
        std::vector<ChainGroup> groups;
        std::vector<bool> grouped(docs_.size(), false);
        for (const GoalArea& area : schema_.goal_areas()) {
            ChainGroup group;
            group.goal_area = &area;
            for (std::size_t i : roots) {
                for (const std::string& named : docs_[i].goal_areas) {
                    if (schema_.FindGoalArea(named) == &area) {
                        group.documents.push_back(Node(i, children));
                        grouped[i] = true;
                        break;
                    }
                }
            }
            if (!group.documents.empty()) groups.push_back(std::move(group));
        }
        ChainGroup rest;
        for (std::size_t i : roots) {
            if (!grouped[i]) rest.documents.push_back(Node(i, children));
        }
        if (!rest.documents.empty()) groups.push_back(std::move(rest));
        return groups;
    }

    const Schema& schema_;
    const std::vector<ChainDocument>& docs_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::vector<std::string> keys_;
    std::vector<std::size_t> level_;
    std::vector<std::size_t> parent_;
};

}  // namespace

std::vector<ChainLevel> BuildChain(const Schema& schema,
                                   const std::vector<ChainDocument>& in_force) {
    return Chain(schema, in_force).Build();
}

std::vector<MissingLink> FindMissingLinks(const Schema& schema,
                                          const std::vector<ChainDocument>& in_force) {
    std::map<std::string, const ChainDocument*, std::less<>> by_id;
    for (const ChainDocument& d : in_force) by_id.emplace(d.id, &d);
    std::vector<std::pair<std::string, MissingLink>> found;
    for (const ChainDocument& d : in_force) {
        const StyrmodellLevel* level = schema.LevelOf(d.doctype);
        if (level == nullptr || !level->implements_above) continue;
        MissingLink link{&d, level, {}};
        bool linked = false;
        for (const std::string& id : d.implements) {
            if (id == d.id) continue;
            if (by_id.contains(id)) {
                linked = true;
                break;
            }
            link.not_in_force.push_back(id);
        }
        if (!linked) found.emplace_back(TitleKey(d.title) + '\0' + d.id, std::move(link));
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<MissingLink> out;
    for (auto& [key, link] : found) out.push_back(std::move(link));
    return out;
}

}  // namespace styrdok::core
