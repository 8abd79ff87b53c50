#pragma once

// Writes objects held in memory to the repository as one pack with its index.

#include <filesystem>
#include <string>
#include <vector>

#include "memory_odb.hpp"

namespace styrdok::store {

/// Writes `objects` (none of them twice) as objects/pack/pack-<hash>.pack and its .idx
/// (pack format 2, index format 2, whole objects without deltas) in the repository whose
/// git folder is `git_dir`, and returns <hash>. Each object is compressed once, on every
/// core, and its content freed once compressed; libgit2's own route (a pack builder, then
/// its indexer, which inflates and hashes every object again) took three times as long.
/// The pack is in place before its index, so that readers see both or neither; a failure
/// leaves only tmp_pack_* or tmp_idx_* files, which FindLeftovers reports. Both files and
/// their folder are synced before it returns, whether or not commits are durable: the
/// branch moves onto the pack's objects next, and a pack lost to a crash after that would
/// leave the branch at a commit that is not there.
std::string WritePack(const std::filesystem::path& git_dir, std::vector<MemoryObject>& objects);

}  // namespace styrdok::store
