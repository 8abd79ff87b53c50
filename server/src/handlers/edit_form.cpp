#include "edit_form.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <sstream>

#include "../render/labels.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_fields.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"

namespace styrdok::server {

namespace {

enum class Kind { kText, kEmail, kDate, kDocType, kBody, kGoalAreas, kPublic, kTextarea };

struct FieldSpec {
    std::string_view name;
    Kind kind;
    std::string_view hint;
};

struct Group {
    std::string_view legend;
    std::vector<FieldSpec> fields;
};

constexpr std::string_view kDateHint = "Format: ÅÅÅÅ-MM-DD.";

// The form's groups, in the order a clerk reads a decision: what the document is, the
// decision, who answers for it, and how it is linked and followed up.
const std::vector<Group>& Groups() {
    static const std::vector<Group> groups{
        {"Dokumentet",
         {{"id", Kind::kText,
           "Blir en del av dokumentets adress och kan inte ändras senare. Bara a–z, 0–9 och "
           "bindestreck, till exempel arbetsmiljopolicy."},
          {"title", Kind::kText, ""},
          {"doctype", Kind::kDocType, ""},
          {"applies_to", Kind::kText, "Till exempel Alla förvaltningar och bolag."},
          {"keywords", Kind::kText, "Skilj orden åt med kommatecken."},
          {"goal_areas", Kind::kGoalAreas, ""},
          {"public", Kind::kPublic,
           "Ett utkast visas aldrig för allmänheten, vad som än väljs här."}}},
        {"Beslut",
         {{"decided_by", Kind::kBody, ""},
          {"decided_on", Kind::kDate, kDateHint},
          {"paragraph", Kind::kText, "Till exempel § 67."},
          {"dnr", Kind::kText, "Som i diariet, till exempel KS 2021/0123."},
          {"valid_from", Kind::kDate, "Format: ÅÅÅÅ-MM-DD. Tomt: från beslutsdatumet."},
          {"valid_to", Kind::kDate, "Format: ÅÅÅÅ-MM-DD. Tomt: tills vidare."}}},
        {"Ansvar",
         {{"owner", Kind::kText, "En roll eller en person, till exempel HR-chef."},
          {"owner_email", Kind::kEmail, ""},
          {"owner_body", Kind::kBody, ""}}},
        {"Kopplingar och uppföljning",
         {{"implements", Kind::kText,
           "Dokument-id för det eller de dokument som det här genomför, till exempel "
           "kommunprogram-2023. Skilj flera åt med kommatecken."},
          {"replaces", Kind::kText,
           "Dokument-id för det eller de dokument som det här ersätter. Skilj flera åt med "
           "kommatecken."},
          {"related", Kind::kText, "Dokument-id, åtskilda med kommatecken."},
          {"review_due", Kind::kDate,
           "Format: ÅÅÅÅ-MM-DD. Bara när ett beslut anger ett annat datum än det beräknade."},
          {"changes", Kind::kTextarea, ""}}},
    };
    return groups;
}

const FieldSpec* FindSpec(std::string_view field) {
    for (const Group& group : Groups()) {
        for (const FieldSpec& spec : group.fields) {
            if (spec.name == field) return &spec;
        }
    }
    return nullptr;
}

std::string Trimmed(std::string_view text) { return std::string(core::Trim(text)); }

// Browsers send a text area's line breaks as CRLF; the registry keeps LF.
std::string WithLf(std::string text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        out += text[i];
    }
    return out;
}

std::string Joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::vector<std::string> Split(std::string_view text, std::string_view separators) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(separators, start);
        if (end == std::string_view::npos) end = text.size();
        std::string item = Trimmed(text.substr(start, end - start));
        if (!item.empty()) items.push_back(std::move(item));
        start = end + 1;
    }
    return items;
}

std::string Base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::optional<std::string> FromBase64(const std::string& text) {
    try {
        std::istringstream in(text);
        Poco::Base64Decoder decoder(in);
        std::ostringstream out;
        out << decoder.rdbuf();
        return out.str();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

// The last part of a browser's file name, made a name the store accepts.
std::string PlainFileName(std::string_view name) {
    if (std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
        name.remove_prefix(slash + 1);
    }
    while (!name.empty() && name.front() == '.') name.remove_prefix(1);
    std::string plain = Trimmed(name);
    if (plain.size() > 200) plain = plain.substr(plain.size() - 200);
    return plain.empty() ? "fil" : plain;
}

void KeepFile(std::vector<store::Attachment>& files, store::Attachment file) {
    std::erase_if(files, [&file](const store::Attachment& f) { return f.name == file.name; });
    files.push_back(std::move(file));
}

// The text of an uploaded original, or nullopt with the reason in `errors`.
std::optional<std::string> UploadText(const std::string& name, const std::string& bytes,
                                      std::vector<FormError>& errors) {
    const store::FileKind kind = store::FileKindOf(name);
    if (kind != store::FileKind::kPdf && kind != store::FileKind::kDocx &&
        kind != store::FileKind::kOdt) {
        errors.push_back({"upload", "Filen " + name +
                                        " kan inte laddas upp. Välj en PDF-, DOCX- eller "
                                        "ODT-fil."});
        return std::nullopt;
    }
    try {
        return store::ExtractText(kind, bytes);
    } catch (const Error& error) {
        // Every refusal, a busy server's too, is a Swedish sentence naming the problem; the
        // form comes back with it and with everything typed.
        if (error.code() == ErrorCode::kInternal) throw;
        errors.push_back({"upload", "Texten i " + name + " gick inte att läsa. " + error.what()});
        return std::nullopt;
    }
}

mstch::map Option(const std::string& value, const std::string& label, bool selected,
                  const std::string& id = {}) {
    return mstch::map{{"option_value", Text(value)},
                      {"option_label", Text(label)},
                      {"option_selected", selected},
                      {"option_id", Text(id)}};
}

mstch::array OptionsOf(const core::Schema& schema, Kind kind, const std::string& value,
                       const std::string& anchor) {
    mstch::array options;
    switch (kind) {
        case Kind::kDocType:
            options.push_back(Option("", "Välj dokumenttyp", value.empty()));
            for (const core::DocType& type : schema.doctypes()) {
                options.push_back(Option(type.id, type.label, type.id == value));
            }
            break;
        case Kind::kBody:
            options.push_back(Option("", "Inget valt", value.empty()));
            for (const core::Body& body : schema.bodies()) {
                options.push_back(Option(body.id, body.name, body.id == value));
            }
            break;
        case Kind::kPublic:
            options.push_back(Option("", "Enligt dokumenttypen", value.empty()));
            options.push_back(Option("true", "Ja, publicerad", value == "true"));
            options.push_back(Option("false", "Nej, inte publicerad", value == "false"));
            break;
        case Kind::kGoalAreas: {
            const std::vector<std::string> ticked = Split(value, ",");
            for (const core::GoalArea& area : schema.goal_areas()) {
                options.push_back(
                    Option(area.id, area.name,
                           std::find(ticked.begin(), ticked.end(), area.id) != ticked.end(),
                           anchor + "-" + area.id));
            }
            break;
        }
        default:
            break;
    }
    return options;
}

// Required of a document of the chosen doctype in force (the schema's list when none is
// chosen yet).
bool IsRequired(const core::Schema& schema, std::string_view doctype, std::string_view field) {
    if (field == "id" || field == "title" || field == "doctype") return true;
    const auto& required = schema.RequiredFieldsOf(doctype);
    return std::find(required.begin(), required.end(), field) != required.end();
}

std::string ErrorOf(const std::vector<FormError>& errors, std::string_view field) {
    std::string message;
    for (const FormError& error : errors) {
        if (error.field == field) message += (message.empty() ? "" : " ") + error.message;
    }
    return message;
}

}  // namespace

const std::string& EditForm::Value(std::string_view field) const {
    static const std::string empty;
    auto found = values.find(field);
    return found == values.end() ? empty : found->second;
}

EditForm FormOf(const core::Metadata& m, const std::string& text, const std::string& version) {
    EditForm form;
    for (const Group& group : Groups()) {
        for (const FieldSpec& spec : group.fields) {
            if (const core::MetadataField* field = core::FindMetadataField(spec.name)) {
                form.values[std::string(spec.name)] = core::FieldText(m, *field, ", ");
            }
        }
    }
    form.goal_areas = m.goal_areas;
    form.text = text;
    form.base_version = version;
    return form;
}

EditForm ReadForm(const Request& request, std::vector<FormError>& errors) {
    EditForm form;
    for (const Group& group : Groups()) {
        for (const FieldSpec& spec : group.fields) {
            if (spec.kind == Kind::kGoalAreas) continue;
            std::string value = request.Field(spec.name);
            form.values[std::string(spec.name)] =
                spec.kind == Kind::kTextarea ? WithLf(std::move(value)) : Trimmed(value);
        }
    }
    for (const std::string& area : request.Fields("goal_areas")) {
        if (!area.empty()) form.goal_areas.push_back(area);
    }
    form.text = WithLf(request.Field("text"));
    form.summary = Trimmed(WithLf(request.Field("summary")));
    form.base_version = request.Field("version");
    form.remove_files = request.Fields("remove_file");

    // Uploads of an earlier preview come back as hidden fields.
    const std::vector<std::string> kept_names = request.Fields("kept_name");
    const std::vector<std::string> kept_data = request.Fields("kept_data");
    for (std::size_t i = 0; i < kept_names.size() && i < kept_data.size(); ++i) {
        std::optional<std::string> bytes = FromBase64(kept_data[i]);
        if (!bytes) {
            errors.push_back(
                {"upload", "Filen " + kept_names[i] + " följde inte med. Ladda upp den igen."});
            continue;
        }
        KeepFile(form.files, {PlainFileName(kept_names[i]), std::move(*bytes)});
    }
    std::string extracted;
    for (const Upload& upload : request.uploads) {
        if (upload.field != "upload" || (upload.filename.empty() && upload.bytes.empty())) {
            continue;
        }
        const std::string name = PlainFileName(upload.filename);
        std::optional<std::string> text = UploadText(name, upload.bytes, errors);
        if (!text) continue;
        if (!core::Trim(*text).empty()) extracted += (extracted.empty() ? "" : "\n") + *text;
        KeepFile(form.files, {name, upload.bytes});
    }
    if (core::Trim(form.text).empty() && !extracted.empty()) form.text = extracted;
    // A carried upload ticked for removal is simply not carried on.
    std::erase_if(form.files, [&form](const store::Attachment& file) {
        return std::find(form.remove_files.begin(), form.remove_files.end(), file.name) !=
               form.remove_files.end();
    });
    return form;
}

core::Metadata MetadataOf(const EditForm& form, const core::Metadata& base,
                          const core::Schema& schema, std::vector<FormError>& errors) {
    core::Metadata m = base;
    for (const Group& group : Groups()) {
        for (const FieldSpec& spec : group.fields) {
            // The id is the caller's to decide; goal areas are ticked boxes, not text.
            if (spec.name == "id" || spec.kind == Kind::kGoalAreas) continue;
            const core::MetadataField* field = core::FindMetadataField(spec.name);
            if (field == nullptr) continue;
            // Ids of related documents are often pasted one a line.
            const bool ids =
                spec.name == "related" || spec.name == "implements" || spec.name == "replaces";
            const std::string_view separators = ids ? ", \t\n" : ",";
            if (auto problem = core::SetFieldText(m, *field, form.Value(spec.name), separators)) {
                errors.push_back({std::string(spec.name), core::SwedishText(*problem, schema)});
            }
        }
    }
    m.goal_areas = form.goal_areas;
    return m;
}

std::vector<FormError> SwedishProblems(const std::vector<core::Problem>& problems,
                                       const core::Schema& schema) {
    std::vector<FormError> errors;
    for (const core::Problem& problem : problems) {
        // Reviews are recorded elsewhere; the form shows their problems at the top only.
        const std::string field = FindSpec(problem.field) ? problem.field : "";
        errors.push_back({field, core::SwedishText(problem, schema)});
    }
    return errors;
}

std::vector<FormError> ProblemsAtFields(const std::vector<core::Problem>& problems,
                                        const core::Schema& schema) {
    std::vector<FormError> errors;
    for (const core::Problem& problem : problems) {
        errors.push_back({problem.field, core::SwedishText(problem, schema)});
    }
    return errors;
}

std::string FieldAnchor(const core::Schema& schema, std::string_view field) {
    if (field.empty()) return {};
    std::string anchor = "falt-" + std::string(field);
    // A group of check boxes is reached through its first box.
    if (field == "goal_areas" && !schema.goal_areas().empty()) {
        anchor += "-" + schema.goal_areas().front().id;
    }
    return anchor;
}

mstch::map FieldContext(const core::Schema& schema, std::string_view field,
                        const std::string& value, const std::vector<FormError>& errors,
                        bool required, std::string_view hint) {
    const FieldSpec* spec = FindSpec(field);
    const Kind kind = spec ? spec->kind : Kind::kText;
    if (hint.empty() && spec) hint = spec->hint;
    const std::string id = "falt-" + std::string(field);
    const std::string error = ErrorOf(errors, field);
    std::string described_by;
    if (!hint.empty()) described_by = id + "-tips";
    if (!error.empty()) described_by += (described_by.empty() ? "" : " ") + id + "-fel";
    const bool is_select = kind == Kind::kDocType || kind == Kind::kBody || kind == Kind::kPublic;
    return mstch::map{
        {"field_name", Text(std::string(field))},
        {"field_id", Text(id)},
        {"field_label", Text(schema.LabelOf(field))},
        {"field_required", required},
        {"field_value", Text(value)},
        {"field_hint", Text(std::string(hint))},
        {"field_hint_id", Text(id + "-tips")},
        {"field_error", Text(error)},
        {"field_error_id", Text(id + "-fel")},
        {"field_describedby", Text(described_by)},
        {"is_text", kind == Kind::kText},
        {"is_email", kind == Kind::kEmail},
        {"is_date", kind == Kind::kDate},
        {"is_select", is_select},
        {"is_checkboxes", kind == Kind::kGoalAreas},
        {"is_textarea", kind == Kind::kTextarea},
        {"field_options", OptionsOf(schema, kind, value, id)},
    };
}

void AddErrorKeys(mstch::map& context, const core::Schema& schema,
                  const std::vector<FormError>& errors) {
    mstch::array items;
    for (const FormError& error : errors) {
        items.push_back(mstch::map{{"error_anchor", Text(FieldAnchor(schema, error.field))},
                                   {"error_message", Text(error.message)}});
    }
    context["has_errors"] = !items.empty();
    context["errors"] = items;
    for (const char* field : {"text", "summary", "upload"}) {
        context[std::string(field) + "_error"] = Text(ErrorOf(errors, field));
    }
}

mstch::map FormContext(const core::Schema& schema, const EditForm& form, bool is_new,
                       const std::vector<std::string>& existing_files,
                       const std::vector<FormError>& errors) {
    mstch::array groups;
    for (const Group& group : Groups()) {
        mstch::array fields;
        for (const FieldSpec& spec : group.fields) {
            if (spec.name == "id" && !is_new) continue;
            const std::string value =
                spec.kind == Kind::kGoalAreas ? Joined(form.goal_areas) : form.Value(spec.name);
            fields.push_back(FieldContext(schema, spec.name, value, errors,
                                          IsRequired(schema, form.Value("doctype"), spec.name)));
        }
        groups.push_back(
            mstch::map{{"legend", Text(std::string(group.legend))}, {"group_fields", fields}});
    }
    mstch::map context{
        {"groups", groups},
        {"text_value", Text(form.text)},
        {"summary_value", Text(form.summary)},
        {"version", Text(form.base_version)},
    };
    mstch::array files;
    for (const std::string& name : existing_files) {
        const bool replaced = std::any_of(form.files.begin(), form.files.end(),
                                          [&name](const auto& f) { return f.name == name; });
        if (replaced) continue;
        const bool ticked = std::find(form.remove_files.begin(), form.remove_files.end(), name) !=
                            form.remove_files.end();
        files.push_back(mstch::map{{"file_name", Text(name)},
                                   {"file_id", Text("fil-" + std::to_string(files.size()))},
                                   {"file_removed", ticked},
                                   {"file_is_new", false},
                                   {"file_data", Text("")}});
    }
    for (const store::Attachment& file : form.files) {
        files.push_back(mstch::map{{"file_name", Text(file.name)},
                                   {"file_id", Text("fil-" + std::to_string(files.size()))},
                                   {"file_removed", false},
                                   {"file_is_new", true},
                                   {"file_data", Text(Base64(file.content))}});
    }
    context["has_files"] = !files.empty();
    context["files"] = files;
    AddErrorKeys(context, schema, errors);
    return context;
}

}  // namespace styrdok::server
