#pragma once

#include <string>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/propose.hpp"
#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// The metadata a proposal becomes when it is taken as it is (`styrdok propose`'s folders,
/// the import page's prefilled form): id `id`, the proposed values, and the status the
/// proposal earns. Every proposed value sure and the result valid (Validate as of `today`):
/// in force (gällande); anything else a draft (utkast), so that nothing guessed is published
/// before a person has looked. A guessed value Validate would refuse in any case (a decision
/// in the future, an end before the start, a paragraph or body that does not read) is left
/// out. Pure; never throws.
Metadata ProposedMetadata(const Proposal& proposal, const std::string& id, const Schema& schema,
                          Date today);

/// True when every field of `proposal` is sure (ProposedField::sure), the missing ones too:
/// what "Godkänn alla säkra" on the import page takes without a person's look.
bool AllSure(const Proposal& proposal);

}  // namespace styrdok::core
