#include "page.hpp"

#include "../render/html.hpp"

namespace styrdok::server {

mstch::map PageContext(const Site& site, const Request& request, const std::string& title) {
    return mstch::map{
        {"site_name", Text(site.config.site_name)},
        {"municipality", Text(site.config.municipality)},
        {"page_title",
         Text(title.empty() ? site.config.site_name : title + " – " + site.config.site_name)},
        {"query", Text(request.Param("q"))},
        {"contact_email", Text(site.config.contact_email)},
        {"is_search_page", false},
    };
}

Response Page(const Site& site, const std::string& name, const mstch::map& context, int status) {
    Response response;
    response.status = status;
    response.body = site.templates.Render(name, context);
    return response;
}

std::string DocumentUrl(const std::string& id) { return "/documents/" + EncodeUrlComponent(id); }

Response ErrorPage(const Site& site, int status, std::string_view message, const Request& request) {
    mstch::map context = PageContext(site, request, "Fel " + std::to_string(status));
    std::string heading = status == 404   ? "Sidan finns inte"
                          : status == 400 ? "Felaktig förfrågan"
                          : status == 413 ? "För stor förfrågan"
                          : status == 405 ? "Metoden stöds inte"
                          : status >= 500 ? "Något gick fel hos oss"
                                          : "Det gick inte";
    context["status"] = status;
    context["heading"] = Text(heading);
    context["message"] = Text(std::string(message));
    return Page(site, "error", context, status);
}

}  // namespace styrdok::server
