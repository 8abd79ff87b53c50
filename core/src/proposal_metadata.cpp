#include "styrdok/core/proposal_metadata.hpp"

#include "styrdok/core/validation.hpp"

namespace styrdok::core {

Metadata ProposedMetadata(const Proposal& proposal, const std::string& id, const Schema& schema,
                          Date today) {
    Metadata m;
    m.id = id;
    m.title = proposal.title.value;
    m.doctype = proposal.doctype.value;
    m.decided_by = proposal.decided_by.value;
    m.decided_on = Date::Parse(proposal.decided_on.value);
    m.paragraph = proposal.paragraph.value;
    m.dnr = proposal.dnr.value;
    m.owner = proposal.owner.value;
    m.valid_from = Date::Parse(proposal.valid_from.value);
    m.valid_to = Date::Parse(proposal.valid_to.value);
    bool all_sure = true;
    for (std::string_view field : kProposedFields) {
        const ProposedField& proposed = proposal.Field(field);
        if (!proposed.value.empty() && !proposed.sure()) all_sure = false;
    }
    m.status = all_sure ? Status::kInForce : Status::kDraft;
    if (m.status == Status::kInForce && !Validate(m, schema, today).empty()) {
        m.status = Status::kDraft;
    }
    for (const Problem& problem : Validate(m, schema, today)) {
        if (problem.field == "decided_on") m.decided_on.reset();
        if (problem.field == "valid_to") m.valid_to.reset();
        if (problem.field == "paragraph") m.paragraph.clear();
        if (problem.field == "decided_by") m.decided_by.clear();
    }
    return m;
}

bool AllSure(const Proposal& proposal) {
    for (std::string_view field : kProposedFields) {
        if (!proposal.Field(field).sure()) return false;
    }
    return true;
}

}  // namespace styrdok::core
