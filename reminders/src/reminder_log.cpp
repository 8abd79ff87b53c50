#include "reminder_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "styrdok/core/error.hpp"

namespace styrdok::reminders {

namespace {

void SyncPath(const std::filesystem::path& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw Error(ErrorCode::kInternal, "cannot open " + path.string());
    const int result = ::fsync(fd);
    ::close(fd);
    if (result != 0) throw Error(ErrorCode::kInternal, "cannot fsync " + path.string());
}

}  // namespace

void WriteAtomically(const std::filesystem::path& file, const std::string& bytes) {
    std::filesystem::path temporary = file;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << bytes;
        out.flush();
        if (!out) throw Error(ErrorCode::kInternal, "cannot write " + temporary.string());
    }
    SyncPath(temporary, O_RDONLY);
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) throw Error(ErrorCode::kInternal, "cannot replace " + file.string());
    SyncPath(file.parent_path(), O_RDONLY | O_DIRECTORY);
}

ReminderLog::ReminderLog(std::filesystem::path file) : file_(std::move(file)) {
    if (!std::filesystem::exists(file_)) return;
    std::ifstream in(file_);
    if (!in) throw Error(ErrorCode::kInternal, "cannot read " + file_.string());
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') keys_.insert(line);
    }
}

void ReminderLog::Record(const std::vector<std::string>& keys) {
    std::set<std::string> after = keys_;
    after.insert(keys.begin(), keys.end());
    std::string bytes = "# recipient\tdocument\tdue_on\tkind\tround: reminders sent\n";
    for (const std::string& key : after) bytes += key + "\n";
    std::filesystem::create_directories(file_.parent_path());
    WriteAtomically(file_, bytes);
    keys_ = std::move(after);
}

}  // namespace styrdok::reminders
