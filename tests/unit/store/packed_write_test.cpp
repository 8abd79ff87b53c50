// Writes of 64 documents or more reach the repository as one pack that the store writes
// itself (pack_writer.hpp), smaller ones as loose objects it writes itself (loose_writer.hpp):
// git itself must accept both, and every object must read back.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "styrdok/store/store.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::store {
namespace {

namespace fs = std::filesystem;
using testing::Sandbox;

// Texts of many sizes, from empty to larger than zlib's window, and attachments of bytes
// that do not compress.
CommitRequest Mixed(int count, unsigned seed) {
    std::mt19937 random(seed);
    CommitRequest request;
    for (int i = 0; i < count; ++i) {
        DocumentWrite write;
        write.metadata.id = "dokument-" + std::to_string(i);
        write.metadata.title = "Dokument " + std::to_string(i);
        write.metadata.doctype = "policy";
        write.metadata.decided_by = "kf";
        write.metadata.decided_on = core::Date::FromYmd(2021, 5, 24);
        const std::size_t words = i == 0 ? 0 : (std::size_t{1} << (i % 16)) + random() % 100;
        for (std::size_t w = 0; w < words; ++w) {
            write.text += "ärende" + std::to_string(random() % 5000) + (w % 12 == 11 ? ".\n" : " ");
        }
        if (i % 7 == 0) {
            std::string bytes(1000 + random() % 70000, '\0');
            for (char& byte : bytes) byte = static_cast<char>(random());
            write.files.push_back({"bilaga.bin", std::move(bytes)});
        }
        request.writes.push_back(std::move(write));
    }
    request.author = {"Anna Andersson", "anna@exempel.se"};
    request.message = "Import";
    return request;
}

std::vector<fs::path> Packs(const fs::path& repo) {
    std::vector<fs::path> packs;
    for (const auto& entry : fs::directory_iterator(repo / "objects/pack")) {
        if (entry.path().extension() == ".pack") packs.push_back(entry.path());
    }
    return packs;
}

bool GitAccepts(const fs::path& repo) {
    const std::string command =
        "git --git-dir='" + repo.string() + "' fsck --full --strict --no-dangling >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

TEST(PackedWriteTest, GitAcceptsThePackAndEveryObjectReadsBack) {
    Sandbox sandbox;
    const fs::path repo = sandbox / "registry.git";
    Store store = Store::Init(repo);
    CommitRequest first = Mixed(90, 1);
    CommitRequest second = Mixed(80, 2);
    second.message = "Andra importen";
    const std::vector<CommitRequest> requests{first, second};
    store.CommitAll(requests);

    ASSERT_EQ(Packs(repo).size(), 1u);
    EXPECT_TRUE(fs::exists(fs::path(Packs(repo)[0]).replace_extension(".idx")));
    EXPECT_TRUE(GitAccepts(repo));
    EXPECT_TRUE(store.Verify().empty());
    EXPECT_TRUE(store.FindInterruptedWrites().leftovers.empty());

    // The second request rewrote the first 80 documents; the rest are the first's.
    for (int i = 0; i < 90; ++i) {
        const DocumentWrite& expected = (i < 80 ? second : first).writes[i];
        std::optional<Document> read = store.Read(expected.metadata.id);
        ASSERT_TRUE(read) << expected.metadata.id;
        EXPECT_EQ(read->text, expected.text) << expected.metadata.id;
        for (const Attachment& file : expected.files) {
            EXPECT_EQ(store.ReadFile(expected.metadata.id, file.name), file.content);
        }
    }
    EXPECT_EQ(store.Versions("dokument-5").size(), 2u);

    // A handle opened afterwards finds everything in the pack alone.
    Store reopened = Store::Open(repo);
    EXPECT_EQ(reopened.Read("dokument-89")->text, first.writes[89].text);
}

TEST(PackedWriteTest, ASecondPackedWriteAddsASecondPackWithOnlyNewObjects) {
    Sandbox sandbox;
    const fs::path repo = sandbox / "registry.git";
    Store store = Store::Init(repo);
    store.CommitAll({Mixed(70, 3)});
    const std::uintmax_t first_size = fs::file_size(Packs(repo)[0]);
    // The same documents again with one changed: only its objects and the trees and commit
    // above it are new.
    CommitRequest again = Mixed(70, 3);
    again.writes[3].text += "Ändrad.";
    store.CommitAll({again});

    std::vector<fs::path> packs = Packs(repo);
    ASSERT_EQ(packs.size(), 2u);
    const std::uintmax_t second_size = std::min(fs::file_size(packs[0]), fs::file_size(packs[1]));
    EXPECT_LT(second_size, first_size / 10);
    EXPECT_TRUE(GitAccepts(repo));
    EXPECT_EQ(store.Read("dokument-3")->text, again.writes[3].text);
}

// Every file under objects/ but the packs and their folder, relative to objects/.
std::vector<std::string> LooseFiles(const fs::path& repo) {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(repo / "objects")) {
        const std::string relative = entry.path().lexically_relative(repo / "objects").string();
        if (entry.is_regular_file() && relative.rfind("pack/", 0) != 0) files.push_back(relative);
    }
    return files;
}

TEST(PackedWriteTest, ASmallWriteIsLooseObjectsThatGitAccepts) {
    Sandbox sandbox;
    const fs::path repo = sandbox / "registry.git";
    Store store = Store::Init(repo);
    const CommitRequest first = Mixed(8, 4);
    const std::string version = store.Commit(first);

    EXPECT_TRUE(Packs(repo).empty());
    const std::vector<std::string> files = LooseFiles(repo);
    // Two blobs a document, an attachment for dokument-0 and -7, the trees and the commit.
    EXPECT_GE(files.size(), 2u * 8 + 2 + 4);
    for (const std::string& file : files) {
        SCOPED_TRACE(file);
        EXPECT_EQ(file.size(), 2 + 1 + 38u);
        EXPECT_EQ(fs::status(repo / "objects" / file).permissions() & fs::perms::owner_write,
                  fs::perms::none);
    }
    EXPECT_TRUE(GitAccepts(repo));
    EXPECT_TRUE(store.FindInterruptedWrites().leftovers.empty());

    // One document changed: its text and the trees and commit above it are new; a text
    // that is there already (dokument-1's) is not written again.
    DocumentWrite edit = first.writes[2];
    edit.text = first.writes[1].text;
    edit.expected_version = version;
    const std::string edited = store.Commit({{edit}, first.author, "Ändrad", std::nullopt});
    EXPECT_EQ(LooseFiles(repo).size(), files.size() + 4 + 1);
    EXPECT_TRUE(GitAccepts(repo));
    EXPECT_EQ(store.Read("dokument-2")->text, first.writes[1].text);
    EXPECT_EQ(store.Read("dokument-2")->version, edited);
    EXPECT_EQ(Store::Open(repo).Versions("dokument-2").size(), 2u);
}

}  // namespace
}  // namespace styrdok::store
