// A document's pages: the version in force (or any version), its history, the change between
// two versions, and its original files.
#include <algorithm>

#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "comparison.hpp"
#include "page.hpp"
#include "review_pages.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/store/document_force.hpp"
#include "styrmodell_pages.hpp"

namespace styrdok::server {

namespace {

mstch::map Item(std::string text, std::string url = {}) {
    return mstch::map{{"text", Text(std::move(text))}, {"url", Text(std::move(url))}};
}

void AddField(mstch::array& fields, const Site& site, std::string_view field, mstch::array items) {
    if (items.empty()) return;
    fields.push_back(mstch::map{{"label", Text(site.schema.LabelOf(field))}, {"items", items}});
}

void AddField(mstch::array& fields, const Site& site, std::string_view field, std::string text,
              std::string url = {}) {
    if (text.empty()) return;
    AddField(fields, site, field, mstch::array{Item(std::move(text), std::move(url))});
}

// The title of another document for a link, or its id when it cannot be shown.
std::string TitleOf(const Site& site, const store::Store& store, const std::string& id) {
    if (!core::IsValidDocumentId(id)) return id;
    std::optional<store::Document> other = store.Read(id);
    if (!other || !core::IsVisibleToAnyone(other->metadata, site.schema)) return id;
    return other->metadata.title;
}

mstch::array MetadataFields(const Site& site, const core::Metadata& m,
                            const std::string& force_text) {
    mstch::array fields;
    const core::DocType* type = site.schema.FindDocType(m.doctype);
    AddField(fields, site, "doctype", DocTypeLabel(site.schema, m.doctype));
    AddField(fields, site, "category",
             CategoryLabel(type ? core::CategoryName(type->category) : m.category));
    if (!m.decided_by.empty()) {
        AddField(fields, site, "decided_by", BodyName(site.schema, m.decided_by),
                 std::string("/").append(QueryString({{"decided_by", m.decided_by}})));
    }
    AddField(fields, site, "decided_on", DateText(m.decided_on));
    AddField(fields, site, "paragraph", m.paragraph);
    AddField(fields, site, "dnr", m.dnr);
    if (!m.owner.empty()) {
        mstch::array owner{Item(m.owner)};
        if (!m.owner_email.empty()) {
            owner.push_back(Item(m.owner_email, "mailto:" + m.owner_email));
        }
        AddField(fields, site, "owner", owner);
    }
    if (!m.owner_body.empty())
        AddField(fields, site, "owner_body", BodyName(site.schema, m.owner_body));
    std::string validity = force_text;
    if (!validity.empty()) {
        fields.push_back(
            mstch::map{{"label", Text("Giltighet")}, {"items", mstch::array{Item(validity)}}});
    }
    AddField(fields, site, "applies_to", m.applies_to);
    mstch::array goal_areas;
    for (const std::string& id : m.goal_areas)
        goal_areas.push_back(Item(GoalAreaName(site.schema, id)));
    AddField(fields, site, "goal_areas", goal_areas);
    AddField(fields, site, "last_reviewed_on", DateText(m.last_reviewed_on));
    mstch::array keywords;
    for (const std::string& keyword : m.keywords) {
        keywords.push_back(Item(keyword, std::string("/").append(QueryString({{"q", keyword}}))));
    }
    AddField(fields, site, "keywords", keywords);
    AddField(fields, site, "changes", m.changes);
    return fields;
}

// The documents a document is tied to, both ends of each relation (DESIGN.md "Relations"):
// what it names itself, and what the snapshot derives from the documents that name it.
mstch::array Relations(const Site& site, const store::Store& store, const core::Metadata& m,
                       const store::Snapshot& snapshot) {
    const auto links = [&](const std::vector<std::string>& ids) {
        mstch::array items;
        for (const std::string& id : ids) {
            if (id.empty()) continue;
            items.push_back(
                Item(TitleOf(site, store, id), core::IsValidDocumentId(id) ? DocumentUrl(id) : ""));
        }
        return items;
    };
    mstch::array relations;
    const auto add = [&](std::string label, mstch::array items) {
        if (items.empty()) return;
        relations.push_back(mstch::map{{"label", Text(std::move(label))}, {"items", items}});
    };
    add(site.schema.LabelOf("implements"), links(m.implements));
    add("Genomförs av", links(snapshot.ImplementedBy(m.id)));
    add(site.schema.LabelOf("replaces"), links(m.replaces));
    add("Ersätts av", links(snapshot.ReplacedBy(m.id)));
    add(site.schema.LabelOf("related"), links(m.related));
    return relations;
}

mstch::map Banner(std::string kind, std::string text, std::string link_url = {},
                  std::string link_text = {}) {
    return mstch::map{{"kind", Text(std::move(kind))},
                      {"text", Text(std::move(text))},
                      {"link_url", Text(std::move(link_url))},
                      {"link_text", Text(std::move(link_text))}};
}

// What the registry knows of each version of a document beyond its commit: its metadata and
// the days it was in force, which follow from all the versions together and from the
// documents that replace it (store::DocumentForce), so they are worked out over them all.
class VersionFacts {
public:
    VersionFacts(const Site& site, const store::Store& store, const std::string& id)
        : force_(store::DocumentForce::Read(store, id, site.snapshots.At(store)->ReplacedBy(id))) {}

    const store::DocumentForce& force() const { return force_; }

    std::optional<core::ForceInterval> IntervalOf(const std::string& version) const {
        const std::optional<std::size_t> index = force_.IndexOf(version);
        return index ? force_.intervals()[*index] : std::nullopt;
    }

    /// The decision date the version records, or "" (a draft).
    std::string DecidedText(const std::string& version) const {
        const std::optional<std::size_t> index = force_.IndexOf(version);
        if (!index) return {};
        const auto& decided_on = force_.versions()[*index].metadata.decided_on;
        return decided_on ? decided_on->ToString() : std::string();
    }

private:
    store::DocumentForce force_;
};

// What a reader must know before reading `shown` (DESIGN.md "In force is computed"): its state
// today, said plainly, with a way to the version that applies, and a draft that is on its way.
mstch::array Banners(const Site& site, const store::Store& store, const store::Document& shown,
                     const std::optional<store::Document>& current, const VersionFacts& facts,
                     const std::optional<store::Document>& draft) {
    mstch::array banners;
    const core::Metadata& m = shown.metadata;
    const core::Date today = site.Today();
    const store::DocumentForce& force = facts.force();
    const std::string url = DocumentUrl(m.id);
    const std::string today_url = url + "?at=" + today.ToString();
    if (m.status == core::Status::kDraft) {
        banners.push_back(
            Banner("utkast", "Det här är ett utkast som inte är beslutat. Det gäller inte.",
                   current ? url + "/diff?from=" + current->version + "&to=" + shown.version
                           : std::string(),
                   current ? "Jämför med den beslutade versionen" : ""));
        return banners;
    }
    if (current && current->version != shown.version) {
        banners.push_back(Banner("aldre-version",
                                 "Du läser en äldre version av dokumentet, inte den senaste.", url,
                                 "Läs den senaste versionen"));
    }
    const std::optional<std::size_t> index = force.IndexOf(shown.version);
    const bool another_applies =
        force.InForceOn(today).has_value() && force.InForceOn(today) != index;
    const std::optional<core::ForceInterval> interval =
        index ? force.intervals()[*index] : std::nullopt;
    switch (index ? force.StateOf(*index, today) : core::ForceState::kExpired) {
        case core::ForceState::kInForce:
        case core::ForceState::kDraft:
            break;
        case core::ForceState::kNotYetInForce: {
            const std::optional<core::Date> from = m.EffectiveFrom();
            banners.push_back(Banner("ej-ikraft",
                                     "Beslutad men inte i kraft än. Träder i kraft " +
                                         (from ? from->ToString() : std::string("senare")) + ".",
                                     another_applies ? today_url : "",
                                     another_applies ? "Läs den version som gäller i dag" : ""));
            break;
        }
        case core::ForceState::kRepealed: {
            std::string text = "Dokumentet är upphävt och gäller inte längre.";
            if (interval && interval->to) {
                text = "Dokumentet är upphävt. Det gällde till och med " +
                       interval->to->ToString() + ".";
            } else if (m.valid_to) {
                text = std::string("Dokumentet är upphävt. Det gällde till och med ")
                           .append(m.valid_to->ToString())
                           .append(".");
            }
            banners.push_back(Banner("upphavd", text));
            break;
        }
        case core::ForceState::kExpired: {
            const bool replaced = !force.successor().empty() && force.replaced_from() && interval &&
                                  interval->to &&
                                  interval->to->AddDays(1) == *force.replaced_from();
            if (replaced) {
                banners.push_back(
                    Banner("ersatt",
                           "Gällde till " + interval->to->ToString() + ". Ersatt av " +
                               TitleOf(site, store, force.successor()) + " från " +
                               force.replaced_from()->ToString() + ".",
                           DocumentUrl(force.successor()), "Läs det dokument som ersätter det"));
            } else if (interval && interval->to) {
                banners.push_back(
                    Banner("utgangen", "Gällde till " + interval->to->ToString() + ".",
                           another_applies ? today_url : "",
                           another_applies ? "Läs den version som gäller i dag" : ""));
            } else {
                banners.push_back(
                    Banner("utgangen", "Den här versionen har aldrig gällt.",
                           another_applies ? today_url : "",
                           another_applies ? "Läs den version som gäller i dag" : ""));
            }
            break;
        }
    }
    if (draft) {
        banners.push_back(Banner("utkast-finns",
                                 "Det finns ett utkast till en ny version, som inte är beslutat.",
                                 url + "?draft=1", "Läs utkastet"));
    }
    return banners;
}

std::string ShortVersion(const std::string& version) { return version.substr(0, 8); }

// True when the request's user may change the document whose current metadata is `current`
// (the edit pages, handlers/edit_pages.cpp). Pages with such links are never the cached ones:
// Site::Cached serves those only to readers who have not signed in.
bool MayEdit(const Request& request, const core::Metadata& current) {
    return request.identity.user &&
           !core::WhyNotAllowed(request.identity.user->Actor(), current, current, false)
                .has_value();
}

// The author date of a version as "YYYY-MM-DD".
std::string VersionDate(const store::Store& store, const std::string& id,
                        const std::string& version) {
    for (const store::VersionInfo& info : store.History(id)) {
        if (info.version == version) return info.date.substr(0, 10);
    }
    return {};
}

// The date that names a version for a reader: the decision it records, else when it was saved.
std::string LabelDate(const store::Store& store, const store::Document& version) {
    if (version.metadata.decided_on) return version.metadata.decided_on->ToString();
    return VersionDate(store, version.metadata.id, version.version);
}

Response DocumentPage(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    store::Document document = FindVisibleDocument(site, reader->store, id, request);
    // Only a request for another version needs the current one read as well.
    const bool asked_for_version = !request.Param("version").empty() ||
                                   !request.Param("at").empty() || !request.Param("draft").empty();
    std::optional<store::Document> current =
        asked_for_version ? reader->store.Read(id) : std::optional<store::Document>(document);
    const bool showing_draft = document.metadata.status == core::Status::kDraft;
    // Those who may see the draft hear of it on the decided version's page.
    std::optional<store::Document> draft =
        showing_draft || !request.identity.user
            ? std::nullopt
            : FindVisibleDraft(reader->store, site.schema, id, SameAsker(request));
    const core::Metadata& m = document.metadata;

    mstch::map context = PageContext(site, request, m.title);
    context["title"] = Text(m.title);
    context["doctype_label"] = Text(DocTypeLabel(site.schema, m.doctype));
    VersionFacts facts(site, reader->store, id);
    context["banners"] = Banners(site, reader->store, document, current, facts, draft);
    const std::string force_text =
        showing_draft ? std::string() : ForceText(facts.IntervalOf(document.version), site.Today());
    context["metadata"] = MetadataFields(site, m, force_text);
    const mstch::array relations =
        Relations(site, reader->store, m, *site.snapshots.At(reader->store));
    context["has_relations"] = !relations.empty();
    context["relations"] = relations;
    if (!site.snapshots.At(reader->store)->ImplementedBy(id).empty()) {
        context["implementing_url"] =
            Text(std::string("/").append(QueryString({{"implements", id}})));
    }
    AddReviewKeys(context, site, request, document, current);
    for (auto& [key, value] :
         NeighbourhoodContext(site, *site.snapshots.At(reader->store), m, request)) {
        context[key] = value;
    }
    std::string html = site.markdown.Render(id + "@" + document.version, document.text, m.title);
    context["has_html"] = !html.empty();
    context["html"] = Text(std::move(html));
    mstch::array files;
    for (const std::string& name : document.files) {
        files.push_back(
            mstch::map{{"name", Text(name)},
                       {"url", Text(DocumentUrl(id) + "/files/" + EncodeUrlComponent(name) +
                                    "?version=" + document.version)},
                       {"size_text", Text("")}});
    }
    context["has_files"] = !files.empty();
    context["files"] = files;
    context["history_url"] = Text(DocumentUrl(id) + "/history");
    std::string json = std::string("/api").append(DocumentUrl(id));
    if (showing_draft) {
        json += "?draft=1";
    } else if (current && current->version != document.version) {
        json += "?version=" + document.version;
    }
    context["json_url"] = Text(json);
    context["version"] = Text(document.version);
    context["version_short"] = Text(ShortVersion(document.version));
    // The decision a version records says more about it than when it was saved.
    context["version_date"] = Text(LabelDate(reader->store, document));
    context["at_action"] = Text(DocumentUrl(id));
    context["at_value"] = Text(request.Param("at"));
    // The edit form works on the draft when there is one, else on the current version. A
    // follower offers no change at all.
    if (!site.ReadOnly() &&
        MayEdit(request, showing_draft ? m
                         : current     ? current->metadata
                                       : m) &&
        (current || showing_draft)) {
        context["edit_url"] = Text(DocumentUrl(id) + "/redigera");
        context["edit_label"] = Text(showing_draft || draft ? "Redigera utkastet" : "Redigera");
    }
    // Discarding drops the draft's text, so it takes the right to change the text.
    if (!site.ReadOnly() && showing_draft && request.identity.user &&
        !core::WhyNotAllowed(request.identity.user->Actor(), m, m, true)) {
        context["discard_action"] = Text(DocumentUrl(id) + "/utkast/kasta");
        context["draft_version"] = Text(document.version);
    }
    // A repeal is a decision that clerks and admins register, as every review decision.
    if (!site.ReadOnly() && current && request.identity.user &&
        !core::WhyNotRecordReview(request.identity.user->Actor()) &&
        current->metadata.status != core::Status::kRepealed) {
        context["repeal_url"] = Text(DocumentUrl(id) + "/upphav");
    }
    Response response = Page(site, "document", context);
    response.etag = document.version + "-" + site.Today().ToString();
    return response;
}

Response HistoryPage(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    store::Document current = FindVisibleDocument(site, reader->store, id, SameAsker(request));
    std::vector<store::VersionInfo> history = reader->store.History(id);
    VersionFacts facts(site, reader->store, id);
    mstch::map context = PageContext(site, request, "Versioner av " + current.metadata.title);
    context["title"] = Text(current.metadata.title);
    context["document_url"] = Text(DocumentUrl(id));
    context["diff_action"] = Text(DocumentUrl(id) + "/diff");
    const bool may_edit = MayEdit(request, current.metadata);
    context["may_edit"] = may_edit;
    context["restore_action"] = Text(DocumentUrl(id) + "/aterstall");
    context["current_version"] = Text(current.version);
    mstch::array versions;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const store::VersionInfo& v = history[i];
        std::string diff_url;
        if (i + 1 < history.size()) {
            diff_url =
                DocumentUrl(id) + "/diff?from=" + history[i + 1].version + "&to=" + v.version;
        }
        versions.push_back(mstch::map{
            {"version", Text(v.version)},
            {"version_short", Text(ShortVersion(v.version))},
            {"date", Text(v.date.substr(0, 10))},
            {"author", Text(v.author)},
            {"message", Text(v.message)},
            {"decided_on", Text(facts.DecidedText(v.version))},
            {"force_text", Text(ForceText(facts.IntervalOf(v.version), site.Today()))},
            {"url", Text(DocumentUrl(id) + "?version=" + v.version)},
            {"diff_url", Text(diff_url)},
            // The form compares the two newest versions until the reader picks others.
            {"from_selected", history.size() > 1 && i == 1},
            {"to_selected", i == 0},
            {"restorable", may_edit && v.version != current.version},
        });
    }
    context["versions"] = versions;
    context["has_several"] = history.size() > 1;
    return Page(site, "history", context);
}

const char* KindLabel(store::DiffLine::Kind kind) {
    switch (kind) {
        case store::DiffLine::Kind::kContext:
            return "Oförändrad rad";
        case store::DiffLine::Kind::kAdded:
            return "Tillagd rad";
        case store::DiffLine::Kind::kRemoved:
            return "Borttagen rad";
        case store::DiffLine::Kind::kChanged:
            return "Ändrad rad";
        case store::DiffLine::Kind::kGap:
            break;
    }
    return "Oförändrade rader visas inte";
}

Response DiffPage(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    Comparison c = Compare(site, reader->store, id, request);
    mstch::map context = PageContext(site, request, "Ändringar i " + c.to.metadata.title);
    context["title"] = Text(c.to.metadata.title);
    context["document_url"] = Text(DocumentUrl(id));
    context["history_url"] = Text(DocumentUrl(id) + "/history");
    context["from_short"] = Text(ShortVersion(c.from.version));
    context["to_short"] = Text(ShortVersion(c.to.version));
    context["from_date"] = Text(LabelDate(reader->store, c.from));
    context["to_date"] = Text(LabelDate(reader->store, c.to));
    mstch::array metadata;
    for (const store::FieldChange& change : c.diff.metadata) {
        metadata.push_back(mstch::map{{"label", Text(site.schema.LabelOf(change.field))},
                                      {"before", Text(change.before)},
                                      {"after", Text(change.after)}});
    }
    context["has_metadata_changes"] = !metadata.empty();
    context["metadata_changes"] = metadata;
    mstch::array lines;
    for (const store::DiffLine& line : c.text) {
        mstch::array segments;
        for (const store::DiffSegment& segment : line.segments) {
            segments.push_back(
                mstch::map{{"text", Text(segment.text)},
                           {"is_added", segment.kind == store::DiffSegment::Kind::kAdded},
                           {"is_removed", segment.kind == store::DiffSegment::Kind::kRemoved}});
        }
        lines.push_back(mstch::map{{"kind_class", Text(LineKindName(line.kind))},
                                   {"kind_label", Text(KindLabel(line.kind))},
                                   {"segments", segments}});
    }
    context["has_text_changes"] = !lines.empty() || c.text_lines_left_out > 0;
    context["text_lines"] = lines;
    context["text_cut_short"] = c.text_lines_left_out > 0;
    context["text_lines_shown"] = Text(NumberText(c.text.size()));
    context["text_lines_left_out"] = Text(NumberText(c.text_lines_left_out));
    context["from_url"] = Text(DocumentUrl(id) + "?version=" + c.from.version);
    context["to_url"] = Text(DocumentUrl(id) + "?version=" + c.to.version);
    mstch::array added, removed;
    for (const std::string& name : c.diff.files_added) added.push_back(Text(name));
    for (const std::string& name : c.diff.files_removed) removed.push_back(Text(name));
    context["has_files_added"] = !added.empty();
    context["has_files_removed"] = !removed.empty();
    context["files_added"] = added;
    context["files_removed"] = removed;
    context["no_changes"] = c.diff.metadata.empty() && c.text.empty() &&
                            c.text_lines_left_out == 0 && added.empty() && removed.empty();
    return Page(site, "diff", context);
}

std::string ContentTypeOf(std::string_view name) {
    auto ends = [&name](std::string_view suffix) {
        if (name.size() < suffix.size()) return false;
        std::string tail(name.substr(name.size() - suffix.size()));
        for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return tail == suffix;
    };
    if (ends(".pdf")) return "application/pdf";
    if (ends(".docx"))
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ends(".odt")) return "application/vnd.oasis.opendocument.text";
    if (ends(".txt") || ends(".md")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

Response FileDownload(const Site& site, const Request& request, const std::string& id,
                      const std::string& name) {
    ReaderPool::Lease reader = site.readers.Acquire();
    store::Document document = FindVisibleDocument(site, reader->store, id, request);
    if (std::find(document.files.begin(), document.files.end(), name) == document.files.end()) {
        throw Error(ErrorCode::kNotFound, "filen finns inte");
    }
    std::optional<std::string> bytes = reader->store.ReadFile(id, name, document.version);
    if (!bytes) throw Error(ErrorCode::kNotFound, "filen finns inte");
    Response response;
    response.content_type = ContentTypeOf(name);
    response.body = std::move(*bytes);
    response.etag = document.version;
    // Only PDF is shown in the browser; everything else is saved. The name goes in its
    // RFC 5987 form, so no character of it can break out of the header.
    std::string disposition = response.content_type == "application/pdf" ? "inline" : "attachment";
    response.headers.emplace_back("Content-Disposition",
                                  disposition + "; filename*=UTF-8''" + EncodeUrlComponent(name));
    return response;
}

}  // namespace

void AddDocumentPageRoutes(Router& router, const Site& site) {
    router.Add("GET", "/documents/{id}",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return DocumentPage(site, request, p.at("id"));
               }));
    router.Add("GET", "/documents/{id}/history",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return HistoryPage(site, request, p.at("id"));
               }));
    router.Add("GET", "/documents/{id}/diff",
               site.Cached([&site](const Request& request, const PathParams& p) {
                   return DiffPage(site, request, p.at("id"));
               }));
    router.Add("GET", "/documents/{id}/files/{name}",
               [&site](const Request& request, const PathParams& p) {
                   return FileDownload(site, request, p.at("id"), p.at("name"));
               });
}

}  // namespace styrdok::server
