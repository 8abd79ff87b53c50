#include "site.hpp"

#include <ctime>
#include <utility>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

core::Date Site::Today() const {
    if (config.today) return *config.today;
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *core::Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

Handler Site::Cached(Handler handler) const {
    return server::Cached(
        responses, [this] { return Today(); }, std::move(handler));
}

bool IsVisibleToAnyone(const core::Metadata& metadata, const core::Schema& schema) {
    if (metadata.status == core::Status::kDraft) return false;
    if (metadata.is_public) return *metadata.is_public;
    const core::DocType* type = schema.FindDocType(metadata.doctype);
    return type ? type->public_by_default : true;
}

const std::string& CheckDocumentId(const std::string& id) {
    if (!core::IsValidDocumentId(id)) {
        throw Error(ErrorCode::kBadInput,
                    "ogiltigt dokument-id (bara a–z, 0–9 och bindestreck, högst 100 tecken)");
    }
    return id;
}

store::Document FindVisibleDocument(const store::Store& store, const core::Schema& schema,
                                    const std::string& id, const Request& request) {
    CheckDocumentId(id);
    std::optional<store::Document> document;
    std::string version = request.Param("version");
    std::string at = request.Param("at");
    if (!version.empty()) {
        bool hex = version.size() == 40 &&
                   version.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!hex) throw Error(ErrorCode::kBadInput, "version ska vara en commit (40 hexsiffror)");
        try {
            document = store.Read(id, version);
        } catch (const Error& error) {
            if (error.code() != ErrorCode::kNotFound) throw;
        }
        // A commit of the registry that did not change this document still shows it as it
        // was; only its own versions are offered, so say so for anything else.
        if (document && document->version != version) document.reset();
        if (!document) throw Error(ErrorCode::kNotFound, "versionen finns inte");
    } else if (!at.empty()) {
        std::optional<core::Date> date = core::Date::Parse(at);
        if (!date) throw Error(ErrorCode::kBadInput, "at ska vara ett datum (ÅÅÅÅ-MM-DD)");
        document = store.VersionInForce(id, *date);
        if (!document) {
            throw Error(ErrorCode::kNotFound,
                        "ingen version av dokumentet gällde " + date->ToString());
        }
    } else {
        document = store.Read(id);
        if (!document) throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    if (!IsVisibleToAnyone(document->metadata, schema)) {
        throw Error(ErrorCode::kNotFound, "dokumentet finns inte");
    }
    return *std::move(document);
}

}  // namespace styrdok::server
