#include "neighbourhood.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "html.hpp"

namespace styrdok::server {
namespace {

// Coordinates in the SVG's own units; the stylesheet scales the drawing to the page.
constexpr int kBoxWidth = 150;
constexpr int kBoxHeight = 48;
constexpr int kColumnPitch = 166;
constexpr int kRowPitch = 92;
constexpr int kMargin = 8;
constexpr int kLineHeight = 15;
// About what fits on one line of a box at the stylesheet's 12px.
constexpr std::size_t kCharsPerLine = 19;

enum class EdgeKind { kImplements, kReplaces };

struct Node {
    GraphDocument document;
    bool centre = false;
    int row = 0;
    int x = 0;  ///< left edge
    int y = 0;  ///< top edge
};

struct Edge {
    std::size_t from;  ///< the document that implements or replaces
    std::size_t to;
    EdgeKind kind;
};

// One row: the documents right of the centre (or all of them off row 0), those left of it
// nearest first, and how many were left out on each side.
struct Row {
    std::vector<std::size_t> right;
    std::vector<std::size_t> left;
    std::size_t left_out_right = 0;
    std::size_t left_out_left = 0;
};

// A slot of a row as drawn: a node, or a count of the documents left out.
struct Slot {
    std::size_t node = 0;
    std::size_t left_out = 0;  ///< > 0: "och N till"
};

std::size_t CodePoints(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// The first `n` code points of `text`.
std::string_view Prefix(std::string_view text, std::size_t n) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == n) {
            return text.substr(0, i);
        }
    }
    return text;
}

// A title on at most two lines, broken between words (a word longer than a line is cut
// into pieces); what does not fit ends in "…".
std::vector<std::string> Lines(std::string_view title) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t start = 0;
    while (start <= title.size()) {
        std::size_t end = std::min(title.find(' ', start), title.size());
        std::string_view word = title.substr(start, end - start);
        start = end + 1;
        while (CodePoints(word) > kCharsPerLine) {
            if (!line.empty()) lines.push_back(std::exchange(line, std::string()));
            const std::string_view piece = Prefix(word, kCharsPerLine);
            lines.emplace_back(piece);
            word.remove_prefix(piece.size());
        }
        if (word.empty()) continue;
        std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
        if (CodePoints(candidate) <= kCharsPerLine) {
            line = std::move(candidate);
        } else {
            lines.push_back(std::exchange(line, std::string(word)));
        }
    }
    if (!line.empty()) lines.push_back(std::move(line));
    if (lines.size() > 2) {
        lines.resize(2);
        lines[1] = std::string(Prefix(lines[1], kCharsPerLine - 1)) + "…";
    }
    if (lines.empty()) lines.emplace_back();
    return lines;
}

class Drawing {
public:
    explicit Drawing(const GraphDocument& centre) {
        nodes_.push_back({centre, true, 0});
        index_[centre.id] = 0;
        rows_[0];
    }

    // The node of `document` in `row` (left of the centre with `left`), or the one already
    // drawn for it; nullopt when that side of the row is full, counted as left out instead.
    std::optional<std::size_t> Add(const GraphDocument& document, int row, bool left = false,
                                   std::size_t cap = kGraphRowCap) {
        if (auto found = index_.find(document.id); found != index_.end()) return found->second;
        Row& r = rows_[row];
        std::vector<std::size_t>& side = left ? r.left : r.right;
        if (side.size() >= cap) {
            ++(left ? r.left_out_left : r.left_out_right);
            ++left_out_;
            return std::nullopt;
        }
        const std::size_t node = nodes_.size();
        nodes_.push_back({document, false, row});
        index_[document.id] = node;
        side.push_back(node);
        return node;
    }

    void Connect(std::size_t from, std::size_t to, EdgeKind kind) {
        if (from == to) return;
        for (const Edge& e : edges_) {
            if (e.from == from && e.to == to && e.kind == kind) return;
        }
        edges_.push_back({from, to, kind});
    }

    bool Empty() const { return nodes_.size() == 1 && left_out_ == 0; }

    std::string Svg() {
        std::vector<std::vector<Slot>> slots;
        for (const auto& [row, r] : rows_) {
            std::vector<Slot> line;
            if (r.left_out_left > 0) line.push_back({0, r.left_out_left});
            for (auto i = r.left.rbegin(); i != r.left.rend(); ++i) line.push_back({*i, 0});
            if (row == 0) line.push_back({0, 0});
            for (std::size_t i : r.right) line.push_back({i, 0});
            if (r.left_out_right > 0) line.push_back({0, r.left_out_right});
            if (!line.empty()) slots.push_back(std::move(line));
        }
        std::size_t widest = 1;
        for (const auto& line : slots) widest = std::max(widest, line.size());
        const int width = static_cast<int>(widest) * kColumnPitch + 2 * kMargin;
        int y = kMargin;
        for (const auto& line : slots) {
            int x = kMargin + (static_cast<int>(widest - line.size()) * kColumnPitch) / 2 +
                    (kColumnPitch - kBoxWidth) / 2;
            for (const Slot& slot : line) {
                if (slot.left_out == 0) {
                    nodes_[slot.node].x = x;
                    nodes_[slot.node].y = y;
                } else {
                    overflow_.push_back({x, y, slot.left_out});
                }
                x += kColumnPitch;
            }
            y += kRowPitch;
        }
        const int height = y - kRowPitch + kBoxHeight + kMargin;

        std::string svg;
        svg +=
            "<svg class=\"grannskap-svg\" role=\"group\" aria-labelledby=\"grannskap-titel\" "
            "aria-describedby=\"grannskap-beskrivning\" viewBox=\"0 0 " +
            std::to_string(width) + " " + std::to_string(height) + "\" width=\"" +
            std::to_string(width) + "\" height=\"" + std::to_string(height) + "\">\n";
        svg += "<title id=\"grannskap-titel\">Dokumentets kopplingar: " +
               EscapeHtml(nodes_[0].document.title) + "</title>\n";
        svg += "<desc id=\"grannskap-beskrivning\">" + EscapeHtml(Description()) + "</desc>\n";
        svg +=
            "<defs><marker id=\"grannskap-pil\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
            "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
            "<path d=\"M0,0L10,5L0,10z\" fill=\"currentColor\"/></marker></defs>\n";
        for (const Edge& e : edges_) svg += EdgeSvg(e);
        for (const Node& node : nodes_) svg += NodeSvg(node);
        for (const Overflow& o : overflow_) {
            svg += "<text class=\"grannskap-fler\" x=\"" + std::to_string(o.x + kBoxWidth / 2) +
                   "\" y=\"" + std::to_string(o.y + kBoxHeight / 2 + 4) +
                   "\" text-anchor=\"middle\" fill=\"currentColor\">och " +
                   std::to_string(o.count) + " till</text>\n";
        }
        svg += "</svg>";
        return svg;
    }

private:
    struct Overflow {
        int x, y;
        std::size_t count;
    };

    std::string Description() const {
        std::string text;
        for (const Edge& e : edges_) {
            text += nodes_[e.from].document.title +
                    (e.kind == EdgeKind::kImplements ? " genomför " : " ersätter ") +
                    nodes_[e.to].document.title + ". ";
        }
        if (left_out_ > 0) {
            text += std::to_string(left_out_) + " dokument till visas inte i bilden.";
        }
        if (!text.empty() && text.back() == ' ') text.pop_back();
        return text;
    }

    std::string EdgeSvg(const Edge& e) const {
        const Node& a = nodes_[e.from];
        const Node& b = nodes_[e.to];
        int x1, y1, x2, y2;
        if (a.row == b.row) {
            const bool rightwards = a.x < b.x;
            x1 = rightwards ? a.x + kBoxWidth : a.x;
            x2 = rightwards ? b.x : b.x + kBoxWidth;
            y1 = y2 = a.y + kBoxHeight / 2;
        } else {
            const bool downwards = a.y < b.y;
            x1 = a.x + kBoxWidth / 2;
            x2 = b.x + kBoxWidth / 2;
            y1 = downwards ? a.y + kBoxHeight : a.y;
            y2 = downwards ? b.y : b.y + kBoxHeight;
        }
        return std::string("<line class=\"grannskap-") +
               (e.kind == EdgeKind::kImplements ? "genomfor" : "ersatter") + "\" x1=\"" +
               std::to_string(x1) + "\" y1=\"" + std::to_string(y1) + "\" x2=\"" +
               std::to_string(x2) + "\" y2=\"" + std::to_string(y2) +
               "\" stroke=\"currentColor\" stroke-width=\"1.5\"" +
               (e.kind == EdgeKind::kReplaces ? " stroke-dasharray=\"6 4\"" : "") +
               " marker-end=\"url(#grannskap-pil)\"/>\n";
    }

    std::string NodeSvg(const Node& node) const {
        const std::vector<std::string> lines = Lines(node.document.title);
        std::string box = "<rect x=\"" + std::to_string(node.x) + "\" y=\"" +
                          std::to_string(node.y) + "\" width=\"" + std::to_string(kBoxWidth) +
                          "\" height=\"" + std::to_string(kBoxHeight) +
                          "\" rx=\"4\" fill=\"#ffffff\" stroke=\"currentColor\" stroke-width=\"" +
                          (node.centre ? "3" : "1") + "\"/>";
        const int first =
            node.y + kBoxHeight / 2 + 4 - static_cast<int>(lines.size() - 1) * kLineHeight / 2;
        std::string text = "<text x=\"" + std::to_string(node.x + kBoxWidth / 2) + "\" y=\"" +
                           std::to_string(first) +
                           "\" text-anchor=\"middle\" fill=\"currentColor\"" +
                           (node.centre ? " font-weight=\"bold\"" : "") + ">";
        for (std::size_t i = 0; i < lines.size(); ++i) {
            text += "<tspan x=\"" + std::to_string(node.x + kBoxWidth / 2) + "\"" +
                    (i == 0 ? std::string() : " dy=\"" + std::to_string(kLineHeight) + "\"") + ">" +
                    EscapeHtml(lines[i]) + "</tspan>";
        }
        text += "</text>";
        if (node.centre) {
            return "<g class=\"grannskap-centrum\">" + box + text + "</g>\n";
        }
        return "<a class=\"grannskap-lank\" href=\"/documents/" + EscapeHtml(node.document.id) +
               "\"><title>" + EscapeHtml(node.document.title) + "</title>" + box + text + "</a>\n";
    }

    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::map<int, Row> rows_;
    std::vector<Overflow> overflow_;
    std::size_t left_out_ = 0;
};

}  // namespace

std::string NeighbourhoodSvg(const Neighbourhood& graph) {
    Drawing d(graph.centre);
    for (const GraphBranch& branch : graph.implements) {
        const std::optional<std::size_t> node = d.Add(branch.document, -1);
        if (!node) continue;
        d.Connect(0, *node, EdgeKind::kImplements);
        for (const GraphDocument& next : branch.next) {
            if (auto above = d.Add(next, -2)) d.Connect(*node, *above, EdgeKind::kImplements);
        }
    }
    for (const GraphBranch& branch : graph.implemented_by) {
        const std::optional<std::size_t> node = d.Add(branch.document, 1);
        if (!node) continue;
        d.Connect(*node, 0, EdgeKind::kImplements);
        for (const GraphDocument& next : branch.next) {
            if (auto below = d.Add(next, 2)) d.Connect(*below, *node, EdgeKind::kImplements);
        }
    }
    for (const GraphDocument& old : graph.replaces) {
        if (auto node = d.Add(old, 0, true, kGraphSideCap))
            d.Connect(0, *node, EdgeKind::kReplaces);
    }
    for (const GraphDocument& successor : graph.replaced_by) {
        if (auto node = d.Add(successor, 0, false, kGraphSideCap)) {
            d.Connect(*node, 0, EdgeKind::kReplaces);
        }
    }
    return d.Empty() ? std::string() : d.Svg();
}

}  // namespace styrdok::server
