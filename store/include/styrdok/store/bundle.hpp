#pragma once

// A repository as one file, a git bundle (git-bundle(5)), for backups: `styrdok backup`
// writes one, `styrdok restore` makes a repository of it, and git itself reads it
// (`git bundle verify`, `git clone`). Written and read with libgit2 alone: the git program
// need not be installed where Styrdok runs.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace styrdok::store {

/// One reference a bundle carries.
struct BundleRef {
    std::string name;    ///< "refs/heads/main", "refs/drafts/<id>", … or "HEAD"
    std::string object;  ///< the object it points at, 40 hex digits
};

/// What the header of a bundle file says, before its pack.
struct BundleHeader {
    int version = 2;  ///< 2 or 3
    /// Objects the pack leaves out because the reader must have them already (a bundle made
    /// with a range); 40 hex digits each. A full bundle, as WriteBundle makes, has none.
    std::vector<std::string> prerequisites;
    std::vector<BundleRef> refs;  ///< in the order of the file, HEAD included when there
    std::size_t pack_offset = 0;  ///< where the pack starts: just past the header's blank line
};

/// Parses the header at the start of `bytes` (a bundle file, or as much of its start as
/// holds the header): the signature ("# v2 git bundle" or "# v3 git bundle"), v3's
/// capabilities (only "@object-format=sha1" is accepted: Styrdok's repositories are SHA-1),
/// prerequisites ("-<id> comment"), references ("<id> <name>") and the blank line that ends
/// it. Throws Error(kBadInput) naming the line for anything else, and when `bytes` ends
/// before the blank line (a truncated file, or too little read). Pure; thread-safe.
BundleHeader ParseBundleHeader(std::string_view bytes);

/// What a bundle holds, as WriteBundle wrote it or RestoreBundle read it.
struct BundleSummary {
    /// Every reference but HEAD, sorted by name.
    std::vector<BundleRef> refs;
    /// The commit refs/heads/main points at; nullopt for an empty repository.
    std::optional<std::string> head;
    std::size_t objects = 0;  ///< objects in the pack
    std::uint64_t bytes = 0;  ///< size of the bundle file
};

/// Writes a bundle of the repository at `repository` to `file`, which must not exist: a v2
/// bundle whose header lists HEAD and every reference under refs/ (main, the drafts, the
/// discarded drafts, Styrdok's own), each as it was at one moment, and whose pack holds
/// every object reachable from them. Safe while a server writes to the repository: the
/// references are read once, under the store's write lock (so between two writes, waiting
/// up to a minute for a running one: Error(kConflict) after that), and the objects they
/// reach never change. The file is written under a temporary name beside `file`, synced and
/// renamed, so `file` exists only when complete. Throws Error(kNotFound) when there is no
/// repository, Error(kConflict) when `file` exists, Error(kInternal) when it cannot read
/// or write.
BundleSummary WriteBundle(const std::filesystem::path& repository,
                          const std::filesystem::path& file);

/// Creates a bare repository at `repository`, which must not exist, from the full bundle
/// `file` (one WriteBundle wrote, or `git bundle create FILE --all`): its pack goes in
/// whole, with an index that libgit2 builds while checking every object's hash, the pack's
/// checksum and that every object the pack's commits and trees name is in it; then each
/// reference is set (HEAD points at refs/heads/main, as in every Styrdok repository).
/// Throws Error(kConflict) when `repository` exists, Error(kBadInput) for a damaged bundle
/// (a header ParseBundleHeader refuses, prerequisites, a truncated or corrupted pack, a
/// reference to an object the pack lacks) and Error(kInternal) when it cannot read or
/// write; `repository` is removed again before it throws.
BundleSummary RestoreBundle(const std::filesystem::path& file,
                            const std::filesystem::path& repository);

/// The SHA-256 of the file's bytes, 64 lowercase hex digits. Throws Error(kInternal) when
/// it cannot be read.
std::string Sha256OfFile(const std::filesystem::path& file);

}  // namespace styrdok::store
