#include "styrdok/core/proposal_metadata.hpp"

#include <gtest/gtest.h>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

const Schema& DefaultSchema() {
    static const Schema schema = Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

const Date kToday = *Date::Parse("2026-11-23");

// A policy of fullmäktige's whose every field was read from a label or a decision line.
Proposal SureProposal() {
    const auto sure = [](const char* value) { return ProposedField{value, Confidence::kSure}; };
    Proposal p;
    p.title = sure("Policy för bisysslor");
    p.doctype = sure("policy");
    p.decided_by = sure("kf");
    p.decided_on = sure("2019-05-07");
    p.paragraph = sure("§ 77");
    p.dnr = sure("KS 2019/150");
    p.owner = sure("HR-chef");
    p.valid_from = sure("2019-06-01");
    p.valid_to = sure("");  // tillsvidare
    return p;
}

TEST(ProposedMetadata, IsInForceWhenEverythingIsSureAndValid) {
    const Metadata m = ProposedMetadata(SureProposal(), "bisysslor", DefaultSchema(), kToday);
    EXPECT_EQ(m.status, Status::kInForce);
    EXPECT_EQ(m.id, "bisysslor");
    EXPECT_EQ(m.decided_by, "kf");
    EXPECT_EQ(m.decided_on->ToString(), "2019-05-07");
    EXPECT_EQ(m.paragraph, "§ 77");
    EXPECT_FALSE(m.valid_to.has_value());
    EXPECT_TRUE(AllSure(SureProposal()));
}

TEST(ProposedMetadata, IsADraftWhenAnyValueIsUncertain) {
    for (Confidence confidence : {Confidence::kGuessed, Confidence::kConflicting}) {
        SCOPED_TRACE(static_cast<int>(confidence));
        Proposal p = SureProposal();
        p.dnr.confidence = confidence;
        EXPECT_EQ(ProposedMetadata(p, "bisysslor", DefaultSchema(), kToday).status, Status::kDraft);
        EXPECT_FALSE(AllSure(p));
    }
}

TEST(ProposedMetadata, AMissingFieldIsNotSureAndInForceOnlyWhenTheSchemaLetsItBeEmpty) {
    Proposal p = SureProposal();
    p.valid_from = {};  // kMissing: nothing found, nothing guessed; empty means from the decision
    EXPECT_FALSE(AllSure(p));
    EXPECT_EQ(ProposedMetadata(p, "bisysslor", DefaultSchema(), kToday).status, Status::kInForce);
    p.owner = {};  // a policy in force must name its owner
    EXPECT_EQ(ProposedMetadata(p, "bisysslor", DefaultSchema(), kToday).status, Status::kDraft);
}

TEST(ProposedMetadata, DropsAGuessTheRegistryWouldRefuseAndStaysADraft) {
    Proposal p = SureProposal();
    p.decided_on = {"2027-01-10", Confidence::kSure};   // after today
    p.valid_to = {"2001-01-01", Confidence::kGuessed};  // before the start
    const Metadata m = ProposedMetadata(p, "bisysslor", DefaultSchema(), kToday);
    EXPECT_EQ(m.status, Status::kDraft);
    EXPECT_FALSE(m.decided_on.has_value());
    EXPECT_FALSE(m.valid_to.has_value());
    EXPECT_EQ(m.decided_by, "kf");
}

}  // namespace
}  // namespace styrdok::core
