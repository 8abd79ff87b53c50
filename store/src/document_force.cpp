#include "styrdok/store/document_force.hpp"

#include <utility>

namespace styrdok::store {

namespace {

std::vector<core::Metadata> MetadataOf(const std::vector<Document>& versions) {
    std::vector<core::Metadata> metadata;
    metadata.reserve(versions.size());
    for (const Document& version : versions) metadata.push_back(version.metadata);
    return metadata;
}

}  // namespace

DocumentForce DocumentForce::Read(const Store& store, std::string_view id,
                                  const std::vector<std::string>& replaced_by) {
    DocumentForce force;
    force.versions_ = store.Versions(id);
    force.metadata_ = MetadataOf(force.versions_);
    std::vector<std::pair<std::string, std::vector<core::Metadata>>> successors;
    for (const std::string& successor : replaced_by) {
        successors.emplace_back(successor, MetadataOf(store.Versions(successor)));
    }
    if (const std::optional<core::Replacement> replacement = core::FirstReplacement(successors)) {
        force.replaced_from_ = replacement->from;
        force.successor_ = replacement->successor;
    }
    force.intervals_ = core::ForceIntervals(force.metadata_, force.replaced_from_);
    return force;
}

std::optional<std::size_t> DocumentForce::IndexOf(std::string_view version) const {
    for (std::size_t i = 0; i < versions_.size(); ++i) {
        if (versions_[i].version == version) return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> DocumentForce::InForceOn(core::Date day) const {
    // The intervals do not overlap, so the first that holds the day is the only one.
    for (std::size_t i = 0; i < intervals_.size(); ++i) {
        if (intervals_[i] && intervals_[i]->Contains(day)) return i;
    }
    return std::nullopt;
}

core::ForceState DocumentForce::StateOf(std::size_t index, core::Date day) const {
    return core::VersionStateOn(metadata_, index, intervals_, day);
}

core::ForceState DocumentForce::DocumentStateOn(core::Date day) const {
    return core::DocumentStateOn(metadata_, intervals_, day);
}

}  // namespace styrdok::store
