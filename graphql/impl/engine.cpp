#include "core/log.hpp"
#include "execution.hpp"
#include "graphql/execute.hpp"
#include "validate.hpp"
#include "values.hpp"

namespace sonique::graphql {
namespace {

constexpr size_t kCacheEntries = 512;

std::string dump(const OrderedJson& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const ast::Operation* pick_operation(const ast::Document& doc, const std::string& name) {
    if (name.empty()) {
        if (doc.operations.size() != 1)
            throw GraphQLError(
                "Must provide operation name if query contains multiple operations.");
        return &doc.operations.front();
    }
    for (const auto& op : doc.operations)
        if (op.name == name) return &op;
    throw GraphQLError("Unknown operation named \"" + name + "\".");
}

// The operation's variables from the request, coerced to their types (defaults applied).
Json coerce_variables(const Schema& s, const ast::Operation& op, const Json& given) {
    if (!given.is_null() && !given.is_object()) throw GraphQLError("Variables must be an object.");
    Json out = Json::object();
    for (const auto& v : op.variables) {
        std::string type = ast::to_string(v.type);
        if (given.is_object() && given.contains(v.name)) {
            out[v.name] = coerce_input(s, given[v.name], type, "$" + v.name);
        } else if (v.default_value) {
            out[v.name] =
                coerce_literal(s, *v.default_value, type, Json::object()).value_or(Json());
        } else if (is_non_null(type)) {
            throw GraphQLError(
                "Variable \"$" + v.name + "\" of required type \"" + type + "\" was not provided.",
                {v.loc});
        }
    }
    return out;
}

}  // namespace

Json GraphQLError::to_json() const {
    return error_json(what(), locations_);
}

Json error_json(const std::string& message, const std::vector<Location>& locations) {
    Json e = {{"message", message}};
    if (!locations.empty()) {
        Json locs = Json::array();
        for (const auto& l : locations)
            locs.push_back({{"line", l.line}, {"column", l.column}});
        e["locations"] = std::move(locs);
    }
    return e;
}

std::string error_response(const std::vector<GraphQLError>& errors) {
    OrderedJson list = OrderedJson::array();
    for (const auto& e : errors) {
        OrderedJson x = {{"message", e.what()}};
        if (!e.locations().empty()) {
            OrderedJson locs = OrderedJson::array();
            for (const auto& l : e.locations())
                locs.push_back({{"line", l.line}, {"column", l.column}});
            x["locations"] = std::move(locs);
        }
        list.push_back(std::move(x));
    }
    return dump(OrderedJson{{"errors", std::move(list)}});
}

Engine::Engine(std::shared_ptr<const Schema> schema, Limits limits)
    : schema_(std::move(schema)), limits_(limits) {}

std::shared_ptr<const PreparedDocument> Engine::prepare(const std::string& query) const {
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(query);
        if (it != cache_.end()) return it->second;
    }
    auto p = std::make_shared<PreparedDocument>();
    try {
        p->doc = parse(query, limits_);
        p->errors = validate(*schema_, p->doc, limits_);
    } catch (const GraphQLError& e) {
        p->errors = {e};
    }
    if (query.size() <= 8192) {  // big documents are rare; keep the cache small
        std::lock_guard lock(mutex_);
        if (cache_.size() >= kCacheEntries) cache_.clear();
        cache_.emplace(query, p);
    }
    return p;
}

std::string Engine::execute(const Request& request, void* context) const {
    auto prepared = prepare(request.query);
    if (!prepared->errors.empty()) return error_response(prepared->errors);
    try {
        const ast::Operation* op = pick_operation(prepared->doc, request.operation_name);
        Json vars = coerce_variables(*schema_, *op, request.variables);
        const TypeDef* root =
            op->type == "mutation" ? schema_->mutation_type() : schema_->query_type();
        Execution exec(*schema_, prepared->doc, std::move(vars), context);
        return exec.run(*root, *op);
    } catch (const GraphQLError& e) {
        return error_response({e});
    }
}

}  // namespace sonique::graphql
