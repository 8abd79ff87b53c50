#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace styrdok::reminders {

/// The record of what has been sent, one core::ReminderKey per reminder, kept in a file
/// rewritten atomically (WriteAtomically) after each message, so that it survives a crash or
/// restart. Not thread-safe: one run at a time (Remind takes a lock file).
class ReminderLog {
public:
    /// Reads `file` (missing: nothing sent yet). Throws Error(kInternal) when unreadable.
    explicit ReminderLog(std::filesystem::path file);

    bool Contains(const std::string& key) const { return keys_.count(key) > 0; }

    /// Adds `keys` and writes the file. Throws Error(kInternal) when it cannot be written
    /// (the keys stay unrecorded).
    void Record(const std::vector<std::string>& keys);

private:
    std::filesystem::path file_;
    std::set<std::string> keys_;
};

/// Writes `file` so that it holds either its old or its new bytes after a crash: a temporary
/// file in the same folder, fsync, rename over the old one, fsync of the folder. Throws
/// Error(kInternal).
void WriteAtomically(const std::filesystem::path& file, const std::string& bytes);

}  // namespace styrdok::reminders
