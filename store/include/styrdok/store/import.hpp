#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "styrdok/core/date.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store {

/// A document that was not imported, and why.
struct Rejection {
    std::string source;  ///< the file or folder, as given
    std::string reason;  ///< one line per problem, every problem named
};

struct ImportOptions {
    Author author{"Styrdok import", "import@styrdok.invalid"};
    std::string message = "Import";
    bool strict = false;  ///< any rejection aborts the whole import, nothing is written
    core::Date today = *core::Date::FromYmd(1970, 1, 1);  ///< for "decided in the future"
    /// Called now and then with (documents read, documents found); may be empty.
    std::function<void(std::size_t, std::size_t)> progress;
};

struct ImportReport {
    std::size_t documents = 0;  ///< documents imported
    std::size_t versions = 0;   ///< versions written, history and drafts included
    /// Of `documents`, those whose latest versions (status utkast, after the last decided
    /// one) went to their draft, refs/drafts/<id>, rather than to main.
    std::size_t drafts = 0;
    std::size_t unchanged = 0;  ///< documents whose every version the store had already
    std::vector<Rejection> rejected;
    std::optional<std::string> commit;  ///< HEAD after the import; nullopt if main unchanged
};

/// Imports documents into the store (docs/import.md describes the formats). Each source is
///   - a document folder (metadata.xml, text.md or one original file, files/, history/NN/),
///   - a tree whose document folders are found recursively, or
///   - a CSV register (.csv), one row per document, whose `file` column names the original.
/// Every document is read and validated against the schema before anything is written; the
/// accepted ones are written with their history as a chain of commits (one when no document
/// has history), the branch moving once. A document's versions after its last decided one
/// (status utkast) go to its draft, refs/drafts/<id>, a commit each, once main has moved:
/// main holds decided documents only. A document already in the store gets only the
/// versions after the last one it already holds (on main or in its draft), so importing the
/// same folders twice writes nothing the second time. A document with a draft of a new
/// document in the registry and decided versions in the import is rejected. Rejections are
/// reported, not thrown; with `strict`, any rejection means nothing is written. Throws only
/// for a store failure; an import interrupted among the drafts writes the rest when run again.
ImportReport Import(Store& store, const core::Schema& schema,
                    const std::vector<std::filesystem::path>& sources,
                    const ImportOptions& options);

}  // namespace styrdok::store
