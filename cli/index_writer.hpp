#pragma once

#include <chrono>

#include "registry.hpp"
#include "styrdok/indexer/index.hpp"

namespace styrdok::cli {

/// How long a command waits for the index while another process writes it. A running
/// server holds it only for its syncs, a few milliseconds a commit, but one catching up with
/// a large commit it did not index itself holds it for minutes.
inline constexpr std::chrono::seconds kIndexLockPatience{300};

/// The registry's index, opened for writing. While another process holds it (a running
/// `styrdok serve` that has just seen the commit this command made, or a second import),
/// waits up to `patience`, saying once on standard error why; then throws Error(kConflict)
/// that names what is already committed (`committed`, when not empty) and how it gets indexed.
indexer::Index OpenIndexForWriting(const Registry& registry, const std::string& committed = {},
                                   std::chrono::milliseconds patience = kIndexLockPatience);

}  // namespace styrdok::cli
