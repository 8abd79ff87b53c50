#include "form.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <sstream>

#include "styrdok/core/error.hpp"
#include "styrdok/core/utf8.hpp"
#include "target.hpp"

namespace styrdok::server {

namespace {

constexpr int kMaxFields = 1000;

class UploadCollector : public Poco::Net::PartHandler {
public:
    explicit UploadCollector(std::vector<Upload>& uploads) : uploads_(uploads) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        Upload upload;
        upload.content_type = header.get("Content-Type", "application/octet-stream");
        if (header.has("Content-Disposition")) {
            std::string disposition;
            Poco::Net::NameValueCollection parameters;
            Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition"),
                                                      disposition, parameters);
            upload.field = parameters.get("name", "");
            upload.filename = parameters.get("filename", "");
        }
        Poco::StreamCopier::copyToString(stream, upload.bytes);
        // A file input left empty still sends a part, without a name or bytes.
        if (upload.filename.empty() && upload.bytes.empty()) return;
        uploads_.push_back(std::move(upload));
    }

private:
    std::vector<Upload>& uploads_;
};

}  // namespace

void ParseFormBody(Request& request) {
    const std::string type = request.Header("content-type");
    const std::size_t parameters = type.find(';');
    std::string media = type.substr(0, parameters);
    for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    if (media == "application/x-www-form-urlencoded") {
        // The same decoding as a query string: '+' is a space, each part checked for UTF-8.
        Request parsed;
        ParseTarget("/?" + request.body, parsed);
        if (parsed.query.size() > kMaxFields) {
            throw Error(ErrorCode::kBadInput, "formuläret har för många fält");
        }
        request.form = std::move(parsed.query);
        return;
    }
    if (media != "multipart/form-data") return;
    Poco::Net::HTTPRequest header(Poco::Net::HTTPRequest::HTTP_POST, "/");
    // Poco compares the media type as written, case and all, and reads anything but
    // "multipart/form-data" as URL-encoded: it gets the one matched here, with the
    // parameters (the boundary) as they came.
    header.setContentType(media +
                          (parameters == std::string::npos ? "" : type.substr(parameters)));
    std::istringstream body(request.body);
    Poco::Net::HTMLForm form;
    form.setFieldLimit(kMaxFields);
    UploadCollector uploads(request.uploads);
    try {
        form.load(header, body, uploads);
    } catch (const Poco::Exception&) {
        // Poco's message quotes the body (a header line, a broken percent-encoding), bytes and
        // line breaks included: it would carry the sender's bytes into the answer.
        throw Error(ErrorCode::kBadInput, "formuläret kunde inte läsas");
    }
    for (const auto& [name, value] : form) {
        if (!core::IsValidUtf8(name) || !core::IsValidUtf8(value)) {
            throw Error(ErrorCode::kBadInput, "formuläret är inte giltig UTF-8");
        }
        request.form.emplace_back(name, value);
    }
    for (const Upload& upload : request.uploads) {
        if (!core::IsValidUtf8(upload.filename)) {
            throw Error(ErrorCode::kBadInput, "filnamnet är inte giltig UTF-8");
        }
    }
}

}  // namespace styrdok::server
