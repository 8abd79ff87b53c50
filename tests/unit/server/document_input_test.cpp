// Request bodies as the write side reads them: form encodings and the document JSON.
#include "document_input.hpp"

#include <gtest/gtest.h>

#include "form.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {
namespace {

Request FormRequest(std::string content_type, std::string body) {
    Request request;
    request.method = "POST";
    request.headers["content-type"] = std::move(content_type);
    request.body = std::move(body);
    return request;
}

TEST(FormBody, UrlEncodedFieldsAreDecodedInOrder) {
    Request request = FormRequest("application/x-www-form-urlencoded",
                                  "name=anna&text=R%C3%A4tt+text%21&text=andra&tom=");
    ParseFormBody(request);
    EXPECT_EQ(request.Field("name"), "anna");
    EXPECT_EQ(request.Field("text"), "Rätt text!");
    EXPECT_EQ(request.Fields("text"), (std::vector<std::string>{"Rätt text!", "andra"}));
    EXPECT_TRUE(request.HasField("tom"));
    EXPECT_EQ(request.Field("saknas"), "");
}

TEST(FormBody, MultipartGivesFieldsAndFiles) {
    const std::string body =
        "--GRANS123\r\n"
        "Content-Disposition: form-data; name=\"summary\"\r\n\r\n"
        "Ny version\r\n"
        "--GRANS123\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"beslut.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.4 bytes\r\n"
        "--GRANS123\r\n"
        "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
        "\r\n"
        "--GRANS123--\r\n";
    Request request = FormRequest("multipart/form-data; boundary=GRANS123", body);
    ParseFormBody(request);
    EXPECT_EQ(request.Field("summary"), "Ny version");
    ASSERT_EQ(request.uploads.size(), 1u);  // an empty file input sends nothing worth keeping
    EXPECT_EQ(request.uploads[0].field, "file");
    EXPECT_EQ(request.uploads[0].filename, "beslut.pdf");
    EXPECT_EQ(request.uploads[0].content_type, "application/pdf");
    EXPECT_EQ(request.uploads[0].bytes, "%PDF-1.4 bytes");
}

TEST(FormBody, BrokenBodiesAreBadInput) {
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"application/x-www-form-urlencoded", "namn=%ZZ"},
             {"application/x-www-form-urlencoded", "namn=%FF%FE"},
             {"multipart/form-data; boundary=x",
              "--x\r\nContent-Disposition: form-data; "
              "name=\"a\"\r\n\r\n\xff\xfe\r\n--x--\r\n"},
         }) {
        Request request = FormRequest(type, body);
        try {
            ParseFormBody(request);
            ADD_FAILURE() << body;
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput) << body;
        }
    }
    Request json = FormRequest("application/json", R"({"a":1})");
    ParseFormBody(json);  // not a form: left alone
    EXPECT_TRUE(json.form.empty());
}

TEST(DocumentJson, FieldsPresentReplaceAndAbsentOnesStay) {
    core::Metadata base;
    base.id = "policy";
    base.title = "Gammal titel";
    base.dnr = "KS 2020/1";
    base.keywords = {"a"};
    DocumentInput input = ParseDocumentJson(
        R"({"title":"Ny titel","decided_on":"2026-01-15","valid_to":null,"keywords":["x","y"],)"
        R"("status":"utkast","public":false,"text":"# Text","summary":"Ändrad",)"
        R"("category":"politisk","version":"abc","html":"<p>","files":[]})",
        base);
    EXPECT_EQ(input.metadata.id, "policy");
    EXPECT_EQ(input.metadata.title, "Ny titel");
    EXPECT_EQ(input.metadata.dnr, "KS 2020/1");
    EXPECT_EQ(input.metadata.decided_on, core::Date::Parse("2026-01-15"));
    EXPECT_FALSE(input.metadata.valid_to);
    EXPECT_EQ(input.metadata.keywords, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(input.metadata.status, core::Status::kDraft);
    EXPECT_EQ(input.metadata.is_public, false);
    EXPECT_EQ(input.text, "# Text");
    EXPECT_EQ(input.summary, "Ändrad");
    EXPECT_FALSE(ParseDocumentJson("{}", base).text);  // no text: the text stays
}

TEST(DocumentJson, WrongTypesAndValuesNameTheField) {
    for (const auto& [json, field] : std::vector<std::pair<std::string, std::string>>{
             {R"({"title":1})", "title"},
             {R"({"decided_on":"15/1 2026"})", "decided_on"},
             {R"({"keywords":"a"})", "keywords"},
             {R"({"keywords":[1]})", "keywords"},
             {R"({"status":"kanske"})", "status"},
             {R"({"public":"ja"})", "public"},
             {R"({"reviews":[{"decided_on":"2026-01-01","outcome":"oklart"}]})", "outcome"},
             {R"({"text":["a"]})", "text"},
         }) {
        try {
            ParseDocumentJson(json, {});
            ADD_FAILURE() << json;
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_NE(std::string(error.what()).find(field), std::string::npos) << error.what();
        }
    }
    for (const char* body : {"", "{", "[1]", "\"text\"", "null"}) {
        EXPECT_THROW(ParseDocumentJson(body, {}), Error) << body;
    }
}

}  // namespace
}  // namespace styrdok::server
