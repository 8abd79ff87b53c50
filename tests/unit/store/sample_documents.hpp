#pragma once

// The documents the store's tests write: a decided policy, a draft of one, and a write of
// either, so that each test file says only what its case changes.

#include <optional>
#include <string>
#include <utility>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/store/store.hpp"

namespace styrdok::store::sample {

inline core::Date Day(int year, int month, int day) {
    return *core::Date::FromYmd(year, month, day);
}

/// A policy decided by KF on 2021-05-24 § 67, in force from 2021-07-01.
inline core::Metadata Decided(const std::string& id, const std::string& title) {
    core::Metadata m;
    m.id = id;
    m.title = title;
    m.doctype = "policy";
    m.decided_by = "kf";
    m.decided_on = Day(2021, 5, 24);
    m.paragraph = "§ 67";
    m.owner = "HR-chef";
    m.valid_from = Day(2021, 7, 1);
    return m;
}

/// The same policy as a draft: no decision yet.
inline core::Metadata Draft(const std::string& id, const std::string& title) {
    core::Metadata m = Decided(id, title);
    m.status = core::Status::kDraft;
    m.decided_on.reset();
    m.paragraph.clear();
    m.valid_from.reset();
    return m;
}

inline DocumentWrite Write(core::Metadata metadata, std::string text,
                           std::optional<std::string> expected_version = std::nullopt) {
    DocumentWrite write;
    write.metadata = std::move(metadata);
    write.text = std::move(text);
    write.expected_version = std::move(expected_version);
    return write;
}

inline const Author kAnna{"Anna Andersson", "anna@exempel.se"};

}  // namespace styrdok::store::sample
