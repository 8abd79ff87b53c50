// `styrdok propose FILE_OR_DIR… --out DIR`: metadata proposed from loose originals, written
// as document folders that `styrdok import DIR` takes, and a register of the proposals.

#include "styrdok/core/propose.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "registry.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/core/proposal_metadata.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/store/extract.hpp"
#include "styrdok/store/ocr.hpp"

namespace styrdok::cli {

namespace {

namespace fs = std::filesystem;

// The largest original read: a scanned plan of a few hundred pages is some 100 MB; more is
// not a governing document, and the whole file is held in memory while it is read.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;
// Attachment names the import accepts (docs/import.md).
constexpr std::size_t kMaxAttachmentName = 200;

struct ProposeArguments {
    std::vector<fs::path> sources;
    fs::path out;
    fs::path schema;
    bool no_ocr = false;
    int ocr_pages = store::OcrLimits{}.max_pages;
    int ocr_seconds = static_cast<int>(
        std::chrono::duration_cast<std::chrono::seconds>(store::OcrLimits{}.max_time).count());
    std::optional<core::Date> today;
};

struct Outcome {
    std::size_t proposed = 0;
    std::size_t all_sure = 0;
    std::size_t failed = 0;
    std::size_t skipped = 0;
};

bool IsHidden(const fs::path& path) {
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

std::string Lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

bool IsOldWord(const fs::path& file) { return Lower(file.extension().string()) == ".doc"; }

// The files under a folder, depth first in name order, without following links to folders
// (a link back up the tree would never end); other files are counted as skipped.
void CollectFolder(const fs::path& folder, std::vector<fs::path>& files, Outcome& outcome) {
    std::vector<fs::path> entries;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
        if (!IsHidden(it->path())) entries.push_back(it->path());
    }
    if (error) {
        std::cerr << "failed: " << folder.string() << ": cannot be listed: " << error.message()
                  << "\n";
        ++outcome.failed;
        return;
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
        if (fs::is_symlink(entry, error) && fs::is_directory(entry, error)) continue;
        if (fs::is_directory(entry, error)) {
            CollectFolder(entry, files, outcome);
        } else if (store::FileKindOf(entry) != store::FileKind::kUnknown || IsOldWord(entry)) {
            files.push_back(entry);
        } else {
            ++outcome.skipped;
        }
    }
}

std::optional<std::string> ReadFile(const fs::path& file, std::string& problem) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file, error);
    if (error) {
        problem = "Filen kan inte läsas.";
        return std::nullopt;
    }
    if (size > kMaxFileBytes) {
        problem = "Filen är större än 256 MB.";
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in || in.bad()) {
        problem = "Filen kan inte läsas.";
        return std::nullopt;
    }
    return std::move(content).str();
}

// What a clerk reading the output should know of how a PDF was read.
std::string OcrNote(const store::PdfText& pdf, bool ocr) {
    if (pdf.pages_scanned == 0) return "";
    if (!pdf.ocr_problem.empty()) return "scanned pages not read: " + pdf.ocr_problem;
    const std::string of = " of " + std::to_string(pdf.pages_total) + " pages";
    if (pdf.pages_by_ocr > 0) {
        return "read by OCR, " + std::to_string(pdf.pages_by_ocr) + of +
               (pdf.timed_out ? ", cut short by the time limit" : "");
    }
    return std::to_string(pdf.pages_scanned) + of + " without a text layer; " +
           (!ocr            ? "OCR turned off"
            : pdf.timed_out ? "OCR ran out of time"
                            : "OCR found no more text there");
}

// The original's name as an attachment: as it is when the import takes it, else a plain
// name with its extension.
std::string AttachmentName(const fs::path& file) {
    const std::string name = file.filename().string();
    if (!name.empty() && name.front() != '.' && name.size() <= kMaxAttachmentName &&
        core::IsValidUtf8(name) && name.find('/') == std::string::npos) {
        return name;
    }
    return "original" + Lower(file.extension().string()).substr(0, 10);
}

std::string CsvField(std::string_view value) {
    if (value.find_first_of(";,\"\n\r") == std::string_view::npos &&
        (value.empty() || (value.front() != ' ' && value.back() != ' '))) {
        return std::string(value);
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

void WriteFile(const fs::path& file, std::string_view content) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw Error(ErrorCode::kInternal, "cannot write " + file.string());
}

class Proposer {
public:
    Proposer(const ProposeArguments& arguments, const core::Schema& schema)
        : arguments_(arguments), schema_(schema), today_(arguments.today.value_or(Today())) {
        ocr_limits_.max_pages = std::max(1, arguments.ocr_pages);
        ocr_limits_.max_time = std::chrono::seconds(std::max(1, arguments.ocr_seconds));
        csv_ << "id;title;doctype;decided_by;decided_on;paragraph;dnr;owner;valid_from;valid_to;"
                "status;file;uncertain;text_file\n";
    }

    void Propose(const fs::path& file, Outcome& outcome) {
        const std::string source = file.string();
        if (IsOldWord(file)) {
            Fail(source, "Filer i Word 97–2003-format (.doc) läses inte: spara som DOCX eller PDF.",
                 outcome);
            return;
        }
        const store::FileKind kind = store::FileKindOf(file);
        if (kind == store::FileKind::kUnknown) {
            Fail(source, "Filtypen stöds inte (PDF, DOCX, ODT, Markdown och text läses).", outcome);
            return;
        }
        std::string problem;
        std::optional<std::string> bytes = ReadFile(file, problem);
        if (!bytes) {
            Fail(source, problem, outcome);
            return;
        }
        std::string text;
        std::string note;
        bool read_by_ocr = false;
        std::string text_layer;
        try {
            if (kind == store::FileKind::kPdf) {
                // OCR is the expensive step: only for the first pages that have (almost) no
                // text layer, a whole scan or the scanned decision behind a typed cover.
                const store::PdfText pdf = store::ReadPdf(*bytes, ocr_limits_, !arguments_.no_ocr);
                text = pdf.text;
                read_by_ocr = pdf.read_by_ocr();
                text_layer = pdf.text_layer;
                note = OcrNote(pdf, !arguments_.no_ocr);
            } else {
                text = store::ExtractText(kind, *bytes);
            }
        } catch (const Error& error) {
            Fail(source, error.what(), outcome);
            return;
        }

        core::Proposal proposal = read_by_ocr ? core::ProposeMetadata(text, text_layer, schema_)
                                              : core::ProposeMetadata(text, schema_);
        if (proposal.title.value.empty()) {
            proposal.title = {file.stem().string(), core::Confidence::kGuessed};
            if (!core::IsValidUtf8(proposal.title.value)) proposal.title.value = "Dokument";
        }
        const std::string id = UniqueId(core::IdFromTitle(proposal.title.value));
        const core::Metadata metadata = core::ProposedMetadata(proposal, id, schema_, today_);

        const fs::path folder = arguments_.out / id;
        fs::create_directories(folder / "files");
        WriteFile(folder / "metadata.xml", core::WriteMetadataXml(metadata));
        WriteFile(folder / "text.md", text);
        // In the register, `file` is the original's copy and `text_file` the text read from
        // it, both relative to the register's folder: the import keeps the one and takes the
        // other, so a scan's OCR text comes along as it does with the folder.
        std::string copy;
        std::string text_file;
        if (kind == store::FileKind::kMarkdown) {
            // A Markdown original is the text itself, as the import takes it.
            fs::remove(folder / "files");
            copy = id + "/text.md";
        } else {
            const std::string name = AttachmentName(file);
            WriteFile(folder / "files" / name, *bytes);
            copy = id + "/files/" + name;
            text_file = id + "/text.md";
        }

        std::vector<std::string> uncertain = proposal.Uncertain();
        std::string uncertain_list;
        for (const std::string& field : uncertain) {
            uncertain_list += (uncertain_list.empty() ? "" : "|") + field;
        }
        const auto date = [](const std::optional<core::Date>& d) {
            return d ? d->ToString() : std::string();
        };
        for (const std::string& value :
             {metadata.id, metadata.title, metadata.doctype, metadata.decided_by,
              date(metadata.decided_on), metadata.paragraph, metadata.dnr, metadata.owner,
              date(metadata.valid_from), date(metadata.valid_to)}) {
            csv_ << CsvField(value) << ';';
        }
        csv_ << core::StatusName(metadata.status) << ';' << CsvField(copy) << ';'
             << CsvField(uncertain_list) << ';' << CsvField(text_file) << '\n';

        std::cout << source << " -> " << id << "/ (" << core::StatusName(metadata.status);
        if (!uncertain.empty()) std::cout << "; uncertain: " << uncertain_list;
        if (!note.empty()) std::cout << "; " << note;
        std::cout << ")\n";
        ++outcome.proposed;
        if (metadata.status == core::Status::kInForce) ++outcome.all_sure;
    }

    void Finish() { WriteFile(arguments_.out / "proposals.csv", csv_.str()); }

private:
    static void Fail(const std::string& source, std::string_view message, Outcome& outcome) {
        std::cerr << "failed: " << source << ": " << message << "\n";
        ++outcome.failed;
    }

    std::string UniqueId(const std::string& base) {
        std::string id = base;
        for (int n = 2; !ids_.insert(id).second; ++n) {
            id = base.substr(0, 90) + "-" + std::to_string(n);
        }
        return id;
    }

    const ProposeArguments& arguments_;
    const core::Schema& schema_;
    core::Date today_;
    store::OcrLimits ocr_limits_;
    std::set<std::string> ids_;
    std::ostringstream csv_;
};

core::Schema ChooseSchema(const Context& context, const ProposeArguments& arguments) {
    if (!arguments.schema.empty()) return core::Schema::Load(arguments.schema);
    if (Registry::Exists(context.data)) return Registry::Open(context.data).schema();
    return core::Schema::Load(DefaultSchemaFile());
}

void RunPropose(Context& context, const ProposeArguments& arguments) {
    std::error_code error;
    if (fs::exists(arguments.out, error) &&
        (!fs::is_directory(arguments.out, error) || !fs::is_empty(arguments.out, error))) {
        throw Error(ErrorCode::kConflict,
                    "--out " + arguments.out.string() + " must be a new or empty folder");
    }
    const core::Schema schema = ChooseSchema(context, arguments);
    fs::create_directories(arguments.out);

    Outcome outcome;
    std::vector<fs::path> files;
    for (const fs::path& source : arguments.sources) {
        if (fs::is_directory(source, error)) {
            CollectFolder(source, files, outcome);
        } else {
            files.push_back(source);
        }
    }
    Proposer proposer(arguments, schema);
    for (const fs::path& file : files) proposer.Propose(file, outcome);
    proposer.Finish();

    std::cout << "Proposed " << outcome.proposed << " documents in " << arguments.out.string()
              << " (" << outcome.all_sure << " with every field found sure, the others as drafts)";
    if (outcome.skipped > 0) std::cout << "; skipped " << outcome.skipped << " other files";
    std::cout << "\n";
    if (outcome.failed > 0) {
        std::cerr << outcome.failed << " file(s) could not be read\n";
        context.exit_code = kExitProblems;
    }
}

}  // namespace

void AddProposeCommand(CLI::App& app, Context& context) {
    auto* command = app.add_subcommand(
        "propose",
        "Propose metadata for loose originals (PDF, DOCX, ODT, Markdown, text; scanned PDFs "
        "through OCR) read from the documents themselves: a document folder per file, ready "
        "for `styrdok import DIR`, and DIR/proposals.csv with the fields it is unsure of");
    auto arguments = std::make_shared<ProposeArguments>();
    command->add_option("sources", arguments->sources, "Files, or folders searched for files")
        ->required()
        ->check(CLI::ExistingPath);
    command->add_option("--out", arguments->out, "Folder to write the proposals to (new or empty)")
        ->required();
    command
        ->add_option("--schema", arguments->schema,
                     "Schema file (default: the registry's under --data, else the default)")
        ->check(CLI::ExistingFile);
    command->add_flag("--no-ocr", arguments->no_ocr, "Do not read scanned PDFs through OCR");
    command
        ->add_option("--ocr-pages", arguments->ocr_pages,
                     "Pages of a scanned PDF read through OCR, from the first")
        ->check(CLI::Range(1, 50))
        ->capture_default_str();
    command
        ->add_option("--ocr-seconds", arguments->ocr_seconds,
                     "Time OCR may take for one file, in seconds")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    AddTodayOption(*command, arguments->today);
    command->callback([&context, arguments] { RunPropose(context, *arguments); });
}

}  // namespace styrdok::cli
