#pragma once

// Writes objects held in memory to the repository as loose objects, synced together.

#include <filesystem>
#include <vector>

#include "memory_odb.hpp"

namespace styrdok::store {

/// Writes `objects` as loose objects (objects/<2 hex>/<38 hex>, zlib) in the repository whose
/// git folder is `git_dir`, skipping those already there, and returns once every one of them
/// and its folder entry is on disk. libgit2 syncs each loose object and its folder before the
/// next (two journal commits an object, a dozen for an edit); here every object is written to
/// objects/tmp_object_styrdok_* first and synced, then all are renamed into place and their
/// folders synced, so an edit's objects share two rounds of syncing. Synced whether or not
/// anything else is: the branch moves onto these objects next. A failure leaves at most
/// tmp_object_* files, which FindLeftovers reports, and objects that are whole.
/// Throws Error(kInternal) when a file cannot be written or synced.
void WriteLooseObjects(const std::filesystem::path& git_dir, std::vector<MemoryObject>& objects);

}  // namespace styrdok::store
