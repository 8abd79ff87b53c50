#include "facet_column.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <sstream>
#include <utility>

#include "styrdok/core/validity.hpp"

namespace styrdok::indexer::detail {

std::shared_ptr<const FacetColumn> FacetColumn::Build(const Xapian::Database& db,
                                                      const FacetColumn* previous) {
    auto column = std::make_shared<FacetColumn>();
    column->uuid_ = db.get_uuid();
    column->revision_ = db.get_revision();
    column->last_docid_ = db.get_lastdocid();
    Xapian::docid from = 1;
    std::vector<Xapian::docid> replaced;
    if (previous && previous->uuid_ == column->uuid_ && previous->revision_ <= column->revision_ &&
        previous->last_docid_ <= column->last_docid_) {
        std::optional<std::vector<Xapian::docid>> since =
            ReplacedSince(db.get_metadata(kMetaReplaced), previous->revision_);
        if (since) {
            column->chunks_ = previous->chunks_;
            column->fields_ = previous->fields_;
            from = previous->last_docid_ + 1;
            for (Xapian::docid did : *since) {
                if (did < from) replaced.push_back(did);
            }
            std::sort(replaced.begin(), replaced.end());
            replaced.erase(std::unique(replaced.begin(), replaced.end()), replaced.end());
        }
    }
    if (from == 1) {
        column->chunks_.clear();
        for (auto& field : column->fields_) field = std::make_shared<const Dictionary>();
    }
    if (from > column->last_docid_ && replaced.empty()) return column;

    // A chunk is copied the first time this build writes to it (it may hold documents of
    // `previous`, shared with it).
    if (column->last_docid_ > 0) column->chunks_.resize((column->last_docid_ - 1) / kChunkDocs + 1);
    std::unordered_map<std::size_t, std::shared_ptr<Chunk>> writable;
    auto codes_of = [&](Xapian::docid did) -> Codes& {
        const std::size_t c = (did - 1) / kChunkDocs;
        std::shared_ptr<Chunk>& chunk = writable[c];
        if (!chunk) {
            chunk = column->chunks_[c] ? std::make_shared<Chunk>(*column->chunks_[c])
                                       : std::make_shared<Chunk>(kChunkDocs, Codes{});
            column->chunks_[c] = chunk;
        }
        return (*chunk)[(did - 1) % kChunkDocs];
    };
    // A dictionary is copied the first time this build meets a value it lacks.
    std::array<std::shared_ptr<Dictionary>, kFacetValueCount> grown;
    auto code_of = [&](std::size_t field, std::string_view value) -> std::uint32_t {
        if (value.empty()) return 0;
        const Dictionary& known = grown[field] ? *grown[field] : *column->fields_[field];
        if (auto found = known.codes.find(std::string(value)); found != known.codes.end()) {
            return found->second;
        }
        if (!grown[field]) {
            grown[field] = std::make_shared<Dictionary>(*column->fields_[field]);
            column->fields_[field] = grown[field];
        }
        Dictionary& dictionary = *grown[field];
        const auto code = static_cast<std::uint32_t>(dictionary.values.size());
        dictionary.values.emplace_back(value);
        dictionary.codes.emplace(std::string(value), code);
        return code;
    };
    auto set = [&](Xapian::docid did, const std::string& value) {
        Codes& codes = codes_of(did);
        if (value.empty()) {
            codes = Codes{};
            return;
        }
        const auto fields = DecodeFacets(value);
        for (std::size_t field = 0; field < kFacetValueCount; ++field) {
            codes[field] = code_of(field, fields[field]);
        }
    };
    // A document replaced in place since `previous` is read again; one deleted since matches
    // nothing, so its old codes do no harm.
    for (Xapian::docid did : replaced) {
        try {
            set(did, db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(kSlotFacets));
        } catch (const Xapian::DocNotFoundError&) {
            codes_of(did) = Codes{};
        }
    }
    if (from > column->last_docid_) return column;
    Xapian::ValueIterator it = db.valuestream_begin(kSlotFacets);
    if (it != db.valuestream_end(kSlotFacets)) it.skip_to(from);
    for (; it != db.valuestream_end(kSlotFacets); ++it) {
        const Xapian::docid did = it.get_docid();
        if (did > column->last_docid_) break;
        const std::string value = *it;
        if (!value.empty()) set(did, value);
    }
    return column;
}

std::string AppendReplaced(std::string_view log, Xapian::rev revision,
                           const std::vector<Xapian::docid>& docids) {
    if (docids.empty()) return std::string(log);
    // Entries, oldest first, after the line that says from which revision on it is complete.
    std::string complete_after = "0";
    std::vector<std::pair<Xapian::rev, Xapian::docid>> entries;
    if (!log.empty()) {
        std::istringstream in{std::string(log)};
        in >> complete_after;
        Xapian::rev rev = 0;
        Xapian::docid did = 0;
        while (in >> rev >> did) entries.emplace_back(rev, did);
    }
    for (Xapian::docid did : docids) entries.emplace_back(revision, did);
    if (entries.size() > kReplacedKept) {
        // Whole revisions go, so that the log is complete after the last one gone.
        std::size_t drop = entries.size() - kReplacedKept;
        while (drop < entries.size() && entries[drop].first == entries[drop - 1].first) ++drop;
        complete_after = std::to_string(entries[drop - 1].first);
        entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    std::string out = complete_after + '\n';
    for (const auto& [rev, did] : entries) {
        out += std::to_string(rev) + ' ' + std::to_string(did) + '\n';
    }
    return out;
}

std::optional<std::vector<Xapian::docid>> ReplacedSince(std::string_view log, Xapian::rev after) {
    std::vector<Xapian::docid> docids;
    if (log.empty()) return docids;
    std::istringstream in{std::string(log)};
    Xapian::rev complete_after = 0;
    if (!(in >> complete_after) || after < complete_after) return std::nullopt;
    Xapian::rev rev = 0;
    Xapian::docid did = 0;
    while (in >> rev >> did) {
        if (rev > after) docids.push_back(did);
    }
    return docids;
}

std::shared_ptr<const FacetColumn::DayStates> FacetColumn::StatesOn(std::size_t field,
                                                                    long day) const {
    // A day's searches ask for it again and again; valid_on asks for others now and then.
    constexpr std::size_t kDaysKept = 8;
    {
        std::lock_guard lock(states_mutex_);
        for (const KeptStates& kept : states_) {
            if (kept.field == field && kept.day == day) return kept.states;
        }
    }
    auto states = std::make_shared<DayStates>();
    const std::vector<std::string>& values = (*fields_[field]).values;
    states->of_code.resize(values.size(), 0);
    for (std::size_t code = 1; code < values.size(); ++code) {
        const std::string_view state = StateOn(values[code], day);
        auto found = std::find(states->names.begin(), states->names.end(), state);
        states->of_code[code] = static_cast<std::uint32_t>(found - states->names.begin());
        if (found == states->names.end()) states->names.push_back(state);
    }
    std::lock_guard lock(states_mutex_);
    if (states_.size() >= kDaysKept) states_.erase(states_.begin());
    states_.push_back({field, day, states});
    return states;
}

std::size_t FacetColumn::CountersOf(std::size_t field) const {
    std::size_t offset = 0;
    for (std::size_t f = 0; f < field; ++f) offset += CodeCount(f);
    return offset;
}

std::shared_ptr<const std::vector<std::uint32_t>> FacetColumn::CountsOf(
    const BooleanMatch& shared) const {
    // The scope of today and of a day or two asked with valid_on, each with a filter or two.
    constexpr std::size_t kCountsKept = 8;
    const std::string& key = shared.SharedKey();
    {
        std::lock_guard lock(counts_mutex_);
        for (const KeptCounts& kept : counts_) {
            if (kept.key == key) return kept.counts;
        }
    }
    // Counted outside the lock: another thread's search never waits for it.
    std::array<std::size_t, kFacetValueCount> offsets{};
    for (std::size_t field = 0; field < kFacetValueCount; ++field) {
        offsets[field] = CountersOf(field);
    }
    auto counts = std::make_shared<std::vector<std::uint32_t>>(
        offsets.back() + CodeCount(kFacetValueCount - 1), 0);
    std::uint32_t* counters = counts->data();
    shared.ForEach([&](Xapian::docid did) {
        const Codes* codes = Of(did);
        if (!codes) return;
        for (std::size_t field = 0; field < kFacetValueCount; ++field) {
            ++counters[offsets[field] + (*codes)[field]];
        }
    });
    std::lock_guard lock(counts_mutex_);
    for (const KeptCounts& kept : counts_) {
        if (kept.key == key) return kept.counts;
    }
    if (counts_.size() >= kCountsKept) counts_.erase(counts_.begin());
    counts_.push_back({key, counts});
    return counts;
}

namespace {

// Columns kept for each folder: the newest few, so that a searcher still at an older
// revision finds its own, and a newer one is built from the newest.
constexpr std::size_t kColumnsKept = 4;

struct Columns {
    std::mutex mutex;
    std::unordered_map<std::string, std::vector<std::shared_ptr<const FacetColumn>>> by_folder;
};

Columns& AllColumns() {
    static Columns columns;
    return columns;
}

}  // namespace

std::shared_ptr<const FacetColumn> SharedFacetColumn(const std::string& folder,
                                                     const Xapian::Database& db) {
    const std::string uuid = db.get_uuid();
    const Xapian::rev revision = db.get_revision();
    Columns& all = AllColumns();
    std::shared_ptr<const FacetColumn> base;
    {
        std::lock_guard lock(all.mutex);
        for (const auto& column : all.by_folder[folder]) {
            if (column->uuid() != uuid || column->revision() > revision) continue;
            if (column->revision() == revision) return column;
            if (!base || base->revision() < column->revision()) base = column;
        }
    }
    // Built outside the lock: another thread's search never waits for it.
    std::shared_ptr<const FacetColumn> built = FacetColumn::Build(db, base.get());
    std::lock_guard lock(all.mutex);
    auto& kept = all.by_folder[folder];
    for (const auto& column : kept) {
        if (column->uuid() == uuid && column->revision() == revision) return column;
    }
    std::erase_if(kept, [&](const auto& column) { return column->uuid() != uuid; });
    kept.push_back(built);
    std::sort(kept.begin(), kept.end(),
              [](const auto& a, const auto& b) { return a->revision() > b->revision(); });
    if (kept.size() > kColumnsKept) kept.resize(kColumnsKept);
    return built;
}

namespace {

// ShownOutOfForceOn's answers: the scope of today, and of a day or two after it.
struct KeptOutOfForce {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::shared_ptr<const ShownOutOfForce>>> kept;
};

std::shared_ptr<const ShownOutOfForce> FindOutOfForce(
    const std::vector<const Xapian::Database*>& parts,
    const std::vector<std::shared_ptr<const FacetColumn>>& columns, std::size_t current,
    const Xapian::Query& shown, const Xapian::Query& in_force, long day) {
    auto found = std::make_shared<ShownOutOfForce>();
    const std::size_t field = FacetField(Facet::kStatus);
    const std::string_view in_force_name = core::ForceStateName(core::ForceState::kInForce);
    std::optional<BooleanMatch> counted = BooleanMatch::Shared(*parts[current], in_force);
    if (!counted) return found;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        std::optional<BooleanMatch> rest = BooleanMatch::Shared(*parts[p], shown);
        if (!rest) return found;
        const FacetColumn& column = *columns[p];
        const std::shared_ptr<const FacetColumn::DayStates> states = column.StatesOn(field, day);
        std::vector<bool> code_in_force(column.CodeCount(field), false);
        for (std::size_t code = 1; code < code_in_force.size(); ++code) {
            code_in_force[code] = states->names[states->of_code[code]] == in_force_name;
        }
        BooleanMatch in_force_shown = *rest;
        auto is_in_force = [&](Xapian::docid did) {
            const FacetColumn::Codes* codes = column.Of(did);
            return codes && code_in_force[(*codes)[field]];
        };
        in_force_shown.KeepIf(is_in_force);
        rest->KeepIf([&](Xapian::docid did) { return !is_in_force(did); });
        if (p == current ? in_force_shown.CountWithout(*counted) != 0 ||
                               counted->CountWithout(in_force_shown) != 0
                         : in_force_shown.Count() != 0) {
            return found;
        }
        found->in.push_back(std::make_shared<const BooleanMatch>(std::move(*rest)));
    }
    found->exact = true;
    return found;
}

}  // namespace

std::shared_ptr<const ShownOutOfForce> ShownOutOfForceOn(
    const std::vector<const Xapian::Database*>& parts,
    const std::vector<std::shared_ptr<const FacetColumn>>& columns, std::size_t current,
    const Xapian::Query& shown, const Xapian::Query& in_force, long day) {
    // Today's scope and one or two days asked after it, each with or without drafts.
    constexpr std::size_t kKept = 8;
    static KeptOutOfForce all;
    std::string key = std::to_string(day) + ' ' + std::to_string(current);
    for (const Xapian::Database* part : parts) {
        key += '\n' + part->get_uuid() + '@' + std::to_string(part->get_revision());
    }
    key += '\n' + shown.serialise() + '\n' + in_force.serialise();
    {
        std::lock_guard lock(all.mutex);
        for (const auto& [name, kept] : all.kept) {
            if (name == key) return kept;
        }
    }
    // Found outside the lock: another thread's search never waits for it.
    std::shared_ptr<const ShownOutOfForce> found =
        FindOutOfForce(parts, columns, current, shown, in_force, day);
    std::lock_guard lock(all.mutex);
    if (all.kept.size() >= kKept) all.kept.erase(all.kept.begin());
    all.kept.emplace_back(std::move(key), found);
    return found;
}

ColumnFacetSpy::ColumnFacetSpy(std::vector<Facet> facets,
                               std::vector<std::shared_ptr<const FacetColumn>> columns, long day)
    : facets_(std::move(facets)),
      columns_(std::move(columns)),
      counters_(columns_.size()),
      offsets_(columns_.size()),
      day_(day) {
    for (Facet facet : facets_) fields_.push_back(FacetField(facet));
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        std::size_t size = 0;
        for (std::size_t field : fields_) {
            offsets_[c].push_back(size);
            size += columns_[c]->CodeCount(field);
        }
        counters_[c].assign(size, 0);
    }
}

void ColumnFacetSpy::Count(Xapian::docid did) {
    const FacetColumn::Codes* codes = columns_[in_]->Of(did);
    if (!codes) return;
    std::uint32_t* counters = counters_[in_].data();
    const std::size_t* offsets = offsets_[in_].data();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (const std::uint32_t code = (*codes)[fields_[i]]) ++counters[offsets[i] + code];
    }
}

void ColumnFacetSpy::CountAll(const BooleanMatch& matches, const BooleanMatch* within) {
    const FacetColumn& column = *columns_[in_];
    std::uint32_t* counters = counters_[in_].data();
    // Each field's counters, indexed by code: code 0 (no value) has a counter too, never read,
    // so that a match adds without a branch.
    std::vector<std::pair<std::size_t, std::uint32_t*>> by_field;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        by_field.emplace_back(fields_[i], counters + offsets_[in_][i]);
    }
    if (within && !within->SharedKey().empty() && 2 * matches.Count() > within->Count() &&
        matches.CountWithout(*within) == 0) {
        // Most of `within`: its kept counts less those of the fewer documents outside.
        const std::shared_ptr<const std::vector<std::uint32_t>> all = column.CountsOf(*within);
        for (const auto& [field, field_counters] : by_field) {
            const std::uint32_t* from = all->data() + column.CountersOf(field);
            for (std::size_t code = 0; code < column.CodeCount(field); ++code) {
                field_counters[code] += from[code];
            }
        }
        within->ForEachWithout(matches, [&](Xapian::docid did) {
            const FacetColumn::Codes* codes = column.Of(did);
            if (!codes) return;
            for (const auto& [field, field_counters] : by_field) --field_counters[(*codes)[field]];
        });
        return;
    }
    matches.ForEach([&](Xapian::docid did) {
        const FacetColumn::Codes* codes = column.Of(did);
        if (!codes) return;
        for (const auto& [field, field_counters] : by_field) ++field_counters[(*codes)[field]];
    });
}

std::map<std::string, std::size_t> ColumnFacetSpy::Counts(std::size_t i) const {
    std::map<std::string, std::size_t> counts;
    const std::size_t field = fields_[i];
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        const FacetColumn& column = *columns_[c];
        const std::uint32_t* counters = counters_[c].data() + offsets_[c][i];
        if (facets_[i] == Facet::kStatus) {
            // The status field has a code for every distinct history of states, thousands,
            // but a day has a handful of states: added up by state first.
            const std::shared_ptr<const FacetColumn::DayStates> states =
                column.StatesOn(field, day_);
            std::vector<std::size_t> by_state(states->names.size(), 0);
            for (std::uint32_t code = 1; code < column.CodeCount(field); ++code) {
                by_state[states->of_code[code]] += counters[code];
            }
            for (std::size_t s = 0; s < by_state.size(); ++s) {
                if (by_state[s] != 0) counts[std::string(states->names[s])] += by_state[s];
            }
            continue;
        }
        for (std::uint32_t code = 1; code < column.CodeCount(field); ++code) {
            const std::size_t n = counters[code];
            if (n == 0) continue;
            const std::string_view value = column.Value(field, code);
            if (facets_[i] == Facet::kGoalArea) {
                for (std::string_view key : DecodeList(value)) counts[std::string(key)] += n;
            } else {
                counts[std::string(value)] += n;
            }
        }
    }
    return counts;
}

}  // namespace styrdok::indexer::detail
