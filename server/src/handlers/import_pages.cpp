// "Importera dokument" (issue 20): a clerk uploads a municipality's existing originals at once,
// the server reads them in the background (ImportBatches) and shows each file's proposed
// metadata beside its first page; the clerk corrects and accepts them one by one, or all whose
// every field is sure. Accepting checks a proposal as the new-document form checks its fields
// (CheckSave) and saves it through site.writer as the form does: one commit per document, the
// original kept as its attachment.
#include "import_pages.hpp"

#include <algorithm>
#include <array>
#include <boost/variant/get.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "../document_writer.hpp"
#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "edit_form.hpp"
#include "new_document.hpp"
#include "page.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/proposal_metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"

namespace styrdok::server {

namespace {

constexpr int kConflictStatus = 409;

// The fields of a proposal's form, in the order of proposals.csv: the id first, since saving
// needs one, then what the proposer reads.
constexpr std::array<std::string_view, 10> kFormFields = {
    "id",        "title", "doctype", "decided_by", "decided_on",
    "paragraph", "dnr",   "owner",   "valid_from", "valid_to"};

// The page's script may run (its progress); everything else is as strict as every page's.
constexpr const char* kPolicyWithScript =
    "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'";

constexpr const char* kScriptUrl = "/importera/skript.js";

Response Redirect(const std::string& location) {
    Response response;
    response.status = 303;
    response.headers.emplace_back("Location", location);
    return response;
}

std::string BatchUrl(const std::string& batch) { return "/importera/" + batch; }

std::string ItemUrl(const std::string& batch, std::size_t number) {
    return BatchUrl(batch) + "/" + std::to_string(number);
}

// A batch id from a URL: 32 hex digits, nothing else reaches the batches.
const std::string& CheckBatchId(const std::string& id) {
    const bool hex = id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) throw Error(ErrorCode::kNotFound, "inläsningen finns inte");
    return id;
}

std::size_t ItemNumber(const std::string& text) {
    if (text.empty() || text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        throw Error(ErrorCode::kNotFound, "förslaget finns inte");
    }
    return static_cast<std::size_t>(std::stoul(text));
}

// The last part of a browser's file name, made a name the store accepts as an attachment.
std::string PlainName(std::string_view name) {
    if (std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
        name.remove_prefix(slash + 1);
    }
    while (!name.empty() && name.front() == '.') name.remove_prefix(1);
    std::string plain(core::Trim(name));
    if (plain.size() > 200) plain = plain.substr(plain.size() - 200);
    while (!plain.empty() && (static_cast<unsigned char>(plain.front()) & 0xC0) == 0x80) {
        plain.erase(0, 1);
    }
    return plain.empty() ? "fil" : plain;
}

std::string Lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

std::string MegabytesText(std::size_t bytes) {
    return std::to_string((bytes + (1u << 19)) >> 20) + " MB";
}

std::string ProgressText(std::size_t read, std::size_t total) {
    return "Läst " + std::to_string(read) + " av " + std::to_string(total) +
           (total == 1 ? " fil" : " filer");
}

// Why a field is marked uncertain, in the words a clerk checks it by.
std::string UncertainText(core::Confidence confidence) {
    switch (confidence) {
        case core::Confidence::kGuessed:
            return "gissat ur texten. Kontrollera mot dokumentet.";
        case core::Confidence::kConflicting:
            return "dokumentet anger olika uppgifter. Kontrollera vilken som gäller.";
        case core::Confidence::kMissing:
            return "hittades inte i dokumentet. Fyll i om det finns.";
        case core::Confidence::kSure:
            break;
    }
    return "";
}

// What a clerk typed in one proposal's form, and what was wrong with it, for the page that
// answers a refused "Godkänn".
struct TypedProposal {
    std::map<std::string, std::string, std::less<>> values;
    bool as_draft = false;
    std::vector<FormError> errors;
};

struct BatchNotice {
    std::size_t accepted_number = 0;  ///< "?godkand=N": the item just accepted
    bool bulk = false;                ///< the answer to "Godkänn alla säkra"
    std::vector<std::pair<std::size_t, std::string>> bulk_refused;  ///< item, why
    std::vector<std::size_t> bulk_accepted;                         ///< the items it accepted
};

// The keys of one field of a proposal (templates/README.md, "importera-falt"): the edit form's
// field (FieldContext) with ids of its own, since a page holds many proposals, and the mark
// of an uncertain value.
mstch::map ProposalField(const Site& site, const ImportItem& item, std::string_view field,
                         const std::string& value, const std::vector<FormError>& errors,
                         bool required) {
    mstch::map context = FieldContext(site.schema, field, value, errors, required);
    const std::string id = "forslag-" + std::to_string(item.number) + "-" + std::string(field);
    std::string hint;
    if (const auto* text = boost::get<std::string>(&context["field_hint"])) hint = *text;
    const bool has_error = std::any_of(errors.begin(), errors.end(),
                                       [field](const FormError& e) { return e.field == field; });
    std::string uncertain;
    if (field != "id") {
        const core::ProposedField& proposed = item.proposal.Field(field);
        if (!proposed.sure()) uncertain = UncertainText(proposed.confidence);
    }
    std::string described_by;
    const auto add = [&described_by](const std::string& part) {
        described_by += (described_by.empty() ? "" : " ") + part;
    };
    if (!uncertain.empty()) add(id + "-osaker");
    if (!hint.empty()) add(id + "-tips");
    if (has_error) add(id + "-fel");
    context["field_id"] = Text(id);
    context["field_hint_id"] = Text(id + "-tips");
    context["field_error_id"] = Text(id + "-fel");
    context["field_uncertain_id"] = Text(id + "-osaker");
    context["field_uncertain"] = Text(uncertain);
    context["field_describedby"] = Text(described_by);
    return context;
}

// The form values a proposal starts from: what the proposer read, owned by the user (as the
// new-document form starts), with the id the batch gave it.
EditForm StartForm(const core::Metadata& start, const ImportItem& item) {
    core::Metadata metadata = item.proposed;
    metadata.owner_email = start.owner_email;
    metadata.owner_body = start.owner_body;
    return FormOf(metadata, "", "");
}

mstch::map ItemContext(const Site& site, const std::string& batch, const ImportItem& item,
                       const core::Metadata& start, const TypedProposal* typed) {
    const std::string url = ItemUrl(batch, item.number);
    mstch::map context{
        {"item_number", Text(std::to_string(item.number))},
        {"item_id", Text("forslag-" + std::to_string(item.number))},
        {"item_file", Text(item.file_name)},
        {"item_waiting",
         item.state == ImportItem::State::kWaiting || item.state == ImportItem::State::kReading},
        {"item_read", item.state == ImportItem::State::kRead},
        {"item_failed", item.state == ImportItem::State::kFailed},
        {"item_accepted", item.state == ImportItem::State::kAccepted},
        {"item_problem", Text(item.problem)},
        {"item_note", Text(item.note)},
        {"item_discard_action", Text(url + "/kasta")},
        {"item_accept_action", Text(url + "/godkann")},
        {"item_document_url",
         Text(DocumentUrl(item.document_id) + (item.accepted_as_draft ? "?draft=1" : ""))},
        {"item_document_id", Text(item.document_id)},
        {"item_as_draft", item.accepted_as_draft},
    };
    if (item.state != ImportItem::State::kRead) return context;

    const EditForm form = StartForm(start, item);
    const std::vector<FormError> no_errors;
    const std::vector<FormError>& errors = typed ? typed->errors : no_errors;
    mstch::array fields;
    std::size_t uncertain = 0;
    for (std::string_view field : kFormFields) {
        std::string value = form.Value(field);
        if (field == "id") value = item.proposed.id;
        if (typed) {
            auto found = typed->values.find(field);
            value = found == typed->values.end() ? std::string() : found->second;
        }
        const bool required = field == "id" || field == "title" || field == "doctype";
        fields.push_back(ProposalField(site, item, field, value, errors, required));
        if (field != "id" && !item.proposal.Field(field).sure()) ++uncertain;
    }
    mstch::array error_items;
    for (const FormError& error : errors) {
        const std::string anchor =
            error.field.empty() ? "" : "forslag-" + std::to_string(item.number) + "-" + error.field;
        error_items.push_back(
            mstch::map{{"error_anchor", Text(anchor)}, {"error_message", Text(error.message)}});
    }
    const bool as_draft = typed ? typed->as_draft : item.proposed.status == core::Status::kDraft;
    context["item_fields"] = fields;
    context["item_has_errors"] = !error_items.empty();
    context["item_errors"] = error_items;
    context["item_all_sure"] = uncertain == 0;
    context["item_uncertain_text"] =
        Text(uncertain == 0   ? "Alla uppgifter är säkra."
             : uncertain == 1 ? "1 uppgift är osäker och markerad nedan."
                              : std::to_string(uncertain) +
                                    " uppgifter är osäkra och markerade "
                                    "nedan.");
    context["item_heading"] =
        Text(item.proposal.title.value.empty() ? item.file_name : item.proposal.title.value);
    context["item_has_image"] = item.has_image;
    context["item_image_url"] = Text(url + "/forsta-sidan.png");
    context["item_image_alt"] = Text("Första sidan av " + item.file_name +
                                     ", som bild. Dokumentets text finns i "
                                     "originalfilen.");
    context["item_preview"] = Text(item.preview);
    context["item_has_preview"] = !item.has_image && !item.preview.empty();
    context["item_no_text"] = !item.has_image && item.preview.empty();
    context["item_status_draft"] = as_draft;
    context["item_status_inforce"] = !as_draft;
    return context;
}

Response UploadPage(const Site& site, const Request& request, ImportBatches& batches,
                    const std::vector<FormError>& errors, int status) {
    const User& user = RequireUser(request);
    mstch::map context = PageContext(site, request, "Importera dokument");
    context["is_import_page"] = true;
    context["max_files"] = Text(std::to_string(batches.limits().max_files));
    context["max_bytes_text"] = Text(MegabytesText(site.config.max_body_bytes));
    context["max_bytes"] = Text(std::to_string(site.config.max_body_bytes));
    context["script_url"] = Text(kScriptUrl);
    mstch::array open;
    for (const ImportBatchView& batch : batches.OfOwner(user.name)) {
        std::size_t waiting = 0;
        for (const ImportItem& item : batch.items) {
            if (item.state == ImportItem::State::kRead) ++waiting;
        }
        open.push_back(mstch::map{
            {"batch_url", Text(BatchUrl(batch.id))},
            {"batch_progress", Text(ProgressText(batch.read, batch.items.size()))},
            {"batch_waiting", Text(std::to_string(waiting))},
        });
    }
    context["has_open"] = !open.empty();
    context["open"] = open;
    mstch::array error_items;
    for (const FormError& error : errors) {
        error_items.push_back(mstch::map{{"error_anchor", Text("falt-filer")},
                                         {"error_message", Text(error.message)}});
    }
    context["has_errors"] = !error_items.empty();
    context["errors"] = error_items;
    std::string joined;
    for (const FormError& error : errors) joined += (joined.empty() ? "" : " ") + error.message;
    context["files_error"] = Text(joined);
    Response response = Page(site, "importera", context, status);
    response.headers.emplace_back("Content-Security-Policy", kPolicyWithScript);
    return response;
}

Response BatchPage(const Site& site, const Request& request, ImportBatches& batches,
                   const std::string& batch_id, const std::map<std::size_t, TypedProposal>& typed,
                   const BatchNotice& notice, int status) {
    const User& user = RequireUser(request);
    const core::Metadata start = NewDocumentOf(site, user);
    std::optional<ImportBatchView> batch = batches.Find(batch_id, user.name);
    if (!batch) throw Error(ErrorCode::kNotFound, "inläsningen finns inte");
    mstch::map context = PageContext(site, request, "Importera dokument");
    context["is_import_page"] = true;
    const std::string url = BatchUrl(batch->id);
    context["batch_url"] = Text(url);
    context["status_url"] = Text(url + "/status");
    context["script_url"] = Text(kScriptUrl);
    context["accept_all_action"] = Text(url + "/godkann-alla");
    context["discard_action"] = Text(url + "/kasta");
    context["total"] = Text(std::to_string(batch->items.size()));
    context["read"] = Text(std::to_string(batch->read));
    context["progress_text"] = Text(ProgressText(batch->read, batch->items.size()));
    context["done"] = batch->done();
    std::size_t sure = 0;
    std::size_t open = 0;
    mstch::array items;
    for (const ImportItem& item : batch->items) {
        if (item.state == ImportItem::State::kRead) {
            ++open;
            if (core::AllSure(item.proposal)) ++sure;
        }
        auto found = typed.find(item.number);
        items.push_back(ItemContext(site, batch->id, item, start,
                                    found == typed.end() ? nullptr : &found->second));
    }
    context["items"] = items;
    context["has_items"] = !batch->items.empty();
    context["open_count"] = Text(std::to_string(open));
    context["has_open"] = open > 0;
    context["sure_count"] = Text(std::to_string(sure));
    context["has_sure"] = sure > 0;

    // The receipt of "Godkänn" or "Godkänn alla säkra".
    mstch::array refused;
    for (const auto& [number, why] : notice.bulk_refused) {
        std::string file;
        for (const ImportItem& item : batch->items) {
            if (item.number == number) file = item.file_name;
        }
        refused.push_back(mstch::map{{"refused_file", Text(file)},
                                     {"refused_anchor", Text("forslag-" + std::to_string(number))},
                                     {"refused_reason", Text(why)}});
    }
    context["has_bulk"] = notice.bulk;
    mstch::array accepted_rows;
    for (std::size_t number : notice.bulk_accepted) {
        for (const ImportItem& item : batch->items) {
            if (item.number != number || item.state != ImportItem::State::kAccepted) continue;
            accepted_rows.push_back(mstch::map{
                {"accepted_row_file", Text(item.file_name)},
                {"accepted_row_url",
                 Text(DocumentUrl(item.document_id) + (item.accepted_as_draft ? "?draft=1" : ""))},
                {"accepted_row_id", Text(item.document_id)},
                {"accepted_row_draft", item.accepted_as_draft},
            });
        }
    }
    context["bulk_accepted_text"] =
        Text(std::to_string(notice.bulk_accepted.size()) + " förslag godkändes.");
    context["has_bulk_accepted"] = !accepted_rows.empty();
    context["bulk_accepted"] = accepted_rows;
    context["has_bulk_refused"] = !refused.empty();
    context["bulk_refused"] = refused;
    context["has_accepted_one"] = false;
    for (const ImportItem& item : batch->items) {
        if (item.number == notice.accepted_number && item.state == ImportItem::State::kAccepted) {
            context["has_accepted_one"] = true;
            context["accepted_file"] = Text(item.file_name);
            context["accepted_url"] =
                Text(DocumentUrl(item.document_id) + (item.accepted_as_draft ? "?draft=1" : ""));
            context["accepted_id"] = Text(item.document_id);
            context["accepted_as_draft"] = item.accepted_as_draft;
        }
    }
    Response response = Page(site, "importera-sats", context, status);
    response.headers.emplace_back("Content-Security-Policy", kPolicyWithScript);
    return response;
}

Response ShowUpload(const Site& site, const Request& request, ImportBatches& batches) {
    NewDocumentOf(site, RequireUser(request));
    return UploadPage(site, request, batches, {}, 200);
}

Response ReceiveUpload(const Site& site, const Request& request, ImportBatches& batches) {
    const User& user = RequireUser(request);
    NewDocumentOf(site, user);
    std::vector<store::Attachment> files;
    std::vector<FormError> errors;
    std::size_t chosen = 0;
    for (const Upload& upload : request.uploads) {
        if (upload.field != "filer" || (upload.filename.empty() && upload.bytes.empty())) continue;
        ++chosen;
    }
    if (chosen == 0) {
        return UploadPage(site, request, batches,
                          {{"filer", "Välj en eller flera filer att läsa in."}}, 400);
    }
    if (chosen > batches.limits().max_files) {
        return UploadPage(
            site, request, batches,
            {{"filer", "Du valde " + std::to_string(chosen) + " filer. Högst " +
                           std::to_string(batches.limits().max_files) +
                           " filer kan läsas in på en gång: dela upp dem på flera inläsningar."}},
            413);
    }
    for (const Upload& upload : request.uploads) {
        if (upload.field != "filer" || (upload.filename.empty() && upload.bytes.empty())) continue;
        const std::string name = PlainName(upload.filename);
        const std::string lower = Lower(name);
        if (lower.ends_with(".doc")) {
            errors.push_back({"filer", "Filen " + name +
                                           " är i Word 97–2003-format (.doc), som inte läses: "
                                           "spara den som DOCX eller PDF."});
        } else if (store::FileKindOf(name) == store::FileKind::kUnknown) {
            errors.push_back({"filer", "Filen " + name +
                                           " kan inte läsas in. Välj PDF-, DOCX-, ODT-, "
                                           "Markdown- eller textfiler."});
        } else if (upload.bytes.empty()) {
            errors.push_back({"filer", "Filen " + name + " är tom."});
        } else {
            files.push_back({name, upload.bytes});
        }
    }
    if (!errors.empty()) return UploadPage(site, request, batches, errors, 400);
    std::string id;
    try {
        id = batches.Create(user.name, std::move(files));
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kConflict) throw;
        return UploadPage(site, request, batches, {{"filer", error.what()}}, kConflictStatus);
    }
    return Redirect(BatchUrl(id));
}

Response ShowBatch(const Site& site, const Request& request, ImportBatches& batches,
                   const std::string& batch) {
    BatchNotice notice;
    if (request.HasParam("godkand")) {
        try {
            notice.accepted_number = ItemNumber(request.Param("godkand"));
        } catch (const Error&) {
            notice.accepted_number = 0;
        }
    }
    return BatchPage(site, request, batches, CheckBatchId(batch), {}, notice, 200);
}

Response Status(const Site& site, const Request& request, ImportBatches& batches,
                const std::string& batch) {
    const User& user = RequireUser(request);
    NewDocumentOf(site, user);
    std::optional<ImportProgress> progress = batches.Progress(CheckBatchId(batch), user.name);
    if (!progress) throw Error(ErrorCode::kNotFound, "inläsningen finns inte");
    std::ostringstream json;
    json << "{\"total\":" << progress->total << ",\"read\":" << progress->read
         << ",\"failed\":" << progress->failed
         << ",\"done\":" << (progress->read == progress->total ? "true" : "false") << ",\"text\":\""
         << ProgressText(progress->read, progress->total) << "\"}";
    return JsonResponse(json.str());
}

Response Image(const Site& site, const Request& request, ImportBatches& batches,
               const std::string& batch, const std::string& number) {
    const User& user = RequireUser(request);
    NewDocumentOf(site, user);
    std::optional<std::filesystem::path> png =
        batches.ImagePath(CheckBatchId(batch), user.name, ItemNumber(number));
    if (!png) throw Error(ErrorCode::kNotFound, "bilden finns inte");
    std::ifstream in(*png, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw Error(ErrorCode::kNotFound, "bilden finns inte");
    Response response;
    response.content_type = "image/png";
    response.body = std::move(bytes).str();
    // Drawn once and never changed; private, since it shows a document not yet published.
    response.cache_control = "private, max-age=86400";
    return response;
}

Response Script(const Site& site) {
    auto found = site.assets.find("importera.js");
    if (found == site.assets.end()) throw Error(ErrorCode::kNotFound, "filen finns inte");
    Response response;
    response.content_type = "text/javascript; charset=utf-8";
    response.body = found->second;
    response.cache_control = "public, max-age=3600";
    return response;
}

// The item as it may be accepted; Error otherwise.
ImportItem AcceptableItem(ImportBatches& batches, const std::string& batch,
                          const std::string& owner, std::size_t number) {
    std::optional<ImportItem> item = batches.Item(batch, owner, number);
    if (!item) throw Error(ErrorCode::kNotFound, "förslaget finns inte");
    if (item->state == ImportItem::State::kAccepted) {
        throw Error(ErrorCode::kConflict, "Förslaget är redan godkänt.");
    }
    if (item->state != ImportItem::State::kRead) {
        throw Error(ErrorCode::kConflict, "Filen är inte läst än. Vänta tills den är läst.");
    }
    return *item;
}

// Checks `metadata` as the new-document form does and saves it with the item's text and
// original, one commit; returns what stopped it (empty: saved, and the item marked accepted).
// `forbidden` is set when the user may not create it at all.
std::vector<FormError> Accept(const Site& site, const User& user, ImportBatches& batches,
                              const std::string& batch, const ImportItem& item,
                              core::Metadata metadata, bool& forbidden, int& status) {
    forbidden = false;
    status = 400;
    SaveCheck check = CheckSave(site, user, std::nullopt, metadata, true);
    if (check.forbidden) {
        forbidden = true;
        status = 403;
        return check.errors;
    }
    if (!check.errors.empty()) return check.errors;
    const std::vector<FormError> id_taken{
        {"id", "Det finns redan ett dokument med det här dokument-id:t."}};
    if (DocumentExists(site, metadata.id)) {
        status = kConflictStatus;
        return id_taken;
    }
    std::optional<ImportBatches::Content> content =
        batches.ContentOf(batch, user.name, item.number);
    if (!content) throw Error(ErrorCode::kNotFound, "förslaget finns inte");
    store::DocumentWrite write;
    write.metadata = metadata;
    write.text = std::move(content->text);
    // A Markdown original is the text itself, as the import takes it.
    if (store::FileKindOf(item.file_name) != store::FileKind::kMarkdown) {
        write.files.push_back({item.file_name, std::move(content->original)});
    }
    write.expected_version = std::string();
    const bool draft = metadata.status == core::Status::kDraft;
    const std::string summary = "Importerad från " + item.file_name;
    try {
        const store::Author author = AuthorOf(user);
        if (draft) {
            site.writer.SaveDraft(std::move(write), author, summary);
        } else {
            site.writer.Save(std::move(write), author, summary);
        }
    } catch (const TextRefused& refused) {
        status = refused.code() == ErrorCode::kTooLarge ? 413 : 400;
        return {{"", std::string("Texten i filen kan inte sparas. ") + refused.what()}};
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion && error.code() != ErrorCode::kConflict) {
            throw;
        }
        status = kConflictStatus;
        return id_taken;
    }
    batches.MarkAccepted(batch, user.name, item.number, metadata.id, draft);
    return {};
}

Response AcceptOne(const Site& site, const Request& request, ImportBatches& batches,
                   const std::string& batch_param, const std::string& number_param) {
    const User& user = RequireUser(request);
    const core::Metadata start = NewDocumentOf(site, user);
    const std::string& batch = CheckBatchId(batch_param);
    const ImportItem item = AcceptableItem(batches, batch, user.name, ItemNumber(number_param));

    TypedProposal typed;
    EditForm form = StartForm(start, item);
    for (std::string_view field : kFormFields) {
        std::string value(core::Trim(request.Field(field)));
        typed.values[std::string(field)] = value;
        form.values[std::string(field)] = std::move(value);
    }
    typed.as_draft = request.Field("status") == "utkast";
    core::Metadata metadata = MetadataOf(form, core::Metadata{}, site.schema, typed.errors);
    metadata.id = form.Value("id");
    metadata.status = typed.as_draft ? core::Status::kDraft : core::Status::kInForce;
    int status = 400;
    if (typed.errors.empty()) {
        bool forbidden = false;
        typed.errors = Accept(site, user, batches, batch, item, metadata, forbidden, status);
    }
    if (!typed.errors.empty()) {
        std::map<std::size_t, TypedProposal> typed_items{{item.number, std::move(typed)}};
        return BatchPage(site, request, batches, batch, typed_items, {}, status);
    }
    return Redirect(BatchUrl(batch) + "?godkand=" + std::to_string(item.number) + "#resultat");
}

Response AcceptAllSure(const Site& site, const Request& request, ImportBatches& batches,
                       const std::string& batch_param) {
    const User& user = RequireUser(request);
    const core::Metadata start = NewDocumentOf(site, user);
    const std::string& batch = CheckBatchId(batch_param);
    std::optional<ImportBatchView> view = batches.Find(batch, user.name);
    if (!view) throw Error(ErrorCode::kNotFound, "inläsningen finns inte");
    BatchNotice notice;
    notice.bulk = true;
    for (const ImportItem& item : view->items) {
        if (item.state != ImportItem::State::kRead || !core::AllSure(item.proposal)) continue;
        core::Metadata metadata = item.proposed;
        metadata.owner_email = start.owner_email;
        metadata.owner_body = start.owner_body;
        bool forbidden = false;
        int status = 400;
        std::vector<FormError> errors =
            Accept(site, user, batches, batch, item, metadata, forbidden, status);
        if (errors.empty()) {
            notice.bulk_accepted.push_back(item.number);
            continue;
        }
        std::string why;
        for (const FormError& error : errors) why += (why.empty() ? "" : " ") + error.message;
        notice.bulk_refused.emplace_back(item.number, why);
    }
    return BatchPage(site, request, batches, batch, {}, notice, 200);
}

Response DiscardOne(const Site& site, const Request& request, ImportBatches& batches,
                    const std::string& batch, const std::string& number) {
    const User& user = RequireUser(request);
    NewDocumentOf(site, user);
    if (!batches.DiscardItem(CheckBatchId(batch), user.name, ItemNumber(number))) {
        throw Error(ErrorCode::kNotFound, "förslaget finns inte");
    }
    return Redirect(BatchUrl(batch));
}

Response DiscardAll(const Site& site, const Request& request, ImportBatches& batches,
                    const std::string& batch) {
    const User& user = RequireUser(request);
    NewDocumentOf(site, user);
    if (!batches.DiscardBatch(CheckBatchId(batch), user.name)) {
        throw Error(ErrorCode::kNotFound, "inläsningen finns inte");
    }
    return Redirect("/importera");
}

}  // namespace

void AddImportRoutes(Router& router, const Site& site, ImportBatches& batches) {
    router.AddWriteForm("/importera", [&site, &batches](const Request& request, const PathParams&) {
        return ShowUpload(site, request, batches);
    });
    router.Add("POST", "/importera", [&site, &batches](const Request& request, const PathParams&) {
        return ReceiveUpload(site, request, batches);
    });
    // Before "/importera/{batch}", which would take it.
    router.Add("GET", kScriptUrl,
               [&site](const Request&, const PathParams&) { return Script(site); });
    router.AddWriteForm("/importera/{batch}",
                        [&site, &batches](const Request& request, const PathParams& p) {
                            return ShowBatch(site, request, batches, p.at("batch"));
                        });
    router.Add("GET", "/importera/{batch}/status",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return Status(site, request, batches, p.at("batch"));
               });
    router.Add("POST", "/importera/{batch}/godkann-alla",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return AcceptAllSure(site, request, batches, p.at("batch"));
               });
    router.Add("POST", "/importera/{batch}/kasta",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return DiscardAll(site, request, batches, p.at("batch"));
               });
    router.Add("GET", "/importera/{batch}/{number}/forsta-sidan.png",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return Image(site, request, batches, p.at("batch"), p.at("number"));
               });
    router.Add("POST", "/importera/{batch}/{number}/godkann",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return AcceptOne(site, request, batches, p.at("batch"), p.at("number"));
               });
    router.Add("POST", "/importera/{batch}/{number}/kasta",
               [&site, &batches](const Request& request, const PathParams& p) {
                   return DiscardOne(site, request, batches, p.at("batch"), p.at("number"));
               });
}

}  // namespace styrdok::server
