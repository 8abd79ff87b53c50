#pragma once

#include "../import_batches.hpp"
#include "../router.hpp"
#include "../site.hpp"

namespace styrdok::server {

/// The clerk's page "Importera dokument" (issue 20): `/importera` (upload many originals at
/// once), `/importera/{batch}` (progress, and each file's proposal beside its first page),
/// accepting one proposal or all sure ones, each one commit through site.writer, and
/// discarding; server/README.md lists the routes. `site` and `batches` outlive the router.
void AddImportRoutes(Router& router, const Site& site, ImportBatches& batches);

}  // namespace styrdok::server
