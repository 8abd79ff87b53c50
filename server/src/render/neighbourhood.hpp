#pragma once

// The drawn neighbourhood of a document on its page (issue 17): what it implements and what
// that implements above it, what implements it and what implements those below it, and what
// it replaces and what replaced it beside it. Inline SVG with text labels and links, no
// script; colours from currentColor and the stylesheet, so forced colours keep it readable.

#include <string>
#include <vector>

namespace styrdok::server {

struct GraphDocument {
    std::string id;
    std::string title;
};

/// A document one step from the centre, and the documents one further step the same way.
struct GraphBranch {
    GraphDocument document;
    std::vector<GraphDocument> next;
};

struct Neighbourhood {
    GraphDocument centre;
    std::vector<GraphBranch> implements;      ///< above: what it implements, and theirs
    std::vector<GraphBranch> implemented_by;  ///< below: what implements it, and theirs
    std::vector<GraphDocument> replaces;      ///< left
    std::vector<GraphDocument> replaced_by;   ///< right
};

/// At most this many documents in a row above or below; the rest are counted ("och 3 till").
inline constexpr std::size_t kGraphRowCap = 5;
/// At most this many documents on each side of the centre.
inline constexpr std::size_t kGraphSideCap = 2;

/// The SVG (an `<svg>` element with role="group", a <title> and a <desc> that says every
/// relation drawn in words), or "" when the document has no relation. A document reached
/// twice is drawn once; rows and sides are capped as above, so the drawing stays within a
/// fixed size whatever the registry holds. Titles are escaped.
std::string NeighbourhoodSvg(const Neighbourhood& graph);

}  // namespace styrdok::server
