#include "templates.hpp"

#include <fstream>
#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

Templates Templates::Load(const std::filesystem::path& dir) {
    Templates templates;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        templates.sources_[entry.path().stem().string()] = text.str();
    }
    if (templates.sources_.empty()) {
        throw Error(ErrorCode::kNotFound, "no templates (*.mustache) in " + dir.string());
    }
    return templates;
}

std::string Templates::Render(const std::string& name, const mstch::map& context) const {
    auto found = sources_.find(name);
    if (found == sources_.end()) {
        throw Error(ErrorCode::kInternal, "no template named " + name);
    }
    return mstch::render(found->second, context, sources_);
}

}  // namespace styrdok::server
