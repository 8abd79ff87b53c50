#include "page.hpp"

#include "../render/html.hpp"

namespace styrdok::server {

namespace {

std::string RoleLabel(Role role) {
    switch (role) {
        case Role::kReader:
            return "läsare";
        case Role::kOwner:
            return "dokumentansvarig";
        case Role::kClerk:
            return "registrator";
        case Role::kAdmin:
            return "administratör";
    }
    return "";
}

}  // namespace

mstch::map PageContext(const Site& site, const Request& request, const std::string& title) {
    return mstch::map{
        {"site_name", Text(site.config.site_name)},
        {"municipality", Text(site.config.municipality)},
        {"page_title",
         Text(title.empty() ? site.config.site_name : title + " – " + site.config.site_name)},
        {"query", Text(request.Param("q"))},
        {"contact_email", Text(site.config.contact_email)},
        {"is_search_page", false},
        {"signed_in", request.identity.user.has_value()},
        {"user_name", Text(request.identity.user ? request.identity.user->name : "")},
        {"user_role", Text(request.identity.user ? RoleLabel(request.identity.user->role) : "")},
        {"csrf", Text(request.identity.csrf)},
        // The header's "Nytt dokument" link (handlers/edit_pages.cpp).
        {"may_create",
         !site.ReadOnly() && request.identity.user && request.identity.user->role != Role::kReader},
        // The header's "Granskning" link (handlers/dashboard_pages.cpp).
        {"may_review", !site.ReadOnly() && request.identity.user &&
                           (request.identity.user->role == Role::kClerk ||
                            request.identity.user->role == Role::kAdmin)},
        // A follower has no accounts: no sign-in link, no sign-out form.
        {"read_only", site.ReadOnly()},
        {"sign_in_url", Text("/logga-in?next=" + EncodeUrlComponent(request.target))},
    };
}

Response Page(const Site& site, const std::string& name, const mstch::map& context, int status) {
    Response response;
    response.status = status;
    response.body = site.templates.Render(name, context);
    return response;
}

std::string DocumentUrl(const std::string& id) { return "/documents/" + EncodeUrlComponent(id); }

Response ErrorPage(const Site& site, int status, std::string_view code, std::string_view message,
                   const Request& request) {
    mstch::map context = PageContext(site, request, "Fel " + std::to_string(status));
    std::string heading = code == "read_only"              ? "Här går det inte att ändra"
                          : status == 404                  ? "Sidan finns inte"
                          : status == 400                  ? "Felaktig förfrågan"
                          : status == 413                  ? "För stor förfrågan"
                          : status == 405                  ? "Metoden stöds inte"
                          : status == 401                  ? "Du behöver logga in"
                          : status == 403                  ? "Du har inte behörighet"
                          : status == 409 || status == 412 ? "Dokumentet har ändrats"
                          : status == 429                  ? "För många försök"
                          : status >= 500                  ? "Något gick fel hos oss"
                                                           : "Det gick inte";
    context["status"] = status;
    context["heading"] = Text(heading);
    context["message"] = Text(std::string(message));
    return Page(site, "error", context, status);
}

}  // namespace styrdok::server
