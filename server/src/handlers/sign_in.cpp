// Signing in and out of the web pages: a session cookie (auth/gatekeeper.hpp).
#include "../auth/local_target.hpp"
#include "../render/html.hpp"
#include "../site.hpp"
#include "page.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

bool OverTls(const Site& site, const Request& request) {
    return site.config.public_url.starts_with("https://") || request.https;
}

Response Redirect(const std::string& location) {
    Response response;
    response.status = 303;
    response.headers.emplace_back("Location", location);
    return response;
}

Response SignInPage(const Site& site, const Request& request, const std::string& error,
                    int status) {
    mstch::map context = PageContext(site, request, "Logga in");
    context["next"] =
        Text(LocalTarget(request.HasField("next") ? request.Field("next") : request.Param("next")));
    context["name"] = Text(request.Field("name"));
    if (!error.empty()) context["error"] = Text(error);
    return Page(site, "logga-in", context, status);
}

Response SignIn(const Site& site, const Request& request) {
    try {
        const std::string token = site.gatekeeper.SignIn(
            request.Field("name"), request.Field("password"), request.client_address);
        Response response = Redirect(LocalTarget(request.Field("next")));
        response.headers.emplace_back("Set-Cookie",
                                      site.gatekeeper.Cookie(token, OverTls(site, request)));
        return response;
    } catch (const Error& error) {
        if (error.code() == ErrorCode::kUnauthorized) {
            return SignInPage(site, request, "Fel användarnamn eller lösenord.", 401);
        }
        if (error.code() == ErrorCode::kTooManyRequests ||
            error.code() == ErrorCode::kUnavailable) {
            Response page = SignInPage(site, request, error.what(), StatusFor(error.code()));
            page.headers.emplace_back("Retry-After", std::to_string(error.retry_after().count()));
            return page;
        }
        throw;
    }
}

Response SignOut(const Site& site, const Request& request) {
    site.gatekeeper.SignOut(request.identity);
    Response response = Redirect("/");
    response.headers.emplace_back("Set-Cookie", site.gatekeeper.Cookie("", OverTls(site, request)));
    return response;
}

}  // namespace

void AddSignInRoutes(Router& router, const Site& site) {
    // A form that signs in: a follower has no accounts to sign in to.
    router.AddWriteForm("/logga-in", [&site](const Request& request, const PathParams&) {
        return SignInPage(site, request, "", 200);
    });
    router.Add("POST", "/logga-in", [&site](const Request& request, const PathParams&) {
        return SignIn(site, request);
    });
    router.Add("POST", "/logga-ut", [&site](const Request& request, const PathParams&) {
        return SignOut(site, request);
    });
}

}  // namespace styrdok::server
