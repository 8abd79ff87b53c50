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
        // A doctype's word alone is a cover's or running header's: the title follows it.
        {"Policy\nPolicy för resor", "title", "Policy för resor", Confidence::kSure},
        {"Policy\nDenna policy gäller alla medarbetare.", "title", "Policy", Confidence::kGuessed},
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

void ExpectFields(const FieldCase* begin, const FieldCase* end) {
    for (const FieldCase* c = begin; c != end; ++c) {
        SCOPED_TRACE(std::string(c->text) + " / " + c->field);
        const Proposal proposal = ProposeMetadata(c->text, DefaultSchema());
        const ProposedField& field = proposal.Field(c->field);
        EXPECT_EQ(field.value, c->value);
        EXPECT_EQ(field.confidence, c->confidence);
    }
}

TEST(ProposeMetadata, LeavesTheDecisionOfADraftEmpty) {
    const FieldCase cases[] = {
        {"REMISSVERSION – EJ BESLUTAD\n# Friluftsplan\nKommunstyrelsen beslutade 2023-05-10, "
         "§ 88, att ge förvaltningen i uppdrag att ta fram en friluftsplan.",
         "paragraph", "", Confidence::kMissing},
        {"# Plan för X\n| Status | Ej beslutad – remissversion |\n"
         "| Fastställd av | Kommunfullmäktige 2024-10-28 § 3 |",
         "decided_by", "", Confidence::kMissing},
        {"UTKAST\nPolicy för resor\nAntagen av KF 2024-01-01 § 4", "decided_on", "",
         Confidence::kMissing},
        {"Dokumentstatus: Förslag\nPolicy för resor\nAntagen av KF 2024-01-01 § 4", "decided_by",
         "", Confidence::kMissing},
        {"FÖRSLAG\nTaxa för X\nBeslutad av KF 2024-01-01 § 4\nGäller från 2024-02-01", "valid_from",
         "2024-02-01", Confidence::kGuessed},
        {"Samrådshandling\nPlan för Y\nAntagen av KF 2024-01-01 § 4", "decided_on", "",
         Confidence::kMissing},
        // A draft's title is what it is a draft of.
        {"# Förslag till avfallsplan 2025–2030\n**Status:** Utkast för samråd", "title",
         "Avfallsplan 2025–2030", Confidence::kGuessed},
        {"Version: Ej fastställd\nPlan för Y\nAntagen av KF 2024-01-01 § 4", "paragraph", "",
         Confidence::kMissing},
        // A proposal from a nämnd is how a decided document came about, not a draft.
        {"Taxa för X\nAntagen av kommunfullmäktige 2020-10-26, § 141, på förslag av "
         "barn- och utbildningsnämnden.",
         "paragraph", "§ 141", Confidence::kSure},
        {"# Plan för X\nAntagen av KF 2024-01-01 § 4\n## Förslag till åtgärder", "paragraph", "§ 4",
         Confidence::kSure},
        // Draft words in the body, far from the cover, are about other things.
        {"Rutin för gallring\nBeslutad av: Kommundirektören\nBeslutsdatum: 2023-09-12\n"
         "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n- Utkast och minnesanteckningar gallras.",
         "decided_on", "2023-09-12", Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsOnlyTheDocumentsOwnDecision) {
    const FieldCase cases[] = {
        // A commission to write the document is not its adoption.
        {"Plan för friluftsliv\nKommunstyrelsen beslutade 2023-05-10, § 88, att ge "
         "förvaltningen i uppdrag att ta fram en plan.",
         "decided_by", "", Confidence::kMissing},
        {"Plan för friluftsliv\nKommunstyrelsen beslutade 2023-05-10 § 88 att uppdra åt "
         "socialnämnden att utreda frågan.",
         "paragraph", "", Confidence::kMissing},
        {"Plan för friluftsliv\nNämnden beslutade 2023-05-10 § 88 att remittera förslaget.",
         "decided_on", "", Confidence::kMissing},
        // What the document replaces is not its decision.
        {"Riktlinje för lex Sarah\nBeslutsdatum: 2021-06-16\nParagraf: § 77\n"
         "Ersätter: Riktlinje för lex Sarah, beslutad av socialnämnden 2017-05-17, § 45",
         "paragraph", "§ 77", Confidence::kSure},
        {"Taxa för tillsyn\nAntagen av KF 2023-11-27 § 187\nDenna taxa träder i kraft "
         "2024-01-01 och ersätter den taxa som kommunfullmäktige antog 2019-11-25, § 170.",
         "paragraph", "§ 187", Confidence::kSure},
        {"Föreskrifter om avfall\nAntagna av kommunfullmäktige den 28 november 2022, § 176.\n"
         "De träder i kraft den 1 januari 2023, då föreskrifterna antagna av "
         "kommunfullmäktige den 14 december 2015, § 203, upphör att gälla.",
         "decided_on", "2022-11-28", Confidence::kSure},
        {"Reglemente för socialnämnden\nAntaget av KF 2018-02-26 § 12\nDetta reglemente "
         "ersätter reglemente för\nsocialnämnden antaget av kommunfullmäktige 2014-11-24, § 160.",
         "paragraph", "§ 12", Confidence::kSure},
        {"Reglemente för socialnämnden\nAntaget av KF 2018-02-26 § 12\n"
         "Tidigare beslut: KF 2014-11-24 § 160",
         "decided_on", "2018-02-26", Confidence::kSure},
        {"Reglemente för socialnämnden\nAntaget av KF 2018-02-26 § 12\n"
         "Upphäver: Reglemente för socialnämnden, fastställt av KF 2014-11-24 § 160",
         "paragraph", "§ 12", Confidence::kSure},
        // A subject is not a replacement, nor a commission the adopted document gives.
        {"Reglerna om ersättning antogs av kommunfullmäktige 2022-10-24, § 151.", "paragraph",
         "§ 151", Confidence::kSure},
        {"Programmet antogs av KF 2020-01-20 § 5 och ger nämnderna i uppdrag att följa det.",
         "decided_on", "2020-01-20", Confidence::kSure},
        // A revision without a paragraph: the first decision's paragraph is not the version's.
        {"Fastställd av KF 2020-01-01 § 5\nReviderad av KF 2022-05-05", "paragraph", "§ 5",
         Confidence::kGuessed},
        // A decision still to come says nothing of the document's.
        {"Plan för X\n| Planerat beslut | 2024-10-28 |", "decided_on", "", Confidence::kMissing},
        {"Plan för X\nPreliminärt beslutad av KF 2024-10-28", "decided_by", "",
         Confidence::kMissing},
        // "… och antogs": the document's own sentence goes on with its adoption.
        {"Policyn ersätter policyn från 2012 och antogs av kommunfullmäktige 2022-02-14, § 9.",
         "paragraph", "§ 9", Confidence::kSure},
        // A paragraph of another decision than the date's is a guess, and so is the date.
        {"Policy för X\nAntagen av KF 2019-03-01\nExempelby kommun | KF § 12/2018", "paragraph",
         "§ 12", Confidence::kGuessed},
        {"Policy för X\nAntagen av KF 2019-03-01\nExempelby kommun | KF § 12/2018", "decided_on",
         "2019-03-01", Confidence::kGuessed},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

// Sure only of a decision the document states of itself without a rival: a labelled one
// outranks one read in running prose (often another document's), and two decisions make
// the date a guess.
TEST(ProposeMetadata, IsNotSureOfADecisionWithARival) {
    const FieldCase cases[] = {
        // A header's decision beside another document's decision in the prose.
        {"Plan för kultur\n| Beslutande | Kultur- och fritidsnämnden 2022-03-15 § 20 |\n"
         "Årets budget antogs av kommunfullmäktige 2022-06-13, § 80, och styr planen.",
         "decided_on", "2022-03-15", Confidence::kConflicting},
        {"Plan för kultur\n| Beslutande | Kultur- och fritidsnämnden 2022-03-15 § 20 |\n"
         "Årets budget antogs av kommunfullmäktige 2022-06-13, § 80, och styr planen.",
         "paragraph", "§ 20", Confidence::kConflicting},
        {"| Beslutande | Kommunstyrelsen 2021-09-07 § 140 |", "paragraph", "§ 140",
         Confidence::kSure},
        // "Datum" with a paragraph of minutes is the decision's date, and outranks a later
        // decision the prose mentions.
        {"Program för X\nDetaljplanen, som antogs av kommunfullmäktige 2021-01-25, § 9, "
         "bygger på programmet.\nBeslutad av: Kommunfullmäktige\nDatum: 2018-05-07, § 44",
         "decided_on", "2018-05-07", Confidence::kConflicting},
        {"Program för X\nDetaljplanen, som antogs av kommunfullmäktige 2021-01-25, § 9, "
         "bygger på programmet.\nBeslutad av: Kommunfullmäktige\nDatum: 2018-05-07, § 44",
         "paragraph", "§ 44", Confidence::kConflicting},
        // A joint body's adoption and the municipality's approval: the later, a guess.
        {"Plan för räddningstjänst\n| Antagen av direktionen | 2022-11-01, § 40 |\n"
         "| Godkänd av kommunfullmäktige | 2023-01-30, § 7 |",
         "decided_on", "2023-01-30", Confidence::kConflicting},
        {"Plan för räddningstjänst\n| Antagen av direktionen | 2022-11-01, § 40 |\n"
         "| Godkänd av kommunfullmäktige | 2023-01-30, § 7 |",
         "paragraph", "§ 7", Confidence::kConflicting},
        {"Plan för räddningstjänst\nGodkänd av kommunfullmäktige 2023-01-30 § 7", "decided_by",
         "kf", Confidence::kSure},
        // Running prose that does not say the decision is this document's: a guess.
        {"Policy för X\nÖversiktsplanen, som antogs av kommunfullmäktige 2020-10-19, § 142, "
         "ligger till grund.",
         "decided_on", "2020-10-19", Confidence::kGuessed},
        {"Policy för X\nÖversiktsplanen, som antogs av kommunfullmäktige 2020-10-19, § 142, "
         "ligger till grund.",
         "decided_by", "kf", Confidence::kGuessed},
        {"Policy för X\nKommunens mål är högt satta. Kommunfullmäktige antog 2020-10-19, "
         "§ 142, en ny översiktsplan.",
         "paragraph", "§ 142", Confidence::kGuessed},
        {"Policy för X\nInledning.\nPolicyn antogs av kommunfullmäktige 2020-10-19, § 142.",
         "decided_on", "2020-10-19", Confidence::kSure},
        {"Plan för X\nInledning.\nDen gäller tills vidare. Denna plan fastställdes av "
         "socialnämnden 2021-04-20 § 31.",
         "decided_by", "sn", Confidence::kSure},
        // Of two diarienummer, the one in a schema body's diarium, a guess.
        {"Förbundets diarienummer: VMB 2023/112\nKommunens dnr: KS 2024/0033", "dnr",
         "KS 2024/0033", Confidence::kConflicting},
        // A block quote's lines are labels like any other.
        {"Rutin för X\n> Beslutad av: Socialnämnden\n> Beslutsdatum: 2020-02-03", "decided_by",
         "sn", Confidence::kSure},
        // A history table whose "Beslut" column holds body and paragraph.
        {"Regler för X\n| Version | Datum | Beslut |\n|---|---|---|\n| 1 | 2019-01-08 | SN § 3 |\n"
         "| 2 | 2021-02-09 | SN § 14 |",
         "paragraph", "§ 14", Confidence::kSure},
        {"Regler för X\n| Version | Datum | Beslut |\n|---|---|---|\n| 1 | 2019-01-08 | SN § 3 |\n"
         "| 2 | 2021-02-09 | SN § 14 |",
         "decided_by", "sn", Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsTheEndOfAnOpenValidity) {
    const FieldCase cases[] = {
        {"Giltighet: Tills vidare, dock längst till 2030-12-31", "valid_to", "2030-12-31",
         Confidence::kSure},
        {"Giltighet: Tills vidare, dock längst till 2030-12-31", "valid_from", "",
         Confidence::kMissing},
        {"Giltighetstid: längst till 2028-06-30", "valid_to", "2028-06-30", Confidence::kSure},
        {"Giltighetstid: till 2028-06-30", "valid_from", "", Confidence::kMissing},
        // A start years after the decision is more likely an end read as a start.
        {"Antagen av KF 2020-01-13 § 1\nGiltighetstid: 2031-12-31", "valid_from", "2031-12-31",
         Confidence::kGuessed},
        {"Antagen av KF 2020-01-13 § 1\nGiltighetstid: 2020-02-01 – tills vidare", "valid_from",
         "2020-02-01", Confidence::kSure},
        // "From the decision": the decision's date, a guess.
        {"Beslutsdatum: 2022-04-04\nGäller från och med beslutsdagen", "valid_from", "2022-04-04",
         Confidence::kGuessed},
        {"Planen gäller för verksamhetsåret 2026 (2026-01-01–2026-12-31).", "valid_to",
         "2026-12-31", Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, IsNotSureOfATitleOrDocTypeWithARival) {
    const FieldCase cases[] = {
        // A title the layout broke over two lines is joined, and a guess.
        {"Plan för trygghet, säkerhet\noch brottsförebyggande arbete\n\nAntagen av KF "
         "2021-03-01 § 2",
         "title", "Plan för trygghet, säkerhet och brottsförebyggande arbete",
         Confidence::kGuessed},
        {"Plan för äldreomsorg\n2024–2028\nExempelby kommun", "title",
         "Plan för äldreomsorg 2024–2028", Confidence::kGuessed},
        {"Riktlinjer för bostadsförsörjning\n2030–2033\nNorrby kommun", "title",
         "Riktlinjer för bostadsförsörjning 2030–2033", Confidence::kGuessed},
        // A short line below may be the rest of the title.
        {"Policy för arbetsmiljö\nHälsa och trygghet\n\nDenna policy gäller alla.", "title",
         "Policy för arbetsmiljö", Confidence::kGuessed},
        {"# Policy för arbetsmiljö\nHälsa och trygghet", "title", "Policy för arbetsmiljö",
         Confidence::kSure},
        // A place name a PDF split off its letterhead is no title.
        {"Norrby\n\nAVGIFTER FÖR FÄRDTJÄNST\nBeslutad av KS 2020-01-01", "title",
         "Avgifter för färdtjänst", Confidence::kGuessed},
        {"Norrby\n\nAVGIFTER FÖR FÄRDTJÄNST\nBeslutad av KS 2020-01-01", "doctype", "taxa",
         Confidence::kGuessed},
        {"Lunda kommuns författningssamling nr 2020:7\nFöreskrifter om hundar", "title",
         "Föreskrifter om hundar", Confidence::kSure},
        // A prose line above gives way to a heading in a title's form.
        {"**Vatten i Mellanbygden – ett bolag för tre kommuner**\n\n# Plan för vattenförsörjning",
         "title", "Plan för vattenförsörjning", Confidence::kSure},
        // Rules about the governing documents are the schema's styrmodell; the title's word
        // says otherwise, so neither is sure.
        {"# Regler för styrande dokument", "doctype", "styrmodell", Confidence::kConflicting},
        {"# Riktlinjer för styrdokument i Norrby", "doctype", "styrmodell",
         Confidence::kConflicting},
        // A cover's doctype word and the title's: sure when they agree, else neither.
        {"RUTIN\n\nRutin för arkivering", "doctype", "rutin", Confidence::kSure},
        {"RUTIN\n\nRiktlinje för arkivering", "doctype", "riktlinje", Confidence::kConflicting},
        // A body named as owner gives way to the official named beside it.
        {"Dokumentägare: Socialnämnden\nDokumentansvarig: Socialchef", "owner", "Socialchef",
         Confidence::kConflicting},
        {"Processägare: Kvalitetsstrateg", "owner", "Kvalitetsstrateg", Confidence::kGuessed},
        // Two columns of a header read as one line: each label on its own.
        {"Diarienummer: VN 2022/0145 Dokumentansvarig: Miljöchef", "owner", "Miljöchef",
         Confidence::kSure},
        {"Diarienummer: VN 2022/0145 Dokumentansvarig: Miljöchef", "dnr", "VN 2022/0145",
         Confidence::kSure},
        {"Beslutad av: Vård- och omsorgsnämnden Datum: 2022-03-22, § 40", "paragraph", "§ 40",
         Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsADecisionCitedAsAParagraphOfAYear) {
    const FieldCase cases[] = {
        {"Reglemente för X\nAntaget av kommunfullmäktige den 26 februari 2018\n"
         "Exempelby kommun – Reglemente för X – KF § 12/2018 – Sida 1 (1)",
         "paragraph", "§ 12", Confidence::kSure},
        {"Reglemente för X\nAntaget av kommunfullmäktige den 26 februari 2018\n"
         "Exempelby kommun – Reglemente för X – KF § 12/2018 – Sida 1 (1)",
         "decided_by", "kf", Confidence::kSure},
        // A footer alone: no date of the decision to hold it to.
        {"Policy för Y\nExempelby kommun | Policy för Y | KS §45/2020", "paragraph", "§ 45",
         Confidence::kGuessed},
        {"Policy för Y\nExempelby kommun | Policy för Y | KS §45/2020", "decided_by", "ks",
         Confidence::kGuessed},
        {"| Sammanträdesdatum | 2019-05-27 |\n| Beslut | KF § 77/2019 |\n# Styrmodell", "paragraph",
         "§ 77", Confidence::kSure},
        {"| Sammanträdesdatum | 2019-05-27 |\n| Beslut | KF § 77/2019 |\n# Styrmodell",
         "decided_on", "2019-05-27", Confidence::kSure},
        {"Styrmodell\nBeslut: Kommunfullmäktige § 77/2019", "decided_by", "kf", Confidence::kSure},
        // What the document replaces, cited so.
        {"Taxa för Z\nErsätter taxa enligt KF § 31/2015", "paragraph", "", Confidence::kMissing},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsTheLatestDecisionOfAHistoryTable) {
    const char* history =
        "# Riktlinjer för bidrag\n## Beslutshistorik\n"
        "| Version | Datum | Beslutsinstans | Paragraf | Ändring |\n| --- | --- | --- | --- | --- "
        "|\n"
        "| 1.0 | 2015-06-10 | Kultur- och fritidsnämnden | § 34 | Första version |\n"
        "| 3.0 | 2023-09-20 | KFN | § 51 | Startbidrag |\n"
        "| 2.0 | 2019-03-13 | Kultur- och fritidsnämnden | § 12 | Lokalbidrag |\n"
        "| 3.1 | 2024-02-03 | Kultur- och fritidsförvaltningen | – | Redaktionellt |";
    const FieldCase cases[] = {
        {history, "decided_by", "kfn", Confidence::kSure},
        {history, "decided_on", "2023-09-20", Confidence::kSure},
        {history, "paragraph", "§ 51", Confidence::kSure},
        {"Plan för X\n| Fastställd | Instans | § |\n| 2020-01-15 | Socialnämnden | 4 |\n"
         "| 2022-03-16 | Socialnämnden | 22 |",
         "paragraph", "§ 22", Confidence::kSure},
        // A caption above the header row.
        {"# Reglemente för valnämnden\n| Versionshistorik | | | |\n|---|---|---|---|\n"
         "| Datum | Beslutande organ | § | Kommentar |\n"
         "| 2014-05-05 | Kommunfullmäktige | § 50 | Ny |\n"
         "| 2022-06-20 | Kommunfullmäktige | § 101 | Reviderad |",
         "paragraph", "§ 101", Confidence::kSure},
        // A row without a paragraph is no meeting's decision.
        {"Plan för X\n| Beslutsdatum | Paragraf |\n| 2020-01-15 | § 4 |\n| 2022-03-16 | |",
         "decided_on", "2020-01-15", Confidence::kSure},
        // A revision history of authors is not of decisions.
        {"Plan för X\n| Version | Datum | Författare | Ändring |\n"
         "| 1.0 | 2020-01-15 | Kanslichef | Ny |",
         "decided_on", "", Confidence::kMissing},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsLabelsInEveryLayout) {
    const FieldCase cases[] = {
        {"**Diarienummer:** KS 2020/0141  \n**Dokumentägare:** Kommunarkivarie", "dnr",
         "KS 2020/0141", Confidence::kSure},
        {"**Diarienummer:** KS 2020/0141  \n**Dokumentägare:** Kommunarkivarie", "owner",
         "Kommunarkivarie", Confidence::kSure},
        {"__Dokumentansvarig:__ Kanslichef", "owner", "Kanslichef", Confidence::kSure},
        {"Diarienummer KS 2021/0398 · Dokumentägare: Ekonomichef", "owner", "Ekonomichef",
         Confidence::kSure},
        {"Dnr KS 2021/0398 | Ansvarig: Ekonomichef", "dnr", "KS 2021/0398", Confidence::kSure},
        {"Dnr KS 2021/0398 • Dokumentansvarig: Ekonomichef", "owner", "Ekonomichef",
         Confidence::kSure},
        // A PDF's label/value columns come out on lines of their own.
        {"Rutin för X\nBeslutad av\nKommundirektören\nBeslutsdatum\n2023-03-01", "decided_by", "kd",
         Confidence::kSure},
        {"Rutin för X\nBeslutad av\nKommundirektören\nBeslutsdatum\n2023-03-01", "decided_on",
         "2023-03-01", Confidence::kSure},
        {"Rutin för X\nDiarienummer\nKS 2023/0102", "dnr", "KS 2023/0102", Confidence::kSure},
        // A section headed "Ansvarig" is not a label with its value.
        {"Rutin för X\nAnsvarig\nAlla chefer ansvarar för att rutinen följs på arbetsplatsen.",
         "owner", "", Confidence::kMissing},
        {"| Beslutsdatum | 11 december 2017, § 231 |", "paragraph", "§ 231", Confidence::kSure},
        {"Sammanträdesdatum: 2019-05-27", "decided_on", "2019-05-27", Confidence::kSure},
        {"Ansvarig för riktlinjerna: Enhetschef försörjningsstöd", "owner",
         "Enhetschef försörjningsstöd", Confidence::kSure},
        {"Ansvarig för policyn: HR-chef", "owner", "HR-chef", Confidence::kSure},
        {"Ansvarig för dokumentet: Kanslichef", "owner", "Kanslichef", Confidence::kSure},
        {"Ansvarig för uppföljning: Kvalitetsstrateg", "owner", "Kvalitetsstrateg",
         Confidence::kGuessed},
        {"Ansvarig förvaltning: Kommunledningsförvaltningen", "owner",
         "Kommunledningsförvaltningen", Confidence::kGuessed},
        {"Ansvarig förvaltning: Socialförvaltningen\nDokumentansvarig: Socialchef", "owner",
         "Socialchef", Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, ReadsAPeriodAsTheTimeItApplies) {
    const FieldCase cases[] = {
        {"Planen gäller för perioden 2023–2026.", "valid_from", "2023-01-01", Confidence::kGuessed},
        {"Planen gäller för perioden 2023–2026.", "valid_to", "2026-12-31", Confidence::kGuessed},
        {"Programmet avser åren 2024-2027.", "valid_to", "2027-12-31", Confidence::kGuessed},
        {"Planperiod: 2022 – 2025", "valid_from", "2022-01-01", Confidence::kGuessed},
        {"| Period | 2025-01-01 – 2025-12-31 |", "valid_from", "2025-01-01", Confidence::kSure},
        {"| Period | 2025-01-01 – 2025-12-31 |", "valid_to", "2025-12-31", Confidence::kSure},
        {"Giltighetstid: 2023–2026", "valid_to", "2026-12-31", Confidence::kGuessed},
        // Months, a budget's plan years, a diarienummer: no period of the document.
        {"Hämtning sker under perioden maj till september.", "valid_from", "",
         Confidence::kMissing},
        {"Budget 2025 med plan för 2026–2027", "valid_to", "", Confidence::kMissing},
        {"Planen gäller för perioden KS 2020-0141.", "valid_from", "", Confidence::kMissing},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, FindsTheTitleBelowALetterhead) {
    const FieldCase cases[] = {
        {"Exempelby kommuns författningssamling\nKFS 2022:3\n\nRegler för arvoden", "title",
         "Regler för arvoden", Confidence::kSure},
        {"EXEMPELBY KOMMUN\nKommunens författningssamling\nFöreskrifter om avfallshantering "
         "för Exempelby kommun",
         "title", "Föreskrifter om avfallshantering för Exempelby kommun", Confidence::kSure},
        {"Socialförvaltningen\nRiktlinje för lex Sarah", "title", "Riktlinje för lex Sarah",
         Confidence::kSure},
        {"Exempelby kommun | Kommunledningsförvaltningen\nRutin för synpunkter", "title",
         "Rutin för synpunkter", Confidence::kSure},
        {"Exempelby kommun                 Kommunstyrelsen\nProgram för näringsliv", "title",
         "Program för näringsliv", Confidence::kSure},
        {"Socialnämnden i Exempelby kommun\n\n# Riktlinjer för ekonomiskt bistånd", "title",
         "Riktlinjer för ekonomiskt bistånd", Confidence::kSure},
        {"Norrby stad, Stadsbyggnadskontoret\nTaxa för bygglov", "title", "Taxa för bygglov",
         Confidence::kSure},
        {"Region Exempel\nPolicy för resor", "title", "Policy för resor", Confidence::kSure},
        {"Barn- och utbildningsavdelningen\nPlan mot kränkande behandling", "title",
         "Plan mot kränkande behandling", Confidence::kSure},
        {"REMISSVERSION – EJ BESLUTAD\n# Friluftsplan för Exempelby kommun", "title",
         "Friluftsplan för Exempelby kommun", Confidence::kSure},
        {"RUTIN\n\nRutin för gallring av handlingar", "title", "Rutin för gallring av handlingar",
         Confidence::kSure},
        {"Södertuna kommun\nStyrdokument\n\nPolicy för informationssäkerhet", "title",
         "Policy för informationssäkerhet", Confidence::kSure},
        {"Kultur- och fritidsförvaltningen\nUtskrivet 2023-03-14\n# Regler för bidrag", "title",
         "Regler för bidrag", Confidence::kSure},
        // A title may end with a municipality's name.
        {"Styrmodell för Exempelby kommun", "title", "Styrmodell för Exempelby kommun",
         Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
}

TEST(ProposeMetadata, WritesATitleAsAClerkDoes) {
    const FieldCase cases[] = {
        // Capitals as a sentence, a guess: a proper name may be lost.
        {"DELEGATIONSORDNING FÖR ÖVERFÖRMYNDARNÄMNDEN\nBeslutad av överförmyndarnämnden "
         "2024-02-08, § 6",
         "title", "Delegationsordning för överförmyndarnämnden", Confidence::kGuessed},
        {"RIKTLINJER FÖR STÖD ENLIGT LSS I EXEMPELBY KOMMUN\nStöd ges i Exempelby kommun.", "title",
         "Riktlinjer för stöd enligt LSS i Exempelby kommun", Confidence::kGuessed},
        {"ALKOHOL- OCH DROGPOLICY FÖR KF OCH NÄMNDERNA", "title",
         "Alkohol- och drogpolicy för KF och nämnderna", Confidence::kGuessed},
        {"ÄGARDIREKTIV FÖR KOMMUNFASTIGHETER I EXEMPELBY AB\nBolaget Kommunfastigheter i "
         "Exempelby AB ägs av kommunen.",
         "title", "Ägardirektiv för Kommunfastigheter i Exempelby AB", Confidence::kGuessed},
        {"PLAN FÖR LEX SARAH\nRapporter enligt lex Sarah utreds.", "title", "Plan för lex Sarah",
         Confidence::kGuessed},
        // A period of years has an en dash, as OCR does not read it.
        {"Klimat- och energiplan 2023-2026", "title", "Klimat- och energiplan 2023–2026",
         Confidence::kGuessed},
        {"Plan för trygghet 2024 - 2027", "title", "Plan för trygghet 2024–2027",
         Confidence::kSure},
        {"Plan för trygghet 2024—2027", "title", "Plan för trygghet 2024–2027", Confidence::kSure},
        // A diarienummer is not a period.
        {"Policy KS 2020-0141", "title", "Policy KS 2020-0141", Confidence::kSure},
    };
    ExpectFields(std::begin(cases), std::end(cases));
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
        // A title of capitals and periods that grows when an en dash replaces each "-".
        "RIKTLINJER " +
            [] {
                std::string ranges;
                for (int i = 0; i < 30; ++i) ranges += "2020-2021 ";
                return ranges;
            }(),
        "| Datum | Paragraf |" + std::string(5'000, '|') + "\n| 2020-01-01 | § 1/2020 |",
        "Beslut: KF " + std::string(10'000, '\xC2') + "\xA7 9/2020",
        "Ansvarig för " + std::string(3'000, ':'),
        "Beslutad av\n\xC3",
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
