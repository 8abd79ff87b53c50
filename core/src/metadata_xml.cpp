#include "styrdok/core/metadata_xml.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "line_map.hpp"
#include "styrdok/core/date.hpp"
#include "styrdok/core/metadata_fields.hpp"
#include "styrdok/core/utf8.hpp"

namespace styrdok::core {
namespace {

constexpr std::string_view kReviewAttributes[] = {"decided_by", "decided_on", "paragraph", "dnr",
                                                  "outcome"};

using detail::LineMap;

class Parser {
public:
    explicit Parser(std::string_view xml) : xml_(xml), lines_(xml) {}

    MetadataParseResult Run() {
        const bool raw_utf8 = CheckUtf8();
        pugi::xml_document doc;
        // Forcing UTF-8 keeps pugixml from converting the buffer, so its offsets stay offsets
        // into `xml_`. Escapes are decoded and line ends normalised as XML requires.
        pugi::xml_parse_result parsed =
            doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
        if (!parsed) {
            if (parsed.status == pugi::status_no_document_element) {
                Report(1, "", "missing <document> root element");
            } else {
                Report(lines_.LineOf(parsed.offset), "",
                       std::string("malformed XML: ") + parsed.description());
            }
            return std::move(result_);
        }
        pugi::xml_node root = doc.document_element();
        if (std::string_view(root.name()) != "document") {
            Report(LineOf(root), "",
                   "missing <document> root element (found <" + std::string(root.name()) + ">)");
            return std::move(result_);
        }
        if (raw_utf8) CheckReferences(doc);
        for (pugi::xml_node extra = root.next_sibling(); extra; extra = extra.next_sibling()) {
            if (extra.type() != pugi::node_element) continue;
            Report(LineOf(extra), "",
                   "element <" + std::string(extra.name()) + "> after the <document> root");
        }
        ReadDocument(root);
        return std::move(result_);
    }

private:
    // True when every line is UTF-8.
    bool CheckUtf8() {
        const std::vector<int> lines = LineMap::InvalidUtf8Lines(xml_);
        for (int line : lines) Report(line, "", "invalid UTF-8");
        return lines.empty();
    }

    // In a text that is UTF-8, decoded text that is not came from a character reference that
    // names no Unicode character (&#xD800;, &#1114112;): pugixml encodes the number anyway,
    // and the value would be stored and written back as bytes no reader takes. Iterative, as
    // the depth of the tree is the sender's to choose.
    void CheckReferences(const pugi::xml_document& doc) {
        pugi::xml_node node = doc.first_child();
        while (node) {
            bool valid = IsValidUtf8(node.value());
            for (pugi::xml_attribute attribute : node.attributes()) {
                valid = valid && IsValidUtf8(attribute.value());
            }
            if (!valid) Report(LineOf(node), "", "character reference to no Unicode character");
            if (node.first_child()) {
                node = node.first_child();
                continue;
            }
            while (node && !node.next_sibling()) node = node.parent();
            if (node) node = node.next_sibling();
        }
    }

    void Report(int line, std::string field, std::string message) {
        result_.problems.push_back(MakeProblem(ProblemCode::kMetadataXml, std::move(field),
                                               {std::to_string(line), std::move(message)}));
    }

    int LineOf(pugi::xml_node node) const {
        if (node.type() == pugi::node_pcdata) {
            return lines_.LineOfText(node.offset_debug(), node.value());
        }
        return lines_.LineOf(node.offset_debug());
    }

    // The trimmed text of an element that may hold only text; child elements are reported.
    std::string TextOf(pugi::xml_node element) {
        std::string text;
        for (pugi::xml_node child : element.children()) {
            switch (child.type()) {
                case pugi::node_pcdata:
                case pugi::node_cdata:
                    text += child.value();
                    break;
                case pugi::node_element:
                    Report(LineOf(child), element.name(),
                           "unexpected element <" + std::string(child.name()) + "> in <" +
                               element.name() + ">");
                    break;
                default:
                    break;
            }
        }
        return std::string(Trim(text));
    }

    void RefuseAttributes(pugi::xml_node element) {
        for (pugi::xml_attribute attribute : element.attributes()) {
            Report(LineOf(element), element.name(),
                   "unknown attribute '" + std::string(attribute.name()) + "' on <" +
                       element.name() + ">");
        }
    }

    // Text directly inside a container element is a mistake, not something to keep.
    void RefuseText(pugi::xml_node child, pugi::xml_node container) {
        if (!Trim(child.value()).empty()) {
            Report(LineOf(child), container.name(),
                   "unexpected text in <" + std::string(container.name()) + ">");
        }
    }

    void ReadDocument(pugi::xml_node root) {
        RefuseAttributes(root);
        std::set<std::string, std::less<>> seen;
        for (pugi::xml_node child : root.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                RefuseText(child, root);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            std::string_view name = child.name();
            if (!seen.insert(std::string(name)).second) {
                Report(LineOf(child), std::string(name),
                       "duplicate element <" + std::string(name) + ">");
                continue;
            }
            ReadElement(child, name);
        }
    }

    void ReadElement(pugi::xml_node element, std::string_view name) {
        Metadata& m = result_.metadata;
        const std::string field_name(name);
        const MetadataField* field = FindMetadataField(name);
        if (field == nullptr) {
            Report(LineOf(element), field_name, "unknown element <" + field_name + ">");
            return;
        }
        if (field->kind == FieldKind::kReviews) {
            ReadReviews(element);
            return;
        }
        if (field->kind == FieldKind::kList) {
            ReadList(element, *field, *ListMember(m, *field));
            return;
        }
        RefuseAttributes(element);
        const std::string text = TextOf(element);
        // An empty element means the same as an absent one, as empty strings do in Metadata.
        if (text.empty()) return;
        if (std::optional<Problem> problem = SetFieldText(m, *field, text)) {
            Report(LineOf(element), field_name, problem->message);
        }
    }

    void ReadList(pugi::xml_node element, const MetadataField& list,
                  std::vector<std::string>& out) {
        RefuseAttributes(element);
        if (list.single_as_text && !element.child(std::string(list.item).c_str())) {
            // The older form of the field, one item as text: read as before, so registries
            // written then keep working unchanged.
            std::string text = TextOf(element);
            if (!text.empty()) out.push_back(std::move(text));
            return;
        }
        for (pugi::xml_node child : element.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                RefuseText(child, element);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) != list.item) {
                Report(LineOf(child), std::string(list.name),
                       "unknown element <" + std::string(child.name()) + "> in <" +
                           std::string(list.name) + ">");
                continue;
            }
            RefuseAttributes(child);
            out.push_back(TextOf(child));
        }
    }

    void ReadReviews(pugi::xml_node element) {
        RefuseAttributes(element);
        for (pugi::xml_node child : element.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                RefuseText(child, element);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) != "review") {
                Report(LineOf(child), "reviews",
                       "unknown element <" + std::string(child.name()) + "> in <reviews>");
                continue;
            }
            ReadReview(child);
        }
    }

    void ReadReview(pugi::xml_node element) {
        const int line = LineOf(element);
        for (pugi::xml_attribute attribute : element.attributes()) {
            std::string_view name = attribute.name();
            if (std::find(std::begin(kReviewAttributes), std::end(kReviewAttributes), name) ==
                std::end(kReviewAttributes)) {
                Report(line, "reviews",
                       "unknown attribute '" + std::string(name) + "' on <review>");
            }
        }
        for (pugi::xml_node child : element.children()) {
            if (child.type() == pugi::node_element) {
                Report(LineOf(child), "reviews",
                       "unexpected element <" + std::string(child.name()) + "> in <review>");
            } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                RefuseText(child, element);
            }
        }

        ReviewRecord record;
        bool complete = true;
        record.decided_by = std::string(Trim(element.attribute("decided_by").value()));
        record.paragraph = std::string(Trim(element.attribute("paragraph").value()));
        record.dnr = std::string(Trim(element.attribute("dnr").value()));

        // A review without its date or outcome says nothing the review rules can use.
        const std::string decided_on(Trim(element.attribute("decided_on").value()));
        if (decided_on.empty()) {
            Report(line, "reviews", "<review> lacks decided_on");
            complete = false;
        } else if (auto date = Date::Parse(decided_on)) {
            record.decided_on = *date;
        } else {
            Report(line, "reviews",
                   "review decided_on '" + decided_on + "' is not a date in the form YYYY-MM-DD");
            complete = false;
        }
        const std::string outcome(Trim(element.attribute("outcome").value()));
        if (outcome.empty()) {
            Report(line, "reviews", "<review> lacks outcome");
            complete = false;
        } else if (auto parsed = ParseReviewOutcome(outcome)) {
            record.outcome = *parsed;
        } else {
            Report(line, "reviews",
                   "unknown review outcome '" + outcome +
                       "' (fortsatt gällande, revideras or upphävs)");
            complete = false;
        }
        if (complete) result_.metadata.reviews.push_back(std::move(record));
    }

    std::string_view xml_;
    LineMap lines_;
    MetadataParseResult result_;
};

// Escapes for element text and attribute values alike. Control characters, CR and (in
// attributes) tab and LF are written as character references because XML parsers normalise
// the raw characters away, and the writer promises an exact round trip.
void AppendEscaped(std::string& out, std::string_view text, bool attribute) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                if (attribute) {
                    out += "&quot;";
                } else {
                    out += c;
                }
                break;
            default:
                if (byte < 0x20 && (attribute || (c != '\n' && c != '\t'))) {
                    char reference[8];
                    std::snprintf(reference, sizeof reference, "&#%u;", byte);
                    out += reference;
                } else {
                    out += c;
                }
        }
    }
}

void AppendElement(std::string& out, std::string_view indent, std::string_view name,
                   std::string_view text) {
    out += indent;
    out += '<';
    out += name;
    out += '>';
    AppendEscaped(out, text, false);
    out += "</";
    out += name;
    out += ">\n";
}

void AppendAttribute(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "=\"";
    AppendEscaped(out, value, true);
    out += '"';
}

}  // namespace

MetadataParseResult ParseMetadataXml(std::string_view xml) { return Parser(xml).Run(); }

std::string WriteMetadataXml(const Metadata& m) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document>\n";
    for (const MetadataField& field : MetadataFields()) {
        if (field.kind == FieldKind::kReviews) continue;  // last, below
        if (field.kind == FieldKind::kList) {
            const std::vector<std::string>& items = *ListMember(m, field);
            if (items.empty()) continue;
            // An empty item would read back as no item at all in the older form.
            if (field.single_as_text && items.size() == 1 && !items.front().empty()) {
                AppendElement(out, "  ", field.name, items.front());
                continue;
            }
            out += "  <";
            out += field.name;
            out += ">\n";
            for (const std::string& item : items) AppendElement(out, "    ", field.item, item);
            out += "  </";
            out += field.name;
            out += ">\n";
        } else if (HasValue(m, field)) {
            AppendElement(out, "  ", field.name, FieldText(m, field));
        }
    }
    if (!m.reviews.empty()) {
        out += "  <reviews>\n";
        for (const ReviewRecord& review : m.reviews) {
            out += "    <review";
            if (!review.decided_by.empty()) AppendAttribute(out, "decided_by", review.decided_by);
            AppendAttribute(out, "decided_on", review.decided_on.ToString());
            if (!review.paragraph.empty()) AppendAttribute(out, "paragraph", review.paragraph);
            if (!review.dnr.empty()) AppendAttribute(out, "dnr", review.dnr);
            AppendAttribute(out, "outcome", ReviewOutcomeName(review.outcome));
            out += "/>\n";
        }
        out += "  </reviews>\n";
    }
    out += "</document>\n";
    return out;
}

}  // namespace styrdok::core
