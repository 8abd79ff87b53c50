#include "styrdok/core/problem.hpp"

#include <array>
#include <string_view>

#include "styrdok/core/schema.hpp"

namespace styrdok::core {

namespace {

// One row per code: its API name, and its message in English and in Swedish. In a message,
// {0}, {1}, {2} are the problem's params; {field} is the field (its name in English, its
// label from the schema in Swedish), {valid_from} the label of valid_from.
struct Row {
    ProblemCode code;
    std::string_view name;
    std::string_view english;
    std::string_view swedish;
};

constexpr std::array kRows{
    Row{ProblemCode::kMetadataXml, "metadata_xml", "line {0}: {1}",
        "metadata.xml går inte att läsa på rad {0}: {1}"},
    Row{ProblemCode::kRequired, "required", "{field} is missing", "{Field} måste fyllas i."},
    Row{ProblemCode::kRequiredInForce, "required", "{field} is required for a document in force",
        "{Field} måste fyllas i för ett gällande dokument."},
    Row{ProblemCode::kBadId, "bad_id", "id '{0}' is not 1–100 characters of a-z, 0-9 and '-'",
        "Dokument-id får bara innehålla a–z, 0–9 och bindestreck och vara högst 100 tecken "
        "långt."},
    Row{ProblemCode::kUnknownDocType, "unknown_doctype", "unknown doctype '{0}'",
        "Välj en dokumenttyp ur listan."},
    Row{ProblemCode::kUnknownBody, "unknown_body", "{field}: unknown body '{0}'",
        "Organet {0} finns inte i registret. Välj ett organ ur listan."},
    Row{ProblemCode::kUnknownGoalArea, "unknown_goal_area", "unknown goal area '{0}'",
        "Välj målområden ur listan."},
    Row{ProblemCode::kUnknownDocument, "unknown_document", "{field}: no document has the id '{0}'",
        "{Field}: det finns inget dokument med id {0}."},
    Row{ProblemCode::kSelfReference, "self_reference", "{field}: the document names itself ('{0}')",
        "{Field}: dokumentet kan inte hänvisa till sig självt ({0})."},
    Row{ProblemCode::kBadEmail, "bad_email", "{field} '{0}' is not an e-mail address",
        "Skriv en e-postadress, till exempel namn@exempelby.se."},
    Row{ProblemCode::kBadDate, "bad_date", "{field} '{0}' is not a date in the form YYYY-MM-DD",
        "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-11-23."},
    Row{ProblemCode::kBadStatus, "bad_status", "unknown status '{0}' (gällande, upphävd or utkast)",
        "{Field} ska vara gällande, upphävd eller utkast."},
    Row{ProblemCode::kBadBoolean, "bad_boolean", "{field} must be true or false, not '{0}'",
        "{Field} ska vara ja eller nej (true eller false)."},
    Row{ProblemCode::kNotText, "not_text", "{field} cannot be given as text",
        "{Field} kan inte anges som text."},
    Row{ProblemCode::kInFuture, "in_future", "{field} {0} is in the future",
        "{Field} kan inte ligga i framtiden."},
    Row{ProblemCode::kValidToBeforeValidFrom, "valid_to_before_valid_from",
        "valid_to {0} is before valid_from {1}", "{Field} kan inte vara före {valid_from}."},
    Row{ProblemCode::kBadParagraph, "bad_paragraph",
        "{field} '{0}' is not a paragraph number such as '§ 67'",
        "Skriv paragrafen som ett nummer, till exempel § 67."},
    Row{ProblemCode::kParagraphRequired, "paragraph_required",
        "{field} is required when {0} decided",
        "Fyll i paragraf: ett beslut av {0} har en paragraf (§)."},
    Row{ProblemCode::kRegulationMustBePublic, "regulation_must_be_public",
        "a föreskrift in force must be public (kommunallagen 8 kap. 13 §), but public is false",
        "En kommunal föreskrift som gäller måste vara publicerad (kommunallagen 8 kap. 13 §)."},
    Row{ProblemCode::kReviewInFuture, "review_in_future", "review of {0} is in the future",
        "En aktualitetsprövning har ett datum i framtiden ({0})."},
    Row{ProblemCode::kReviewWithoutBody, "review_without_body", "review of {0} names no body",
        "Aktualitetsprövningen {0} saknar beslutande organ."},
    Row{ProblemCode::kReviewUnknownBody, "review_unknown_body", "review of {0}: unknown body '{1}'",
        "Aktualitetsprövningen {0} anger organet {1}, som inte finns i registret."},
    Row{ProblemCode::kReviewBadParagraph, "review_bad_paragraph",
        "review of {0}: paragraph '{1}' is not a paragraph number such as '§ 67'",
        "Aktualitetsprövningen {0} har en paragraf som inte går att läsa: {1}."},
    Row{ProblemCode::kReviewParagraphRequired, "review_paragraph_required",
        "review of {0}: a decision of {1} needs a paragraph",
        "Aktualitetsprövningen {0} saknar paragraf: ett beslut av {1} har en paragraf (§)."},
    Row{ProblemCode::kReviewBodyNotAbove, "review_body_not_above",
        "review of {0}: {1} does not decide for {2}, which adopted the document",
        "En aktualitetsprövning måste göras av organet som antog dokumentet eller ett organ "
        "över det: {1} beslutar inte för {2}."},
    Row{ProblemCode::kDraftNotReviewable, "draft_not_reviewable",
        "a draft cannot be reviewed: it is not decided yet",
        "Ett utkast kan inte aktualitetsprövas: det är inte beslutat ännu."},
    Row{ProblemCode::kAlreadyRepealed, "already_repealed", "the document is already repealed",
        "Dokumentet är redan upphävt."},
    Row{ProblemCode::kNotInForce, "not_in_force", "the document is not in force ({0})",
        "Bara ett gällande dokument kan aktualitetsprövas; det här är {0}."},
    Row{ProblemCode::kBodyMayNotDecide, "body_may_not_decide",
        "{0} does not decide for {1}, which adopted the document",
        "Aktualitetsprövningen ska beslutas av organet som antog dokumentet ({1}) eller ett organ "
        "över det i samma led: {0} står under eller bredvid {1} och beslutar inte för det."},
    Row{ProblemCode::kReviewBeforeDecision, "review_before_decision",
        "the review cannot be decided before the document ({0})",
        "Prövningen kan inte vara beslutad före dokumentet ({0})."},
    Row{ProblemCode::kUnknownOutcome, "unknown_outcome",
        "outcome '{0}' is not one of fortsatt gällande, revideras, upphävs",
        "Välj utfall: fortsatt gällande, revideras eller upphävs."},
    Row{ProblemCode::kValidToOnlyForRepeal, "valid_to_only_for_repeal",
        "a last day in force is given only when the document is repealed",
        "Ange sista giltighetsdag bara när dokumentet upphävs."},
    Row{ProblemCode::kReadOnlyAccount, "read_only_account", "the account may read but not change",
        "Ditt konto får läsa men inte ändra dokument."},
    Row{ProblemCode::kClerkMayNotChangeText, "clerk_may_not_change_text",
        "a clerk may change the metadata but not the text of others' documents",
        "Registratorn får ändra metadata men inte texten i andras dokument."},
    Row{ProblemCode::kNotOwner, "not_owner", "you are not the document's owner",
        "Du är inte dokumentansvarig för det här dokumentet."},
    Row{ProblemCode::kNewDocumentMustNameYou, "new_document_must_name_you",
        "a new document must name you as its owner",
        "Ett nytt dokument måste ha dig som dokumentansvarig."},
    Row{ProblemCode::kMayNotTakeOver, "may_not_take_over",
        "a clerk cannot make themselves the owner of a document",
        "Registratorn kan inte göra sig själv till dokumentansvarig; be en administratör."},
    Row{ProblemCode::kMayNotRecordReview, "may_not_record_review",
        "only clerks and admins record review decisions",
        "Bara registratorer och administratörer kan registrera aktualitetsprövningar."},
    Row{ProblemCode::kMayNotSetReview, "may_not_set_review",
        "{field} changes only through a recorded review decision",
        "{Field} ändras bara när en aktualitetsprövning registreras."},
    Row{ProblemCode::kRepealOnlyByDecision, "repeal_only_by_decision",
        "a repeal is recorded as a decision, through the review API with the outcome upphävs",
        "Ett dokument upphävs genom att beslutet registreras: en registrator använder "
        "Upphäv på dokumentets sida."},
};

const Row& RowOf(ProblemCode code) {
    for (const Row& row : kRows) {
        if (row.code == code) return row;
    }
    return kRows.front();
}

// A label at the start of a sentence begins with a capital letter; the schema's labels do.
std::string Fill(std::string_view pattern, const std::vector<std::string>& params,
                 const std::string& field, const std::string& valid_from) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '{') {
            out += pattern[i];
            continue;
        }
        const std::size_t close = pattern.find('}', i);
        const std::string_view key = pattern.substr(i + 1, close - i - 1);
        if (key == "field" || key == "Field") {
            out += field;
        } else if (key == "valid_from") {
            out += valid_from;
        } else if (key.size() == 1 && key[0] >= '0' && key[0] <= '9') {
            const std::size_t index = static_cast<std::size_t>(key[0] - '0');
            if (index < params.size()) out += params[index];
        }
        i = close;
    }
    return out;
}

}  // namespace

Problem MakeProblem(ProblemCode code, std::string field, std::vector<std::string> params) {
    Problem problem;
    problem.message = Fill(RowOf(code).english, params, field, "valid_from");
    problem.field = std::move(field);
    problem.code = code;
    problem.params = std::move(params);
    return problem;
}

std::string SwedishText(const Problem& problem, const Schema& schema) {
    return Fill(RowOf(problem.code).swedish, problem.params, schema.LabelOf(problem.field),
                schema.LabelOf("valid_from"));
}

std::string_view ProblemCodeName(ProblemCode code) { return RowOf(code).name; }

}  // namespace styrdok::core
