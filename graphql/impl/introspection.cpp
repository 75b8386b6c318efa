// The introspection types (__Schema, __Type, ...) and the __schema / __type meta-fields. Type
// values are small JSON objects {kind, name, ofType}; their fields, args and enum values are
// looked up in the schema by name when asked for, so recursive types never recurse here.
#include "graphql/schema.hpp"

namespace sonique::graphql {
namespace {

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::kScalar:
            return "SCALAR";
        case Kind::kObject:
            return "OBJECT";
        case Kind::kInputObject:
            return "INPUT_OBJECT";
        case Kind::kEnum:
            return "ENUM";
    }
    return "SCALAR";
}

Json nullable_text(const std::string& s) {
    return s.empty() ? Json(nullptr) : Json(s);
}

Json type_json(const Schema& schema, std::string_view t) {
    if (is_non_null(t))
        return {{"kind", "NON_NULL"},
                {"name", nullptr},
                {"description", nullptr},
                {"specifiedByURL", nullptr},
                {"ofType", type_json(schema, nullable(t))}};
    if (is_list(t))
        return {{"kind", "LIST"},
                {"name", nullptr},
                {"description", nullptr},
                {"specifiedByURL", nullptr},
                {"ofType", type_json(schema, list_item(t))}};
    const TypeDef* d = schema.find(t);
    return {{"kind", d ? kind_name(d->kind) : "SCALAR"},
            {"name", std::string(t)},
            {"description", d ? nullable_text(d->description) : Json(nullptr)},
            {"specifiedByURL", nullptr},
            {"ofType", nullptr}};
}

Json input_value_json(const Schema& schema, const InputValue& v) {
    return {{"name", v.name},
            {"description", nullable_text(v.description)},
            {"type", type_json(schema, v.type)},
            {"defaultValue", v.default_value ? Json(graphql_literal(*v.default_value)) : Json()},
            {"isDeprecated", false},
            {"deprecationReason", nullptr}};
}

Json field_json(const Schema& schema, const FieldDef& f) {
    Json args = Json::array();
    for (const auto& a : f.args)
        args.push_back(input_value_json(schema, a));
    return {{"name", f.name},        {"description", nullable_text(f.description)},
            {"args", args},          {"type", type_json(schema, f.type)},
            {"isDeprecated", false}, {"deprecationReason", nullptr}};
}

Json directive_json(const Schema& schema, const char* name, const char* description) {
    InputValue arg{"if", "Boolean!", std::nullopt, "Included when true."};
    if (std::string_view(name) == "skip") arg.description = "Skipped when true.";
    return {{"name", name},
            {"description", description},
            {"locations", {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}},
            {"args", Json::array({input_value_json(schema, arg)})},
            {"isRepeatable", false}};
}

// A resolver answering, for each __Type parent of the wanted kind, make(type definition).
Resolver per_type(const Schema& schema, Kind kind, std::function<Json(const TypeDef&)> make) {
    return [&schema, kind, make](const ResolveInfo& info) {
        std::vector<Json> out;
        for (const Json* p : info.parents) {
            const Json& name = (*p)["name"];
            const TypeDef* d = name.is_string() ? schema.find(name.get<std::string>()) : nullptr;
            out.push_back(d && d->kind == kind ? make(*d) : Json());
        }
        return out;
    };
}

std::vector<InputValue> include_deprecated() {
    return {{"includeDeprecated", "Boolean", Json(false), ""}};
}

}  // namespace

void Schema::add_introspection() {
    const Schema& self = *this;
    add_type("__TypeKind", Kind::kEnum, "The kind of a type.").enum_values = {
        "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL"};
    add_type("__DirectiveLocation", Kind::kEnum, "Where a directive may appear.").enum_values = {
        "QUERY",
        "MUTATION",
        "SUBSCRIPTION",
        "FIELD",
        "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD",
        "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION",
        "SCHEMA",
        "SCALAR",
        "OBJECT",
        "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION",
        "INTERFACE",
        "UNION",
        "ENUM",
        "ENUM_VALUE",
        "INPUT_OBJECT",
        "INPUT_FIELD_DEFINITION"};
    add_type("__Schema", Kind::kObject, "The schema of this server.")
        .add_field("description", "String")
        .add_field("types", "[__Type!]!")
        .add_field("queryType", "__Type!")
        .add_field("mutationType", "__Type")
        .add_field("subscriptionType", "__Type")
        .add_field("directives", "[__Directive!]!");
    add_type("__Type", Kind::kObject, "A type, or a list / non-null wrapper of one.")
        .add_field("kind", "__TypeKind!")
        .add_field("name", "String")
        .add_field("description", "String")
        .add_field("specifiedByURL", "String")
        .add_field("fields", "[__Field!]", "", include_deprecated(),
                   per_type(self, Kind::kObject,
                            [&self](const TypeDef& d) {
                                Json a = Json::array();
                                for (const auto& f : d.fields)
                                    a.push_back(field_json(self, f));
                                return a;
                            }))
        .add_field("interfaces", "[__Type!]", "", {},
                   per_type(self, Kind::kObject, [](const TypeDef&) { return Json::array(); }))
        .add_field("possibleTypes", "[__Type!]")
        .add_field("enumValues", "[__EnumValue!]", "", include_deprecated(),
                   per_type(self, Kind::kEnum,
                            [](const TypeDef& d) {
                                Json a = Json::array();
                                for (const auto& v : d.enum_values)
                                    a.push_back({{"name", v},
                                                 {"description", nullptr},
                                                 {"isDeprecated", false},
                                                 {"deprecationReason", nullptr}});
                                return a;
                            }))
        .add_field("inputFields", "[__InputValue!]", "", include_deprecated(),
                   per_type(self, Kind::kInputObject,
                            [&self](const TypeDef& d) {
                                Json a = Json::array();
                                for (const auto& f : d.input_fields)
                                    a.push_back(input_value_json(self, f));
                                return a;
                            }))
        .add_field("ofType", "__Type");
    add_type("__Field", Kind::kObject, "A field of an object type.")
        .add_field("name", "String!")
        .add_field("description", "String")
        .add_field("args", "[__InputValue!]!", "", include_deprecated())
        .add_field("type", "__Type!")
        .add_field("isDeprecated", "Boolean!")
        .add_field("deprecationReason", "String");
    add_type("__InputValue", Kind::kObject, "An argument or input field.")
        .add_field("name", "String!")
        .add_field("description", "String")
        .add_field("type", "__Type!")
        .add_field("defaultValue", "String")
        .add_field("isDeprecated", "Boolean!")
        .add_field("deprecationReason", "String");
    add_type("__EnumValue", Kind::kObject, "A value of an enum type.")
        .add_field("name", "String!")
        .add_field("description", "String")
        .add_field("isDeprecated", "Boolean!")
        .add_field("deprecationReason", "String");
    add_type("__Directive", Kind::kObject, "A directive this server understands.")
        .add_field("name", "String!")
        .add_field("description", "String")
        .add_field("locations", "[__DirectiveLocation!]!")
        .add_field("args", "[__InputValue!]!", "", include_deprecated())
        .add_field("isRepeatable", "Boolean!");

    meta_.push_back(
        {"__schema", "__Schema!", "This server's schema.", {}, [&self](const ResolveInfo& info) {
             Json types = Json::array();
             for (const auto& [name, _] : self.types())
                 types.push_back(type_json(self, name));
             const TypeDef* m = self.mutation_type();
             Json s = {{"description", nullptr},
                       {"types", types},
                       {"queryType", type_json(self, self.query_type()->name)},
                       {"mutationType", m ? type_json(self, m->name) : Json()},
                       {"subscriptionType", nullptr},
                       {"directives",
                        {directive_json(self, "include", "Includes the field when if is true."),
                         directive_json(self, "skip", "Skips the field when if is true.")}}};
             return std::vector<Json>(info.parents.size(), s);
         }});
    meta_.push_back({"__type",
                     "__Type",
                     "A type by name, or null.",
                     {{"name", "String!", std::nullopt, ""}},
                     [&self](const ResolveInfo& info) {
                         std::string name = info.args["name"].get<std::string>();
                         Json t = self.find(name) ? type_json(self, name) : Json();
                         return std::vector<Json>(info.parents.size(), t);
                     }});
}

}  // namespace sonique::graphql
