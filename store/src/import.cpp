#include "styrdok/store/import.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "csv_register.hpp"
#include "styrdok/core/error.hpp"
#include "styrdok/core/metadata_fields.hpp"
#include "styrdok/core/metadata_xml.hpp"
#include "styrdok/core/text_limits.hpp"
#include "styrdok/core/utf8.hpp"
#include "styrdok/core/validation.hpp"
#include "styrdok/store/extract.hpp"

namespace styrdok::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMetadataFile = "metadata.xml";
constexpr std::string_view kTextFile = "text.md";
constexpr std::string_view kFilesFolder = "files";
constexpr std::string_view kHistoryFolder = "history";
constexpr std::size_t kMaxAttachmentName = 200;
constexpr std::string_view kFileColumn = "file";
constexpr std::string_view kTextFileColumn = "text_file";
constexpr std::string_view kUncertainColumn = "uncertain";

// The columns a CSV register may have: the metadata fields that hold one value or a
// '|'-separated list (core/metadata_fields.hpp), and `file`. Reviews have no column: they are
// structured records that a spreadsheet cell cannot hold without a format of its own.
const core::MetadataField* CsvColumn(std::string_view name) {
    const core::MetadataField* field = core::FindMetadataField(name);
    return field != nullptr && field->kind != core::FieldKind::kReviews ? field : nullptr;
}

/// One version of a document, read and checked, ready to be written.
struct Version {
    core::Metadata metadata;
    std::string text;
    std::vector<Attachment> files;
};

/// A document that was read: its versions oldest first, or the problems that reject it.
struct Candidate {
    std::string source;
    std::vector<Version> versions;
    std::vector<std::string> problems;
};

/// A document folder found on disk; read later, so that discovery stays cheap.
struct FolderUnit {
    fs::path folder;
};

/// The rows of one CSV register that share an id, in row order.
struct CsvUnit {
    std::shared_ptr<const detail::CsvTable> table;
    fs::path csv;
    std::vector<std::size_t> rows;  ///< indices into table->records
};

using Unit = std::variant<FolderUnit, CsvUnit>;

std::optional<std::string> ReadBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(content).str();
}

// The non-throwing forms throughout: a folder the import may not read is a rejection to
// report, not an exception that would abort the whole import.
bool IsDirectory(const fs::directory_entry& entry) {
    std::error_code error;
    return entry.is_directory(error);
}

bool HasMetadata(const fs::path& folder) {
    std::error_code error;
    return fs::is_regular_file(folder / kMetadataFile, error);
}

bool IsSymlink(const fs::directory_entry& entry) {
    std::error_code error;
    return entry.is_symlink(error);
}

bool IsHidden(const fs::path& path) { return path.filename().string().starts_with('.'); }

std::string Lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

bool IsCsv(const fs::path& path) { return Lower(path.extension().string()) == ".csv"; }

// The folder's own name, also for "some/doc/" and ".".
std::string FolderName(const fs::path& folder) {
    std::error_code error;
    fs::path normal = fs::absolute(folder, error);
    normal = (error ? folder : normal).lexically_normal();
    if (!normal.has_filename()) normal = normal.parent_path();
    return normal.filename().string();
}

// The store refuses names it cannot keep under files/ safely; checking them here turns a
// store failure for the whole import into a rejection of the one document.
std::optional<std::string> AttachmentNameProblem(std::string_view name) {
    if (!core::IsValidUtf8(name)) return "is not valid UTF-8";
    if (name.size() > kMaxAttachmentName) return "is longer than 200 bytes";
    if (name.starts_with('.')) return "starts with '.'";
    for (const char c : name) {
        if (c == '/' || c == '\\') return "contains a path separator";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return "contains a control character";
    }
    return std::nullopt;
}

bool IsOriginalKind(FileKind kind) { return kind != FileKind::kUnknown; }

/// The folder a document's files must lie in, and how a problem names it.
struct Confinement {
    fs::path folder;        ///< as given
    fs::path root;          ///< with every symbolic link resolved; empty when it cannot be
    std::string_view name;  ///< "the document's folder"
};

Confinement ConfineTo(const fs::path& folder, std::string_view name) {
    std::error_code error;
    fs::path root = fs::canonical(folder, error);
    if (error) root.clear();
    return Confinement{folder, std::move(root), name};
}

// A symbolic link out of the folder would import whatever it points at (a private key, a
// password file) as a document's text or attachment, for everyone who may read it. A file
// that does not resolve at all is left to the read, which reports it.
std::optional<std::string> EscapeProblem(const fs::path& file, const Confinement& confinement) {
    std::error_code error;
    const fs::path real = fs::canonical(file, error);
    if (error) return std::nullopt;
    if (!confinement.root.empty()) {
        const auto [in_root, in_real] = std::mismatch(
            confinement.root.begin(), confinement.root.end(), real.begin(), real.end());
        if (in_root == confinement.root.end()) return std::nullopt;
    }
    return "leads outside " + std::string(confinement.name) + " (a symbolic link)";
}

/// Adds a problem, prefixed with `label`, for each limit the text goes beyond: such a text
/// would make the document's page explode (core::TextLimits, docs/import.md).
void CheckTextLimits(std::string_view text, const std::string& label,
                     std::vector<std::string>& problems) {
    for (const core::TextProblem& problem : core::TextProblems(text)) {
        problems.push_back(label + ": " + core::EnglishMessage(problem));
    }
}

/// Reads the original at `file`, extracts its text and, unless it is Markdown (then it is
/// the text itself), keeps it as an attachment. Problems are prefixed with `label`. With
/// `read_as`, the file is read as that kind whatever its name says.
std::optional<std::string> ReadOriginal(const fs::path& file, const Confinement& confinement,
                                        const std::string& label, std::vector<Attachment>& files,
                                        std::vector<std::string>& problems,
                                        std::optional<FileKind> read_as = std::nullopt) {
    const FileKind kind = read_as.value_or(FileKindOf(file));
    if (kind == FileKind::kUnknown) {
        problems.push_back(label +
                           ": no text can be read from this kind of file (pdf, docx, "
                           "odt, md or txt)");
        return std::nullopt;
    }
    if (auto problem = EscapeProblem(file, confinement)) {
        problems.push_back(label + ": " + *problem);
        return std::nullopt;
    }
    std::optional<std::string> bytes = ReadBytes(file);
    if (!bytes) {
        problems.push_back(label + ": cannot be read");
        return std::nullopt;
    }
    std::string text;
    try {
        text = ExtractText(kind, *bytes);
    } catch (const Error& error) {
        problems.push_back(label + ": " + error.what());
        return std::nullopt;
    }
    CheckTextLimits(text, label, problems);
    if (kind != FileKind::kMarkdown) {
        const std::string name = file.filename().string();
        if (auto problem = AttachmentNameProblem(name)) {
            problems.push_back(label + ": file name " + *problem);
        } else {
            files.push_back(Attachment{name, std::move(*bytes)});
        }
    }
    return text;
}

/// Parses and validates metadata; `messages` receives every problem, as the parser and
/// the validation word it.
core::Metadata CheckMetadata(std::string_view xml, const core::Schema& schema, core::Date today,
                             std::vector<std::string>& messages) {
    core::MetadataParseResult parsed = core::ParseMetadataXml(xml);
    for (core::Problem& problem : parsed.problems) messages.push_back(std::move(problem.message));
    // When nothing could be read (malformed XML), validating the empty metadata would only
    // add "title missing" and the like to the one problem that matters.
    if (parsed.problems.empty() || parsed.metadata != core::Metadata{}) {
        for (core::Problem& problem : core::Validate(parsed.metadata, schema, today)) {
            messages.push_back(std::move(problem.message));
        }
    }
    return std::move(parsed.metadata);
}

class Importer {
public:
    Importer(Store& store, const core::Schema& schema, const ImportOptions& options)
        : store_(store), schema_(schema), options_(options) {}

    ImportReport Run(const std::vector<fs::path>& sources) {
        for (const fs::path& source : sources) Discover(source);
        ReadAll();
        RejectDuplicates();
        RejectUnknownRelations();
        if (!(options_.strict && !report_.rejected.empty())) Write();
        return std::move(report_);
    }

private:
    void Reject(std::string source, std::vector<std::string> problems) {
        std::string reason;
        for (const std::string& problem : problems) {
            if (!reason.empty()) reason += '\n';
            reason += problem;
        }
        report_.rejected.push_back(Rejection{std::move(source), std::move(reason)});
    }

    // --- discovery -------------------------------------------------------------------

    void Discover(const fs::path& source) {
        std::error_code error;
        const fs::file_status status = fs::status(source, error);
        if (!fs::exists(status)) {
            Reject(source.string(), {"does not exist"});
        } else if (error) {
            Reject(source.string(), {"cannot be read: " + error.message()});
        } else if (fs::is_regular_file(status) && IsCsv(source)) {
            DiscoverCsv(source);
        } else if (!fs::is_directory(status)) {
            Reject(source.string(),
                   {"is neither a document folder, a folder of them nor a CSV register (.csv)"});
        } else if (HasMetadata(source)) {
            units_.push_back(FolderUnit{source});
        } else {
            const std::size_t before = units_.size();
            DiscoverTree(source);
            if (units_.size() == before) {
                Reject(source.string(), {"no document folder (one with metadata.xml) found"});
            }
        }
    }

    // Depth first in name order, so that the order of documents (and of rejections) does
    // not depend on the file system. Symbolic links to folders are not followed: a link
    // back up the tree would otherwise never end.
    void DiscoverTree(const fs::path& folder) {
        std::vector<fs::path> children;
        std::error_code error;
        for (fs::directory_iterator it(folder, error), end; !error && it != end;
             it.increment(error)) {
            if (IsDirectory(*it) && !IsSymlink(*it) && !IsHidden(it->path())) {
                children.push_back(it->path());
            }
        }
        if (error) {
            Reject(folder.string(), {"cannot be listed: " + error.message()});
            return;
        }
        std::sort(children.begin(), children.end());
        for (const fs::path& child : children) {
            if (HasMetadata(child)) {
                units_.push_back(FolderUnit{child});
            } else {
                DiscoverTree(child);
            }
        }
    }

    void DiscoverCsv(const fs::path& csv) {
        std::optional<std::string> bytes = ReadBytes(csv);
        if (!bytes) {
            Reject(csv.string(), {"cannot be read"});
            return;
        }
        auto table = std::make_shared<detail::CsvTable>();
        try {
            *table = detail::ParseCsv(*bytes);
        } catch (const Error& error) {
            Reject(csv.string(), {error.what()});
            return;
        }
        bytes.reset();
        std::vector<std::string> problems = CheckCsvHeader(table->header);
        if (!problems.empty()) {
            Reject(csv.string(), std::move(problems));
            return;
        }
        const auto id_column = static_cast<std::size_t>(
            std::find(table->header.begin(), table->header.end(), "id") - table->header.begin());
        // Rows sharing an id are the versions of one document; a row without an id is a
        // document of its own, which validation then rejects.
        std::map<std::string, std::size_t> unit_of_id;
        for (std::size_t row = 0; row < table->records.size(); ++row) {
            const std::vector<std::string>& fields = table->records[row].fields;
            const std::string id =
                id_column < fields.size() ? std::string(core::Trim(fields[id_column])) : "";
            if (!id.empty()) {
                if (auto found = unit_of_id.find(id); found != unit_of_id.end()) {
                    std::get<CsvUnit>(units_[found->second]).rows.push_back(row);
                    continue;
                }
                unit_of_id.emplace(id, units_.size());
            }
            units_.push_back(CsvUnit{table, csv, {row}});
        }
    }

    static std::vector<std::string> CheckCsvHeader(const std::vector<std::string>& header) {
        std::vector<std::string> problems;
        std::set<std::string, std::less<>> seen;
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string name(core::Trim(header[i]));
            const bool known = name == kFileColumn || name == kTextFileColumn ||
                               name == kUncertainColumn || CsvColumn(name) != nullptr;
            if (!known) {
                problems.push_back("line 1: unknown column '" + name + "' (column " +
                                   std::to_string(i + 1) + ")");
            } else if (!seen.insert(name).second) {
                problems.push_back("line 1: column '" + name + "' appears twice");
            }
        }
        if (!seen.contains("id")) problems.push_back("line 1: no id column");
        return problems;
    }

    // --- reading ---------------------------------------------------------------------

    void ReadAll() {
        const std::size_t found = units_.size();
        // About every 1% of the documents, so that a caller's progress bar moves smoothly
        // without a callback per document in a register of 100 000.
        const std::size_t step = std::max<std::size_t>(1, found / 100);
        for (std::size_t i = 0; i < found; ++i) {
            Candidate candidate =
                std::visit([this](const auto& unit) { return Read(unit); }, units_[i]);
            // The unit is done with; dropping it frees the CSV rows as we go.
            units_[i] = FolderUnit{};
            if (candidate.problems.empty()) {
                candidates_.push_back(std::move(candidate));
            } else {
                Reject(std::move(candidate.source), std::move(candidate.problems));
            }
            if (options_.progress && ((i + 1) % step == 0 || i + 1 == found)) {
                options_.progress(i + 1, found);
            }
        }
        units_.clear();
    }

    Candidate Read(const FolderUnit& unit) {
        const Confinement confinement = ConfineTo(unit.folder, "the document's folder");
        Candidate candidate;
        candidate.source = unit.folder.string();
        const std::string id = FolderName(unit.folder);
        const fs::path history = unit.folder / kHistoryFolder;
        std::error_code error;
        if (fs::is_directory(history, error)) {
            std::vector<std::pair<unsigned long, fs::path>> earlier;
            for (fs::directory_iterator it(history, error), end; !error && it != end;
                 it.increment(error)) {
                const std::string name = it->path().filename().string();
                if (IsHidden(it->path())) continue;
                const bool numbered = !name.empty() && name.size() <= 9 &&
                                      std::all_of(name.begin(), name.end(),
                                                  [](unsigned char c) { return std::isdigit(c); });
                if (!IsDirectory(*it) || !numbered) {
                    candidate.problems.push_back(
                        "history/" + name + ": expected only numbered version folders (01, 02, …)");
                    continue;
                }
                earlier.emplace_back(std::stoul(name), it->path());
            }
            if (error)
                candidate.problems.push_back("history: cannot be listed: " + error.message());
            std::sort(earlier.begin(), earlier.end());
            for (std::size_t i = 1; i < earlier.size(); ++i) {
                if (earlier[i].first == earlier[i - 1].first) {
                    candidate.problems.push_back("history: two folders number version " +
                                                 std::to_string(earlier[i].first));
                }
            }
            for (const auto& [number, folder] : earlier) {
                const std::string label = "history/" + folder.filename().string() + "/";
                if (auto version =
                        ReadVersion(folder, confinement, label, id, false, candidate.problems)) {
                    candidate.versions.push_back(std::move(*version));
                }
            }
        }
        if (auto version =
                ReadVersion(unit.folder, confinement, "", id, true, candidate.problems)) {
            candidate.versions.push_back(std::move(*version));
        }
        return candidate;
    }

    // Reads one version folder: metadata.xml, the text (text.md or one original) and files/.
    // `label` prefixes problems ("history/01/"); the current version may hold history/.
    std::optional<Version> ReadVersion(const fs::path& folder, const Confinement& confinement,
                                       const std::string& label, const std::string& id,
                                       bool current, std::vector<std::string>& problems) {
        const std::size_t problems_before = problems.size();
        Version version;
        const std::string metadata_label = label + std::string(kMetadataFile);
        if (auto problem = EscapeProblem(folder / kMetadataFile, confinement)) {
            problems.push_back(metadata_label + ": " + *problem);
        } else if (std::optional<std::string> xml = ReadBytes(folder / kMetadataFile)) {
            std::vector<std::string> messages;
            version.metadata = CheckMetadata(*xml, schema_, options_.today, messages);
            for (const std::string& message : messages) {
                problems.push_back(metadata_label + ": " + message);
            }
            if (version.metadata.id != id && !version.metadata.id.empty()) {
                problems.push_back(metadata_label + ": id '" + version.metadata.id +
                                   "' is not the folder's name '" + id + "'");
            }
        } else {
            problems.push_back(metadata_label + ": missing or unreadable");
        }

        std::vector<fs::path> originals;
        bool has_text_file = false;
        std::error_code error;
        for (fs::directory_iterator it(folder, error), end; !error && it != end;
             it.increment(error)) {
            const fs::path& path = it->path();
            const std::string name = path.filename().string();
            if (IsHidden(path) || name == kMetadataFile) continue;
            if (IsDirectory(*it)) {
                if (name == kFilesFolder || (current && name == kHistoryFolder)) continue;
                problems.push_back(label + name +
                                   ": unexpected folder (attachments belong in "
                                   "files/, earlier versions in history/)");
            } else if (name == kTextFile) {
                has_text_file = true;
            } else if (IsOriginalKind(FileKindOf(path))) {
                originals.push_back(path);
            } else {
                problems.push_back(label + name +
                                   ": unexpected file (attachments belong in files/)");
            }
        }
        if (error) problems.push_back(label + ": cannot be listed: " + error.message());
        std::sort(originals.begin(), originals.end());

        if (has_text_file) {
            const std::string text_label = label + std::string(kTextFile);
            if (auto problem = EscapeProblem(folder / kTextFile, confinement)) {
                problems.push_back(text_label + ": " + *problem);
            } else if (std::optional<std::string> bytes = ReadBytes(folder / kTextFile)) {
                try {
                    version.text = ExtractText(FileKind::kMarkdown, *bytes);
                    CheckTextLimits(version.text, text_label, problems);
                } catch (const Error& e) {
                    problems.push_back(text_label + ": " + e.what());
                }
            } else {
                problems.push_back(text_label + ": cannot be read");
            }
            // Beside a text.md, originals are the documents the text was made from.
            for (const fs::path& original : originals) {
                AddAttachment(original, confinement, label, version.files, problems);
            }
        } else if (originals.size() == 1) {
            const std::string name = originals.front().filename().string();
            if (auto text = ReadOriginal(originals.front(), confinement, label + name,
                                         version.files, problems)) {
                version.text = std::move(*text);
            }
        } else if (originals.empty()) {
            problems.push_back(label +
                               "text.md: missing (add text.md or one original: pdf, "
                               "docx, odt or txt)");
        } else {
            std::string names;
            for (const fs::path& original : originals) {
                names += (names.empty() ? "" : ", ") + original.filename().string();
            }
            problems.push_back(label + ": several originals (" + names +
                               ") and no text.md: keep one, or add text.md");
        }

        const fs::path files = folder / kFilesFolder;
        if (fs::is_directory(files, error)) {
            std::vector<fs::path> attachments;
            for (fs::directory_iterator it(files, error), end; !error && it != end;
                 it.increment(error)) {
                if (IsHidden(it->path())) continue;
                if (IsDirectory(*it)) {
                    problems.push_back(label + "files/" + it->path().filename().string() +
                                       ": folders inside files/ are not supported");
                    continue;
                }
                attachments.push_back(it->path());
            }
            if (error) problems.push_back(label + "files: cannot be listed: " + error.message());
            std::sort(attachments.begin(), attachments.end());
            for (const fs::path& attachment : attachments) {
                AddAttachment(attachment, confinement, label + "files/", version.files, problems);
            }
        }
        std::set<std::string_view> names;
        for (const Attachment& attachment : version.files) {
            if (!names.insert(attachment.name).second) {
                problems.push_back(label + attachment.name +
                                   ": two attachments have this name (the original and one "
                                   "in files/)");
            }
        }
        if (problems.size() != problems_before) return std::nullopt;
        return version;
    }

    static void AddAttachment(const fs::path& file, const Confinement& confinement,
                              const std::string& label, std::vector<Attachment>& files,
                              std::vector<std::string>& problems) {
        const std::string name = file.filename().string();
        if (auto problem = AttachmentNameProblem(name)) {
            problems.push_back(label + name + ": file name " + *problem);
        } else if (auto escape = EscapeProblem(file, confinement)) {
            problems.push_back(label + name + ": " + *escape);
        } else if (std::optional<std::string> bytes = ReadBytes(file)) {
            files.push_back(Attachment{name, std::move(*bytes)});
        } else {
            problems.push_back(label + name + ": cannot be read");
        }
    }

    Candidate Read(const CsvUnit& unit) {
        const detail::CsvTable& table = *unit.table;
        Candidate candidate;
        candidate.source =
            unit.csv.string() + ":" + std::to_string(table.records[unit.rows.front()].line);
        const fs::path folder = unit.csv.has_parent_path() ? unit.csv.parent_path() : ".";
        const Confinement confinement = ConfineTo(folder, "the register's folder");
        for (const std::size_t row : unit.rows) {
            if (auto version =
                    ReadCsvRow(unit, confinement, table.records[row], candidate.problems)) {
                candidate.versions.push_back(std::move(*version));
            }
        }
        return candidate;
    }

    // A row's cells are read as the metadata.xml reader reads elements (core::SetFieldText),
    // so that a date, a status or a boolean means the same in both formats.
    std::optional<Version> ReadCsvRow(const CsvUnit& unit, const Confinement& confinement,
                                      const detail::CsvRecord& record,
                                      std::vector<std::string>& problems) {
        const detail::CsvTable& table = *unit.table;
        const std::string at = "line " + std::to_string(record.line) + ": ";
        const std::size_t problems_before = problems.size();
        if (record.fields.size() != table.header.size()) {
            problems.push_back(at + std::to_string(record.fields.size()) +
                               " fields where the header has " +
                               std::to_string(table.header.size()));
            return std::nullopt;
        }
        Version version;
        std::string file;
        std::string text_file;
        std::string uncertain;
        std::string status;
        std::set<std::string, std::less<>> filled;
        for (std::size_t i = 0; i < table.header.size(); ++i) {
            const std::string column(core::Trim(table.header[i]));
            const std::string_view value = core::Trim(record.fields[i]);
            if (!core::IsValidUtf8(value)) {
                problems.push_back(at + "column " + column + " is not valid UTF-8");
                continue;
            }
            if (value.empty()) continue;
            filled.insert(column);
            if (column == kFileColumn) {
                file = value;
            } else if (column == kTextFileColumn) {
                text_file = value;
            } else if (column == kUncertainColumn) {
                uncertain = value;
            } else if (const core::MetadataField* field = CsvColumn(column)) {
                if (column == "status") status = value;
                if (auto problem = core::SetFieldText(version.metadata, *field, value, "|")) {
                    problems.push_back(at + problem->message);
                }
            }
        }
        if (problems.size() != problems_before) return std::nullopt;
        ApplyUncertain(uncertain, filled, status, at, version.metadata, problems);
        if (problems.size() != problems_before) return std::nullopt;
        for (const core::Problem& problem :
             core::Validate(version.metadata, schema_, options_.today)) {
            problems.push_back(at + problem.message);
        }
        std::optional<fs::path> file_path;
        std::optional<fs::path> text_path;
        if (!file.empty()) file_path = InsideRegister(file, kFileColumn, at, problems);
        if (!text_file.empty()) {
            text_path = InsideRegister(text_file, kTextFileColumn, at, problems);
        }
        if (text_path) {
            const std::string label = at + "text_file " + text_file;
            std::vector<Attachment> none;
            if (auto text = ReadOriginal(confinement.folder / *text_path, confinement, label, none,
                                         problems, FileKind::kMarkdown)) {
                version.text = std::move(*text);
            }
            // Beside its text, the original is what the text was made from: kept, not read.
            if (file_path) {
                AddAttachment(confinement.folder / *file_path, confinement, at + "file ",
                              version.files, problems);
            }
        } else if (file_path) {
            if (auto text = ReadOriginal(confinement.folder / *file_path, confinement,
                                         at + "file " + file, version.files, problems)) {
                version.text = std::move(*text);
            }
        }
        if (problems.size() != problems_before) return std::nullopt;
        return version;
    }

    // Only a path inside the register's folder: a register from someone else must not make
    // the import read any other file the importer can.
    static std::optional<fs::path> InsideRegister(const std::string& value, std::string_view column,
                                                  const std::string& at,
                                                  std::vector<std::string>& problems) {
        fs::path path(value);
        const bool climbs = std::any_of(path.begin(), path.end(),
                                        [](const fs::path& part) { return part == ".."; });
        if (path.has_root_path() || climbs) {
            problems.push_back(at + std::string(column) + " " + value +
                               ": not a path inside the register's folder (write it "
                               "relative to the folder, without ..)");
            return std::nullopt;
        }
        return path;
    }

    // `uncertain` lists the fields whose values nobody has checked yet (what `styrdok
    // propose` guessed). A row with such a value is a draft, so that nothing guessed is
    // published before a clerk has looked; a field it names that is empty was not found, and
    // makes no draft. A row that says it is decided while it still names a guessed value is
    // a problem rather than a silent draft: the clerk meant something, and should say which.
    static void ApplyUncertain(std::string_view uncertain,
                               const std::set<std::string, std::less<>>& filled,
                               const std::string& status, const std::string& at,
                               core::Metadata& metadata, std::vector<std::string>& problems) {
        std::string guessed;
        while (!uncertain.empty()) {
            const std::size_t bar = std::min(uncertain.find('|'), uncertain.size());
            const std::string_view name = core::Trim(uncertain.substr(0, bar));
            uncertain.remove_prefix(std::min(bar + 1, uncertain.size()));
            if (name.empty()) continue;
            if (CsvColumn(name) == nullptr) {
                problems.push_back(at + "uncertain names '" + std::string(name) +
                                   "', which is no metadata field (fields are "
                                   "separated by |)");
            } else if (filled.contains(name)) {
                guessed += (guessed.empty() ? "" : ", ") + std::string(name);
            }
        }
        if (guessed.empty()) return;
        if (!status.empty() && metadata.status != core::Status::kDraft) {
            problems.push_back(at + "status " + status + ", but uncertain still names " + guessed +
                               ": check the values and empty the uncertain cell, or make "
                               "the status utkast");
            return;
        }
        metadata.status = core::Status::kDraft;
    }

    // --- checks across documents -----------------------------------------------------

    // Two sources claiming one id cannot both be right, and picking one would silently drop
    // the other: every claimant is rejected, each naming the others.
    void RejectDuplicates() {
        std::map<std::string_view, std::vector<std::size_t>> by_id;
        for (std::size_t i = 0; i < candidates_.size(); ++i) {
            by_id[candidates_[i].versions.back().metadata.id].push_back(i);
        }
        std::vector<bool> duplicate(candidates_.size(), false);
        for (const auto& [id, indices] : by_id) {
            if (indices.size() < 2) continue;
            for (const std::size_t i : indices) {
                std::string others;
                for (const std::size_t j : indices) {
                    if (j != i) others += (others.empty() ? "" : ", ") + candidates_[j].source;
                }
                candidates_[i].problems.push_back("duplicate id '" + std::string(id) +
                                                  "', also in " + others);
                duplicate[i] = true;
            }
        }
        std::vector<Candidate> kept;
        kept.reserve(candidates_.size());
        for (std::size_t i = 0; i < candidates_.size(); ++i) {
            if (duplicate[i]) {
                Reject(candidates_[i].source, std::move(candidates_[i].problems));
            } else {
                kept.push_back(std::move(candidates_[i]));
            }
        }
        candidates_ = std::move(kept);
    }

    // A document may name in `implements` and `replaces` only documents that the registry has
    // (on main or as a draft) or that this import brings. A rejected document is not brought,
    // so those that name it are checked again until none is left to reject. `related`, a loose
    // "see also", may name a document that a later import brings, so that a registry can be
    // imported a part at a time; a write through the server refuses it there.
    void RejectUnknownRelations() {
        std::set<std::string, std::less<>> stored;
        for (std::string& id : store_.ListDocuments()) stored.insert(std::move(id));
        for (const DraftRef& draft : store_.ListDrafts()) stored.insert(draft.id);
        bool rejected = true;
        while (rejected) {
            rejected = false;
            std::set<std::string_view> brought;
            for (const Candidate& candidate : candidates_) {
                brought.insert(candidate.versions.back().metadata.id);
            }
            const auto exists = [&](std::string_view id) {
                return brought.contains(id) || stored.contains(id);
            };
            std::vector<Candidate> kept;
            kept.reserve(candidates_.size());
            for (Candidate& candidate : candidates_) {
                std::vector<std::string> problems;
                for (const Version& version : candidate.versions) {
                    for (const core::Problem& problem :
                         core::ValidateRelations(version.metadata, exists)) {
                        if (problem.field == "related") continue;
                        if (std::find(problems.begin(), problems.end(), problem.message) ==
                            problems.end()) {
                            problems.push_back(problem.message);
                        }
                    }
                }
                if (problems.empty()) {
                    kept.push_back(std::move(candidate));
                } else {
                    Reject(candidate.source, std::move(problems));
                    rejected = true;
                }
            }
            candidates_ = std::move(kept);
        }
    }

    // --- writing ---------------------------------------------------------------------

    // The versions of a document that the store does not have yet: those after the last
    // imported version that the store already holds, on main or in the document's draft, so
    // importing the same folders again writes nothing and an added version on top of a known
    // history writes only itself.
    void DropStoredVersions(Candidate& candidate, bool on_main, bool has_draft) {
        const std::string& id = candidate.versions.back().metadata.id;
        std::vector<Document> stored;
        if (on_main) stored = store_.Versions(id);
        if (has_draft) {
            for (const VersionInfo& version : store_.DraftHistory(id)) {
                if (std::optional<Document> document = store_.Read(id, version.version)) {
                    stored.push_back(std::move(*document));
                }
            }
        }
        if (stored.empty()) return;
        auto same = [](const Version& version, const Document& document) {
            std::vector<std::string> names;
            for (const Attachment& file : version.files) names.push_back(file.name);
            std::sort(names.begin(), names.end());
            return version.text == document.text && names == document.files &&
                   version.metadata == document.metadata;
        };
        std::size_t first_new = 0;
        for (std::size_t k = 0; k < candidate.versions.size(); ++k) {
            for (const Document& document : stored) {
                if (same(candidate.versions[k], document)) first_new = k + 1;
            }
        }
        candidate.versions.erase(candidate.versions.begin(),
                                 candidate.versions.begin() + static_cast<long>(first_new));
    }

    // A document's write of one version, removing the attachments of the version before
    // (`previous_files`, updated) that this one does not have, as an owner's edit would.
    static DocumentWrite WriteOf(Version& version, std::vector<std::string>& previous_files) {
        DocumentWrite write;
        std::set<std::string, std::less<>> names;
        for (const Attachment& file : version.files) names.insert(file.name);
        for (std::string& name : previous_files) {
            if (!names.contains(name)) write.remove_files.push_back(std::move(name));
        }
        previous_files.assign(names.begin(), names.end());
        write.metadata = std::move(version.metadata);
        write.text = std::move(version.text);
        write.files = std::move(version.files);
        return write;
    }

    // Moves the versions after the last decided one out of `versions` and returns them: main
    // holds decided documents only, so these go to the document's draft (store.hpp).
    static std::vector<Version> SplitOffDraft(std::vector<Version>& versions) {
        auto decided = versions.end();
        while (decided != versions.begin() &&
               std::prev(decided)->metadata.status == core::Status::kDraft) {
            --decided;
        }
        std::vector<Version> drafts(std::make_move_iterator(decided),
                                    std::make_move_iterator(versions.end()));
        versions.erase(decided, versions.end());
        return drafts;
    }

    // A document's versions to write: decided ones to main, the rest to its draft.
    struct Pending {
        std::string id;
        bool on_main = false;
        std::optional<std::string> draft;  ///< the draft's commit, when it has one already
        std::vector<Version> decided;
        std::vector<Version> drafts;
        std::vector<std::string> files;  ///< attachments of the version the draft goes on from
    };

    // Generation k holds the k-th new decided version of every document that has one, so
    // each commit is a consistent state and the newest versions are at HEAD. The drafts
    // follow, a commit per version on each document's draft.
    void Write() {
        if (candidates_.empty()) return;
        std::set<std::string, std::less<>> existing;
        if (store_.Head()) {
            for (std::string& id : store_.ListDocuments()) existing.insert(std::move(id));
        }
        std::map<std::string, std::string, std::less<>> drafts;
        for (DraftRef& draft : store_.ListDrafts()) drafts.emplace(draft.id, draft.version);

        std::vector<Pending> pending;
        std::size_t generations = 0;
        for (Candidate& candidate : candidates_) {
            Pending document;
            document.id = candidate.versions.back().metadata.id;
            document.on_main = existing.contains(document.id);
            if (auto draft = drafts.find(document.id); draft != drafts.end()) {
                document.draft = draft->second;
            }
            if (document.on_main || document.draft) {
                DropStoredVersions(candidate, document.on_main, document.draft.has_value());
                if (candidate.versions.empty()) {
                    ++report_.unchanged;
                    continue;
                }
            }
            document.drafts = SplitOffDraft(candidate.versions);
            document.decided = std::move(candidate.versions);
            if (!document.decided.empty() && !document.on_main && document.draft) {
                Reject(std::move(candidate.source),
                       {"the registry has a draft of " + document.id +
                        " as a new document: adopt or discard it before importing decided "
                        "versions"});
                continue;
            }
            generations = std::max(generations, document.decided.size());
            pending.push_back(std::move(document));
        }
        candidates_.clear();
        if (options_.strict && !report_.rejected.empty()) return;

        std::vector<CommitRequest> requests(generations);
        for (std::size_t k = 0; k < generations; ++k) {
            requests[k].author = options_.author;
            requests[k].message = generations == 1
                                      ? options_.message
                                      : options_.message + " (" + std::to_string(k + 1) + "/" +
                                            std::to_string(generations) + ")";
        }
        for (Pending& document : pending) {
            // A document already in the store is replaced: its attachments that the imported
            // version does not have are removed, as an owner's edit would.
            if (document.on_main) {
                if (std::optional<Document> stored = store_.Read(document.id)) {
                    document.files = std::move(stored->files);
                }
            }
            for (std::size_t k = 0; k < document.decided.size(); ++k) {
                requests[k].writes.push_back(WriteOf(document.decided[k], document.files));
                ++report_.versions;
            }
            document.decided.clear();
            ++report_.documents;
        }
        if (generations > 0) report_.commit = store_.CommitAll(std::move(requests));
        for (Pending& document : pending) {
            if (!document.drafts.empty()) WriteDraft(document);
        }
    }

    // Goes on from the document's draft, or starts one from main's version after the import.
    void WriteDraft(Pending& document) {
        std::optional<std::string> expected = document.draft;
        if (expected) {
            if (std::optional<Document> draft = store_.ReadDraft(document.id)) {
                document.files = std::move(draft->files);
            }
        } else {
            std::optional<Document> decided = store_.Read(document.id);
            expected = decided ? decided->version : "";
        }
        for (Version& version : document.drafts) {
            DocumentWrite write = WriteOf(version, document.files);
            write.expected_version = expected;
            expected = store_.CommitDraft(write, options_.author, options_.message);
            ++report_.versions;
        }
        ++report_.drafts;
    }

    Store& store_;
    const core::Schema& schema_;
    const ImportOptions& options_;
    std::vector<Unit> units_;
    std::vector<Candidate> candidates_;
    ImportReport report_;
};

}  // namespace

ImportReport Import(Store& store, const core::Schema& schema, const std::vector<fs::path>& sources,
                    const ImportOptions& options) {
    return Importer(store, schema, options).Run(sources);
}

}  // namespace styrdok::store
