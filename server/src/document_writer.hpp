#pragma once

#include <mutex>
#include <string>

#include "index_keeper.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/server/server.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::server {

/// A text DocumentWriter::Save refuses because it goes beyond core::TextLimits: what() is one
/// Swedish line naming every limit (a form shows it at the text field), code() is kTooLarge
/// for a text over the size limit and kBadInput otherwise.
class TextRefused : public Error {
public:
    using Error::Error;
};

/// The server's one way to change the registry: each save is one commit, authored by the
/// user with their summary as the message, and the index has the new version before Save
/// returns, so the saved version is found by the next search. Saves are serialised; one
/// based on a version that is no longer current is refused (kStaleVersion) and changes
/// nothing. With libgit2's fsync on (Serve turns it on), a version Save returned survives a
/// crash of the process or the machine. Thread-safe.
class DocumentWriter {
public:
    DocumentWriter(RegistryPaths paths, IndexKeeper& keeper);

    /// Commits `write` and brings the index to it; returns the new version (commit id).
    /// Throws TextRefused when the text goes beyond core::TextLimits, unless it is the text the
    /// document already has (stored before the limits: its other fields may still change).
    std::string Save(store::DocumentWrite write, const store::Author& author,
                     const std::string& message);

private:
    RegistryPaths paths_;
    IndexKeeper& keeper_;
    std::mutex mutex_;
    // Kept open: a new handle reads the whole history again (every commit's documents tree,
    // megabytes at 100 000 documents) before it can tell a document's current version.
    store::Store store_;
};

}  // namespace styrdok::server
