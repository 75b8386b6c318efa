#include "values.hpp"

#include <cmath>
#include <limits>

#include "core/strings.hpp"

namespace sonique::graphql {
namespace {

using ast::Value;
using VK = ast::Value::Kind;

bool fits_int32(double d) {
    return d >= -2147483648.0 && d <= 2147483647.0 && d == std::floor(d);
}

std::optional<std::string> scalar_literal_error(const TypeDef& t, const Value& v) {
    const std::string& n = t.name;
    bool ok = false;
    if (t.kind == Kind::kEnum) {
        ok = v.kind == VK::kEnum &&
             std::find(t.enum_values.begin(), t.enum_values.end(), v.text) != t.enum_values.end();
    } else if (n == "Int") {
        auto i = v.kind == VK::kInt ? parse_int(v.text) : std::nullopt;
        ok = i && *i >= std::numeric_limits<int32_t>::min() &&
             *i <= std::numeric_limits<int32_t>::max();
    } else if (n == "Float") {
        ok = v.kind == VK::kInt || v.kind == VK::kFloat;
    } else if (n == "String") {
        ok = v.kind == VK::kString;
    } else if (n == "Boolean") {
        ok = v.kind == VK::kBoolean;
    } else if (n == "ID") {
        ok = v.kind == VK::kString || v.kind == VK::kInt;
    }
    if (ok) return std::nullopt;
    return n + " cannot represent value: " + print_value(v);
}

}  // namespace

std::string print_value(const Value& v) {
    switch (v.kind) {
        case VK::kNull:
            return "null";
        case VK::kBoolean:
            return v.boolean ? "true" : "false";
        case VK::kString:
            return dump_json(Json(v.text));
        case VK::kVariable:
            return "$" + v.text;
        case VK::kList: {
            std::string s = "[";
            for (size_t i = 0; i < v.items.size(); ++i)
                s += (i ? ", " : "") + print_value(*v.items[i]);
            return s + "]";
        }
        case VK::kObject: {
            std::string s = "{";
            for (size_t i = 0; i < v.fields.size(); ++i)
                s += (i ? ", " : "") + v.fields[i].first + ": " + print_value(*v.fields[i].second);
            return s + "}";
        }
        default:
            return v.text;
    }
}

std::optional<std::string> literal_error(const Schema& s, const Value& v, std::string_view type) {
    if (v.kind == VK::kVariable) return std::nullopt;
    if (v.kind == VK::kNull) {
        if (is_non_null(type))
            return "Expected value of type \"" + std::string(type) + "\", found null.";
        return std::nullopt;
    }
    std::string_view t = nullable(type);
    if (is_list(t)) {
        if (v.kind != VK::kList) return literal_error(s, v, list_item(t));
        for (const auto& item : v.items)
            if (auto e = literal_error(s, *item, list_item(t))) return e;
        return std::nullopt;
    }
    const TypeDef* d = s.find(t);
    if (!d) return "Unknown type \"" + std::string(t) + "\".";
    if (d->kind != Kind::kInputObject) return scalar_literal_error(*d, v);
    if (v.kind != VK::kObject)
        return "Expected value of type \"" + d->name + "\", found " + print_value(v) + ".";
    for (const auto& [k, fv] : v.fields) {
        const InputValue* f = d->input_field(k);
        if (!f) return "Field \"" + k + "\" is not defined by type \"" + d->name + "\".";
        if (auto e = literal_error(s, *fv, f->type)) return e;
    }
    for (const auto& f : d->input_fields) {
        bool given = false;
        for (const auto& kv : v.fields)
            given = given || kv.first == f.name;
        if (!given && is_non_null(f.type) && !f.default_value)
            return "Field \"" + d->name + "." + f.name + "\" of required type \"" + f.type +
                   "\" was not provided.";
    }
    return std::nullopt;
}

std::optional<Json> coerce_literal(const Schema& s, const Value& v, std::string_view type,
                                   const Json& vars) {
    if (v.kind == VK::kVariable) {
        auto it = vars.find(v.text);
        if (it == vars.end()) return std::nullopt;
        return *it;
    }
    if (v.kind == VK::kNull) return Json();
    std::string_view t = nullable(type);
    if (is_list(t)) {
        Json out = Json::array();
        if (v.kind != VK::kList) {
            out.push_back(coerce_literal(s, v, list_item(t), vars).value_or(Json()));
            return out;
        }
        for (const auto& item : v.items)
            out.push_back(coerce_literal(s, *item, list_item(t), vars).value_or(Json()));
        return out;
    }
    const TypeDef* d = s.find(t);
    if (d && d->kind == Kind::kInputObject) {
        Json out = Json::object();
        for (const auto& f : d->input_fields) {
            const Value* given = nullptr;
            for (const auto& [k, fv] : v.fields)
                if (k == f.name) given = fv.get();
            std::optional<Json> x = given ? coerce_literal(s, *given, f.type, vars) : std::nullopt;
            if (!x && f.default_value) x = f.default_value;
            if (x) out[f.name] = *x;
        }
        return out;
    }
    switch (v.kind) {
        case VK::kInt:
            return d && d->name == "ID" ? Json(v.text) : Json(*parse_int(v.text));
        case VK::kFloat:
            return Json(parse_double(v.text).value_or(0.0));
        case VK::kBoolean:
            return Json(v.boolean);
        default:
            return Json(v.text);
    }
}

Json coerce_input(const Schema& s, const Json& v, std::string_view type, const std::string& path) {
    auto bad = [&](const std::string& why) -> GraphQLError {
        return GraphQLError("Variable \"" + path + "\" got invalid value " + dump_json(v) + "; " +
                            why);
    };
    if (v.is_null()) {
        if (is_non_null(type))
            throw bad("Expected non-nullable type \"" + std::string(type) + "\" not to be null.");
        return v;
    }
    std::string_view t = nullable(type);
    if (is_list(t)) {
        Json out = Json::array();
        if (!v.is_array()) {
            out.push_back(coerce_input(s, v, list_item(t), path));
            return out;
        }
        for (size_t i = 0; i < v.size(); ++i)
            out.push_back(
                coerce_input(s, v[i], list_item(t), path + "[" + std::to_string(i) + "]"));
        return out;
    }
    const TypeDef* d = s.find(t);
    if (!d) throw bad("unknown type \"" + std::string(t) + "\".");
    if (d->kind == Kind::kInputObject) {
        if (!v.is_object()) throw bad("Expected type \"" + d->name + "\" to be an object.");
        for (const auto& [k, _] : v.items())
            if (!d->input_field(k))
                throw bad("Field \"" + k + "\" is not defined by type \"" + d->name + "\".");
        Json out = Json::object();
        for (const auto& f : d->input_fields) {
            if (v.contains(f.name))
                out[f.name] = coerce_input(s, v[f.name], f.type, path + "." + f.name);
            else if (f.default_value)
                out[f.name] = *f.default_value;
            else if (is_non_null(f.type))
                throw bad("Field \"" + f.name + "\" of required type \"" + f.type +
                          "\" was not provided.");
        }
        return out;
    }
    const std::string& n = d->name;
    if (d->kind == Kind::kEnum) {
        if (v.is_string() && std::find(d->enum_values.begin(), d->enum_values.end(),
                                       v.get<std::string>()) != d->enum_values.end())
            return v;
    } else if (n == "Int") {
        if (v.is_number() && fits_int32(v.get<double>())) return Json(v.get<int64_t>());
    } else if (n == "Float") {
        if (v.is_number()) return v;
    } else if (n == "String") {
        if (v.is_string()) return v;
    } else if (n == "Boolean") {
        if (v.is_boolean()) return v;
    } else if (n == "ID") {
        if (v.is_string()) return v;
        if (v.is_number_integer()) return Json(dump_json(v));
    }
    throw bad(n + " cannot represent this value.");
}

Json coerce_arguments(const Schema& s, const std::vector<InputValue>& defs,
                      const std::vector<ast::Argument>& args, const Json& vars) {
    Json out = Json::object();
    for (const auto& def : defs) {
        std::optional<Json> v;
        for (const auto& a : args)
            if (a.name == def.name) v = coerce_literal(s, *a.value, def.type, vars);
        if (!v && def.default_value) v = def.default_value;
        if ((!v || v->is_null()) && is_non_null(def.type))
            throw FieldError("Argument \"" + def.name + "\" of non-null type \"" + def.type +
                             "\" must not be null.");
        if (v) out[def.name] = std::move(*v);
    }
    return out;
}

bool serializes_as_is(const TypeDef& t, const Json& v) {
    const std::string& n = t.name;
    if (t.kind == Kind::kEnum) return v.is_string();
    if (n == "Int")
        return v.is_number_integer() && fits_int32(static_cast<double>(v.get<int64_t>()));
    if (n == "Float") return v.is_number();
    if (n == "Boolean") return v.is_boolean();
    return v.is_string();
}

std::optional<Json> serialize_leaf(const TypeDef& t, const Json& v) {
    const std::string& n = t.name;
    if (t.kind == Kind::kEnum) return v.is_string() ? std::optional<Json>(v) : std::nullopt;
    if (n == "Int") {
        if (v.is_number_integer() && fits_int32(static_cast<double>(v.get<int64_t>()))) return v;
        if (v.is_number_float() && fits_int32(v.get<double>())) return Json(v.get<int64_t>());
        return std::nullopt;
    }
    if (n == "Float") return v.is_number() ? std::optional<Json>(v) : std::nullopt;
    if (n == "Boolean") return v.is_boolean() ? std::optional<Json>(v) : std::nullopt;
    if (v.is_string()) return v;
    if (v.is_number() || v.is_boolean()) return Json(dump_json(v));
    return std::nullopt;
}

}  // namespace sonique::graphql
