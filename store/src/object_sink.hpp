#pragma once

// Where a write's new objects go before the branch moves.

#include <git2.h>

#include <filesystem>

#include "git_handle.hpp"

namespace styrdok::store {

/// A write's objects collect in memory on a private repository handle and reach the
/// repository on Flush: small writes (the server's edits) as loose objects synced together
/// (loose_writer.hpp) rather than one after the other, large ones (imports) as one pack
/// (pack_writer.hpp), one file instead of one per object. Nothing at all reaches the disk
/// when the write is refused before Flush.
class ObjectSink {
public:
    /// `repo` is the Store's handle; `path` its repository, opened again for the write.
    ObjectSink(git_repository* repo, const std::filesystem::path& path, bool packed);
    ObjectSink(const ObjectSink&) = delete;
    ObjectSink& operator=(const ObjectSink&) = delete;

    /// The handle to write and read the write's objects through; valid while the sink lives.
    git_repository* repo() const { return own_.get(); }

    /// Whether Flush writes one pack (true) or loose objects.
    bool packed() const { return packed_; }

    /// Makes every object written so far part of the repository, on disk and synced.
    void Flush();

private:
    git_repository* repo_;
    bool packed_;
    RepositoryPtr own_;
    git_odb_backend* memory_ = nullptr;  ///< owned by own_'s object database
};

}  // namespace styrdok::store
