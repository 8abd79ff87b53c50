// The clerk's page "Importera dokument" (issue 20) against the real server: originals uploaded
// at once are read in the background, each proposal is accepted (corrected, or all the sure
// ones) as one commit with its original attached, and bad uploads are refused without a 500.

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cases.hpp"
#include "registry_support.hpp"
#include "styrdok/testing/office_files.hpp"

namespace styrdok {
namespace {

using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;

struct File {
    std::string name;
    std::string bytes;
};

// A plain-text original whose every field the proposer reads from a label or a decision line.
const char* const kSureText =
    "Riktlinjer för importprovet\n"
    "\n"
    "Dokumenttyp: Riktlinje\n"
    "Fastställd av kommunfullmäktige 2021-06-23 § 139\n"
    "Dnr KS 2021/0150\n"
    "Dokumentansvarig: Kanslichef\n"
    "Giltighetstid 2021-07-01 – tillsvidare\n"
    "\n"
    "Riktlinjerna gäller för alla förvaltningar.\n";

// One that leaves most fields to the clerk.
const char* const kVagueText =
    "Något om arbetet med importprovet\n"
    "\n"
    "Det här är anteckningar utan beslut och utan diarienummer.\n";

class ImportPages : public testing::CorpusServerSuite {
protected:
    // The server reads hostile files on threads of its own: it must stop cleanly, and under
    // the sanitizers without a report (which would make its exit status non-zero).
    static void TearDownTestSuite() {
        const int status = server_->Stop();
        EXPECT_EQ(status, 0) << server_->Log();
        CorpusServerSuite::TearDownTestSuite();
    }

    static testing::SignedIn As(const std::string& name) {
        std::optional<testing::SignedIn> session =
            testing::SignIn(Port(), name, testing::kStaffPassword);
        EXPECT_TRUE(session.has_value());
        return session.value_or(testing::SignedIn{});
    }

    static HttpResponse Upload(const testing::SignedIn& session, const std::vector<File>& files,
                               bool with_csrf = true) {
        const std::string boundary = "----styrdok-import-boundary";
        std::string body;
        if (with_csrf) {
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" +
                    session.csrf + "\r\n";
        }
        for (const File& file : files) {
            body += "--" + boundary +
                    "\r\nContent-Disposition: form-data; name=\"filer\"; filename=\"" + file.name +
                    "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file.bytes + "\r\n";
        }
        body += "--" + boundary + "--\r\n";
        return HttpRequest(Port(), "POST", "/importera",
                           {{"Cookie", session.cookie},
                            {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                           body);
    }

    static HttpResponse Post(const testing::SignedIn& session, const std::string& target,
                             std::vector<std::pair<std::string, std::string>> fields) {
        fields.emplace_back("csrf", session.csrf);
        std::string body;
        for (const auto& [name, value] : fields) {
            body += (body.empty() ? "" : "&") + testing::FormEncode(name) + "=" +
                    testing::FormEncode(value);
        }
        return HttpRequest(
            Port(), "POST", target,
            {{"Cookie", session.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
            body);
    }

    static HttpResponse Get(const testing::SignedIn& session, const std::string& target) {
        return HttpGet(Port(), target, {{"Cookie", session.cookie}});
    }

    // Uploads `files` and waits until the batch has read them all; returns the batch's path.
    static std::string UploadAndWait(const testing::SignedIn& session,
                                     const std::vector<File>& files) {
        HttpResponse created = Upload(session, files);
        EXPECT_EQ(created.status, 303) << created.body;
        const std::string batch = created.Header("location");
        EXPECT_TRUE(batch.starts_with("/importera/")) << batch;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        for (;;) {
            HttpResponse status = Get(session, batch + "/status");
            EXPECT_EQ(status.status, 200) << status.body;
            if (status.status != 200) break;
            auto json = testing::Json(status);
            if (json->getValue<bool>("done")) {
                EXPECT_EQ(json->getValue<std::size_t>("total"), files.size());
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "the batch was not read in time: " << status.body;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return batch;
    }

    static Poco::JSON::Object::Ptr Document(const std::string& id, bool draft = false) {
        HttpResponse response = HttpGet(Port(), "/api/documents/" + id + (draft ? "?draft=1" : ""),
                                        testing::BasicAuth("admin", testing::kStaffPassword));
        EXPECT_EQ(response.status, 200) << id << ": " << response.body;
        return response.status == 200 ? testing::Json(response) : nullptr;
    }

    // The value of input `name` in the form of proposal `number` on `page` (escaped as HTML).
    static std::string InputValue(const std::string& page, std::size_t number,
                                  const std::string& field) {
        const std::regex input("id=\"forslag-" + std::to_string(number) + "-" + field +
                               "\" name=\"" + field + "\" value=\"([^\"]*)\"");
        std::smatch match;
        return std::regex_search(page, match, input) ? match[1].str() : std::string();
    }

    static std::size_t Count(const std::string& text, const std::string& part) {
        std::size_t count = 0;
        for (std::size_t at = text.find(part); at != std::string::npos;
             at = text.find(part, at + part.size())) {
            ++count;
        }
        return count;
    }
};

// `text` as the templates escape it.
std::string Escaped(std::string text) {
    for (std::size_t at = text.find('/'); at != std::string::npos; at = text.find('/', at)) {
        text.replace(at, 1, "&#x2F;");
    }
    return text;
}

// A one-page PDF of `width` × `height` points with one line of text.
std::string PagePdf(int width, int height, const std::string& line) {
    const std::string content =
        "BT /F1 24 Tf 72 " + std::to_string(height - 100) + " Td (" + line + ") Tj ET";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " +
            std::to_string(height) + "] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    return testing::AssemblePdf(objects);
}

// Width and height of a PNG, from its IHDR.
std::pair<unsigned, unsigned> PngSize(const std::string& png) {
    if (png.size() < 24 || png.substr(1, 3) != "PNG") return {0, 0};
    const auto be32 = [&png](std::size_t at) {
        return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
               (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
               (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
               static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
    };
    return {be32(16), be32(20)};
}

std::string CasePdf(const std::string& name) {
    for (const testing::ProposeCase& c : testing::LoadProposeCases("tests/propose/tune")) {
        if (c.name == name) return testing::MakeCaseFile(c);
    }
    ADD_FAILURE() << "no case " << name;
    return {};
}

TEST_F(ImportPages, ReadsABatchAndAcceptsACorrectedProposalAndAllSureOnes) {
    const testing::SignedIn clerk = As("registrator");
    HttpResponse form = Get(clerk, "/importera");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_NE(form.body.find("enctype=\"multipart/form-data\""), std::string::npos);
    EXPECT_NE(form.body.find("name=\"filer\" multiple"), std::string::npos);

    const std::string pdf = CasePdf("budget");
    const std::string batch = UploadAndWait(
        clerk,
        {{"importprov.txt", kSureText}, {"anteckningar.md", kVagueText}, {"budget.pdf", pdf}});
    HttpResponse page = Get(clerk, batch);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Läst 3 av 3 filer"), std::string::npos);
    EXPECT_NE(page.body.find("<progress"), std::string::npos);
    // The script may run on this page alone, from this site.
    EXPECT_NE(page.Header("content-security-policy").find("script-src 'self'"), std::string::npos);

    // The PDF's first page beside its fields, as a PNG of bounded width.
    const std::string image = batch + "/3/forsta-sidan.png";
    EXPECT_NE(page.body.find("src=\"" + Escaped(image) + "\""), std::string::npos);
    EXPECT_NE(page.body.find("alt=\"Första sidan av budget.pdf"), std::string::npos);
    HttpResponse png = Get(clerk, image);
    ASSERT_EQ(png.status, 200);
    EXPECT_EQ(png.Header("content-type"), "image/png");
    ASSERT_GT(png.body.size(), 24u);
    EXPECT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_LE(PngSize(png.body).first, 1200u);
    EXPECT_GT(PngSize(png.body).first, 100u);

    // The vague one: its uncertain fields are marked in words, tied to the input.
    EXPECT_NE(page.body.find("<strong>Osäker:</strong>"), std::string::npos);
    EXPECT_NE(page.body.find("id=\"forslag-2-dnr-osaker\""), std::string::npos);
    EXPECT_NE(page.body.find("aria-describedby=\"forslag-2-dnr-osaker"), std::string::npos);
    EXPECT_EQ(page.body.find("id=\"forslag-1-dnr-osaker\""), std::string::npos)
        << "the labelled dnr is sure";
    // The sure one is proposed as a document in force.
    EXPECT_EQ(InputValue(page.body, 1, "dnr"), Escaped("KS 2021/0150"));
    EXPECT_NE(
        page.body.find("id=\"forslag-1-gallande\" name=\"status\" value=\"gällande\" checked"),
        std::string::npos);

    // Accepting the vague one with an empty title shows the form's own errors, values kept.
    HttpResponse refused = Post(clerk, batch + "/2/godkann",
                                {{"id", "importprov-anteckningar"},
                                 {"title", ""},
                                 {"doctype", "rutin"},
                                 {"owner", "Kanslichef"},
                                 {"status", "utkast"}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("Förslaget kunde inte godkännas"), std::string::npos);
    EXPECT_NE(refused.body.find("href=\"#forslag-2-title\""), std::string::npos);
    EXPECT_EQ(InputValue(refused.body, 2, "owner"), "Kanslichef");

    // Corrected, it becomes a draft: one commit, the text from the file.
    HttpResponse accepted = Post(clerk, batch + "/2/godkann",
                                 {{"id", "importprov-anteckningar"},
                                  {"title", "Rutin för importprovet"},
                                  {"doctype", "rutin"},
                                  {"owner", "Kanslichef"},
                                  {"status", "utkast"}});
    ASSERT_EQ(accepted.status, 303) << accepted.body;
    EXPECT_EQ(accepted.Header("location"), batch + "?godkand=2#resultat");
    if (auto draft = Document("importprov-anteckningar", /*draft=*/true)) {
        EXPECT_EQ(draft->getValue<std::string>("title"), "Rutin för importprovet");
        EXPECT_EQ(draft->getValue<std::string>("status"), "utkast");
        EXPECT_NE(draft->getValue<std::string>("text").find("anteckningar utan beslut"),
                  std::string::npos);
    }
    HttpResponse again = Post(clerk, batch + "/2/godkann", {{"id", "x"}, {"title", "x"}});
    EXPECT_EQ(again.status, 409);

    // "Godkänn alla säkra" takes the sure text file, in force, its original attached.
    page = Get(clerk, batch + "?godkand=2");
    EXPECT_NE(page.body.find("anteckningar.md är godkänd som utkast"), std::string::npos);
    const std::string sure_button = "Godkänn alla säkra (";
    ASSERT_NE(page.body.find(sure_button), std::string::npos) << page.body;
    HttpResponse all = Post(clerk, batch + "/godkann-alla", {});
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_NE(all.body.find("1 förslag godkändes."), std::string::npos);
    EXPECT_NE(all.body.find("importprov.txt: <a href"), std::string::npos);
    const std::string id = "riktlinjer-for-importprovet";
    if (auto document = Document(id)) {
        EXPECT_EQ(document->getValue<std::string>("status"), "gällande");
        EXPECT_EQ(document->getValue<std::string>("doctype"), "riktlinje");
        EXPECT_EQ(document->getValue<std::string>("decided_by"), "kf");
        EXPECT_EQ(document->getValue<std::string>("decided_on"), "2021-06-23");
        EXPECT_EQ(document->getValue<std::string>("dnr"), "KS 2021/0150");
    }
    HttpResponse original = HttpGet(Port(), "/documents/" + id + "/files/importprov.txt");
    EXPECT_EQ(original.status, 200);
    EXPECT_EQ(original.body, kSureText);
    HttpResponse history = HttpGet(Port(), "/api/documents/" + id + "/history");
    ASSERT_EQ(history.status, 200);
    EXPECT_EQ(testing::Json(history)->getArray("versions")->size(), 1u);

    // Discarding the batch removes what is left; the documents stay.
    HttpResponse discarded = Post(clerk, batch + "/kasta", {});
    EXPECT_EQ(discarded.status, 303);
    EXPECT_EQ(Get(clerk, batch).status, 404);
    EXPECT_EQ(Get(clerk, image).status, 404);
    EXPECT_EQ(HttpGet(Port(), "/documents/" + id).status, 200);
}

TEST_F(ImportPages, ReadsAScanThroughOcrAndMarksEveryFieldUncertain) {
    const testing::SignedIn clerk = As("registrator");
    const std::string batch = UploadAndWait(clerk, {{"bisysslor.pdf", CasePdf("bisysslor")}});
    HttpResponse page = Get(clerk, batch);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find(Escaped(batch) + "&#x2F;1&#x2F;forsta-sidan.png"), std::string::npos);
    if (page.body.find("textigenkänning (OCR) finns inte") != std::string::npos) {
        GTEST_SKIP() << "needs tesseract and its Swedish data";
    }
    EXPECT_NE(page.body.find("läst med textigenkänning (OCR): 1 av 1 sidor"), std::string::npos)
        << page.body;
    // OCR misreads without saying so: nothing it read is sure, so nothing is taken unseen.
    EXPECT_EQ(page.body.find("Alla uppgifter är säkra."), std::string::npos);
    EXPECT_EQ(page.body.find("Godkänn alla säkra"), std::string::npos);
    EXPECT_NE(page.body.find("id=\"forslag-1-dnr-osaker\""), std::string::npos);
    EXPECT_NE(InputValue(page.body, 1, "title").find("bisysslor"), std::string::npos);
    EXPECT_EQ(Post(clerk, batch + "/kasta", {}).status, 303);
}

TEST_F(ImportPages, DrawsTheFirstPageWithinItsBoundsWhateverItsSize) {
    const testing::SignedIn clerk = As("registrator");
    // 200 inches square (PDF's largest page), a long strip, and a postage stamp.
    const std::vector<std::pair<int, int>> pages = {{14400, 14400}, {300, 14400}, {60, 40}};
    std::vector<File> files;
    for (const auto& [width, height] : pages) {
        files.push_back({"sida-" + std::to_string(width) + "x" + std::to_string(height) + ".pdf",
                         PagePdf(width, height, "Riktlinjer for sidstorlekar")});
    }
    const std::string batch = UploadAndWait(clerk, files);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        SCOPED_TRACE(files[i].name);
        HttpResponse png = Get(clerk, batch + "/" + std::to_string(i + 1) + "/forsta-sidan.png");
        ASSERT_EQ(png.status, 200);
        const auto [width, height] = PngSize(png.body);
        EXPECT_GT(width, 0u);
        EXPECT_LE(width, 1200u);
        EXPECT_LE(height, 1800u);
        // No larger than the page at 150 dpi.
        EXPECT_LE(width, static_cast<unsigned>(pages[i].first * 150 / 72 + 1));
    }
    EXPECT_EQ(Post(clerk, batch + "/kasta", {}).status, 303);
}

TEST_F(ImportPages, RefusesBadUploadsWithoutA500) {
    const testing::SignedIn clerk = As("registrator");
    const File text{"ett.txt", kVagueText};

    HttpResponse no_csrf = Upload(clerk, {text}, /*with_csrf=*/false);
    EXPECT_EQ(no_csrf.status, 403);

    std::vector<File> many(201, File{"liten.txt", "Liten fil\n"});
    HttpResponse too_many = Upload(clerk, many);
    EXPECT_EQ(too_many.status, 413);
    EXPECT_NE(too_many.body.find("Högst 200 filer"), std::string::npos);

    // Past the request's size (server.max_body_bytes): the boundary's 413, nothing kept.
    HttpResponse too_large = Upload(clerk, {{"stor.txt", std::string(11u << 20, 'a')}});
    EXPECT_EQ(too_large.status, 413);

    HttpResponse spreadsheet = Upload(clerk, {text, {"budget.xlsx", "PK\x03\x04"}});
    EXPECT_EQ(spreadsheet.status, 400);
    EXPECT_NE(spreadsheet.body.find("Filen budget.xlsx kan inte läsas in"), std::string::npos);
    EXPECT_NE(spreadsheet.body.find("aria-invalid=\"true\""), std::string::npos);

    HttpResponse old_word = Upload(clerk, {{"gammal.doc", "\xD0\xCF\x11\xE0"}});
    EXPECT_EQ(old_word.status, 400);
    EXPECT_NE(old_word.body.find("DOCX eller PDF"), std::string::npos);

    HttpResponse none = Upload(clerk, {});
    EXPECT_EQ(none.status, 400);

    // A file that is not what its name says is read as failed, not as a crash.
    const std::string batch = UploadAndWait(clerk, {{"trasig.pdf", "inte en pdf"}});
    HttpResponse page = Get(clerk, batch);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Filen kunde inte läsas."), std::string::npos);

    // Someone else's batch, a reader and nobody.
    const testing::SignedIn other = As("admin");
    EXPECT_EQ(Get(other, batch).status, 404);
    EXPECT_EQ(Get(other, batch + "/status").status, 404);
    EXPECT_EQ(Post(other, batch + "/1/kasta", {}).status, 404);
    const testing::SignedIn reader = As("lasare");
    EXPECT_EQ(Get(reader, "/importera").status, 403);
    EXPECT_EQ(Upload(reader, {text}).status, 403);
    EXPECT_EQ(HttpGet(Port(), "/importera").status, 401);
    EXPECT_EQ(HttpGet(Port(), batch + "/status").status, 401);

    for (const std::string& target :
         {std::string("/importera/nej"), "/importera/" + std::string(32, 'g'),
          batch + "/999999/forsta-sidan.png", batch + "/abc/forsta-sidan.png",
          batch + "/1/forsta-sidan.png"}) {
        SCOPED_TRACE(target);
        const int status = Get(clerk, target).status;
        EXPECT_GE(status, 400);
        EXPECT_LT(status, 500);
    }
    EXPECT_EQ(Post(clerk, batch + "/1/godkann", {{"id", "trasig"}, {"title", "Trasig"}}).status,
              409);
    EXPECT_EQ(Post(clerk, batch + "/kasta", {}).status, 303);
}

}  // namespace
}  // namespace styrdok
