#pragma once

// The registry's documents in force placed in the municipality's styrmodell (DESIGN.md,
// "Relations"; the levels are the schema's): the tree of the page /styrmodell, linked down
// the chain by `implements`, and the documents whose level says they should implement
// something and do not (the clerk's "Saknar koppling").

#include <cstddef>
#include <string>
#include <vector>

#include "styrdok/core/schema.hpp"

namespace styrdok::core {

/// A document in force, as the styrmodell sees it.
struct ChainDocument {
    std::string id;
    std::string title;
    std::string doctype;
    std::vector<std::string> implements;  ///< ids of the documents it implements (genomför)
    std::vector<std::string> goal_areas;  ///< målområde ids
};

/// One document in the tree and the documents in force that implement it.
struct ChainNode {
    const ChainDocument* document = nullptr;  ///< points into BuildChain's `in_force`
    /// The other documents in force it implements, besides the one it is placed under.
    std::vector<const ChainDocument*> also_implements;
    std::vector<ChainNode> children;  ///< by the level of their doctype, then by title
};

/// The documents at one level that implement no document in force, under one målområde (or
/// all of them when the styrmodell does not group).
struct ChainGroup {
    const GoalArea* goal_area = nullptr;  ///< nullptr: not grouped, or no målområde
    std::vector<ChainNode> documents;     ///< by title
};

struct ChainLevel {
    const StyrmodellLevel* level = nullptr;  ///< points into the schema
    std::vector<ChainGroup> groups;          ///< empty when no document is at the level
};

/// Places every document of `in_force` once: under the first document in force it
/// implements (following `implements` in order), else at the level of its doctype, where
/// a styrmodell grouped by målområde lists it under each of its målområden (those without
/// one last). Documents that implement each other in a cycle are placed at their level,
/// the one first by title at the top of the cycle. Documents of a doctype the schema does
/// not know are left out. The result has every level of the schema, in order, and points
/// into `schema` and `in_force`, which must outlive it.
std::vector<ChainLevel> BuildChain(const Schema& schema,
                                   const std::vector<ChainDocument>& in_force);

/// A document in force whose level expects it to implement a document above it and that
/// implements no document in force.
struct MissingLink {
    const ChainDocument* document = nullptr;  ///< points into `in_force`
    const StyrmodellLevel* level = nullptr;
    /// The ids it implements, none of them in force (empty: it implements nothing).
    std::vector<std::string> not_in_force;
};

/// The documents of `in_force`, by title, at a level with `implements_above` that implement
/// no document of `in_force` (nothing at all, or only documents no longer in force).
std::vector<MissingLink> FindMissingLinks(const Schema& schema,
                                          const std::vector<ChainDocument>& in_force);

}  // namespace styrdok::core
