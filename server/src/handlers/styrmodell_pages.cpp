#include "styrmodell_pages.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "../render/labels.hpp"
#include "../render/neighbourhood.hpp"
#include "page.hpp"
#include "styrdok/core/access.hpp"
#include "styrdok/core/document_review.hpp"
#include "styrdok/core/validity.hpp"

namespace styrdok::server {

namespace {

bool InForceOn(const store::Snapshot& snapshot, const core::Metadata& m, core::Date day) {
    if (!core::VersionInForceOn({m}, day)) return false;
    for (const std::string& id : snapshot.ReplacedBy(m.id)) {
        const store::SnapshotEntry* successor = snapshot.Find(id);
        if (successor == nullptr) continue;
        const std::optional<core::Date> from = core::FirstDayInForce({*successor->metadata});
        if (from && *from <= day) return false;
    }
    return true;
}

std::string TypeLabel(const Site& site, const std::string& doctype) {
    return DocTypeLabel(site.schema, doctype);
}

mstch::map NodeContext(const Site& site, const core::ChainNode& node) {
    mstch::array also;
    for (std::size_t i = 0; i < node.also_implements.size(); ++i) {
        const core::ChainDocument& other = *node.also_implements[i];
        also.push_back(mstch::map{{"also_url", Text(DocumentUrl(other.id))},
                                  {"also_title", Text(other.title)},
                                  {"also_last", i + 1 == node.also_implements.size()}});
    }
    mstch::array children;
    for (const core::ChainNode& child : node.children) children.push_back(NodeContext(site, child));
    // Every key is set on every node: mustache looks a missing key up in the enclosing
    // node, which would draw a parent's children again under a leaf.
    return mstch::map{
        {"node_url", Text(DocumentUrl(node.document->id))},
        {"node_title", Text(node.document->title)},
        {"node_type", Text(TypeLabel(site, node.document->doctype))},
        {"node_has_also", !also.empty()},
        {"node_also", also},
        {"node_has_children", !children.empty()},
        {"node_children", children},
    };
}

std::string DoctypeList(const Site& site, const core::StyrmodellLevel& level) {
    std::string text;
    for (const std::string& doctype : level.doctypes) {
        const core::DocType* type = site.schema.FindDocType(doctype);
        text += (text.empty() ? "" : ", ") + (type != nullptr ? type->plural : doctype);
    }
    return text;
}

Response StyrmodellPage(const Site& site, const Request& request) {
    const core::Date today = site.Today();
    const std::shared_ptr<const store::Snapshot> snapshot = site.Snapshot();
    const std::vector<core::ChainDocument> docs =
        InForceChainDocuments(site, *snapshot, request, today);
    std::map<const core::StyrmodellLevel*, int> counts;
    for (const core::ChainDocument& d : docs) ++counts[site.schema.LevelOf(d.doctype)];

    mstch::array levels;
    for (const core::ChainLevel& level : core::BuildChain(site.schema, docs)) {
        mstch::array groups;
        for (const core::ChainGroup& group : level.groups) {
            mstch::array nodes;
            for (const core::ChainNode& node : group.documents) {
                nodes.push_back(NodeContext(site, node));
            }
            const bool grouped =
                site.schema.styrmodell_grouping() != core::StyrmodellGrouping::kNone;
            groups.push_back(mstch::map{
                {"group_heading", Text(!grouped          ? ""
                                       : group.goal_area ? "Målområde: " + group.goal_area->name
                                                         : "Utan målområde")},
                {"group_label", Text(level.level->name)},
                {"group_nodes", nodes},
            });
        }
        const int count = counts[level.level];
        levels.push_back(mstch::map{
            {"level_id", Text(level.level->id)},
            {"level_name", Text(level.level->name)},
            {"level_description", Text(level.level->description)},
            {"level_doctypes", Text(DoctypeList(site, *level.level))},
            {"level_beside", level.level->beside},
            {"level_implements_above", level.level->implements_above},
            {"level_count_text", Text(count == 1 ? "1 gällande dokument"
                                                 : std::to_string(count) + " gällande dokument")},
            {"level_has_groups", !groups.empty()},
            {"level_groups", groups},
        });
    }
    mstch::map context = PageContext(site, request, "Styrmodell");
    context["is_styrmodell_page"] = true;
    context["today"] = Text(DateText(today));
    context["levels"] = levels;
    return Page(site, "styrmodell", context);
}

GraphDocument GraphDocumentOf(const store::SnapshotEntry& entry) {
    return {entry.metadata->id, entry.metadata->title};
}

}  // namespace

std::vector<core::ChainDocument> InForceChainDocuments(const Site& site,
                                                       const store::Snapshot& snapshot,
                                                       const Request& request, core::Date day) {
    const std::optional<core::Actor> actor = ActorOf(request);
    std::vector<core::ChainDocument> docs;
    for (const store::SnapshotEntry& entry : snapshot.documents()) {
        const core::Metadata& m = *entry.metadata;
        if (!core::MaySee(actor, m, site.schema) || !InForceOn(snapshot, m, day)) continue;
        docs.push_back({m.id, m.title, m.doctype, m.implements, m.goal_areas});
    }
    return docs;
}

mstch::map MissingLinksContext(const Site& site, const store::Snapshot& snapshot,
                               const Request& request,
                               const std::function<bool(const core::Metadata&)>& shown) {
    const std::vector<core::ChainDocument> docs =
        InForceChainDocuments(site, snapshot, request, site.Today());
    mstch::array rows;
    for (const core::MissingLink& link : core::FindMissingLinks(site.schema, docs)) {
        const store::SnapshotEntry* entry = snapshot.Find(link.document->id);
        if (entry == nullptr || !shown(*entry->metadata)) continue;
        const core::Metadata& m = *entry->metadata;
        std::string note = "Genomför inget dokument";
        if (!link.not_in_force.empty()) {
            note = "Genomför bara dokument som inte gäller:";
            for (std::size_t i = 0; i < link.not_in_force.size(); ++i) {
                const store::SnapshotEntry* old = snapshot.Find(link.not_in_force[i]);
                note += (i == 0 ? " " : ", ") +
                        (old != nullptr ? old->metadata->title : link.not_in_force[i]);
            }
        }
        rows.push_back(mstch::map{
            {"link_url", Text(DocumentUrl(m.id))},
            {"link_title", Text(m.title)},
            {"link_type", Text(TypeLabel(site, m.doctype))},
            {"link_level", Text(link.level->name)},
            {"link_body", Text(BodyName(site.schema, core::ResponsibleBody(m)))},
            {"link_owner", Text(m.owner)},
            {"link_note", Text(note)},
            {"link_edit_url", Text(site.ReadOnly() ? "" : DocumentUrl(m.id) + "/redigera")},
        });
    }
    return mstch::map{{"missing_count", static_cast<int>(rows.size())},
                      {"has_missing", !rows.empty()},
                      {"missing_rows", rows}};
}

mstch::map NeighbourhoodContext(const Site& site, const store::Snapshot& snapshot,
                                const core::Metadata& shown, const Request& request) {
    const std::optional<core::Actor> actor = ActorOf(request);
    // A document that is gone, or that this reader may not see, is not drawn.
    auto visible = [&](const std::string& id) -> const store::SnapshotEntry* {
        const store::SnapshotEntry* entry = snapshot.Find(id);
        if (entry == nullptr || !core::MaySee(actor, *entry->metadata, site.schema)) {
            return nullptr;
        }
        return entry;
    };
    auto documents = [&](const std::vector<std::string>& ids) {
        std::vector<GraphDocument> out;
        for (const std::string& id : ids) {
            if (const store::SnapshotEntry* entry = visible(id)) {
                out.push_back(GraphDocumentOf(*entry));
            }
        }
        return out;
    };
    Neighbourhood graph;
    graph.centre = {shown.id, shown.title};
    for (const std::string& id : shown.implements) {
        const store::SnapshotEntry* entry = visible(id);
        if (entry == nullptr) continue;
        graph.implements.push_back(
            {GraphDocumentOf(*entry), documents(entry->metadata->implements)});
    }
    for (const std::string& id : snapshot.ImplementedBy(shown.id)) {
        const store::SnapshotEntry* entry = visible(id);
        if (entry == nullptr) continue;
        graph.implemented_by.push_back(
            {GraphDocumentOf(*entry), documents(snapshot.ImplementedBy(id))});
    }
    graph.replaces = documents(core::ReplacedDocuments(shown));
    graph.replaced_by = documents(snapshot.ReplacedBy(shown.id));
    std::string svg = NeighbourhoodSvg(graph);
    return mstch::map{{"has_neighbourhood", !svg.empty()},
                      {"neighbourhood_svg", Text(std::move(svg))}};
}

void AddStyrmodellRoutes(Router& router, const Site& site) {
    router.Add("GET", "/styrmodell",
               site.Cached([&site](const Request& request, const PathParams&) {
                   return StyrmodellPage(site, request);
               }));
}

}  // namespace styrdok::server
