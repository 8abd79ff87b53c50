// Who may see and change what (core/access.hpp): ownership, visibility, and the rights to
// edit, review and adopt, from tables of accounts and documents.
#include "styrdok/core/access.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

Metadata Document(std::string owner_email, std::string owner_body, Status status = Status::kInForce,
                  std::optional<bool> is_public = std::nullopt) {
    Metadata m;
    m.id = "dokument";
    m.doctype = "policy";
    m.owner_email = std::move(owner_email);
    m.owner_body = std::move(owner_body);
    m.status = status;
    m.is_public = is_public;
    return m;
}

// An account as the tests name it; the strings live as long as the test's table.
struct Account {
    Role role;
    std::string email;
    std::vector<std::string> bodies;

    Actor AsActor() const { return {role, email, bodies}; }
};

Date D(std::string_view text) { return Date::Parse(text).value(); }

TEST(Access, OwnershipIsByEmailWithoutCaseOrByBody) {
    const Metadata hr = Document("HR-chef@Exempelby.se", "ks");
    EXPECT_TRUE(Owns(Account{Role::kOwner, "hr-chef@exempelby.se", {}}.AsActor(), hr));
    const Account with_bodies{Role::kOwner, "annan@exempelby.se", {"bun", "ks"}};
    EXPECT_TRUE(Owns(with_bodies.AsActor(), hr));
    const Account other_body{Role::kOwner, "annan@exempelby.se", {"bun"}};
    EXPECT_FALSE(Owns(other_body.AsActor(), hr));
    EXPECT_FALSE(Owns(Account{Role::kOwner, "", {}}.AsActor(), Document("", "")));
}

TEST(Access, WhoSeesWhat) {
    const Schema schema = Schema::Load(testing::SourceDir() / "schema/default.xml");
    const Metadata open = Document("hr@x.se", "ks");
    const Metadata closed = Document("hr@x.se", "ks", Status::kInForce, false);
    const Metadata draft = Document("hr@x.se", "ks", Status::kDraft);
    const std::optional<Actor> nobody;
    EXPECT_TRUE(MaySee(nobody, open, schema));
    EXPECT_FALSE(MaySee(nobody, closed, schema));
    EXPECT_FALSE(MaySee(nobody, draft, schema));
    EXPECT_TRUE(IsVisibleToAnyone(open, schema));
    EXPECT_FALSE(IsVisibleToAnyone(closed, schema));
    EXPECT_FALSE(IsVisibleToAnyone(draft, schema));
    const Account reader{Role::kReader, "hr@x.se", {}};
    EXPECT_TRUE(MaySee(reader.AsActor(), closed, schema));
    EXPECT_FALSE(MaySee(reader.AsActor(), draft, schema));
    const Account owner{Role::kOwner, "hr@x.se", {}};
    const Account other{Role::kOwner, "annan@x.se", {}};
    const Account clerk{Role::kClerk, "c@x.se", {}};
    const Account admin{Role::kAdmin, "a@x.se", {}};
    EXPECT_TRUE(MaySee(owner.AsActor(), draft, schema));
    EXPECT_FALSE(MaySee(other.AsActor(), draft, schema));
    EXPECT_TRUE(MaySee(clerk.AsActor(), draft, schema));
    EXPECT_TRUE(MaySee(admin.AsActor(), draft, schema));
    EXPECT_FALSE(MaySearchNonPublic(nobody));
    EXPECT_TRUE(MaySearchNonPublic(reader.AsActor()));
    EXPECT_FALSE(MaySearchEverything(reader.AsActor()));
    EXPECT_TRUE(MaySearchEverything(clerk.AsActor()));
}

TEST(Access, WhoChangesWhat) {
    const Metadata hr = Document("hr@x.se", "ks");
    const Metadata taken = Document("annan@x.se", "ks");
    const Metadata to_clerk = Document("c@x.se", "ks");
    Metadata reviewed = hr;
    reviewed.reviews.push_back({"kf", D("2026-11-20"), "§ 12", "", ReviewOutcome::kKept});
    Metadata marked = hr;
    marked.last_reviewed_on = D("2026-11-20");
    Metadata due_later = hr;
    due_later.review_due = D("2030-12-31");
    struct Case {
        const char* name;
        Account account;
        std::optional<Metadata> before;
        Metadata after;
        bool text_changed;
        std::optional<ProblemCode> refused;
    };
    const std::vector<Case> cases = {
        {"a reader changes nothing",
         {Role::kReader, "hr@x.se", {}},
         hr,
         hr,
         false,
         ProblemCode::kReadOnlyAccount},
        {"an owner revises their own", {Role::kOwner, "hr@x.se", {}}, hr, hr, true, {}},
        {"an owner hands it over", {Role::kOwner, "hr@x.se", {}}, hr, taken, false, {}},
        {"an owner cannot take another's over",
         {Role::kOwner, "annan@x.se", {}},
         hr,
         taken,
         false,
         ProblemCode::kNotOwner},
        {"an owner creates their own", {Role::kOwner, "hr@x.se", {}}, std::nullopt, hr, true, {}},
        {"an owner's new document names them",
         {Role::kOwner, "hr@x.se", {}},
         std::nullopt,
         taken,
         true,
         ProblemCode::kNewDocumentMustNameYou},
        {"a clerk changes metadata", {Role::kClerk, "c@x.se", {}}, hr, hr, false, {}},
        {"a clerk does not change others' text",
         {Role::kClerk, "c@x.se", {}},
         hr,
         hr,
         true,
         ProblemCode::kClerkMayNotChangeText},
        {"a clerk who owns it changes its text", {Role::kClerk, "hr@x.se", {}}, hr, hr, true, {}},
        {"a clerk creates a document", {Role::kClerk, "c@x.se", {}}, std::nullopt, hr, true, {}},
        // Issue 16: the first of two PUTs that would give a clerk the text.
        {"a clerk cannot make themselves the owner",
         {Role::kClerk, "c@x.se", {}},
         hr,
         to_clerk,
         false,
         ProblemCode::kMayNotTakeOver},
        {"nor through a body of theirs",
         {Role::kClerk, "c@x.se", {"sn"}},
         hr,
         Document("hr@x.se", "sn"),
         false,
         ProblemCode::kMayNotTakeOver},
        {"an admin changes everything", {Role::kAdmin, "a@x.se", {}}, hr, taken, true, {}},
        // Issue 15: a review is recorded only as a review decision.
        {"an owner cannot record a review",
         {Role::kOwner, "hr@x.se", {}},
         hr,
         reviewed,
         false,
         ProblemCode::kMayNotSetReview},
        {"nor mark it reviewed",
         {Role::kOwner, "hr@x.se", {}},
         hr,
         marked,
         false,
         ProblemCode::kMayNotSetReview},
        {"nor move its deadline",
         {Role::kOwner, "hr@x.se", {}},
         hr,
         due_later,
         false,
         ProblemCode::kMayNotSetReview},
        {"nor erase a review",
         {Role::kOwner, "hr@x.se", {}},
         reviewed,
         hr,
         false,
         ProblemCode::kMayNotSetReview},
        {"nor start with one",
         {Role::kOwner, "hr@x.se", {}},
         std::nullopt,
         reviewed,
         true,
         ProblemCode::kMayNotSetReview},
        {"a clerk cannot edit reviews either",
         {Role::kClerk, "c@x.se", {}},
         hr,
         reviewed,
         false,
         ProblemCode::kMayNotSetReview},
        {"nor an admin",
         {Role::kAdmin, "a@x.se", {}},
         hr,
         marked,
         false,
         ProblemCode::kMayNotSetReview},
        {"a clerk registers a decided deadline",
         {Role::kClerk, "c@x.se", {}},
         hr,
         due_later,
         false,
         {}},
        {"unchanged reviews do not stop a revision",
         {Role::kOwner, "hr@x.se", {}},
         reviewed,
         reviewed,
         true,
         {}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::optional<Problem> why =
            WhyNotAllowed(c.account.AsActor(), c.before, c.after, c.text_changed);
        ASSERT_EQ(why.has_value(), c.refused.has_value());
        if (why) {
            EXPECT_EQ(ProblemCodeName(why->code), ProblemCodeName(*c.refused));
            EXPECT_FALSE(why->message.empty());
        }
    }
}

TEST(Access, OnlyClerksAndAdminsRecordReviewsAndAdoptDrafts) {
    for (const auto& [role, allowed] :
         {std::pair{Role::kReader, false}, std::pair{Role::kOwner, false},
          std::pair{Role::kClerk, true}, std::pair{Role::kAdmin, true}}) {
        SCOPED_TRACE(std::string(RoleName(role)));
        const Account account{role, "x@x.se", {}};
        EXPECT_EQ(!WhyNotRecordReview(account.AsActor()).has_value(), allowed);
        EXPECT_EQ(!WhyNotAdopt(account.AsActor()).has_value(), allowed);
    }
}

}  // namespace
}  // namespace styrdok::core
