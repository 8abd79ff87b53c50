// Editing in the browser: the forms to create, revise, restore and repeal documents.
#include "../site.hpp"

namespace styrdok::server {

void AddEditPageRoutes(Router&, const Site&) {}

}  // namespace styrdok::server
