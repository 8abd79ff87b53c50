#include "object_sink.hpp"

#include <git2/sys/odb_backend.h>

#include "git_check.hpp"
#include "loose_writer.hpp"
#include "memory_odb.hpp"
#include "pack_writer.hpp"

namespace styrdok::store {

namespace {

// Above every backend libgit2 installs (loose 1, packs 2), so that writes land here.
constexpr int kMemoryPriority = 999;

}  // namespace

ObjectSink::ObjectSink(git_repository* repo, const std::filesystem::path& path, bool packed)
    : repo_(repo), packed_(packed) {
    git_repository* own = nullptr;
    CheckGit(git_repository_open_ext(&own, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
             "open repository for writing");
    own_.reset(own);
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, own), "object database");
    OdbPtr odb(raw_odb);
    git_odb_backend* memory = NewMemoryOdb();
    int rc = git_odb_add_backend(odb.get(), memory, kMemoryPriority);
    if (rc < 0) {
        memory->free(memory);
        CheckGit(rc, "in-memory object store");
    }
    memory_ = memory;
}

void ObjectSink::Flush() {
    std::vector<MemoryObject> objects = TakeObjects(memory_);
    if (objects.empty()) return;
    if (!packed_) {
        // The Store's handle finds loose objects on disk at its next read.
        WriteLooseObjects(git_repository_path(repo_), objects);
        return;
    }
    WritePack(git_repository_path(repo_), objects);
    // The Store's handle learns of the new pack now rather than on its first miss.
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, repo_), "object database");
    OdbPtr odb(raw_odb);
    CheckGit(git_odb_refresh(odb.get()), "read the new pack");
}

}  // namespace styrdok::store
