// Any text as `styrdok propose` might read it from a hostile file: the proposer never throws,
// every value it proposes is valid UTF-8 and short, a date is a date, and the id made from
// its title is a valid document id; behind a typed cover, only what the cover says is sure.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/propose.hpp"
#include "styrdok/core/schema.hpp"
#include "styrdok/core/utf8.hpp"
#include "support.hpp"

namespace {

using namespace styrdok;

const core::Schema& DefaultSchema() {
    static const core::Schema schema =
        core::Schema::Load(std::string(STYRDOK_SOURCE_DIR) + "/schema/default.xml");
    return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::AsText(data, size);
    const core::Proposal proposal = core::ProposeMetadata(text, DefaultSchema());
    for (std::string_view name : core::kProposedFields) {
        const core::ProposedField& field = proposal.Field(name);
        fuzz::Expect(core::IsValidUtf8(field.value), "a proposed value is UTF-8");
        fuzz::Expect(field.value.size() <= 200, "a proposed value is at most 200 bytes");
        fuzz::Expect(field.value.empty() == (field.confidence == core::Confidence::kMissing) ||
                         name == "valid_to",
                     "a value is missing exactly when it is empty (valid_to: tillsvidare)");
    }
    for (std::string_view name : {"decided_on", "valid_from", "valid_to"}) {
        const std::string& value = proposal.Field(name).value;
        fuzz::Expect(value.empty() || core::Date::Parse(value).has_value(), "a date is a date");
    }
    fuzz::Expect(core::IsValidDocumentId(core::IdFromTitle(proposal.title.value)),
                 "the id made from the title is valid");
    fuzz::Expect(core::IsValidDocumentId(core::IdFromTitle(text)), "any text makes a valid id");

    // The same text as a typed cover (its first half, cut anywhere, even inside a character)
    // before pages read by OCR: a field is sure only as the cover alone says it.
    const std::string_view cover = text.substr(0, text.size() / 2);
    const core::Proposal mixed = core::ProposeMetadata(text, cover, DefaultSchema());
    const core::Proposal typed = core::ProposeMetadata(cover, DefaultSchema());
    for (std::string_view name : core::kProposedFields) {
        const core::ProposedField& field = mixed.Field(name);
        fuzz::Expect(core::IsValidUtf8(field.value) && field.value.size() <= 200,
                     "a value proposed behind a cover is UTF-8 and short");
        fuzz::Expect(
            !field.sure() || (typed.Field(name).sure() && typed.Field(name).value == field.value),
            "a field sure behind a cover is sure on the cover alone");
    }
    return 0;
}
