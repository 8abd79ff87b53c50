#pragma once

// An object database backend that keeps what is written to it in memory, in the order it
// was written, until it is packed (pack_writer.hpp).

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include <string>
#include <vector>

namespace styrdok::store {

/// One object as git stores it: its id, its type and its content without a header.
struct MemoryObject {
    git_oid id;
    git_object_t type;
    std::string data;
};

/// A new backend; the object database it is added to owns it and frees it with itself.
/// Like libgit2's mempack, but its objects can be taken out (TakeObjects), so that they are
/// packed once, by the store, rather than packed, then read back by libgit2's indexer.
git_odb_backend* NewMemoryOdb();

/// Every object written to `backend` (made by NewMemoryOdb) so far, oldest first; the
/// backend is empty afterwards.
std::vector<MemoryObject> TakeObjects(git_odb_backend* backend);

}  // namespace styrdok::store
