#include "review_query.hpp"

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

// The one value of a parameter that may be given once.
std::string SingleParam(const Request& request, std::string_view name) {
    const std::vector<std::string> values = request.Params(name);
    if (values.size() > 1) {
        throw Error(ErrorCode::kBadInput, "ange " + std::string(name) + " högst en gång");
    }
    return values.empty() ? std::string() : values.front();
}

}  // namespace

ReviewQuery ParseReviewQuery(const Request& request, const core::Schema& schema, core::Date today) {
    ReviewQuery query;
    query.on = today;
    const std::string state = SingleParam(request, "state");
    if (state == "due") {
        query.filter = core::ReviewFilter::kDue;
    } else if (state == "overdue") {
        query.filter = core::ReviewFilter::kOverdue;
    } else if (state.empty() || state == "all") {
        query.filter = core::ReviewFilter::kAll;
    } else {
        throw Error(ErrorCode::kBadInput, "state ska vara due, overdue eller all");
    }
    query.owner = SingleParam(request, "owner");
    if (const std::string body = SingleParam(request, "body"); !body.empty()) {
        query.body = schema.FindBody(body);
        if (query.body == nullptr) {
            throw Error(ErrorCode::kBadInput,
                        "okänt organ i body: ange organets id, "
                        "förkortning eller namn (till exempel ks)");
        }
    }
    if (const std::string on = SingleParam(request, "on"); !on.empty()) {
        std::optional<core::Date> date = core::Date::Parse(on);
        if (!date) throw Error(ErrorCode::kBadInput, "on ska vara ett datum (ÅÅÅÅ-MM-DD)");
        query.on = *date;
    }
    return query;
}

}  // namespace styrdok::server
