#include "batch_review.hpp"

#include <algorithm>

#include "../render/json.hpp"
#include "styrdok/core/error.hpp"

namespace styrdok::server {

BatchResult RecordBatch(const Site& site, const User& user, const core::BatchDecision& batch,
                        const std::string& summary,
                        const std::map<std::string, std::string>& seen) {
    // Every document read once, from the store rather than the snapshot: the write needs its
    // text and the version to check, and both come from the same read.
    std::map<std::string, store::Document, std::less<>> current;
    if (batch.documents.size() <= core::kMaxBatchDocuments) {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (const core::BatchEntry& entry : batch.documents) {
            if (!core::IsValidDocumentId(entry.id) || current.contains(entry.id)) continue;
            if (std::optional<store::Document> document = reader->store.Read(entry.id)) {
                current.emplace(entry.id, std::move(*document));
            }
        }
    }
    const core::FindDocument find = [&current](std::string_view id) -> const core::Metadata* {
        const auto found = current.find(id);
        return found == current.end() ? nullptr : &found->second.metadata;
    };
    BatchResult result;
    core::BatchChange change =
        core::ApplyBatchReview(batch, find, user.Actor(), site.schema, site.Today());
    if (!change.problems.empty()) {
        result.problems = std::move(change.problems);
        return result;
    }
    std::vector<store::DocumentWrite> writes;
    for (const core::ReviewChange& review : change.changes) {
        const store::Document& document = current.at(review.after.id);
        if (const auto shown = seen.find(review.after.id);
            shown != seen.end() && shown->second != document.version) {
            throw Error(
                ErrorCode::kStaleVersion,
                review.after.id + " har ändrats sedan listan visades; inget är registrerat");
        }
        store::DocumentWrite write;
        write.metadata = review.after;
        write.text = document.text;
        write.expected_version = document.version;
        writes.push_back(std::move(write));
    }
    const std::string message =
        summary.empty() ? core::BatchSummary(change.changes, site.schema) : summary;
    try {
        result.version = site.writer.SaveAll(std::move(writes), AuthorOf(user), message);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::kStaleVersion) throw;
        throw Error(ErrorCode::kConflict,
                    "ett av dokumenten ändrades samtidigt av någon annan; inget är registrerat, "
                    "försök igen");
    }
    result.changes = std::move(change.changes);
    return result;
}

std::vector<const core::Metadata*> DecidedTogether(const Site& site,
                                                   const store::Snapshot& snapshot,
                                                   const Request& request,
                                                   const core::ReviewRecord& record,
                                                   const std::string& self) {
    std::vector<const core::Metadata*> together;
    const std::optional<core::Actor> actor = ActorOf(request);
    for (const store::SnapshotEntry& entry : snapshot.documents()) {
        const core::Metadata& m = *entry.metadata;
        if (m.id == self || m.reviews.empty()) continue;
        const bool same = std::any_of(m.reviews.begin(), m.reviews.end(),
                                      [&](const auto& r) { return core::SameDecision(r, record); });
        if (same && core::MaySee(actor, m, site.schema)) together.push_back(&m);
    }
    std::sort(together.begin(), together.end(),
              [](const core::Metadata* a, const core::Metadata* b) { return a->title < b->title; });
    return together;
}

void AddDecidedWith(const Site& site, const store::Snapshot& snapshot, const Request& request,
                    const core::Metadata& m, Poco::JSON::Object& document_json) {
    const Poco::JSON::Array::Ptr reviews = document_json.getArray("reviews");
    if (reviews.isNull()) return;
    for (std::size_t i = 0; i < m.reviews.size() && i < reviews->size(); ++i) {
        Poco::JSON::Object::Ptr review = reviews->getObject(static_cast<unsigned>(i));
        if (review.isNull()) continue;
        std::vector<std::string> ids;
        for (const core::Metadata* other :
             DecidedTogether(site, snapshot, request, m.reviews[i], m.id)) {
            ids.push_back(other->id);
        }
        std::sort(ids.begin(), ids.end());
        review->set("decided_with", StringArray(ids));
    }
}

}  // namespace styrdok::server
