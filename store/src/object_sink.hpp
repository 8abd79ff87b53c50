#pragma once

// Where a write's new objects go before the branch moves.

#include <git2.h>

#include <filesystem>

#include "git_handle.hpp"

namespace styrdok::store {

/// Small writes (the server's edits) go straight to `repo` as loose objects. Large ones
/// (imports) collect in memory on a private repository handle and reach the repository as
/// one pack on Flush (pack_writer.hpp): one file instead of one per object, and nothing at
/// all on disk when the write is refused before Flush.
class ObjectSink {
public:
    /// `repo` is the Store's handle; `path` its repository, opened again when `packed`.
    ObjectSink(git_repository* repo, const std::filesystem::path& path, bool packed);
    ObjectSink(const ObjectSink&) = delete;
    ObjectSink& operator=(const ObjectSink&) = delete;

    /// The handle to write and read the write's objects through; valid while the sink lives.
    git_repository* repo() const { return own_ ? own_.get() : repo_; }

    /// Whether objects wait in memory for Flush (true) or go to disk as they are written.
    bool packed() const { return own_ != nullptr; }

    /// Makes every object written so far part of the repository.
    void Flush();

private:
    git_repository* repo_;
    RepositoryPtr own_;                  ///< null for loose writes
    git_odb_backend* memory_ = nullptr;  ///< owned by own_'s object database
};

}  // namespace styrdok::store
