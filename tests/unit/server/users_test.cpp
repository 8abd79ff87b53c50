#include "styrdok/server/users.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::server {
namespace {

/// One real hash for the tests that only need a valid one (hashing takes a while on purpose).
const std::string& SomeHash() {
    static const std::string hash = HashPassword("ett långt lösenord");
    return hash;
}

// The same helper lives in store_test.cpp and index_test.cpp; it belongs in tests/support.
ErrorCode CodeOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.code();
    }
    ADD_FAILURE() << "no styrdok::Error thrown";
    return ErrorCode::kInternal;
}

TEST(UserFile, AMissingFileIsAnEmptyList) {
    testing::Sandbox sandbox;
    UserFile users = UserFile::Load(sandbox / "users.xml");
    EXPECT_TRUE(users.users().empty());
    EXPECT_EQ(users.Find("anna"), nullptr);
}

TEST(UserFile, KeepsUsersAndTheirBodiesThroughSaveAndLoad) {
    testing::Sandbox sandbox;
    const auto file = sandbox / "users.xml";
    {
        UserFile users = UserFile::Load(file);
        users.Add({"anna", Role::kOwner, "anna@exempelby.se", SomeHash(), {"bun", "ks"}});
        users.Add({"bertil", Role::kClerk, "", SomeHash(), {}});
        users.Save();
    }
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    EXPECT_FALSE(std::filesystem::exists(sandbox / "users.xml.tmp"));
    const std::string text = testing::ReadFile(file);
    EXPECT_NE(text.find("<body>bun</body>"), std::string::npos) << text;

    UserFile users = UserFile::Load(file);
    ASSERT_EQ(users.users().size(), 2u);
    const User* anna = users.Find("anna");
    ASSERT_NE(anna, nullptr);
    EXPECT_EQ(anna->role, Role::kOwner);
    EXPECT_EQ(anna->email, "anna@exempelby.se");
    EXPECT_EQ(anna->password_hash, SomeHash());
    EXPECT_EQ(anna->bodies, (std::vector<std::string>{"bun", "ks"}));
    const User* bertil = users.Find("bertil");
    ASSERT_NE(bertil, nullptr);
    EXPECT_EQ(bertil->role, Role::kClerk);
    EXPECT_TRUE(bertil->bodies.empty());
    EXPECT_EQ(users.Find("Anna"), nullptr);
}

TEST(UserFile, LoadsAFileWrittenBeforeBodiesExisted) {
    testing::Sandbox sandbox;
    UserFile users = UserFile::Load(
        sandbox.Write("users.xml",
                      "<users>\n  <user name=\"anna\" role=\"admin\" email=\"anna@exempelby.se\" "
                      "password_hash=\"" +
                          SomeHash() + "\"/>\n</users>\n"));
    ASSERT_NE(users.Find("anna"), nullptr);
    EXPECT_EQ(users.Find("anna")->role, Role::kAdmin);
    EXPECT_TRUE(users.Find("anna")->bodies.empty());
}

TEST(UserFile, RemovesAUserAndKeepsTheOthers) {
    testing::Sandbox sandbox;
    const auto file = sandbox / "users.xml";
    UserFile users = UserFile::Load(file);
    users.Add({"anna", Role::kOwner, "", SomeHash(), {"bun"}});
    users.Add({"bertil", Role::kReader, "", SomeHash(), {}});
    users.Remove("anna");
    users.Save();

    UserFile loaded = UserFile::Load(file);
    EXPECT_EQ(loaded.Find("anna"), nullptr);
    EXPECT_NE(loaded.Find("bertil"), nullptr);
    EXPECT_EQ(CodeOf([&] { loaded.Remove("anna"); }), ErrorCode::kNotFound);
    EXPECT_EQ(loaded.users().size(), 1u);
}

TEST(UserFile, ANewPasswordHashVerifiesTheNewPasswordOnly) {
    testing::Sandbox sandbox;
    const auto file = sandbox / "users.xml";
    UserFile users = UserFile::Load(file);
    users.Add(
        {"anna", Role::kOwner, "anna@exempelby.se", HashPassword("det gamla lösenordet"), {"bun"}});
    users.SetPasswordHash("anna", HashPassword("det nya lösenordet"));
    users.Save();

    const UserFile loaded = UserFile::Load(file);
    const User* anna = loaded.Find("anna");
    ASSERT_NE(anna, nullptr);
    EXPECT_TRUE(VerifyPassword(anna->password_hash, "det nya lösenordet"));
    EXPECT_FALSE(VerifyPassword(anna->password_hash, "det gamla lösenordet"));
    EXPECT_EQ(anna->bodies, std::vector<std::string>{"bun"});
    EXPECT_EQ(anna->email, "anna@exempelby.se");
}

TEST(UserFile, SetPasswordHashRefusesAnUnknownUserAndAnythingButAHash) {
    testing::Sandbox sandbox;
    UserFile users = UserFile::Load(sandbox / "users.xml");
    users.Add({"anna", Role::kReader, "", SomeHash(), {}});
    EXPECT_EQ(CodeOf([&] { users.SetPasswordHash("bertil", SomeHash()); }), ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf([&] { users.SetPasswordHash("anna", "hemligt-lösenord"); }),
              ErrorCode::kBadInput);
    EXPECT_EQ(CodeOf([&] { users.SetPasswordHash("anna", ""); }), ErrorCode::kBadInput);
    EXPECT_EQ(users.Find("anna")->password_hash, SomeHash());
}

TEST(UserFile, AddRefusesWhatItCannotStore) {
    struct Case {
        const char* what;
        User user;
        ErrorCode code;
    };
    const std::vector<Case> cases = {
        {"empty name", {"", Role::kReader, "", SomeHash(), {}}, ErrorCode::kBadInput},
        {"name with a space", {"anna b", Role::kReader, "", SomeHash(), {}}, ErrorCode::kBadInput},
        {"bad e-mail", {"cecilia", Role::kReader, "cecilia", SomeHash(), {}}, ErrorCode::kBadInput},
        {"password instead of a hash",
         {"cecilia", Role::kReader, "", "hemligt-lösenord", {}},
         ErrorCode::kBadInput},
        {"empty body", {"cecilia", Role::kOwner, "", SomeHash(), {""}}, ErrorCode::kBadInput},
        {"body with a space",
         {"cecilia", Role::kOwner, "", SomeHash(), {"b un"}},
         ErrorCode::kBadInput},
        {"body twice",
         {"cecilia", Role::kOwner, "", SomeHash(), {"bun", "bun"}},
         ErrorCode::kBadInput},
        {"taken name", {"anna", Role::kOwner, "", SomeHash(), {}}, ErrorCode::kConflict},
    };
    testing::Sandbox sandbox;
    UserFile users = UserFile::Load(sandbox / "users.xml");
    users.Add({"anna", Role::kReader, "", SomeHash(), {}});
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(CodeOf([&] { users.Add(c.user); }), c.code);
    }
    EXPECT_EQ(users.users().size(), 1u);
}

TEST(UserFile, NamesTheFileAndLineOfAMalformedFile) {
    struct Case {
        const char* what;
        std::string user_element;  // on line 2
    };
    const std::string hash = "password_hash=\"" + SomeHash() + "\"";
    const std::vector<Case> cases = {
        {"unclosed element", "<user name=\"anna\" role=\"reader\" " + hash + ">"},
        {"unknown role", "<user name=\"anna\" role=\"kung\" " + hash + "/>"},
        {"invalid name", "<user name=\"anna b\" role=\"reader\" " + hash + "/>"},
        {"empty body", "<user name=\"anna\" role=\"owner\" " + hash + "><body/></user>"},
        {"body twice",
         "<user name=\"anna\" role=\"owner\" " + hash + "><body>bun</body><body>bun</body></user>"},
    };
    testing::Sandbox sandbox;
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const auto file = sandbox.Write("users.xml", "<users>\n" + c.user_element + "\n</users>\n");
        try {
            UserFile::Load(file);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            const std::string message = error.what();
            EXPECT_NE(message.find(file.string() + ":"), std::string::npos) << message;
        }
    }
    // The line of a problem in a user is that user's line.
    try {
        UserFile::Load(sandbox.Write("users.xml", "<users>\n\n<user name=\"anna\" role=\"kung\" " +
                                                      hash + "/>\n</users>\n"));
        ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("users.xml:3: unknown role"), std::string::npos)
            << error.what();
    }
}

TEST(WritePrivateFile, OnlyTheOwnerMayReadItWhateverTheUmaskOrTheModeBefore) {
    testing::Sandbox sandbox;
    const auto file = sandbox / "styrdok.ini";
    const mode_t saved = ::umask(0);  // the widest: a file made with the umask's mode is 0666
    WritePrivateFile(file, "[mail]\npassword = hemligt\n");
    // A file of an earlier version, and a temporary file left by a crash, were wider.
    ::chmod(file.c_str(), 0644);
    sandbox.Write("styrdok.ini.tmp", "gammalt");
    ::chmod((sandbox / "styrdok.ini.tmp").c_str(), 0666);
    WritePrivateFile(file, "[mail]\npassword = nytt\n");
    ::umask(saved);
    struct stat status {};
    ASSERT_EQ(::stat(file.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    EXPECT_EQ(testing::ReadFile(file), "[mail]\npassword = nytt\n");
    EXPECT_FALSE(std::filesystem::exists(sandbox / "styrdok.ini.tmp"));
}

TEST(WritePrivateFile, RefusesToWriteThroughALinkInItsTemporaryPlace) {
    testing::Sandbox sandbox;
    const auto elsewhere = sandbox.Write("annan.txt", "orörd");
    std::filesystem::create_symlink(elsewhere, sandbox / "users.xml.tmp");
    EXPECT_EQ(CodeOf([&] { WritePrivateFile(sandbox / "users.xml", "<users/>"); }),
              ErrorCode::kInternal);
    EXPECT_EQ(testing::ReadFile(elsewhere), "orörd");
    EXPECT_FALSE(std::filesystem::exists(sandbox / "users.xml"));
}

TEST(UserName, OneToSixtyFourOfLettersDigitsAndDotUnderscoreAtHyphen) {
    const std::vector<std::string> valid = {
        "a", "anna", "anna.berg", "anna_berg", "anna@exempelby.se", "A-9", std::string(64, 'x')};
    for (const std::string& name : valid) EXPECT_TRUE(IsValidUserName(name)) << name;
    const std::vector<std::string> invalid = {
        "", std::string(65, 'x'), "anna berg", "anna:berg", "åsa", "a\tb", "a/b"};
    for (const std::string& name : invalid) EXPECT_FALSE(IsValidUserName(name)) << name;
}

}  // namespace
}  // namespace styrdok::server
