#pragma once

// What is wrong with what someone asked of the registry, as a typed value: a code, the field it
// concerns and the figures or names it mentions. Each language renders it from its own table
// (core/src/problem.cpp): English for logs, the CLI and the import report; Swedish for the web
// pages and the JSON API. Callers never match the text.

#include <string>
#include <vector>

namespace styrdok::core {

class Schema;

enum class ProblemCode {
    // Metadata of a document (core::Validate, the JSON and form readers).
    kMetadataXml,              ///< {line, detail}: metadata.xml does not read
    kRequired,                 ///< the field must be filled in
    kRequiredInForce,          ///< the field must be filled in for a document in force
    kBadId,                    ///< {id}
    kUnknownDocType,           ///< {value}
    kUnknownBody,              ///< {value}
    kUnknownGoalArea,          ///< {value}
    kUnknownDocument,          ///< {id}: a reference to a document the registry does not have
    kSelfReference,            ///< {id}: a document that implements or replaces itself
    kBadEmail,                 ///< {value}
    kBadDate,                  ///< {text}
    kBadStatus,                ///< {text}
    kBadBoolean,               ///< {text}
    kNotText,                  ///< the field cannot be given as text (reviews)
    kInFuture,                 ///< {date}
    kValidToBeforeValidFrom,   ///< {valid_to, valid_from}
    kBadParagraph,             ///< {text}
    kParagraphRequired,        ///< {body name}: a political body's decision has a §
    kRegulationMustBePublic,   ///< a kommunal föreskrift in force must be public
    kReviewInFuture,           ///< {date}
    kReviewWithoutBody,        ///< {date}
    kReviewUnknownBody,        ///< {date, body}
    kReviewBadParagraph,       ///< {date, paragraph}
    kReviewParagraphRequired,  ///< {date, body name}
    kReviewBodyNotAbove,       ///< {date, body name, adopting body name}
    // Recording a review decision (core::ApplyReview).
    kDraftNotReviewable,    ///< a draft cannot be reviewed
    kAlreadyRepealed,       ///< the document is already repealed
    kNotInForce,            ///< {state}: only a document in force can be reviewed
    kBodyMayNotDecide,      ///< {body name, adopting body name}
    kReviewBeforeDecision,  ///< {date of the document's decision}
    kUnknownOutcome,        ///< {text}
    kValidToOnlyForRepeal,  ///< a last day is given only when the document is repealed
    // Rights (core/access.hpp).
    kReadOnlyAccount,         ///< the account may read but not change
    kClerkMayNotChangeText,   ///< a clerk changes metadata, not the text of others' documents
    kNotOwner,                ///< the user is not the document's owner
    kNewDocumentMustNameYou,  ///< an owner's new document must name them
    kMayNotTakeOver,          ///< a clerk cannot make themselves a document's owner
    kMayNotRecordReview,      ///< only clerks and admins record review decisions
    kMayNotSetReview,         ///< {field}: review fields change only through a review decision
    kRepealOnlyByDecision,    ///< a repeal is recorded as a decision, not by an edit
};

/// One thing wrong. `field` names a metadata field (or a form field such as "text", "upload"),
/// or is empty for the request as a whole. `params` are the figures and names the message
/// mentions, already in the words a person reads (a body's name, not its id), in the order
/// the code's comment lists them. `message` is the English text, made by MakeProblem.
struct Problem {
    std::string field;
    std::string message;
    ProblemCode code = ProblemCode::kMetadataXml;
    std::vector<std::string> params;

    friend bool operator==(const Problem& a, const Problem& b) {
        return a.code == b.code && a.field == b.field && a.params == b.params &&
               a.message == b.message;
    }
};

/// The problem with its English message.
Problem MakeProblem(ProblemCode code, std::string field, std::vector<std::string> params = {});

/// The problem as one Swedish sentence for a person, with field names as the schema labels
/// them ("Beslutsdatum kan inte ligga i framtiden.").
std::string SwedishText(const Problem& problem, const Schema& schema);

/// The code's stable name in the JSON API ("required", "unknown_body", …).
std::string_view ProblemCodeName(ProblemCode code);

}  // namespace styrdok::core
