// The edit pages as a browser meets them: the real styrdok binary, signed in through
// /logga-in with a session cookie, forms read from the pages (their CSRF token and the version
// they start from) and sent back as a browser would send them.
#include <Poco/Checksum.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "registry_support.hpp"
#include "styrdok/testing/sandbox.hpp"
#include "styrdok/testing/server_process.hpp"

namespace styrdok {
namespace {

using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::Json;

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Unescape(const std::string& html) {
    std::string out;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html[i] != '&') {
            out += html[i];
            continue;
        }
        const std::size_t semicolon = html.find(';', i);
        const std::string entity = html.substr(i + 1, semicolon - i - 1);
        if (entity == "amp")
            out += '&';
        else if (entity == "lt")
            out += '<';
        else if (entity == "gt")
            out += '>';
        else if (entity == "quot")
            out += '"';
        else if (entity.starts_with("#x"))
            out += static_cast<char>(std::stoi(entity.substr(2), nullptr, 16));
        else if (entity.starts_with("#"))
            out += static_cast<char>(std::stoi(entity.substr(1)));
        i = semicolon;
    }
    return out;
}

std::string UrlEncode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string Encoded(const Fields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += UrlEncode(name);
        body += '=';
        body += UrlEncode(value);
    }
    return body;
}

// The fields a browser would send for the first form on `page` whose action is `action`:
// inputs, ticked boxes, selected options and text areas (without submit buttons).
Fields FormFields(const std::string& page, const std::string& action) {
    const std::size_t start = page.find("action=\"" + action + "\"");
    EXPECT_NE(start, std::string::npos) << "no form with action " << action;
    if (start == std::string::npos) return {};
    const std::string form = page.substr(start, page.find("</form>", start) - start);
    Fields fields;
    const std::regex input(
        R"re(<input type="(?:text|hidden|email|date)"[^>]*? name="([^"]+)" value="([^"]*)")re");
    const std::regex checkbox(
        R"re(<input type="checkbox" id="[^"]*" name="([^"]+)" value="([^"]*)" checked>)re");
    const std::regex select(R"re(<select id="[^"]*" name="([^"]+)"[^>]*>([^]*?)</select>)re");
    const std::regex selected(R"re(<option value="([^"]*)" selected>)re");
    const std::regex textarea(R"re(<textarea[^>]* name="([^"]+)"[^>]*>\n([^]*?)</textarea>)re");
    for (const std::regex* pattern : {&input, &checkbox, &textarea}) {
        for (std::sregex_iterator m(form.begin(), form.end(), *pattern), end; m != end; ++m) {
            fields.emplace_back(Unescape((*m)[1]), Unescape((*m)[2]));
        }
    }
    for (std::sregex_iterator m(form.begin(), form.end(), select), end; m != end; ++m) {
        const std::string options = (*m)[2];
        std::smatch chosen;
        if (std::regex_search(options, chosen, selected)) {
            fields.emplace_back(Unescape((*m)[1]), Unescape(chosen[1]));
        }
    }
    return fields;
}

void Set(Fields& fields, const std::string& name, const std::string& value) {
    for (auto& [field, old] : fields) {
        if (field == name) {
            old = value;
            return;
        }
    }
    fields.emplace_back(name, value);
}

std::string Get(const Fields& fields, const std::string& name) {
    for (const auto& [field, value] : fields) {
        if (field == name) return value;
    }
    return {};
}

// A ZIP archive with its entries stored (not compressed): enough for an ODT.
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out, directory;
    auto put = [](std::string& to, std::uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i) to += static_cast<char>((value >> (8 * i)) & 0xff);
    };
    for (const auto& [name, content] : entries) {
        Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
        crc.update(content.data(), static_cast<unsigned>(content.size()));
        const auto size = static_cast<std::uint32_t>(content.size());
        // From "version needed" to the name's length, the local header and the central
        // directory's entry are the same: stored, no flags, 1980-01-01.
        std::string shared;
        for (std::uint32_t value : {20u, 0u, 0u, 0u, 0x21u}) put(shared, value, 2);
        put(shared, crc.checksum(), 4);
        put(shared, size, 4);
        put(shared, size, 4);
        put(shared, static_cast<std::uint32_t>(name.size()), 2);
        const auto offset = static_cast<std::uint32_t>(out.size());
        put(out, 0x04034b50, 4);
        out += shared;
        put(out, 0, 2);  // extra length
        out += name + content;
        put(directory, 0x02014b50, 4);
        put(directory, 20, 2);  // version made by
        directory += shared;
        put(directory, 0, 4);  // extra and comment lengths
        put(directory, 0, 4);  // disk, internal attributes
        put(directory, 0, 4);  // external attributes
        put(directory, offset, 4);
        directory += name;
    }
    const auto directory_offset = static_cast<std::uint32_t>(out.size());
    out += directory;
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, static_cast<std::uint32_t>(entries.size()), 2);
    put(out, static_cast<std::uint32_t>(entries.size()), 2);
    put(out, static_cast<std::uint32_t>(directory.size()), 4);
    put(out, directory_offset, 4);
    put(out, 0, 2);
    return out;
}

std::string Odt(const std::string& paragraph) {
    return StoredZip({
        {"mimetype", "application/vnd.oasis.opendocument.text"},
        {"content.xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content "
         "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
         "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">"
         "<office:body><office:text><text:p>" +
             paragraph + "</text:p></office:text></office:body></office:document-content>"},
    });
}

class EditPages : public testing::CorpusServerSuite {
protected:
    // Signs in through the sign-in form; returns the session cookie ("name=value").
    static std::string SignIn(const std::string& name) {
        HttpResponse response = HttpRequest(
            Port(), "POST", "/logga-in", {{"Content-Type", "application/x-www-form-urlencoded"}},
            Encoded({{"name", name}, {"password", testing::kStaffPassword}, {"next", "/"}}));
        EXPECT_EQ(response.status, 303) << response.body;
        const std::string cookie = response.Header("set-cookie");
        return cookie.substr(0, cookie.find(';'));
    }
    static HttpResponse Page(const std::string& cookie, const std::string& target) {
        return HttpGet(Port(), target, {{"Cookie", cookie}});
    }
    // Posts `fields` as multipart/form-data with one file in the "upload" field.
    static HttpResponse PostWithUpload(const std::string& cookie, const std::string& target,
                                       const Fields& fields, const std::string& filename,
                                       const std::string& content) {
        return testing::PostWithFile(Port(), target, fields, "upload", filename, content,
                                     {{"Cookie", cookie}});
    }
    static HttpResponse Post(const std::string& cookie, const std::string& target,
                             const Fields& fields) {
        return HttpRequest(
            Port(), "POST", target,
            {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
            Encoded(fields));
    }
    // The edit form of document `id` as `cookie`'s user gets it.
    static Fields EditForm(const std::string& cookie, const std::string& id) {
        HttpResponse page = Page(cookie, "/documents/" + id + "/redigera");
        EXPECT_EQ(page.status, 200) << page.body;
        return FormFields(page.body, "&#x2F;documents&#x2F;" + id + "&#x2F;redigera");
    }
    static Poco::JSON::Object::Ptr Document(const std::string& id) {
        return Json(HttpGet(Port(), "/api/documents/" + id, {{"Cookie", SignIn("admin")}}));
    }
    static std::size_t VersionCount(const std::string& id) {
        return Json(HttpGet(Port(), "/api/documents/" + id + "/history",
                            {{"Cookie", SignIn("admin")}}))
            ->getArray("versions")
            ->size();
    }
};

TEST_F(EditPages, SavingTheFormMakesANewVersionThatSearchFinds) {
    const std::string cookie = SignIn("hr");
    const std::size_t before = VersionCount("arbetsmiljopolicy");
    Fields form = EditForm(cookie, "arbetsmiljopolicy");
    ASSERT_FALSE(Get(form, "csrf").empty());
    ASSERT_EQ(Get(form, "version").size(), 40u);
    EXPECT_EQ(Get(form, "title"), "Arbetsmiljöpolicy");
    Set(form, "text", Get(form, "text") + "\n\nSkyddsronder görs vid varje zebrakorsningsbygge.\n");
    Set(form, "summary", "Nytt stycke om skyddsronder");
    form.emplace_back("action", "save");
    HttpResponse saved = Post(cookie, "/documents/arbetsmiljopolicy/redigera", form);
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(saved.Header("location"), "/documents/arbetsmiljopolicy");

    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before + 1);
    auto history = Json(Page(cookie, "/api/documents/arbetsmiljopolicy/history"));
    auto newest = history->getArray("versions")->getObject(0);
    EXPECT_EQ(newest->getValue<std::string>("message"), "Nytt stycke om skyddsronder");
    EXPECT_EQ(newest->getValue<std::string>("author"), "hr");
    auto hits = Json(HttpGet(Port(), "/api/search?q=zebrakorsningsbygge"));
    ASSERT_EQ(hits->getValue<int>("total"), 1);
    EXPECT_EQ(hits->getArray("hits")->getObject(0)->getValue<std::string>("id"),
              "arbetsmiljopolicy");
    // The metadata the form did not change stayed as it was.
    auto document = Document("arbetsmiljopolicy");
    EXPECT_EQ(document->getValue<std::string>("dnr"), "KS 2021/0123");
    EXPECT_EQ(document->getArray("goal_areas")->size(), 1u);
    EXPECT_EQ(document->getArray("reviews")->size(), 1u);
}

TEST_F(EditPages, TheDocumentPageLinksToTheFormForThoseWhoMayEdit) {
    HttpResponse page = Page(SignIn("hr"), "/documents/arbetsmiljopolicy");
    EXPECT_NE(page.body.find("href=\"&#x2F;documents&#x2F;arbetsmiljopolicy&#x2F;redigera\""),
              std::string::npos);
    EXPECT_NE(page.body.find("href=\"/nytt\""), std::string::npos);
    // Not for a document someone else owns.
    EXPECT_EQ(Page(SignIn("hr"), "/documents/avfallsplan").body.find("redigera"),
              std::string::npos);
}

TEST_F(EditPages, AClerkChangesTheMetadataButNotTheTextOfOthersDocuments) {
    const std::string cookie = SignIn("registrator");
    HttpResponse page = Page(cookie, "/documents/avfallsplan/redigera");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("aria-describedby=\"falt-text-tips\" readonly>"), std::string::npos);
    EXPECT_EQ(page.body.find("name=\"upload\""), std::string::npos);
    Fields form = FormFields(page.body, "&#x2F;documents&#x2F;avfallsplan&#x2F;redigera");
    const std::string text = Document("avfallsplan")->getValue<std::string>("text");
    Set(form, "dnr", "SBN 2026/0001");
    Set(form, "text", "Registratorns egen text.");
    Set(form, "summary", "Rättat diarienummer");
    form.emplace_back("action", "save");
    HttpResponse saved = Post(cookie, "/documents/avfallsplan/redigera", form);
    ASSERT_EQ(saved.status, 303) << saved.body;
    auto document = Document("avfallsplan");
    EXPECT_EQ(document->getValue<std::string>("dnr"), "SBN 2026/0001");
    EXPECT_EQ(document->getValue<std::string>("text"), text);
}

TEST_F(EditPages, PreviewRendersTheTextAndSavesNothing) {
    const std::string cookie = SignIn("hr");
    const std::size_t before = VersionCount("arbetsmiljopolicy");
    Fields form = EditForm(cookie, "arbetsmiljopolicy");
    Set(form, "text", "## Förhandsvisad rubrik\n\nEtt *betonat* ord.\n");
    form.emplace_back("action", "preview");
    HttpResponse preview = Post(cookie, "/documents/arbetsmiljopolicy/redigera", form);
    ASSERT_EQ(preview.status, 200) << preview.body;
    EXPECT_NE(preview.body.find("<h2 id=\"forhandsgranskning-rubrik\">"), std::string::npos);
    EXPECT_NE(preview.body.find("<em>betonat</em>"), std::string::npos);
    EXPECT_NE(preview.body.find("## Förhandsvisad rubrik"), std::string::npos);  // text area
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before);
}

TEST_F(EditPages, RefusesAFormWithoutOrWithAWrongCsrfTokenAndSavesNothing) {
    const std::string cookie = SignIn("hr");
    const std::size_t before = VersionCount("arbetsmiljopolicy");
    Fields form = EditForm(cookie, "arbetsmiljopolicy");
    Set(form, "summary", "Utan säkerhetskod");
    form.emplace_back("action", "save");
    Fields wrong = form;
    Set(wrong, "csrf", "fel-kod");
    Fields missing;
    for (const auto& field : form) {
        if (field.first != "csrf") missing.push_back(field);
    }
    for (const Fields& fields : {wrong, missing}) {
        HttpResponse response = Post(cookie, "/documents/arbetsmiljopolicy/redigera", fields);
        EXPECT_EQ(response.status, 403) << response.body;
        EXPECT_NE(response.body.find("CSRF"), std::string::npos) << response.body;
    }
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before);
}

TEST_F(EditPages, AStaleFormAnswers409AndKeepsWhatTheUserTyped) {
    const std::string cookie = SignIn("hr");
    Fields first = EditForm(cookie, "arbetsmiljopolicy");
    Fields second = EditForm(cookie, "arbetsmiljopolicy");
    Set(second, "summary", "Den andra sparar först");
    Set(second, "text", Get(second, "text") + "\nDen andras stycke.\n");
    second.emplace_back("action", "save");
    ASSERT_EQ(Post(cookie, "/documents/arbetsmiljopolicy/redigera", second).status, 303);

    const std::size_t before = VersionCount("arbetsmiljopolicy");
    Set(first, "summary", "Mitt osparade arbete");
    Set(first, "text", "Mitt osparade stycke om & och <tecken>.\n");
    first.emplace_back("action", "save");
    HttpResponse stale = Post(cookie, "/documents/arbetsmiljopolicy/redigera", first);
    ASSERT_EQ(stale.status, 409) << stale.body;
    EXPECT_NE(stale.body.find("Mitt osparade stycke om &amp; och &lt;tecken&gt;."),
              std::string::npos);
    EXPECT_NE(stale.body.find("value=\"Mitt osparade arbete\""), std::string::npos);
    EXPECT_NE(stale.body.find("nyare version"), std::string::npos);
    EXPECT_NE(stale.body.find("diff?from=" + Get(first, "version")), std::string::npos);
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before);
    // The form that came back is based on the new version: sending it saves.
    Fields again = FormFields(stale.body, "&#x2F;documents&#x2F;arbetsmiljopolicy&#x2F;redigera");
    EXPECT_NE(Get(again, "version"), Get(first, "version"));
    EXPECT_EQ(Get(again, "text"), "Mitt osparade stycke om & och <tecken>.\n");
    again.emplace_back("action", "save");
    EXPECT_EQ(Post(cookie, "/documents/arbetsmiljopolicy/redigera", again).status, 303);
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before + 1);
}

TEST_F(EditPages, AReaderMayNotEditOrCreate) {
    const std::string cookie = SignIn("lasare");
    HttpResponse form = Page(cookie, "/documents/arbetsmiljopolicy/redigera");
    EXPECT_EQ(form.status, 403);
    EXPECT_NE(form.body.find("får läsa men inte ändra"), std::string::npos) << form.body;
    EXPECT_EQ(Page(cookie, "/nytt").status, 403);
    HttpResponse document = Page(cookie, "/documents/arbetsmiljopolicy");
    EXPECT_EQ(document.body.find("/redigera"), std::string::npos);
    EXPECT_EQ(document.body.find("Nytt dokument"), std::string::npos);
    const std::size_t before = VersionCount("arbetsmiljopolicy");
    HttpResponse post = Post(cookie, "/documents/arbetsmiljopolicy/redigera",
                             {{"csrf", FormFields(document.body, "/logga-ut").at(0).second},
                              {"title", "Kapad"},
                              {"summary", "x"},
                              {"action", "save"}});
    EXPECT_EQ(post.status, 403);
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before);
}

TEST_F(EditPages, NobodySignedInIsAskedToSignIn) {
    HttpResponse response = HttpGet(Port(), "/nytt");
    EXPECT_EQ(response.status, 401);
    EXPECT_NE(response.body.find("href=\"&#x2F;logga-in?next="), std::string::npos)
        << response.body;
    EXPECT_EQ(HttpGet(Port(), "/documents/arbetsmiljopolicy").body.find("/redigera"),
              std::string::npos);
}

TEST_F(EditPages, InvalidMetadataAnswers400WithSwedishErrorsAtTheirFields) {
    const std::string cookie = SignIn("hr");
    const std::size_t before = VersionCount("riktlinjer-hot-och-vald");
    Fields form = EditForm(cookie, "riktlinjer-hot-och-vald");
    Set(form, "decided_on", "2030-01-01");
    Set(form, "valid_from", "inte ett datum");
    Set(form, "summary", "Felaktiga uppgifter");
    form.emplace_back("action", "save");
    HttpResponse response = Post(cookie, "/documents/riktlinjer-hot-och-vald/redigera", form);
    ASSERT_EQ(response.status, 400) << response.body;
    const std::string& page = response.body;
    EXPECT_NE(page.find("Det finns fel i formuläret"), std::string::npos);
    EXPECT_NE(page.find("<a href=\"#falt-decided_on\">Beslutsdatum kan inte ligga i framtiden."),
              std::string::npos);
    EXPECT_NE(page.find("id=\"falt-decided_on-fel\""), std::string::npos);
    EXPECT_NE(page.find("name=\"decided_on\" value=\"2030-01-01\" aria-invalid=\"true\" "
                        "aria-describedby=\"falt-decided_on-tips falt-decided_on-fel\""),
              std::string::npos);
    EXPECT_NE(page.find("Skriv datumet som ÅÅÅÅ-MM-DD"), std::string::npos);
    EXPECT_EQ(VersionCount("riktlinjer-hot-och-vald"), before);

    // A missing summary is an error too, and a kept form needs every required field.
    Set(form, "decided_on", "");
    Set(form, "valid_from", "");
    Set(form, "summary", "");
    response = Post(cookie, "/documents/riktlinjer-hot-och-vald/redigera", form);
    ASSERT_EQ(response.status, 400);
    EXPECT_NE(response.body.find("Beslutsdatum måste fyllas i för ett gällande dokument."),
              std::string::npos);
    EXPECT_NE(response.body.find("<a href=\"#falt-summary\">Skriv vad du har ändrat"),
              std::string::npos);
}

TEST_F(EditPages, MarkupInTitleAndTextIsShownAsTextNeverRun) {
    const std::string cookie = SignIn("admin");
    HttpResponse blank = Page(cookie, "/nytt");
    ASSERT_EQ(blank.status, 200);
    Fields form = FormFields(blank.body, "&#x2F;nytt");
    Set(form, "id", "policy-med-markup");
    Set(form, "title", "<script>alert(1)</script> Policy");
    Set(form, "doctype", "policy");
    Set(form, "owner", "Admin \"<b>\"");
    Set(form, "text",
        "# Rubrik\n\n<script>alert(2)</script>\n\n[Klicka](javascript:alert(3)) "
        "<img src=x onerror=alert(4)>\n");
    Set(form, "summary", "<i>utkast</i>");
    form.emplace_back("action", "draft");
    HttpResponse created = Post(cookie, "/nytt", form);
    ASSERT_EQ(created.status, 303) << created.body;
    // A new document saved as a draft lives on refs/drafts until it is adopted.
    EXPECT_EQ(created.Header("location"), "/documents/policy-med-markup?draft=1");
    EXPECT_EQ(
        Json(HttpGet(Port(), "/api/documents/policy-med-markup?draft=1", testing::As("admin")))
            ->getValue<std::string>("status"),
        "utkast");

    for (const std::string target :
         {"/documents/policy-med-markup?draft=1", "/documents/policy-med-markup/redigera"}) {
        SCOPED_TRACE(target);
        HttpResponse page = Page(cookie, target);
        ASSERT_EQ(page.status, 200);
        EXPECT_EQ(page.body.find("<script"), std::string::npos);
        EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
        EXPECT_EQ(page.body.find("href=\"javascript"), std::string::npos);
        EXPECT_EQ(page.body.find("<b>"), std::string::npos);
        EXPECT_EQ(page.body.find("<i>"), std::string::npos);
        EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; Policy"),
                  std::string::npos);
    }
    Set(form, "action", "preview");
    HttpResponse preview = Post(cookie, "/nytt", form);
    EXPECT_EQ(preview.status, 200);
    EXPECT_EQ(preview.body.find("<script"), std::string::npos);
    EXPECT_EQ(preview.body.find("href=\"javascript"), std::string::npos);
}

TEST_F(EditPages, AnOwnerCreatesOnlyDocumentsTheyOwn) {
    const std::string cookie = SignIn("hr");
    HttpResponse blank = Page(cookie, "/nytt");
    ASSERT_EQ(blank.status, 200);
    EXPECT_NE(blank.body.find("href=\"/nytt\" aria-current=\"page\">Nytt dokument"),
              std::string::npos);
    Fields form = FormFields(blank.body, "&#x2F;nytt");
    EXPECT_EQ(Get(form, "owner_email"), "hr-chef@exempelby.se");
    Set(form, "id", "ny-rutin-for-hr");
    Set(form, "title", "Rutin för introduktion");
    Set(form, "doctype", "rutin");
    Set(form, "owner_email", "nagon@annan.se");
    Set(form, "summary", "Ny rutin");
    form.emplace_back("action", "draft");
    HttpResponse refused = Post(cookie, "/nytt", form);
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("Ett nytt dokument måste ha dig som dokumentansvarig."),
              std::string::npos);
    EXPECT_NE(refused.body.find("value=\"Rutin för introduktion\""), std::string::npos);
    Set(form, "owner_email", "hr-chef@exempelby.se");
    EXPECT_EQ(Post(cookie, "/nytt", form).status, 303);
    // The same id again is taken.
    HttpResponse taken = Post(cookie, "/nytt", form);
    EXPECT_EQ(taken.status, 409);
    EXPECT_NE(taken.body.find("Det finns redan ett dokument med det här dokument-id:t."),
              std::string::npos);
}

TEST_F(EditPages, RestoringAnOldVersionMakesItTheNewestVersion) {
    const std::string cookie = SignIn("admin");
    HttpResponse history = Page(cookie, "/documents/avfallstaxa/history");
    ASSERT_EQ(history.status, 200);
    EXPECT_NE(history.body.find("Återställ den här versionen"), std::string::npos);
    auto versions = Json(Page(cookie, "/api/documents/avfallstaxa/history"))->getArray("versions");
    const std::string oldest = versions->getObject(static_cast<unsigned>(versions->size() - 1))
                                   ->getValue<std::string>("version");
    const std::string current = versions->getObject(0)->getValue<std::string>("version");
    auto old = Json(Page(cookie, "/api/documents/avfallstaxa?version=" + oldest));
    const std::string csrf =
        FormFields(history.body, "&#x2F;documents&#x2F;avfallstaxa&#x2F;aterstall").at(0).second;
    HttpResponse restored = Post(cookie, "/documents/avfallstaxa/aterstall",
                                 {{"csrf", csrf}, {"version", oldest}, {"current", current}});
    ASSERT_EQ(restored.status, 303) << restored.body;
    EXPECT_EQ(restored.Header("location"), "/documents/avfallstaxa/history");
    auto now = Document("avfallstaxa");
    EXPECT_EQ(now->getValue<std::string>("dnr"), old->getValue<std::string>("dnr"));
    EXPECT_EQ(now->getValue<std::string>("text"), old->getValue<std::string>("text"));
    EXPECT_EQ(VersionCount("avfallstaxa"), versions->size() + 1);
    // The same button again is based on a version that is no longer current.
    HttpResponse stale = Post(cookie, "/documents/avfallstaxa/aterstall",
                              {{"csrf", csrf}, {"version", oldest}, {"current", current}});
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(VersionCount("avfallstaxa"), versions->size() + 1);
}

TEST_F(EditPages, RepealRecordsTheDecisionAndEndsTheValidity) {
    const std::string cookie = SignIn("admin");
    HttpResponse page = Page(cookie, "/documents/avfallsplan/upphav");
    ASSERT_EQ(page.status, 200);
    Fields form = FormFields(page.body, "&#x2F;documents&#x2F;avfallsplan&#x2F;upphav");
    Set(form, "decided_by", "kf");
    Set(form, "decided_on", "2026-11-16");
    HttpResponse missing = Post(cookie, "/documents/avfallsplan/upphav", form);
    EXPECT_EQ(missing.status, 400);
    EXPECT_NE(missing.body.find("Fyll i paragraf: ett beslut av Kommunfullmäktige har en "
                                "paragraf (§)."),
              std::string::npos);
    Set(form, "paragraph", "§ 140");
    Set(form, "dnr", "KS 2026/0311");
    HttpResponse repealed = Post(cookie, "/documents/avfallsplan/upphav", form);
    ASSERT_EQ(repealed.status, 303) << repealed.body;
    auto document = Document("avfallsplan");
    EXPECT_EQ(document->getValue<std::string>("status"), "upphävd");
    EXPECT_EQ(document->getValue<std::string>("valid_to"), "2026-11-16");
    auto reviews = document->getArray("reviews");
    auto last = reviews->getObject(static_cast<unsigned>(reviews->size() - 1));
    EXPECT_EQ(last->getValue<std::string>("outcome"), "upphävs");
    EXPECT_EQ(last->getValue<std::string>("paragraph"), "§ 140");
    EXPECT_NE(Page(cookie, "/documents/avfallsplan").body.find("Dokumentet är upphävt"),
              std::string::npos);
}

TEST_F(EditPages, AnUploadedOdtFillsAnEmptyText) {
    const std::string cookie = SignIn("hr");
    Fields form = EditForm(cookie, "regler-bisysslor");
    Set(form, "text", "");
    Set(form, "summary", "Texten ur det beslutade dokumentet");
    form.emplace_back("action", "save");
    HttpResponse saved =
        PostWithUpload(cookie, "/documents/regler-bisysslor/redigera", form, "bisysslor.odt",
                       Odt("Anställda ska anmäla bisysslor till sin chef före årsskiftet."));
    ASSERT_EQ(saved.status, 303) << saved.body;
    auto document = Document("regler-bisysslor");
    EXPECT_NE(document->getValue<std::string>("text").find("anmäla bisysslor till sin chef"),
              std::string::npos)
        << document->getValue<std::string>("text");
    auto files = document->getArray("files");
    bool found = false;
    for (std::size_t i = 0; i < files->size(); ++i) {
        const Poco::Dynamic::Var file = files->get(static_cast<unsigned>(i));
        found = found || file.toString().find("bisysslor.odt") != std::string::npos;
    }
    EXPECT_TRUE(found);
}

// A few kilobytes of spans nested 300 000 deep crashed the server (issue 15): the form now
// comes back with the problem named under the upload and with what was typed.
TEST_F(EditPages, AHostileUploadIsRefusedByNameAndTheTypedTextKept) {
    const std::string cookie = SignIn("hr");
    Fields form = EditForm(cookie, "regler-bisysslor");
    Set(form, "text", "Texten som skrevs för hand.");
    form.emplace_back("action", "save");
    std::string nested;
    for (int i = 0; i < 300'000; ++i) nested += "<text:span>";
    nested += "x";
    for (int i = 0; i < 300'000; ++i) nested += "</text:span>";
    HttpResponse refused = PostWithUpload(cookie, "/documents/regler-bisysslor/redigera", form,
                                          "djup.odt", Odt(nested));
    ASSERT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("Texten i djup.odt gick inte att läsa. Filen är för djupt "
                                "nästlad (mer än 200 nivåer)."),
              std::string::npos)
        << refused.body;
    EXPECT_NE(refused.body.find("Texten som skrevs för hand."), std::string::npos);
    EXPECT_EQ(Document("regler-bisysslor")->getValue<std::string>("text").find("skrevs för hand"),
              std::string::npos);
}

TEST_F(EditPages, ATextBeyondTheLimitsIsShownAtTheTextFieldAndNotSaved) {
    const std::string cookie = SignIn("hr");
    const std::size_t before = VersionCount("arbetsmiljopolicy");
    Fields form = EditForm(cookie, "arbetsmiljopolicy");
    std::string wide = "|";
    for (int i = 0; i < 100; ++i) wide += " a |";
    wide += "\n|";
    for (int i = 0; i < 100; ++i) wide += "---|";
    Set(form, "text", "# Arbetsmiljöpolicy\n\n" + wide + "\n| x |\n");
    Set(form, "summary", "En bred tabell");
    form.emplace_back("action", "save");
    HttpResponse page = Post(cookie, "/documents/arbetsmiljopolicy/redigera", form);
    EXPECT_EQ(page.status, 400) << page.body.substr(0, 300);
    EXPECT_NE(page.body.find("<p class=\"falt-felmeddelande\" id=\"falt-text-fel\"><span "
                             "class=\"visually-hidden\">Fel: </span>Texten har en tabell med 100 "
                             "kolumner på rad 3; högst 64 går att visa.</p>"),
              std::string::npos)
        << page.body;
    EXPECT_NE(page.body.find(" a | a | a |"), std::string::npos);  // what was typed stays
    EXPECT_EQ(VersionCount("arbetsmiljopolicy"), before);
}

TEST_F(EditPages, ADraftIsSavedBesideTheVersionInForceThenAdoptedOrDiscarded) {
    const std::string cookie = SignIn("hr");
    const std::string id = "arbetsmiljopolicy";
    const std::string url = "/documents/" + id;
    const std::size_t before = VersionCount(id);
    const std::string added = "Distansarbete följer en egen riktlinje om zebrahemmakontor.";

    Fields form = EditForm(cookie, id);
    Set(form, "text", Get(form, "text") + "\n\n" + added + "\n");
    Set(form, "summary", "Utkast: distansarbete");
    form.emplace_back("action", "draft");
    HttpResponse saved = Post(cookie, url + "/redigera", form);
    ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 500);
    EXPECT_EQ(saved.Header("location"), url + "?draft=1");

    // The public sees and finds the version in force as it was; the owner sees the draft.
    HttpResponse public_page = HttpGet(Port(), url);
    ASSERT_EQ(public_page.status, 200);
    EXPECT_EQ(public_page.body.find("zebrahemmakontor"), std::string::npos);
    EXPECT_EQ(HttpGet(Port(), url + "?draft=1").status, 404);
    EXPECT_EQ(Json(HttpGet(Port(), "/api/search?q=zebrahemmakontor"))->getValue<int>("total"), 0);
    EXPECT_EQ(VersionCount(id), before);
    HttpResponse draft_page = Page(cookie, url + "?draft=1");
    ASSERT_EQ(draft_page.status, 200);
    EXPECT_NE(draft_page.body.find("zebrahemmakontor"), std::string::npos);

    // The edit form now works on the draft, and its save button adopts it with the decision.
    HttpResponse edit_page = Page(cookie, url + "/redigera");
    ASSERT_EQ(edit_page.status, 200);
    EXPECT_NE(edit_page.body.find("Anta utkastet som gällande"), std::string::npos);
    Fields adopt = EditForm(cookie, id);
    EXPECT_NE(Get(adopt, "text").find(added), std::string::npos);
    Set(adopt, "decided_on", "2026-11-20");
    Set(adopt, "paragraph", "§ 151");
    Set(adopt, "valid_from", "2026-11-21");
    Set(adopt, "summary", "Antagen med avsnitt om distansarbete");
    adopt.emplace_back("action", "save");
    HttpResponse adopted = Post(cookie, url + "/redigera", adopt);
    ASSERT_EQ(adopted.status, 303) << adopted.body.substr(0, 2000);
    EXPECT_EQ(adopted.Header("location"), url);
    EXPECT_NE(HttpGet(Port(), url).body.find("zebrahemmakontor"), std::string::npos);
    EXPECT_EQ(Json(HttpGet(Port(), "/api/search?q=zebrahemmakontor"))->getValue<int>("total"), 1);
    EXPECT_EQ(Page(cookie, url + "?draft=1").status, 404);
    auto document = Document(id);
    EXPECT_EQ(document->getValue<std::string>("paragraph"), "§ 151");
    EXPECT_EQ(document->getValue<std::string>("state"), "gällande");

    // A second draft, discarded from the draft's page: the adopted version stays in force.
    Fields again = EditForm(cookie, id);
    Set(again, "text", "# Arbetsmiljöpolicy\n\nEtt utkast som kastas.\n");
    Set(again, "summary", "Prov som kastas");
    again.emplace_back("action", "draft");
    ASSERT_EQ(Post(cookie, url + "/redigera", again).status, 303);
    HttpResponse with_draft = Page(cookie, url + "?draft=1");
    Fields discard =
        FormFields(with_draft.body, "&#x2F;documents&#x2F;" + id + "&#x2F;utkast&#x2F;kasta");
    ASSERT_EQ(Get(discard, "version").size(), 40u);
    HttpResponse discarded = Post(cookie, url + "/utkast/kasta", discard);
    ASSERT_EQ(discarded.status, 303) << discarded.body.substr(0, 500);
    EXPECT_EQ(Page(cookie, url + "?draft=1").status, 404);
    EXPECT_NE(HttpGet(Port(), url).body.find("zebrahemmakontor"), std::string::npos);
    const std::string after = Document(id)->getValue<std::string>("text");
    EXPECT_EQ(after.find("Ett utkast som kastas"), std::string::npos);
    EXPECT_NE(after.find(added), std::string::npos);
}

}  // namespace
}  // namespace styrdok
