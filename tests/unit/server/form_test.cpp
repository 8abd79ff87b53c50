// Form bodies as anyone may send them (what tests/fuzz/form_fuzz.cpp found).
#include "form.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::server {
namespace {

Request FormRequest(std::string content_type, std::string body) {
    Request request;
    request.method = "POST";
    request.headers["content-type"] = std::move(content_type);
    request.body = std::move(body);
    return request;
}

TEST(FormBody, MultipartIsReadWhateverTheCaseOfItsMediaType) {
    for (const std::string type : {"Multipart/Form-Data; boundary=GRANS",
                                   "MULTIPART/FORM-DATA ; boundary=GRANS"}) {
        SCOPED_TRACE(type);
        Request request = FormRequest(type,
                                      "--GRANS\r\n"
                                      "Content-Disposition: form-data; name=\"titel\"\r\n\r\n"
                                      "Riktlinje\r\n"
                                      "--GRANS--\r\n");
        ParseFormBody(request);
        EXPECT_EQ(request.form,
                  (std::vector<std::pair<std::string, std::string>>{{"titel", "Riktlinje"}}));
    }
}

TEST(FormBody, RefusalsDoNotQuoteTheBody) {
    for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
             {"Multipart/Form-Data", "\xa0%"},
             {"multipart/form-data; boundary=x", "--x\r\n\xff\xfe: \r\n"},
             {"multipart/form-data", "\r\nrad ett\r\nrad två"},
         }) {
        SCOPED_TRACE(body);
        Request request = FormRequest(type, body);
        try {
            ParseFormBody(request);
            ADD_FAILURE() << "read";
        } catch (const Error& error) {
            const std::string message = error.what();
            EXPECT_EQ(error.code(), ErrorCode::kBadInput);
            EXPECT_TRUE(core::IsValidUtf8(message));
            EXPECT_EQ(message.find_first_of("\r\n%"), std::string::npos) << message;
        }
    }
}

}  // namespace
}  // namespace styrdok::server
