// Editing in the browser: the forms to create, revise, restore and repeal documents. Every
// save is one commit through site.writer, authored by the signed-in user with their summary
// as the message. A form carries the version it started from: a save based on a version that
// someone else has replaced since is refused (409) and the form comes back with everything the
// user typed, a notice and a link to the change, so nothing is lost.
#include <algorithm>

#include "../document_writer.hpp"
#include "../render/html.hpp"
#include "../render/labels.hpp"
#include "../render/markdown.hpp"
#include "edit_form.hpp"
#include "new_document.hpp"
#include "page.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/review_decision.hpp"
#include "styrdok/core/validation.hpp"

namespace styrdok::server {

namespace {

constexpr int kConflictStatus = 409;

Response Redirect(const std::string& location) {
    Response response;
    response.status = 303;
    response.headers.emplace_back("Location", location);
    return response;
}

std::string ShortVersion(const std::string& version) { return version.substr(0, 8); }

// The current version of `id` as the request's user may see it; Error(kNotFound) otherwise.
store::Document Current(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    return FindVisibleDocument(site, reader->store, id, SameAsker(request));
}

// What the edit form works on: the document's draft when it has one, so that work on the next
// revision goes on where it was left; else the decided version on main.
struct Editing {
    store::Document base;
    bool is_draft = false;
};

Editing EditingOf(const Site& site, const Request& request, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    if (std::optional<store::Document> draft =
            FindVisibleDraft(reader->store, site.schema, id, SameAsker(request))) {
        return {*std::move(draft), true};
    }
    return {FindVisibleDocument(site, reader->store, id, SameAsker(request)), false};
}

// What the edit page shows around the form.
struct FormView {
    bool is_new = false;
    std::string id;
    std::string title;  ///< the stored title, for the heading
    std::vector<std::string> existing_files;
    bool text_readonly = false;  ///< a clerk on a document they do not own
    bool repealed = false;
    bool may_repeal = false;  ///< a clerk or an admin, who register decisions
    bool is_draft = false;    ///< the form works on the document's draft
    std::optional<std::string> preview_html;
    std::string stale_from;  ///< set when the form was based on a replaced version…
    std::string stale_to;    ///< …by this one
};

FormView ViewOf(const User& user, const store::Document& current) {
    const core::Actor actor = user.Actor();
    FormView view;
    view.id = current.metadata.id;
    view.title = current.metadata.title;
    view.existing_files = current.files;
    view.text_readonly =
        core::WhyNotAllowed(actor, current.metadata, current.metadata, true).has_value();
    view.repealed = current.metadata.status == core::Status::kRepealed;
    view.may_repeal = !core::WhyNotRecordReview(actor).has_value();
    return view;
}

Response EditPage(const Site& site, const Request& request, const EditForm& form,
                  const FormView& view, const std::vector<FormError>& errors, int status) {
    const std::string heading = view.is_new     ? "Nytt dokument"
                                : view.is_draft ? "Redigera utkastet till " + view.title
                                                : "Redigera " + view.title;
    mstch::map context = PageContext(site, request, heading);
    for (auto& [key, value] :
         FormContext(site.schema, form, view.is_new, view.existing_files, errors)) {
        context[key] = value;
    }
    const std::string url = view.is_new ? std::string() : DocumentUrl(view.id);
    context["heading"] = Text(heading);
    context["is_new"] = view.is_new;
    context["is_new_page"] = view.is_new;
    context["form_action"] = Text(view.is_new ? "/nytt" : url + "/redigera");
    context["history_url"] = Text(view.is_new ? "" : url + "/history");
    context["repeal_url"] =
        Text(view.is_new || view.repealed || !view.may_repeal ? "" : url + "/upphav");
    context["text_readonly"] = view.text_readonly;
    context["is_repealed"] = view.repealed;
    context["is_draft"] = view.is_draft;
    context["save_label"] = Text(view.repealed   ? "Spara"
                                 : view.is_draft ? "Anta utkastet som gällande"
                                                 : "Spara som gällande");
    context["document_url"] = Text(view.is_draft && !view.is_new ? url + "?draft=1" : url);
    context["has_preview"] = view.preview_html.has_value();
    context["preview_html"] = Text(view.preview_html.value_or(""));
    context["preview_empty"] = view.preview_html && view.preview_html->empty();
    context["is_stale"] = !view.stale_to.empty();
    context["stale_current_url"] = Text(url);
    context["stale_diff_url"] = Text(
        view.stale_from.empty() ? ""
                                : url + "/diff?from=" + view.stale_from + "&to=" + view.stale_to);
    return Page(site, "redigera", context, status);
}

// The form again, based on the version that replaced the one it started from: saving it once
// more is then a deliberate choice, made after the notice and the link to the change.
Response StalePage(const Site& site, const Request& request, EditForm form, FormView view,
                   const std::vector<FormError>& errors) {
    const Editing editing = EditingOf(site, request, view.id);
    const store::Document& now = editing.base;
    view.is_draft = editing.is_draft;
    view.stale_from = form.base_version;
    view.stale_to = now.version;
    view.existing_files = now.files;
    form.base_version = now.version;
    return EditPage(site, request, form, view, errors, kConflictStatus);
}

// Writes the form: a draft (status utkast) to the document's draft, anything else to main;
// a form that worked on a draft and is saved as decided adopts the draft (after saving what the
// form changed in it). Returns the version written.
std::string WriteForm(const Site& site, const User& user, const std::optional<Editing>& editing,
                      store::DocumentWrite write, const std::string& summary) {
    const store::Author author = AuthorOf(user);
    if (write.metadata.status == core::Status::kDraft) {
        return site.writer.SaveDraft(std::move(write), author, summary);
    }
    if (!editing || !editing->is_draft) return site.writer.Save(std::move(write), author, summary);
    const store::Document& draft = editing->base;
    core::Metadata as_draft = write.metadata;
    as_draft.status = core::Status::kDraft;
    std::string draft_version = draft.version;
    const bool changed = as_draft != draft.metadata || write.text != draft.text ||
                         !write.files.empty() || !write.remove_files.empty();
    const core::Metadata decided = write.metadata;
    if (changed) {
        write.metadata = std::move(as_draft);
        draft_version = site.writer.SaveDraft(std::move(write), author, summary);
    }
    return site.writer.Adopt(decided, draft_version, author, summary);
}

// Checks and saves the form (status and id already in `metadata`), or answers with the form
// and what is wrong with it. `editing` is nullopt for a new document.
Response SaveForm(const Site& site, const Request& request, const User& user,
                  const std::optional<Editing>& editing, EditForm form, core::Metadata metadata,
                  FormView view, std::vector<FormError> errors) {
    const store::Document* current = editing ? &editing->base : nullptr;
    std::vector<std::string> removed;
    if (current) {
        for (const std::string& name : form.remove_files) {
            if (std::find(current->files.begin(), current->files.end(), name) !=
                current->files.end()) {
                removed.push_back(name);
            }
        }
    }
    const bool text_changed =
        !current || form.text != current->text || !form.files.empty() || !removed.empty();
    SaveCheck check =
        CheckSave(site, user, current ? std::optional(current->metadata) : std::nullopt, metadata,
                  text_changed);
    if (check.forbidden) {
        errors.insert(errors.begin(), check.errors.begin(), check.errors.end());
        return EditPage(site, request, form, view, errors, 403);
    }
    for (FormError& error : check.errors) errors.push_back(std::move(error));
    // Last in the summary, as the field is last in the form.
    if (form.summary.empty()) {
        errors.push_back({"summary",
                          "Skriv vad du har ändrat och varför. Det blir versionens beskrivning "
                          "i historiken."});
    }
    if (!errors.empty()) return EditPage(site, request, form, view, errors, 400);
    if (current && form.base_version != current->version) {
        return StalePage(site, request, std::move(form), std::move(view), errors);
    }
    const std::string id_taken = "Det finns redan ett dokument med det här dokument-id:t.";
    if (!current && DocumentExists(site, metadata.id)) {
        return EditPage(site, request, form, view, {{"id", id_taken}}, kConflictStatus);
    }
    const bool draft = metadata.status == core::Status::kDraft;
    store::DocumentWrite write;
    write.metadata = metadata;
    write.text = form.text;
    write.files = form.files;
    write.remove_files = removed;
    write.expected_version = current ? form.base_version : std::string();
    try {
        WriteForm(site, user, editing, std::move(write), form.summary);
    } catch (const TextRefused& refused) {
        return EditPage(site, request, form, view, {{"text", refused.what()}},
                        refused.code() == ErrorCode::kTooLarge ? 413 : 400);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion && error.code() != ErrorCode::kConflict) {
            throw;
        }
        // Someone else saved between the look above and the commit.
        if (!current) {
            return EditPage(site, request, form, view, {{"id", id_taken}}, kConflictStatus);
        }
        return StalePage(site, request, std::move(form), std::move(view), errors);
    }
    return Redirect(DocumentUrl(metadata.id) + (draft ? "?draft=1" : ""));
}

// "preview", "draft" or "save": which of the form's submit buttons was pressed.
std::string ActionOf(const Request& request) { return request.Field("action"); }

Response NewForm(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    const core::Metadata start = NewDocumentOf(site, user);
    FormView view;
    view.is_new = true;
    return EditPage(site, request, FormOf(start, "", ""), view, {}, 200);
}

Response CreateFromForm(const Site& site, const Request& request) {
    const User& user = RequireUser(request);
    // Refused at once for an account that may create nothing, before any upload is read.
    NewDocumentOf(site, user);
    std::vector<FormError> errors;
    EditForm form = ReadForm(request, errors);
    core::Metadata metadata = MetadataOf(form, core::Metadata{}, site.schema, errors);
    metadata.id = form.Value("id");
    FormView view;
    view.is_new = true;
    if (ActionOf(request) == "preview") {
        view.preview_html = RenderDocumentBody(form.text, metadata.title);
        return EditPage(site, request, form, view, errors, 200);
    }
    metadata.status = ActionOf(request) == "draft" ? core::Status::kDraft : core::Status::kInForce;
    return SaveForm(site, request, user, std::nullopt, std::move(form), std::move(metadata),
                    std::move(view), std::move(errors));
}

Response ReviseForm(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    const Editing editing = EditingOf(site, request, id);
    const store::Document& base = editing.base;
    Forbid(site, core::WhyNotAllowed(user.Actor(), base.metadata, base.metadata, false));
    FormView view = ViewOf(user, base);
    view.is_draft = editing.is_draft;
    return EditPage(site, request, FormOf(base.metadata, base.text, base.version), view, {}, 200);
}

Response ReviseFromForm(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    const Editing editing = EditingOf(site, request, id);
    const store::Document& base = editing.base;
    Forbid(site, core::WhyNotAllowed(user.Actor(), base.metadata, base.metadata, false));
    std::vector<FormError> errors;
    EditForm form = ReadForm(request, errors);
    FormView view = ViewOf(user, base);
    view.is_draft = editing.is_draft;
    // The text area is read-only for them; what comes back is the stored text.
    if (view.text_readonly && form.files.empty()) form.text = base.text;
    core::Metadata metadata = MetadataOf(form, base.metadata, site.schema, errors);
    metadata.id = id;
    if (ActionOf(request) == "preview") {
        view.preview_html = RenderDocumentBody(form.text, metadata.title);
        return EditPage(site, request, form, view, errors, 200);
    }
    metadata.status = ActionOf(request) == "draft" ? core::Status::kDraft
                      : view.repealed              ? core::Status::kRepealed
                                                   : core::Status::kInForce;
    return SaveForm(site, request, user, editing, std::move(form), std::move(metadata),
                    std::move(view), std::move(errors));
}

// The button "Kasta utkastet" of a draft's page: the draft goes (its history kept aside).
Response DiscardDraft(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    const Editing editing = EditingOf(site, request, id);
    if (!editing.is_draft) throw Error(ErrorCode::kNotFound, "dokumentet har inget utkast");
    const store::Document& draft = editing.base;
    Forbid(site, core::WhyNotAllowed(user.Actor(), draft.metadata, draft.metadata, true));
    if (request.Field("version") != draft.version) {
        throw Error(ErrorCode::kConflict,
                    "Utkastet har sparats på nytt sedan du öppnade det. Öppna det igen och "
                    "välj på nytt.");
    }
    site.writer.Discard(id, draft.version);
    return Redirect(DocumentUrl(id));
}

Response Restore(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    store::Document current = Current(site, request, id);
    Request asker = SameAsker(request);
    asker.query = {{"version", request.Field("version")}};
    store::DocumentWrite write;
    store::Document old;
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        old = FindVisibleDocument(site, reader->store, id, asker);
        for (const std::string& name : old.files) {
            if (auto bytes = reader->store.ReadFile(id, name, old.version)) {
                write.files.push_back({name, std::move(*bytes)});
            }
        }
    }
    if (old.version == current.version) {
        throw Error(ErrorCode::kBadInput, "Det är redan den senaste versionen av dokumentet.");
    }
    const bool text_changed = old.text != current.text || old.files != current.files;
    Forbid(site, core::WhyNotAllowed(user.Actor(), current.metadata, old.metadata, text_changed));
    std::string problems;
    std::vector<core::Problem> found = core::Validate(old.metadata, site.schema, site.Today());
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (core::Problem& problem : RelationProblems(site, reader->store, old.metadata)) {
            found.push_back(std::move(problem));
        }
    }
    for (const FormError& error : SwedishProblems(found, site.schema)) {
        problems += " " + error.message;
    }
    if (!problems.empty()) {
        throw Error(ErrorCode::kBadInput,
                    "Versionen kan inte återställas som den är, eftersom uppgifterna inte "
                    "stämmer med registrets regler i dag:" +
                        problems + " Redigera dokumentet i stället.");
    }
    const std::string stale =
        "Någon annan har sparat en ny version sedan du öppnade historiken. Öppna historiken "
        "igen och välj versionen på nytt.";
    const std::string based_on = request.Field("current");
    if (!based_on.empty() && based_on != current.version) {
        throw Error(ErrorCode::kConflict, stale);
    }
    for (const std::string& name : current.files) {
        if (std::find(old.files.begin(), old.files.end(), name) == old.files.end()) {
            write.remove_files.push_back(name);
        }
    }
    write.metadata = old.metadata;
    write.metadata.category.clear();
    write.text = old.text;
    write.expected_version = current.version;
    std::string summary = request.Field("summary");
    if (summary.empty()) {
        const std::string when = DateText(old.metadata.decided_on);
        summary = "Återställer versionen " +
                  std::string(when.empty() ? "" : "beslutad " + when + " ") + "(" +
                  ShortVersion(old.version) + ")";
    }
    try {
        site.writer.Save(std::move(write), AuthorOf(user), summary);
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kStaleVersion) throw Error(ErrorCode::kConflict, stale);
        throw;
    }
    return Redirect(DocumentUrl(id) + "/history");
}

// The decision to repeal as typed, for the repeal form.
struct RepealInput {
    std::string decided_by, decided_on, paragraph, dnr, valid_to, summary, version;
};

Response RepealPage(const Site& site, const Request& request, const store::Document& current,
                    const RepealInput& form, const std::vector<FormError>& errors, int status,
                    const std::string& stale_from = {}) {
    mstch::map context = PageContext(site, request, "Upphäv " + current.metadata.title);
    const std::string url = DocumentUrl(current.metadata.id);
    context["title"] = Text(current.metadata.title);
    context["document_url"] = Text(url);
    context["form_action"] = Text(url + "/upphav");
    context["version"] = Text(form.version);
    context["already_repealed"] = current.metadata.status == core::Status::kRepealed;
    const auto field = [&](const char* name, const std::string& value, bool required,
                           std::string_view hint = {}) {
        return FieldContext(site.schema, name, value, errors, required, hint);
    };
    context["fields"] = mstch::array{
        field("decided_by", form.decided_by, true),
        field("decided_on", form.decided_on, true),
        field("paragraph", form.paragraph, false,
              "Till exempel § 67. Krävs när ett politiskt organ har beslutat."),
        field("dnr", form.dnr, false, "Ärendets diarienummer, till exempel KS 2026/0311."),
        field("valid_to", form.valid_to, false,
              "Sista dagen dokumentet gäller. Format: ÅÅÅÅ-MM-DD. Tomt: beslutsdatumet."),
    };
    context["summary_value"] = Text(form.summary);
    context["is_stale"] = !stale_from.empty();
    context["stale_current_url"] = Text(url);
    context["stale_diff_url"] =
        Text(stale_from.empty() ? "" : url + "/diff?from=" + stale_from + "&to=" + form.version);
    AddErrorKeys(context, site.schema, errors);
    return Page(site, "upphav", context, status);
}

Response ShowRepealForm(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    store::Document current = Current(site, request, id);
    Forbid(site, core::WhyNotRecordReview(user.Actor()));
    RepealInput form;
    form.version = current.version;
    return RepealPage(site, request, current, form, {}, 200);
}

// A repeal is a review decision with the outcome upphävs (DOMAIN.md): core::ApplyReview checks
// and applies it, as for the review API and the review form.
Response RepealFromForm(const Site& site, const Request& request, const std::string& id) {
    const User& user = RequireUser(request);
    store::Document current = Current(site, request, id);
    Forbid(site, core::WhyNotRecordReview(user.Actor()));
    RepealInput form{request.Field("decided_by"), request.Field("decided_on"),
                     request.Field("paragraph"),  request.Field("dnr"),
                     request.Field("valid_to"),   request.Field("summary"),
                     request.Field("version")};
    if (current.metadata.status == core::Status::kRepealed) {
        return RepealPage(site, request, current, form, {}, kConflictStatus);
    }
    const core::ReviewDecision decision{form.decided_by, form.decided_on, form.paragraph,
                                        form.dnr,        "upphävs",       form.valid_to};
    core::ReviewChange change =
        core::ApplyReview(current.metadata, decision, site.schema, site.Today());
    if (!change.problems.empty()) {
        return RepealPage(site, request, current, form,
                          ProblemsAtFields(change.problems, site.schema), 400);
    }
    const std::string based_on = form.version;
    if (based_on != current.version) {
        form.version = current.version;
        return RepealPage(site, request, current, form, {}, kConflictStatus, based_on);
    }
    std::string summary = form.summary;
    if (summary.empty()) {
        const core::ReviewRecord& record = change.record;
        summary = "Upphävd genom beslut av " + BodyName(site.schema, record.decided_by) + " " +
                  record.decided_on.ToString() +
                  (record.paragraph.empty() ? "" : " " + record.paragraph);
    }
    store::DocumentWrite write;
    write.metadata = std::move(change.after);
    write.text = current.text;
    write.expected_version = current.version;
    try {
        site.writer.Save(std::move(write), AuthorOf(user), summary);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion) throw;
        store::Document now = Current(site, request, id);
        form.version = now.version;
        return RepealPage(site, request, now, form, {}, kConflictStatus, based_on);
    }
    return Redirect(DocumentUrl(id));
}

}  // namespace

void AddEditPageRoutes(Router& router, const Site& site) {
    router.AddWriteForm("/nytt", [&site](const Request& request, const PathParams&) {
        return NewForm(site, request);
    });
    router.Add("POST", "/nytt", [&site](const Request& request, const PathParams&) {
        return CreateFromForm(site, request);
    });
    router.AddWriteForm("/documents/{id}/redigera",
                        [&site](const Request& request, const PathParams& p) {
                            return ReviseForm(site, request, p.at("id"));
                        });
    router.Add("POST", "/documents/{id}/redigera",
               [&site](const Request& request, const PathParams& p) {
                   return ReviseFromForm(site, request, p.at("id"));
               });
    router.Add("POST", "/documents/{id}/utkast/kasta",
               [&site](const Request& request, const PathParams& p) {
                   return DiscardDraft(site, request, p.at("id"));
               });
    router.Add("POST", "/documents/{id}/aterstall",
               [&site](const Request& request, const PathParams& p) {
                   return Restore(site, request, p.at("id"));
               });
    router.AddWriteForm("/documents/{id}/upphav",
                        [&site](const Request& request, const PathParams& p) {
                            return ShowRepealForm(site, request, p.at("id"));
                        });
    router.Add("POST", "/documents/{id}/upphav",
               [&site](const Request& request, const PathParams& p) {
                   return RepealFromForm(site, request, p.at("id"));
               });
}

}  // namespace styrdok::server
