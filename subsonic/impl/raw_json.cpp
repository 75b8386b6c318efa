#include "raw_json.hpp"

#include "core/error.hpp"
#include "core/json.hpp"
#include "services/stream.hpp"

namespace sonique::subsonic {
namespace {

[[noreturn]] void invalid() {
    throw Error(ErrorCode::kInternal, "catalog JSON is not valid");
}

// A cursor over the input that copies values to `out` token by token.
class Copier {
  public:
    Copier(std::string& out, std::string_view in, bool types) : out_(out), in_(in), types_(types) {}

    void value(std::string_view name) {
        blanks();
        char c = peek();
        if (c == '{')
            object(types_ && (name == "song" || name == "entry" || name == "child"));
        else if (c == '[')
            array(name);
        else if (c == '"')
            out_ += string_token();
        else
            out_ += scalar_token();
    }
    void end() {
        blanks();
        if (at_ != in_.size()) invalid();
    }

  private:
    char peek() const {
        if (at_ >= in_.size()) invalid();
        return in_[at_];
    }
    void blanks() {
        while (at_ < in_.size() &&
               (in_[at_] == ' ' || in_[at_] == '\n' || in_[at_] == '\t' || in_[at_] == '\r'))
            ++at_;
    }
    void expect(char c) {
        blanks();
        if (peek() != c) invalid();
        ++at_;
    }
    // A string with its quotes, escapes as they are.
    std::string_view string_token() {
        size_t start = at_++;
        while (peek() != '"')
            at_ += peek() == '\\' ? 2 : 1;
        ++at_;
        return in_.substr(start, at_ - start);
    }
    // A number, true, false or null.
    std::string_view scalar_token() {
        size_t start = at_;
        while (at_ < in_.size() && in_[at_] != ',' && in_[at_] != '}' && in_[at_] != ']' &&
               in_[at_] != ' ' && in_[at_] != '\n' && in_[at_] != '\t' && in_[at_] != '\r')
            ++at_;
        if (at_ == start) invalid();
        return in_.substr(start, at_ - start);
    }
    bool null_next() {
        blanks();
        if (in_.substr(at_, 4) != "null") return false;
        at_ += 4;
        return true;
    }
    void array(std::string_view name) {
        ++at_;
        out_ += '[';
        bool first = true;
        blanks();
        if (peek() == ']') {
            ++at_;
            out_ += ']';
            return;
        }
        while (true) {
            if (!null_next()) {
                if (!first) out_ += ',';
                first = false;
                value(name);
            }
            blanks();
            if (peek() == ',') {
                ++at_;
                continue;
            }
            expect(']');
            break;
        }
        out_ += ']';
    }
    void object(bool song) {
        ++at_;
        out_ += '{';
        bool first = true, has_type = false;
        std::string_view suffix;
        blanks();
        if (peek() == '}') {
            ++at_;
        } else {
            while (true) {
                blanks();
                if (peek() != '"') invalid();
                std::string_view key = string_token();
                expect(':');
                if (!null_next()) {
                    if (!first) out_ += ',';
                    first = false;
                    out_ += key;
                    out_ += ':';
                    std::string_view name = key.substr(1, key.size() - 2);
                    if (song && name == "contentType") has_type = true;
                    blanks();
                    if (song && name == "suffix" && peek() == '"') {
                        suffix = string_token();
                        out_ += suffix;
                    } else {
                        value(name);
                    }
                }
                blanks();
                if (peek() == ',') {
                    ++at_;
                    continue;
                }
                expect('}');
                break;
            }
        }
        if (song && !has_type && !suffix.empty()) {
            // Escapes are rare in a suffix: only then is the string decoded.
            std::string text(suffix.substr(1, suffix.size() - 2));
            if (text.find('\\') != std::string::npos) text = parse_json(suffix).get<std::string>();
            out_ += first ? "\"contentType\":\"" : ",\"contentType\":\"";
            out_ += services::audio_mime_type(std::nullopt, "x." + text);
            out_ += '"';
        }
        out_ += '}';
    }

    std::string& out_;
    std::string_view in_;
    bool types_;
    size_t at_ = 0;
};

}  // namespace

void write_raw_json(std::string& out, std::string_view json, bool content_types) {
    Copier copier(out, json, content_types);
    copier.value("");
    copier.end();
}

}  // namespace sonique::subsonic
