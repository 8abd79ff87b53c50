#include "object_sink.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "git_check.hpp"

namespace styrdok::store {

namespace {

// Above every backend libgit2 installs (loose 1, packs 2), so that writes land here.
constexpr int kMempackPriority = 999;

using BufferGuard = GitPtr<git_buf, git_buf_dispose>;

}  // namespace

ObjectSink::ObjectSink(git_repository* repo, const std::filesystem::path& path, bool packed)
    : repo_(repo) {
    if (!packed) return;
    git_repository* own = nullptr;
    CheckGit(git_repository_open_ext(&own, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
             "open repository for writing");
    own_.reset(own);
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, own), "object database");
    OdbPtr odb(raw_odb);
    CheckGit(git_mempack_new(&mempack_), "in-memory object store");
    int rc = git_odb_add_backend(odb.get(), mempack_, kMempackPriority);
    if (rc < 0) {
        mempack_->free(mempack_);
        mempack_ = nullptr;
    }
    CheckGit(rc, "in-memory object store");
}

void ObjectSink::Flush() {
    if (!own_) return;
    git_buf pack = GIT_BUF_INIT;
    BufferGuard guard(&pack);
    CheckGit(git_mempack_dump(&pack, own_.get(), mempack_), "pack objects");
    // The pack goes in through the Store's own handle, whose object database then knows it
    // without a rescan.
    git_odb* raw_odb = nullptr;
    CheckGit(git_repository_odb(&raw_odb, repo_), "object database");
    OdbPtr odb(raw_odb);
    git_odb_writepack* writer = nullptr;
    CheckGit(git_odb_write_pack(&writer, odb.get(), nullptr, nullptr), "write pack");
    git_indexer_progress progress{};
    int rc = writer->append(writer, pack.ptr, pack.size, &progress);
    if (rc >= 0) rc = writer->commit(writer, &progress);
    writer->free(writer);
    CheckGit(rc, "write pack");
    CheckGit(git_mempack_reset(mempack_), "reset in-memory object store");
}

}  // namespace styrdok::store
