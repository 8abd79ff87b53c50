#include "new_document.hpp"

#include "styrdok/core/validation.hpp"

namespace styrdok::server {

core::Metadata NewDocumentOf(const Site& site, const User& user) {
    core::Metadata start;
    start.owner_email = user.email;
    if (!user.bodies.empty()) start.owner_body = user.bodies.front();
    Forbid(site, core::WhyNotAllowed(user.Actor(), std::nullopt, start, true));
    return start;
}

bool DocumentExists(const Site& site, const std::string& id) {
    ReaderPool::Lease reader = site.readers.Acquire();
    return reader->store.Read(id).has_value() || reader->store.ReadDraft(id).has_value();
}

SaveCheck CheckSave(const Site& site, const User& user,
                    const std::optional<core::Metadata>& current, core::Metadata& metadata,
                    bool text_changed) {
    SaveCheck check;
    if (auto why = core::WhyNotAllowed(user.Actor(), current, metadata, text_changed)) {
        check.forbidden = true;
        check.errors.push_back(FormError{"", core::SwedishText(*why, site.schema)});
        return check;
    }
    metadata.category.clear();  // derived from the doctype, never stored
    std::vector<core::Problem> problems = core::Validate(metadata, site.schema, site.Today());
    {
        ReaderPool::Lease reader = site.readers.Acquire();
        for (core::Problem& problem : RelationProblems(site, reader->store, metadata)) {
            problems.push_back(std::move(problem));
        }
    }
    check.errors = SwedishProblems(problems, site.schema);
    return check;
}

}  // namespace styrdok::server
