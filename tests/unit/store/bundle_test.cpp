// A repository as a git bundle (bundle.hpp): the header's grammar, and a bundle written by
// the store that git itself accepts and that the store makes the same repository of again,
// or refuses whole when the file is damaged.

#include "styrdok/store/bundle.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::RunResult;
using testing::Sandbox;
using testing::ShellQuote;

const std::string kA(40, 'a');
const std::string kB = "0123456789abcdef0123456789abcdef01234567";

TEST(BundleHeader, ReadsTheReferencesAndWhereThePackStarts) {
    const std::string header = "# v2 git bundle\n" + kA + " HEAD\n" + kA + " refs/heads/main\n" +
                               kB + " refs/drafts/arbetsmiljopolicy\n\n";
    const BundleHeader parsed = ParseBundleHeader(header + "PACK\0\0\0\2");
    EXPECT_EQ(parsed.version, 2);
    EXPECT_TRUE(parsed.prerequisites.empty());
    ASSERT_EQ(parsed.refs.size(), 3u);
    EXPECT_EQ(parsed.refs[0].name, "HEAD");
    EXPECT_EQ(parsed.refs[1].name, "refs/heads/main");
    EXPECT_EQ(parsed.refs[1].object, kA);
    EXPECT_EQ(parsed.refs[2].name, "refs/drafts/arbetsmiljopolicy");
    EXPECT_EQ(parsed.refs[2].object, kB);
    EXPECT_EQ(parsed.pack_offset, header.size());
}

TEST(BundleHeader, ReadsVersionThreeWithSha1AndPrerequisites) {
    const std::string header = "# v3 git bundle\n@object-format=sha1\n-" + kB + " Äldre commit\n-" +
                               kA + "\n" + kA + " refs/heads/main\n\n";
    const BundleHeader parsed = ParseBundleHeader(header);
    EXPECT_EQ(parsed.version, 3);
    EXPECT_EQ(parsed.prerequisites, (std::vector<std::string>{kB, kA}));
    ASSERT_EQ(parsed.refs.size(), 1u);
    EXPECT_EQ(parsed.pack_offset, header.size());
}

TEST(BundleHeader, RefusesWhatIsNotABundleHeader) {
    const struct {
        const char* why;
        std::string bytes;
    } cases[] = {
        {"empty", ""},
        {"another signature", "# v4 git bundle\n" + kA + " refs/heads/main\n\n"},
        {"a pack without a header", "PACK\0\0\0\2"},
        {"truncated before the blank line", "# v2 git bundle\n" + kA + " refs/heads/main\n"},
        {"truncated inside a line", "# v2 git bundle\n" + kA.substr(0, 20)},
        {"a short id", "# v2 git bundle\n" + kA.substr(0, 39) + " refs/heads/main\n\n"},
        {"upper-case hex", "# v2 git bundle\n" + std::string(40, 'A') + " refs/heads/main\n\n"},
        {"no name", "# v2 git bundle\n" + kA + "\n\n"},
        {"an empty name", "# v2 git bundle\n" + kA + " \n\n"},
        {"a tab for the space", "# v2 git bundle\n" + kA + "\trefs/heads/main\n\n"},
        {"a space in the name", "# v2 git bundle\n" + kA + " refs/heads/ma in\n\n"},
        {"a control byte in the name", "# v2 git bundle\n" + kA + " refs/heads/m\x01n\n\n"},
        {"a malformed prerequisite", "# v2 git bundle\n-" + kA.substr(0, 12) + "\n\n"},
        {"a capability in v2", "# v2 git bundle\n@object-format=sha1\n\n"},
        {"SHA-256", "# v3 git bundle\n@object-format=sha256\n\n"},
        {"a filter (a partial bundle)", "# v3 git bundle\n@filter=blob:none\n\n"},
        {"a capability after a reference",
         "# v3 git bundle\n" + kA + " refs/heads/main\n@object-format=sha1\n\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        try {
            ParseBundleHeader(c.bytes);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find("not a sound git bundle"), std::string::npos)
                << error.what();
        }
    }
}

DocumentWrite Write(const std::string& id, const std::string& text, core::Status status) {
    DocumentWrite write;
    write.metadata.id = id;
    write.metadata.title = "Dokument " + id;
    write.metadata.doctype = "policy";
    write.metadata.decided_by = "kf";
    write.metadata.status = status;
    if (status != core::Status::kDraft) {
        write.metadata.decided_on = core::Date::FromYmd(2021, 5, 24);
        write.metadata.valid_from = core::Date::FromYmd(2021, 7, 1);
    }
    write.text = text;
    return write;
}

const Author kAnna{"Anna Andersson", "anna@exempel.se"};

/// Runs a shell command; named so inside fixtures, where gtest's Test::Run hides Run.
RunResult Shell(const std::string& command) { return testing::Run(command); }

RunResult Git(const fs::path& repository, const std::string& arguments) {
    return Shell("git --git-dir=" + ShellQuote(repository.string()) + " " + arguments);
}

class Bundle : public ::testing::Test {
protected:
    // main with two commits (one of them with an attachment), a draft and a discarded draft.
    void SetUp() override {
        Store store = Store::Init(repository_);
        for (int round = 0; round < 2; ++round) {
            CommitRequest request;
            for (int i = 0; i < 3; ++i) {
                DocumentWrite write =
                    Write("dokument-" + std::to_string(i),
                          "# Dokument\n\nVersion " + std::to_string(round) + ".\n",
                          core::Status::kInForce);
                if (i == 0) write.files.push_back({"bilaga.pdf", std::string(5000, '\x7f')});
                request.writes.push_back(std::move(write));
            }
            request.author = kAnna;
            request.message = "Runda " + std::to_string(round);
            store.Commit(request);
        }
        store.CommitDraft(Write("nytt", "# Nytt\n", core::Status::kDraft), kAnna, "Utkast", {});
        const std::string discarded =
            store.CommitDraft(Write("kastat", "# Kastat\n", core::Status::kDraft), kAnna, "Utkast");
        store.DiscardDraft("kastat", discarded);
        head_ = *store.Head();
    }

    std::string Refs(const fs::path& repository) {
        return Git(repository, "for-each-ref --format='%(objectname) %(refname)'").out;
    }

    Sandbox sandbox_;
    fs::path repository_ = sandbox_ / "repository";
    fs::path bundle_ = sandbox_ / "repository.bundle";
    fs::path restored_ = sandbox_ / "restored";
    std::string head_;
};

TEST_F(Bundle, GitVerifiesItAndTheStoreRestoresTheSameRepository) {
    const BundleSummary written = WriteBundle(repository_, bundle_);
    EXPECT_EQ(written.head, head_);
    EXPECT_EQ(written.bytes, fs::file_size(bundle_));
    EXPECT_EQ(fs::status(bundle_).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    // main, the draft, the discarded draft, and the mark of main checked for drafts (if any).
    EXPECT_GE(written.refs.size(), 3u);
    // In an empty repository: a full bundle needs nothing it does not hold.
    ASSERT_EQ(
        Shell("git init --quiet --bare " + ShellQuote((sandbox_ / "empty").string())).exit_code, 0);
    RunResult verify = Git(sandbox_ / "empty", "bundle verify " + ShellQuote(bundle_.string()));
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

    const BundleSummary restored = RestoreBundle(bundle_, restored_);
    EXPECT_EQ(restored.head, head_);
    EXPECT_EQ(restored.objects, written.objects);
    ASSERT_EQ(restored.refs.size(), written.refs.size());
    for (std::size_t i = 0; i < written.refs.size(); ++i) {
        EXPECT_EQ(restored.refs[i].name, written.refs[i].name);
        EXPECT_EQ(restored.refs[i].object, written.refs[i].object);
    }
    EXPECT_EQ(Refs(restored_), Refs(repository_));
    RunResult fsck = Git(restored_, "fsck --full --strict --no-dangling");
    EXPECT_EQ(fsck.exit_code, 0) << fsck.out << fsck.err;
    EXPECT_EQ(Git(restored_, "symbolic-ref HEAD").out, "refs/heads/main\n");

    Store store = Store::Open(restored_);
    EXPECT_TRUE(store.Verify().empty());
    ASSERT_TRUE(store.ReadDraft("nytt"));
    EXPECT_EQ(*store.ReadFile("dokument-0", "bilaga.pdf"), std::string(5000, '\x7f'));
    EXPECT_EQ(store.History("dokument-1").size(), 2u);
}

TEST_F(Bundle, GitClonesIt) {
    WriteBundle(repository_, bundle_);
    RunResult clone = Shell("git clone --quiet --bare --mirror " + ShellQuote(bundle_.string()) +
                            " " + ShellQuote((sandbox_ / "clone").string()));
    ASSERT_EQ(clone.exit_code, 0) << clone.err;
    EXPECT_EQ(Git(sandbox_ / "clone", "rev-parse refs/heads/main").out, head_ + "\n");
    EXPECT_EQ(Git(sandbox_ / "clone", "rev-parse HEAD").out, head_ + "\n");
}

TEST_F(Bundle, TheStoreRestoresWhatGitBundled) {
    ASSERT_EQ(
        Git(repository_, "bundle create " + ShellQuote(bundle_.string()) + " --all").exit_code, 0);
    EXPECT_EQ(RestoreBundle(bundle_, restored_).head, head_);
    EXPECT_EQ(Refs(restored_), Refs(repository_));
}

TEST_F(Bundle, AnEmptyRepositoryMakesAnEmptyBundle) {
    const fs::path empty = sandbox_ / "empty";
    Store::Init(empty);
    const BundleSummary written = WriteBundle(empty, bundle_);
    EXPECT_FALSE(written.head);
    EXPECT_TRUE(written.refs.empty());
    const BundleSummary restored = RestoreBundle(bundle_, restored_);
    EXPECT_FALSE(restored.head);
    EXPECT_FALSE(Store::Open(restored_).Head());
}

TEST_F(Bundle, RefusesToOverwrite) {
    WriteBundle(repository_, bundle_);
    const auto size = fs::file_size(bundle_);
    EXPECT_THROW(
        try { WriteBundle(repository_, bundle_); } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kConflict);
            throw;
        },
        Error);
    EXPECT_EQ(fs::file_size(bundle_), size);
    fs::create_directories(restored_);
    EXPECT_THROW(
        try { RestoreBundle(bundle_, restored_); } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kConflict);
            throw;
        },
        Error);
    EXPECT_TRUE(fs::is_empty(restored_));
}

TEST_F(Bundle, ADamagedBundleIsRefusedAndLeavesNoRepository) {
    WriteBundle(repository_, bundle_);
    const std::string bytes = testing::ReadFile(bundle_);
    const std::size_t pack = ParseBundleHeader(bytes).pack_offset;
    struct Damage {
        const char* why;
        std::string bytes;
    };
    std::string flipped = bytes;
    flipped[pack + (bytes.size() - pack) / 2] ^= 0x40;
    std::string bad_checksum = bytes;
    bad_checksum[bytes.size() - 1] ^= 0x01;
    std::string missing_ref = bytes;
    missing_ref.replace(missing_ref.find(" refs/heads/main") - 40, 40, kA);
    const Damage damages[] = {
        {"truncated in the header", bytes.substr(0, pack / 2)},
        {"truncated after the header", bytes.substr(0, pack)},
        {"truncated in the pack", bytes.substr(0, pack + (bytes.size() - pack) / 2)},
        {"without the pack's checksum", bytes.substr(0, bytes.size() - 20)},
        {"a byte changed in the pack", flipped},
        {"a byte changed in the checksum", bad_checksum},
        {"a reference to an object it lacks", missing_ref},
    };
    for (const Damage& damage : damages) {
        SCOPED_TRACE(damage.why);
        const fs::path file = sandbox_ / "damaged.bundle";
        std::ofstream(file, std::ios::binary | std::ios::trunc) << damage.bytes;
        try {
            RestoreBundle(file, restored_);
            ADD_FAILURE() << "restored";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput) << error.what();
        }
        EXPECT_FALSE(fs::exists(restored_));
    }
}

}  // namespace
}  // namespace styrdok::store
