#include "memory_odb.hpp"

#include <cstring>
#include <new>
#include <unordered_map>

#include "git_check.hpp"

namespace styrdok::store {

namespace {

// libgit2 calls back with a git_odb_backend*: it must be the first member, so that the
// pointer is also the whole backend's.
struct MemoryOdb {
    git_odb_backend parent;
    std::vector<MemoryObject> objects;
    std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> by_id;
};

MemoryOdb& Of(git_odb_backend* backend) { return *reinterpret_cast<MemoryOdb*>(backend); }

const MemoryObject* Find(git_odb_backend* backend, const git_oid* id) {
    MemoryOdb& odb = Of(backend);
    auto found = odb.by_id.find(*id);
    return found == odb.by_id.end() ? nullptr : &odb.objects[found->second];
}

int Read(void** data, std::size_t* size, git_object_t* type, git_odb_backend* backend,
         const git_oid* id) {
    const MemoryObject* object = Find(backend, id);
    if (object == nullptr) return GIT_ENOTFOUND;
    // libgit2 frees what a backend returns: it must come from libgit2's allocator.
    void* copy = git_odb_backend_data_alloc(backend, object->data.size());
    if (copy == nullptr) return GIT_ERROR;
    if (!object->data.empty()) std::memcpy(copy, object->data.data(), object->data.size());
    *data = copy;
    *size = object->data.size();
    *type = object->type;
    return 0;
}

int ReadHeader(std::size_t* size, git_object_t* type, git_odb_backend* backend, const git_oid* id) {
    const MemoryObject* object = Find(backend, id);
    if (object == nullptr) return GIT_ENOTFOUND;
    *size = object->data.size();
    *type = object->type;
    return 0;
}

int Write(git_odb_backend* backend, const git_oid* id, const void* data, std::size_t size,
          git_object_t type) {
    try {
        MemoryOdb& odb = Of(backend);
        auto [at, added] = odb.by_id.emplace(*id, odb.objects.size());
        if (!added) return 0;
        odb.objects.push_back(
            MemoryObject{*id, type, std::string(static_cast<const char*>(data), size)});
        return 0;
    } catch (const std::bad_alloc&) {
        git_error_set_oom();
        return GIT_ERROR;
    }
}

int Exists(git_odb_backend* backend, const git_oid* id) {
    return Find(backend, id) != nullptr ? 1 : 0;
}

void Free(git_odb_backend* backend) { delete &Of(backend); }

}  // namespace

git_odb_backend* NewMemoryOdb() {
    auto* odb = new MemoryOdb{};
    git_odb_init_backend(&odb->parent, GIT_ODB_BACKEND_VERSION);
    odb->parent.read = Read;
    odb->parent.read_header = ReadHeader;
    odb->parent.write = Write;
    odb->parent.exists = Exists;
    odb->parent.free = Free;
    return &odb->parent;
}

std::vector<MemoryObject> TakeObjects(git_odb_backend* backend) {
    MemoryOdb& odb = Of(backend);
    std::vector<MemoryObject> objects = std::move(odb.objects);
    odb.objects.clear();
    odb.by_id.clear();
    return objects;
}

}  // namespace styrdok::store
