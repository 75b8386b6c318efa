#include "input.hpp"

#include <cmath>

#include "core/strings.hpp"

namespace sonique::server {

std::optional<std::string> text_param(const std::optional<std::string>& raw,
                                      const std::string& name) {
    if (raw && !is_valid_utf8(*raw))
        throw ValidationError({"query", name}, "Input should be a valid string (invalid UTF-8)",
                              "string_unicode");
    if (raw && raw->find('\0') != std::string::npos)
        throw ValidationError({"query", name}, "String should not contain NUL characters",
                              "string_type");
    return raw;
}

const Json& require_array(const Json& value, const Loc& loc) {
    if (!value.is_array()) throw ValidationError(loc, "Input should be a valid list", "list_type");
    return value;
}

Json object_body(const Context& ctx) {
    Json body = ctx.body();
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    return body;
}

std::optional<std::string> trimmed_name(Fields& f, const char* key, bool required) {
    auto name = f.text(key, required);
    if (!name) return std::nullopt;
    std::string t = trim(*name);
    if (t.empty()) {
        f.add_issue(key, "String should have at least 1 character", "string_too_short");
        return std::nullopt;
    }
    return t;
}

Fields::Fields(const Json& value, Loc loc) : object_(value), loc_(std::move(loc)) {
    if (!value.is_object())
        throw ValidationError(loc_, "Input should be a valid dictionary or object",
                              "model_attributes_type");
}

Loc Fields::at(const char* key) const {
    Loc l = loc_;
    l.emplace_back(key);
    return l;
}

void Fields::add_issue(const char* key, std::string msg, std::string type) {
    issues_.push_back({at(key), std::move(msg), std::move(type)});
}

bool Fields::missing(const char* key, bool required) {
    if (!is_null(key)) return false;
    if (required) add_issue(key, "Field required", "missing");
    return true;
}

std::optional<std::string> Fields::text(const char* key, bool required, bool numbers_as_text) {
    if (missing(key, required)) return std::nullopt;
    const Json& v = object_[key];
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        if (s.find('\0') == std::string::npos) return s;
    } else if (v.is_number() && numbers_as_text) {
        return v.dump();
    }
    add_issue(key, "Input should be a valid string", "string_type");
    return std::nullopt;
}

std::optional<int64_t> Fields::integer(const char* key, bool required) {
    if (missing(key, required)) return std::nullopt;
    const Json& v = object_[key];
    if (v.is_number_integer()) {
        if (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX) {
            add_issue(key, "Input should be less than or equal to 9223372036854775807",
                      "less_than_equal");
            return std::nullopt;
        }
        return v.get<int64_t>();
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e18)
            return static_cast<int64_t>(d);
        add_issue(key, "Input should be a valid integer, got a number with a fractional part",
                  "int_from_float");
        return std::nullopt;
    }
    if (v.is_string()) {
        if (auto p = parse_int(trim(v.get<std::string>()))) return p;
        add_issue(key, "Input should be a valid integer, unable to parse string as an integer",
                  "int_parsing");
        return std::nullopt;
    }
    add_issue(key, "Input should be a valid integer", "int_type");
    return std::nullopt;
}

std::optional<double> Fields::number(const char* key, bool required) {
    if (missing(key, required)) return std::nullopt;
    const Json& v = object_[key];
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        auto d = parse_double(trim(v.get<std::string>()));
        if (d && std::isfinite(*d)) return d;
        add_issue(key, "Input should be a valid number, unable to parse string as a number",
                  "float_parsing");
        return std::nullopt;
    }
    add_issue(key, "Input should be a valid number", "float_type");
    return std::nullopt;
}

std::optional<bool> Fields::boolean(const char* key) {
    if (missing(key, false)) return std::nullopt;
    const Json& v = object_[key];
    if (v.is_boolean()) return v.get<bool>();
    add_issue(key, "Input should be a valid boolean", "bool_type");
    return std::nullopt;
}

std::optional<std::vector<std::string>> Fields::strings(const char* key) {
    if (missing(key, false)) return std::nullopt;
    const Json& v = object_[key];
    std::vector<std::string> out;
    if (v.is_array()) {
        for (const auto& e : v) {
            if (!e.is_string() || e.get<std::string>().find('\0') != std::string::npos) {
                add_issue(key, "Input should be a valid list of strings", "string_type");
                return std::nullopt;
            }
            out.push_back(e.get<std::string>());
        }
        return out;
    }
    add_issue(key, "Input should be a valid list", "list_type");
    return std::nullopt;
}

void Fields::forbid_unknown(std::initializer_list<const char*> allowed) {
    for (const auto& [k, v] : object_.items()) {
        bool ok = false;
        for (const char* a : allowed)
            ok = ok || k == a;
        if (!ok) add_issue(k.c_str(), "Extra inputs are not permitted", "extra_forbidden");
    }
}

void Fields::check() const {
    if (!issues_.empty()) throw ValidationError(issues_);
}

}  // namespace sonique::server
