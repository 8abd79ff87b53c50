// /feed.atom: the registry's latest changes as an Atom feed (RFC 4287), one entry per
// document and commit, so a reader subscribes to what is decided and revised.
#include <memory>
#include <mutex>
#include <optional>
#include <pugixml.hpp>
#include <sstream>

#include "../render/html.hpp"
#include "page.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

constexpr std::size_t kMaxEntries = 50;
// A commit that touches more documents than this (an import) says so in one entry.
constexpr std::size_t kMaxDocumentsPerCommit = 10;

void AddText(pugi::xml_node parent, const char* name, const std::string& text) {
    parent.append_child(name).text().set(text.c_str());
}

// The feed of the latest commit, kept until HEAD moves: a feed is polled far more often than
// the registry changes, and building it reads a tree per commit listed.
class FeedCache {
public:
    std::optional<Response> Find(const std::string& key) const {
        std::lock_guard lock(mutex_);
        if (key_ == key && response_) return response_;
        return std::nullopt;
    }
    void Keep(std::string key, Response response) {
        std::lock_guard lock(mutex_);
        key_ = std::move(key);
        response_ = std::move(response);
    }

private:
    mutable std::mutex mutex_;
    std::string key_;
    std::optional<Response> response_;
};

// The review this version recorded, if it recorded one: it has more reviews than the version
// before it.
std::optional<core::ReviewRecord> RecordedReview(const store::Store& store, const std::string& id,
                                                 const store::Document& version) {
    if (version.metadata.reviews.empty()) return std::nullopt;
    std::size_t before = 0;
    const std::vector<store::VersionInfo> history = store.History(id);
    for (std::size_t i = 0; i + 1 < history.size(); ++i) {
        if (history[i].version != version.version) continue;
        if (std::optional<store::Document> previous = store.Read(id, history[i + 1].version)) {
            before = previous->metadata.reviews.size();
        }
        break;
    }
    if (version.metadata.reviews.size() <= before) return std::nullopt;
    return version.metadata.reviews.back();
}

Response Feed(const Site& site, const Request& request, FeedCache& cache) {
    std::string base = SiteUrl(site, request);
    ReaderPool::Lease reader = site.readers.Acquire();
    std::optional<std::string> head = reader->store.Head();
    const std::string key = head.value_or("") + " " + base;
    if (std::optional<Response> cached = cache.Find(key)) return *cached;
    std::vector<store::ChangeEntry> log = reader->store.Log(kMaxEntries);

    pugi::xml_document xml;
    pugi::xml_node declaration = xml.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "utf-8";
    pugi::xml_node feed = xml.append_child("feed");
    feed.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
    feed.append_attribute("xml:lang") = "sv";
    AddText(feed, "title",
            site.config.site_name + " – ändringar i " + site.config.municipality +
                "s styrande dokument");
    AddText(feed, "id", base + "/feed.atom");
    AddText(feed, "updated",
            log.empty() ? std::string("1970-01-01T00:00:00Z") : log.front().commit.date);
    pugi::xml_node self = feed.append_child("link");
    self.append_attribute("rel") = "self";
    self.append_attribute("href") = (base + "/feed.atom").c_str();
    pugi::xml_node alternate = feed.append_child("link");
    alternate.append_attribute("href") = (base + "/").c_str();
    pugi::xml_node author = feed.append_child("author");
    AddText(author, "name", site.config.municipality);

    std::size_t entries = 0;
    for (const store::ChangeEntry& change : log) {
        if (entries >= kMaxEntries) break;
        if (change.documents.size() > kMaxDocumentsPerCommit) {
            pugi::xml_node entry = feed.append_child("entry");
            AddText(entry, "title",
                    change.commit.message + " (" + std::to_string(change.documents.size()) +
                        " dokument)");
            AddText(entry, "id", base + "/feed.atom#" + change.commit.version);
            AddText(entry, "updated", change.commit.date);
            pugi::xml_node link = entry.append_child("link");
            link.append_attribute("href") = (base + "/").c_str();
            AddText(entry.append_child("author"), "name", change.commit.author);
            ++entries;
            continue;
        }
        for (const std::string& id : change.documents) {
            if (entries >= kMaxEntries) break;
            std::optional<store::Document> version = reader->store.Read(id, change.commit.version);
            // A removed document, a draft or a document that is not public has no entry.
            if (!version || version->version != change.commit.version ||
                !core::IsVisibleToAnyone(version->metadata, site.schema)) {
                continue;
            }
            std::string url = base + DocumentUrl(id) + "?version=" + change.commit.version;
            pugi::xml_node entry = feed.append_child("entry");
            if (std::optional<core::ReviewRecord> review =
                    RecordedReview(reader->store, id, *version)) {
                // A review decision is an entry a clerk's feed reader can pick out.
                AddText(entry, "title",
                        "Aktualitetsprövning: " + version->metadata.title + " – " +
                            std::string(core::ReviewOutcomeName(review->outcome)));
                pugi::xml_node category = entry.append_child("category");
                category.append_attribute("term") = "aktualitetsprovning";
                category.append_attribute("label") = "Aktualitetsprövning";
            } else {
                AddText(entry, "title", version->metadata.title);
            }
            AddText(entry, "id", url);
            AddText(entry, "updated", change.commit.date);
            pugi::xml_node link = entry.append_child("link");
            link.append_attribute("href") = url.c_str();
            AddText(entry.append_child("author"), "name", change.commit.author);
            AddText(entry, "summary", change.commit.message);
            ++entries;
        }
    }
    std::ostringstream out;
    xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    Response response;
    response.content_type = "application/atom+xml; charset=utf-8";
    response.body = out.str();
    if (head) response.etag = *head;
    cache.Keep(key, response);
    return response;
}

}  // namespace

void AddFeedRoutes(Router& router, const Site& site) {
    auto cache = std::make_shared<FeedCache>();
    router.Add("GET", "/feed.atom", [&site, cache](const Request& request, const PathParams&) {
        return Feed(site, request, *cache);
    });
}

}  // namespace styrdok::server
