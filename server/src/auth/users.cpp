#include "styrdok/server/users.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

void InitSodium() {
    // sodium_init is idempotent and thread-safe; it must run before any other call.
    static const int result = sodium_init();
    if (result < 0) throw Error(ErrorCode::kInternal, "libsodium could not be initialised");
}

// Why `bodies` cannot be stored, or nullopt. Whether each id is in the schema is the caller's
// question; here an id only has to be a word, once.
std::optional<std::string> BodiesProblem(const std::vector<std::string>& bodies) {
    for (auto it = bodies.begin(); it != bodies.end(); ++it) {
        const bool blank = std::any_of(it->begin(), it->end(),
                                       [](unsigned char c) { return c <= ' ' || c == 0x7f; });
        if (it->empty() || blank) return "invalid body id '" + *it + "'";
        if (std::find(bodies.begin(), it, *it) != it) return "body '" + *it + "' given twice";
    }
    return std::nullopt;
}

void CheckPasswordHash(std::string_view hash) {
    if (hash.rfind("$argon2", 0) != 0) {
        throw Error(ErrorCode::kBadInput, "the password hash is not a libsodium hash");
    }
}

// The user named `name`; Error(kNotFound) when there is none.
std::vector<User>::iterator Existing(std::vector<User>& users, std::string_view name) {
    auto it = std::find_if(users.begin(), users.end(),
                           [&](const User& user) { return user.name == name; });
    if (it == users.end()) {
        throw Error(ErrorCode::kNotFound, "there is no user named '" + std::string(name) + "'");
    }
    return it;
}

int LineOf(std::string_view text, std::ptrdiff_t offset) {
    offset = std::clamp<std::ptrdiff_t>(offset, 0, static_cast<std::ptrdiff_t>(text.size()));
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

}  // namespace

bool IsValidUserName(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '@' || c == '-';
    });
}

void WritePrivateFile(const std::filesystem::path& file, std::string_view content) {
    std::filesystem::path temporary = file;
    temporary += ".tmp";
    const auto fail = [&](int fd) {
        if (fd >= 0) ::close(fd);
        ::unlink(temporary.c_str());
        throw Error(ErrorCode::kInternal, "cannot write " + file.string());
    };
    // Created 0600 by open itself: a file made with the umask's mode and narrowed later could
    // be opened by someone else in between, and read once the secrets are written. A
    // temporary file left by a crash may have another mode: fchmod narrows it before writing.
    // O_NOFOLLOW: a link planted in its place is refused, not written through.
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) fail(fd);
    for (std::size_t written = 0; written < content.size();) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(fd);
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail(fd);
    if (::close(fd) != 0) fail(-1);
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    if (error) fail(-1);
}

bool IsPlausibleEmail(std::string_view email) {
    if (email.size() > 254) return false;
    auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    std::string_view domain = email.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) return false;
    return std::none_of(email.begin(), email.end(),
                        [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

std::string HashPassword(std::string_view password) {
    InitSodium();
    if (password.empty()) throw Error(ErrorCode::kBadInput, "the password is empty");
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw Error(ErrorCode::kInternal, "out of memory while hashing the password");
    }
    return std::string(hash.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
    InitSodium();
    std::string terminated(hash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

UserFile UserFile::Load(const std::filesystem::path& file) {
    UserFile result;
    result.file_ = file;
    std::ifstream in(file, std::ios::binary);
    if (!in) return result;
    std::ostringstream content;
    content << in.rdbuf();
    const std::string text = content.str();

    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
    if (!parsed) {
        throw Error(ErrorCode::kBadInput, file.string() + ":" +
                                              std::to_string(LineOf(text, parsed.offset)) + ": " +
                                              parsed.description());
    }
    for (pugi::xml_node node : doc.child("users").children("user")) {
        auto line = std::to_string(LineOf(text, node.offset_debug()));
        auto role = ParseRole(node.attribute("role").value());
        if (!role) throw Error(ErrorCode::kBadInput, file.string() + ":" + line + ": unknown role");
        User user{node.attribute("name").value(),
                  *role,
                  node.attribute("email").value(),
                  node.attribute("password_hash").value(),
                  {}};
        if (!IsValidUserName(user.name)) {
            throw Error(ErrorCode::kBadInput, file.string() + ":" + line + ": invalid user name");
        }
        for (pugi::xml_node body : node.children("body")) {
            user.bodies.emplace_back(body.text().get());
        }
        if (auto problem = BodiesProblem(user.bodies)) {
            throw Error(ErrorCode::kBadInput, file.string() + ":" + line + ": " + *problem);
        }
        result.users_.push_back(std::move(user));
    }
    return result;
}

const User* UserFile::Find(std::string_view name) const {
    auto it = std::find_if(users_.begin(), users_.end(),
                           [&](const User& user) { return user.name == name; });
    return it == users_.end() ? nullptr : &*it;
}

void UserFile::Add(User user) {
    if (!IsValidUserName(user.name)) {
        throw Error(ErrorCode::kBadInput,
                    "invalid user name '" + user.name + "': use 1-64 of A-Z a-z 0-9 . _ @ -");
    }
    if (!user.email.empty() && !IsPlausibleEmail(user.email)) {
        throw Error(ErrorCode::kBadInput, "invalid e-mail address '" + user.email + "'");
    }
    CheckPasswordHash(user.password_hash);
    if (auto problem = BodiesProblem(user.bodies)) throw Error(ErrorCode::kBadInput, *problem);
    if (Find(user.name) != nullptr) {
        throw Error(ErrorCode::kConflict, "a user named '" + user.name + "' exists already");
    }
    users_.push_back(std::move(user));
}

void UserFile::Remove(std::string_view name) { users_.erase(Existing(users_, name)); }

void UserFile::SetPasswordHash(std::string_view name, std::string hash) {
    CheckPasswordHash(hash);
    Existing(users_, name)->password_hash = std::move(hash);
}

void UserFile::Save() const {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("users");
    for (const User& user : users_) {
        pugi::xml_node node = root.append_child("user");
        node.append_attribute("name") = user.name.c_str();
        node.append_attribute("role") = std::string(RoleName(user.role)).c_str();
        node.append_attribute("email") = user.email.c_str();
        node.append_attribute("password_hash") = user.password_hash.c_str();
        for (const std::string& body : user.bodies) {
            node.append_child("body").text().set(body.c_str());
        }
    }
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    WritePrivateFile(file_, out.str());
}

}  // namespace styrdok::server
