#include "styrdok/core/propose.hpp"

#include <gtest/gtest.h>

#include <string>

#include "styrdok/core/metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/testing/sandbox.hpp"

namespace styrdok::core {
namespace {

const Schema& DefaultSchema() {
    static const Schema schema = Schema::Load(testing::SourceDir() / "schema/default.xml");
    return schema;
}

struct FieldCase {
    const char* text;
    const char* field;
    const char* value;
    Confidence confidence;
};

TEST(ProposeMetadata, ReadsEachFieldFromItsEvidence) {
    const FieldCase cases[] = {
        {"Fastställd Kommunfullmäktige 2011-04-19 § 90", "decided_by", "kf", Confidence::kSure},
        {"Fastställd Kommunfullmäktige 2011-04-19 § 90", "decided_on", "2011-04-19",
         Confidence::kSure},
        {"Fastställd Kommunfullmäktige 2011-04-19 § 90", "paragraph", "§ 90", Confidence::kSure},
        {"Antaget av kommunfullmäktige den 15 december 2022, § 201", "decided_on", "2022-12-15",
         Confidence::kSure},
        {"Fastställda vid kommunfullmäktiges sammanträde 2021-04-26, § 61.", "decided_by", "kf",
         Confidence::kSure},
        {"Beslutad av socialnämnden 2022-05-18 § 77", "decided_by", "sn", Confidence::kSure},
        {"Beslutat av KF 2018-11-26 § 199, dnr KS 2018/0400", "decided_by", "kf",
         Confidence::kSure},
        {"Beslutat av KF 2018-11-26 § 199, dnr KS 2018/0400", "dnr", "KS 2018/0400",
         Confidence::kSure},
        {"Dnr KS/2009:50", "dnr", "KS/2009:50", Confidence::kSure},
        {"| Paragraf | 98 |", "paragraph", "§ 98", Confidence::kSure},
        {"Dokumentansvarig: Ekonomichef", "owner", "Ekonomichef", Confidence::kSure},
        {"Ansvarig nämnd: Kommunstyrelsen", "owner", "", Confidence::kMissing},
        {"Giltighetstid 2011-04-19 - tillsvidare", "valid_from", "2011-04-19", Confidence::kSure},
        {"Giltighetstid 2011-04-19 - tillsvidare", "valid_to", "", Confidence::kSure},
        {"Träder i kraft den 1 juni 2016.", "valid_from", "2016-06-01", Confidence::kSure},
        {"Gäller från och med 2023-01-01 till och med 2026-12-31", "valid_to", "2026-12-31",
         Confidence::kSure},
        {"Taxa för avfall\n\nAntagen av KF 2020-01-01 § 3", "doctype", "taxa", Confidence::kSure},
        {"Riktlinjer för bostadsförsörjning 2024–2027", "doctype", "riktlinjer-bostadsforsorjning",
         Confidence::kSure},
        {"# Lokala ordningsföreskrifter", "doctype", "foreskrift", Confidence::kGuessed},
        {"Dokumenttyp: Reglemente\n\nRiktlinjer för något", "doctype", "reglemente",
         Confidence::kConflicting},
        // "1 § Denna taxa" is a section of the rules, not the minutes' paragraph.
        {"Antagen av kommunfullmäktige 2020-11-30\n1 § Denna taxa gäller", "paragraph", "",
         Confidence::kMissing},
        // The "i" that follows is a word, not a paragraph's letter.
        {"Antagen av KF 2020-11-30 § 139 i enlighet med förslaget", "paragraph", "§ 139",
         Confidence::kSure},
        // A second decision without a body of the schema makes the date uncertain.
        {"Fastställd av kommunfullmäktige 2022-02-14, § 12 och antogs vid bolagsstämma "
         "2022-03-01.",
         "decided_on", "2022-02-14", Confidence::kConflicting},
        // Two bodies in one decision: which decided is a guess.
        {"Beslutad av kommunstyrelsen och kommunfullmäktige 2020-05-05", "decided_by", "ks",
         Confidence::kConflicting},
        // A revision is the version's decision: the two decisions conflict, the later is proposed.
        {"Beslutad av SN 2024-01-24 § 5\nReviderad av SN 2024-05-15 § 61", "decided_on",
         "2024-05-15", Confidence::kConflicting},
        {"Beslutad av SN 2024-01-24 § 5\nReviderad av SN 2024-05-15 § 61", "paragraph", "§ 61",
         Confidence::kConflicting},
        // A sentence a PDF wrapped goes on in the next line.
        {"Reglementet antogs av kommunfullmäktige 2017-06-19, § 88, och gäller från och med\n"
         "2017-07-01.",
         "valid_from", "2017-07-01", Confidence::kSure},
        // "Datum" is the document's date, not always its decision's.
        {"| Beslutad av | Kommunstyrelsen | Datum | 2022-09-12 |", "decided_on", "2022-09-12",
         Confidence::kGuessed},
        {"Ansvarig tjänsteperson: Kommunikationschef", "owner", "Kommunikationschef",
         Confidence::kSure},
        // A doctype's word alone is more often a running header than the title.
        {"Policy\nPolicy för resor", "title", "Policy", Confidence::kGuessed},
        // A decision without a date says nothing.
        {"Beslut fattade med stöd av delegation anmäls till nämnden.", "decided_by", "",
         Confidence::kMissing},
    };
    for (const FieldCase& c : cases) {
        SCOPED_TRACE(std::string(c.text) + " / " + c.field);
        const Proposal proposal = ProposeMetadata(c.text, DefaultSchema());
        const ProposedField& field = proposal.Field(c.field);
        EXPECT_EQ(field.value, c.value);
        EXPECT_EQ(field.confidence, c.confidence);
    }
}

TEST(ProposeMetadata, ListsTheFieldsItIsNotSureOf) {
    const Proposal proposal = ProposeMetadata(
        "Policy för test\nFastställd av kommunfullmäktige 2021-06-23 § 139\nDnr KS 2021/1\n"
        "Dokumentansvarig: Kanslichef\nGiltighetstid: 2021-07-01 - tillsvidare",
        DefaultSchema());
    EXPECT_EQ(proposal.title.value, "Policy för test");
    EXPECT_EQ(proposal.Uncertain(), std::vector<std::string>{});
    EXPECT_EQ(ProposeMetadata("", DefaultSchema()).Uncertain().size(), kProposedFields.size());
}

TEST(ProposeMetadata, NeverThrowsOnHostileText) {
    const std::string texts[] = {
        std::string(100'000, '|'),
        std::string(50'000, '#') + "\n",
        "\xC3\xC3\xA7\xC2 Dnr \xFF\xFE",
        "§§§§§ 99999999999 paragraf",
        "Fastställd " + std::string(30'000, ' ') + "2020-02-30 den 31 februari 2020",
        std::string(200'000, 'a'),
        // Each byte that is not UTF-8 becomes U+FFFD, three bytes: the value is cut after.
        "| Titel: | " + std::string(150, '\x87') + " |",
        "Dokumentansvarig: X" + std::string(150, '\xFF'),
    };
    for (const std::string& text : texts) {
        SCOPED_TRACE(text.substr(0, 20));
        const Proposal proposal = ProposeMetadata(text, DefaultSchema());
        for (std::string_view field : kProposedFields) {
            EXPECT_LE(proposal.Field(field).value.size(), 200u);
            EXPECT_TRUE(IsValidUtf8(proposal.Field(field).value));
        }
    }
}

// Behind a typed cover, only what the text layer says for sure stays sure: what OCR read is
// a guess, and what OCR read against the cover makes the cover's value uncertain too.
TEST(ProposeMetadataPartlyOcr, KeepsOnlyWhatTheTextLayerSaysForSure) {
    const std::string cover =
        "Riktlinjer för hantering av allmänna handlingar\n\n"
        "Fastställd av kommunfullmäktige 2019-03-25 § 41\n";
    const struct {
        const char* name;
        const char* scanned;  // what OCR read of the pages behind the cover
        const char* field;
        const char* value;
        Confidence confidence;
    } cases[] = {
        {"the typed title", "Dnr KS 2018/0412\n", "title",
         "Riktlinjer för hantering av allmänna handlingar", Confidence::kSure},
        {"the typed decision", "Dnr KS 2018/0412\n", "decided_on", "2019-03-25", Confidence::kSure},
        {"a number OCR read", "Dnr KS 2018/0412\n", "dnr", "KS 2018/0412", Confidence::kGuessed},
        {"a second body OCR read", "Fastställd av kommunstyrelsen 2019-02-11 § 20\n", "decided_by",
         "kf", Confidence::kConflicting},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string text = cover + "\n" + c.scanned;
        const Proposal proposal = ProposeMetadata(text, cover, DefaultSchema());
        EXPECT_EQ(proposal.Field(c.field).value, c.value);
        EXPECT_EQ(proposal.Field(c.field).confidence, c.confidence);
    }
}

TEST(IdFromTitle, MakesAValidIdOfAnyTitle) {
    const std::pair<const char*, const char*> cases[] = {
        {"Riktlinjer för inköp och upphandling", "riktlinjer-for-inkop-och-upphandling"},
        {"Plan för krisberedskap 2023–2026", "plan-for-krisberedskap-2023-2026"},
        {"Ägardirektiv för Kommunfastigheter i Exempelby AB",
         "agardirektiv-for-kommunfastigheter-i-exempelby-ab"},
        {"§§ —", "dokument"},
        {"", "dokument"},
    };
    for (const auto& [title, id] : cases) {
        SCOPED_TRACE(title);
        EXPECT_EQ(IdFromTitle(title), id);
        EXPECT_TRUE(IsValidDocumentId(IdFromTitle(title)));
    }
    const std::string long_id = IdFromTitle(std::string(300, 'x') + " y");
    EXPECT_TRUE(IsValidDocumentId(long_id));
    EXPECT_LE(long_id.size(), 60u);
}

}  // namespace
}  // namespace styrdok::core
