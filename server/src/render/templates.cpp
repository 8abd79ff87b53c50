#include "templates.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

namespace {

// The names in "{{> name}}" tags of a template.
std::vector<std::string> PartialNames(const std::string& source) {
    std::vector<std::string> names;
    for (std::size_t at = source.find("{{>"); at != std::string::npos;
         at = source.find("{{>", at + 3)) {
        std::size_t end = source.find("}}", at);
        if (end == std::string::npos) break;
        std::string name = source.substr(at + 3, end - at - 3);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        names.push_back(std::move(name));
    }
    return names;
}

}  // namespace

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
    for (const auto& [name, source] : templates.sources_) {
        std::map<std::string, std::string>& partials = templates.partials_[name];
        std::vector<std::string> pending = PartialNames(source);
        while (!pending.empty()) {
            std::string partial = std::move(pending.back());
            pending.pop_back();
            auto found = templates.sources_.find(partial);
            if (found == templates.sources_.end() || partials.count(partial)) continue;
            partials[partial] = found->second;
            for (std::string& deeper : PartialNames(found->second))
                pending.push_back(std::move(deeper));
        }
    }
    return templates;
}

std::string Templates::Render(const std::string& name, const mstch::map& context) const {
    auto found = sources_.find(name);
    if (found == sources_.end()) {
        throw Error(ErrorCode::kInternal, "no template named " + name);
    }
    return mstch::render(found->second, context, partials_.at(name));
}

}  // namespace styrdok::server
