#include "templates.hpp"

#include <atomic>
#include <fstream>
#include <sstream>

#include "styrdok/core/error.hpp"

namespace styrdok::server {

// Parsing follows mstch 1.0 (what every page was rendered with before, and what the tests
// compare against): the same tokens, the same standalone lines, the same lookups.

namespace {

enum class TokenKind {
    kText,
    kVariable,
    kUnescaped,
    kSectionOpen,
    kInvertedOpen,
    kSectionClose,
    kComment,
    kPartial,
};

struct Token {
    TokenKind kind = TokenKind::kText;
    std::string text;    ///< kText: the text as written; otherwise the tag's name
    bool eol = false;    ///< a text that ends a line ('\n')
    bool blank = false;  ///< a text of spaces, tabs, CRs and newlines only (or none)
    std::string indent;  ///< kPartial alone on its line: the blanks before it
};

// mstch trims names of spaces only.
std::string TrimSpaces(std::string_view text) {
    std::size_t first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

Token TextToken(std::string text) {
    Token token;
    token.eol = !text.empty() && text.back() == '\n';
    token.blank = text.find_first_not_of(" \r\n\t") == std::string::npos;
    token.text = std::move(text);
    return token;
}

// One tag, "{{" and "}}" (or "{{{" and "}}}") included.
Token TagToken(std::string_view raw) {
    Token token;
    if (raw[2] == '{' && raw[raw.size() - 3] == '}') {
        token.kind = TokenKind::kUnescaped;
        token.text = TrimSpaces(raw.substr(3, raw.size() - 6));
        return token;
    }
    std::string_view inside = raw.substr(2, raw.size() - 4);
    std::size_t first = inside.find_first_not_of(' ');
    const char sigil = first == std::string_view::npos ? '\0' : inside[first];
    switch (sigil) {
        case '>':
            token.kind = TokenKind::kPartial;
            break;
        case '^':
            token.kind = TokenKind::kInvertedOpen;
            break;
        case '/':
            token.kind = TokenKind::kSectionClose;
            break;
        case '&':
            token.kind = TokenKind::kUnescaped;
            break;
        case '#':
            token.kind = TokenKind::kSectionOpen;
            break;
        case '!':
            token.kind = TokenKind::kComment;
            break;
        default:
            token.kind = TokenKind::kVariable;
            break;
    }
    token.text = TrimSpaces(token.kind == TokenKind::kVariable ? inside : inside.substr(first + 1));
    return token;
}

// Text is cut after every newline, so that each line's last token says it ends the line.
void AddText(std::string_view text, std::vector<Token>& tokens) {
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        end = end == std::string_view::npos ? text.size() : end + 1;
        tokens.push_back(TextToken(std::string(text.substr(0, end))));
        text.remove_prefix(end);
    }
}

std::vector<Token> Tokenize(const std::string& name, const std::string& source) {
    std::vector<Token> tokens;
    std::size_t at = 0;
    while (at < source.size()) {
        const std::size_t open = source.find("{{", at);
        const std::size_t close = open == std::string::npos ? open : source.find("}}", open + 1);
        if (open == std::string::npos || close == std::string::npos) {
            AddText(std::string_view(source).substr(at), tokens);
            break;
        }
        std::size_t end = close + 2;
        if (open + 2 < source.size() && source[open + 2] == '{' && end < source.size() &&
            source[end] == '}') {
            ++end;
        }
        if (source[open + 2] == '=' && source[end - 3] == '=') {
            throw Error(ErrorCode::kInternal,
                        "template " + name + ": set delimiter tags are not supported");
        }
        AddText(std::string_view(source).substr(at, open - at), tokens);
        tokens.push_back(TagToken(std::string_view(source).substr(open, end - open)));
        at = end;
        // A template that ends with a tag ends its last line there.
        if (at == source.size()) {
            tokens.push_back(TextToken(""));
            tokens.back().eol = true;
        }
    }
    return tokens;
}

// A line of tags other than variables and blanks only ("standalone") leaves nothing of its
// blanks and newline in the output; a partial alone on its line is indented as it is.
std::vector<Token> StripStandaloneLines(std::vector<Token> tokens) {
    std::vector<bool> drop(tokens.size(), false);
    std::size_t line_begin = 0;
    bool has_tag = false;
    bool has_content = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const TokenKind kind = tokens[i].kind;
        if (kind != TokenKind::kText && kind != TokenKind::kVariable &&
            kind != TokenKind::kUnescaped) {
            has_tag = true;
        } else if (kind != TokenKind::kText || !tokens[i].blank) {
            has_content = true;
        }
        if (!tokens[i].eol) continue;
        if (has_tag && !has_content) {
            for (std::size_t j = line_begin + 1; j < i; ++j) {
                if (tokens[j].kind == TokenKind::kPartial && tokens[j - 1].kind == TokenKind::kText)
                    tokens[j].indent = tokens[j - 1].text;
            }
            for (std::size_t j = line_begin; j <= i; ++j) {
                if (tokens[j].kind == TokenKind::kText) drop[j] = true;
            }
        }
        has_tag = has_content = false;
        line_begin = i + 1;
    }
    std::vector<Token> kept;
    kept.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!drop[i]) kept.push_back(std::move(tokens[i]));
    }
    return kept;
}

// mstch reads "a.b.c" as c in what "a.b" names, and "a.b" in turn as b in what a names.
std::vector<std::string> NamePath(const std::string& name) {
    if (name == "." || name.find('.') == std::string::npos) return {name};
    const std::size_t last = name.rfind('.');
    std::vector<std::string> path = NamePath(name.substr(0, last));
    path.push_back(name.substr(last + 1));
    return path;
}

}  // namespace

struct Templates::Part {
    enum class Kind : std::uint8_t { kText, kEscaped, kRaw, kSection, kInverted, kPartial };
    Kind kind = Kind::kText;
    std::string text;                   ///< kText
    std::vector<std::string> path;      ///< the name, split at its dots
    std::vector<Part> body;             ///< kSection, kInverted
    const Compiled* partial = nullptr;  ///< kPartial; null: no such template, renders nothing
};

struct Templates::Compiled {
    std::vector<Part> parts;
    /// The largest output so far, to reserve at once what the next render will need.
    mutable std::atomic<std::size_t> size_hint{0};
};

// Parses every template once and each indented partial once per indentation; recursive
// partials point at the template being built.
class Templates::Builder {
public:
    Builder(Templates& templates, const std::map<std::string, std::string>& sources)
        : templates_(templates) {
        for (const auto& [name, source] : sources)
            tokens_[name] = StripStandaloneLines(Tokenize(name, source));
    }

    const Compiled* Get(const std::string& name, const std::string& indent) {
        auto source = tokens_.find(name);
        if (source == tokens_.end()) return nullptr;
        auto [made, fresh] = made_.try_emplace({name, indent}, nullptr);
        if (!fresh) return made->second;
        templates_.compiled_.push_back(std::make_unique<Compiled>());
        Compiled* compiled = templates_.compiled_.back().get();
        made->second = compiled;
        compiled->parts = Build(name, Indented(source->second, indent));
        return compiled;
    }

private:
    // mstch puts a partial's indentation before every line of it, in sections too.
    static std::vector<Token> Indented(const std::vector<Token>& tokens,
                                       const std::string& indent) {
        if (indent.empty()) return tokens;
        std::vector<Token> indented;
        bool line_start = true;
        for (const Token& token : tokens) {
            if (line_start) indented.push_back(TextToken(indent));
            indented.push_back(token);
            line_start = token.eol;
        }
        return indented;
    }

    std::vector<Part> Build(const std::string& name, const std::vector<Token>& tokens) {
        std::vector<Part> root;
        std::vector<std::vector<Part>*> open{&root};
        std::vector<const std::string*> open_names;
        for (const Token& token : tokens) {
            std::vector<Part>& parts = *open.back();
            if (token.kind == TokenKind::kComment) continue;
            if (token.kind == TokenKind::kText) {
                if (token.text.empty()) continue;
                if (parts.empty() || parts.back().kind != Part::Kind::kText) parts.emplace_back();
                parts.back().text += token.text;
                continue;
            }
            if (token.kind == TokenKind::kSectionClose) {
                if (open_names.empty() || *open_names.back() != token.text) {
                    throw Error(ErrorCode::kInternal, "template " + name + ": {{/" + token.text +
                                                          "}} closes no open section");
                }
                open.pop_back();
                open_names.pop_back();
                continue;
            }
            Part& part = parts.emplace_back();
            switch (token.kind) {
                case TokenKind::kVariable:
                    part.kind = Part::Kind::kEscaped;
                    break;
                case TokenKind::kUnescaped:
                    part.kind = Part::Kind::kRaw;
                    break;
                case TokenKind::kSectionOpen:
                    part.kind = Part::Kind::kSection;
                    break;
                case TokenKind::kInvertedOpen:
                    part.kind = Part::Kind::kInverted;
                    break;
                default:  // kPartial: the other kinds were handled above
                    part.kind = Part::Kind::kPartial;
                    part.partial = Get(token.text, token.indent);
                    continue;
            }
            part.path = NamePath(token.text);
            if (part.kind == Part::Kind::kSection || part.kind == Part::Kind::kInverted) {
                open.push_back(&part.body);
                open_names.push_back(&token.text);
            }
        }
        if (!open_names.empty()) {
            throw Error(ErrorCode::kInternal,
                        "template " + name + ": {{#" + *open_names.back() + "}} is never closed");
        }
        return root;
    }

    Templates& templates_;
    std::map<std::string, std::vector<Token>> tokens_;
    std::map<std::pair<std::string, std::string>, const Compiled*> made_;
};

namespace {

const mstch::node kNull;

const mstch::node* FindIn(const mstch::node& node, const std::string& name) {
    if (const auto* map = boost::get<mstch::map>(&node)) {
        auto found = map->find(name);
        return found == map->end() ? nullptr : &found->second;
    }
    if (const auto* object = boost::get<std::shared_ptr<mstch::object>>(&node)) {
        return *object && (*object)->has(name) ? &(*object)->at(name) : nullptr;
    }
    // Only a node that is not a map can be "." (mstch's rule).
    return name == "." ? &node : nullptr;
}

bool IsEmpty(const mstch::node& node) {
    if (boost::get<std::nullptr_t>(&node)) return true;
    if (const auto* text = boost::get<std::string>(&node)) return text->empty();
    if (const auto* number = boost::get<int>(&node)) return *number == 0;
    if (const auto* number = boost::get<double>(&node)) return *number == 0;
    if (const auto* flag = boost::get<bool>(&node)) return !*flag;
    if (const auto* array = boost::get<mstch::array>(&node)) return array->empty();
    return false;
}

// mstch's escaping: the five of HTML and the slash.
void AppendEscaped(std::string_view text, std::string& out) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* entity = nullptr;
        switch (text[i]) {
            case '&':
                entity = "&amp;";
                break;
            case '\'':
                entity = "&#39;";
                break;
            case '"':
                entity = "&quot;";
                break;
            case '<':
                entity = "&lt;";
                break;
            case '>':
                entity = "&gt;";
                break;
            case '/':
                entity = "&#x2F;";
                break;
            default:
                continue;
        }
        out.append(text, plain, i - plain);
        out.append(entity);
        plain = i + 1;
    }
    out.append(text, plain);
}

void AppendValue(const mstch::node& node, bool escape, std::string& out) {
    if (const auto* text = boost::get<std::string>(&node)) {
        if (escape) {
            AppendEscaped(*text, out);
        } else {
            out += *text;
        }
    } else if (const auto* number = boost::get<int>(&node)) {
        out += std::to_string(*number);
    } else if (const auto* number = boost::get<double>(&node)) {
        std::ostringstream text;
        text << *number;
        out += text.str();
    } else if (const auto* flag = boost::get<bool>(&node)) {
        out += *flag ? "true" : "false";
    }
}

}  // namespace

// What a render looks names up in: the nodes of the sections it is in, innermost last, and
// below them the page's context.
struct Templates::Scope {
    const mstch::map& root;
    std::vector<const mstch::node*> nodes;

    const mstch::node& Lookup(const std::vector<std::string>& path) const {
        const mstch::node* found = nullptr;
        for (auto node = nodes.rbegin(); node != nodes.rend() && !found; ++node) {
            found = FindIn(**node, path.front());
        }
        if (!found) {
            auto in_root = root.find(path.front());
            if (in_root == root.end()) return kNull;
            found = &in_root->second;
        }
        for (std::size_t i = 1; i < path.size() && found; ++i) found = FindIn(*found, path[i]);
        return found ? *found : kNull;
    }
};

void Templates::RenderParts(const std::vector<Part>& parts, Scope& scope, std::string& out) {
    using Kind = Part::Kind;
    for (const Part& part : parts) {
        switch (part.kind) {
            case Kind::kText:
                out += part.text;
                break;
            case Kind::kEscaped:
            case Kind::kRaw:
                AppendValue(scope.Lookup(part.path), part.kind == Kind::kEscaped, out);
                break;
            case Kind::kSection: {
                const mstch::node& node = scope.Lookup(part.path);
                if (IsEmpty(node) || boost::get<mstch::lambda>(&node)) break;
                if (const auto* array = boost::get<mstch::array>(&node)) {
                    for (const mstch::node& item : *array) {
                        if (boost::get<mstch::lambda>(&item)) continue;
                        scope.nodes.push_back(&item);
                        RenderParts(part.body, scope, out);
                        scope.nodes.pop_back();
                    }
                } else {
                    scope.nodes.push_back(&node);
                    RenderParts(part.body, scope, out);
                    scope.nodes.pop_back();
                }
                break;
            }
            case Kind::kInverted:
                if (!IsEmpty(scope.Lookup(part.path))) break;
                // mstch renders an inverted section in a scope of its own, where "." is empty.
                scope.nodes.push_back(&kNull);
                RenderParts(part.body, scope, out);
                scope.nodes.pop_back();
                break;
            case Kind::kPartial:
                if (part.partial) RenderParts(part.partial->parts, scope, out);
                break;
        }
    }
}

Templates::Templates() = default;
Templates::Templates(Templates&&) noexcept = default;
Templates& Templates::operator=(Templates&&) noexcept = default;
Templates::~Templates() = default;

Templates Templates::Load(const std::filesystem::path& dir) {
    std::map<std::string, std::string> sources;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        sources[entry.path().stem().string()] = text.str();
    }
    if (sources.empty()) {
        throw Error(ErrorCode::kNotFound, "no templates (*.mustache) in " + dir.string());
    }
    return Parse(sources);
}

Templates Templates::Parse(const std::map<std::string, std::string>& sources) {
    Templates templates;
    Builder builder(templates, sources);
    for (const auto& entry : sources)
        templates.by_name_[entry.first] = builder.Get(entry.first, "");
    return templates;
}

std::string Templates::Render(const std::string& name, const mstch::map& context) const {
    auto found = by_name_.find(name);
    if (found == by_name_.end()) {
        throw Error(ErrorCode::kInternal, "no template named " + name);
    }
    const Compiled& compiled = *found->second;
    std::string out;
    out.reserve(compiled.size_hint.load(std::memory_order_relaxed));
    Scope scope{context, {}};
    scope.nodes.reserve(8);
    RenderParts(compiled.parts, scope, out);
    if (out.size() > compiled.size_hint.load(std::memory_order_relaxed)) {
        compiled.size_hint.store(out.size(), std::memory_order_relaxed);
    }
    return out;
}

}  // namespace styrdok::server
