// The frontend's artist page and queries like it answered by one SQL statement that builds the
// whole response text (issue 20). The engine's path resolves each level in C++: a JSON object
// per row, a result tree, then the text: at 64 connections that per-row work, done while a
// pooled connection is held, is what queued. Here PostgreSQL writes each row's JSON while it
// reads it, and the server sends the text as it comes.
//
// Only what has exactly the engine's answer is compiled: root fields artist, album and track by
// id, their albums, tracks and covers, __typename, and Int and String columns of the entity's
// own table, with aliases; no directives, no response key twice in one selection (merging). The
// answer is the same bytes as the engine's (test_graphql_api compares them); anything else
// (Float fields, audio features, tags, lists with arguments, variables that are not integers)
// goes through the engine.
#include <climits>
#include <mutex>
#include <unordered_map>

#include "core/error.hpp"
#include "graphql_internal.hpp"
#include "graphql_sql.hpp"

namespace sonique::services::gql {
namespace {

using graphql::ast::Selection;
using graphql::ast::SelectionSet;
using graphql::ast::Value;

// The entity of an object type, and how its children are ordered (as graphql_reads.cpp does).
struct EntityInfo {
    const char* type;
    const char* entity;  // covers.entity_type
    const char* table;
};
constexpr EntityInfo kEntities[] = {
    {"Artist", "artist", "artists"}, {"Album", "album", "albums"}, {"Track", "track", "tracks"}};

// GraphQL's Int is 32 bits: other values are the engine's to refuse.
bool is_int32(int64_t n) {
    return n >= INT32_MIN && n <= INT32_MAX;
}

const EntityInfo* entity_of(std::string_view type) {
    for (const auto& e : kEntities)
        if (type == e.type) return &e;
    return nullptr;
}

class Compiler {
  public:
    Compiler(const graphql::Schema& s, const graphql::ast::Document& doc) : s_(s), doc_(doc) {}

    bool root(const SelectionSet& set, std::string& sql) {
        std::vector<const Selection*>& fields = roots;
        if (!flatten(set, fields)) return false;
        sql = "SELECT '{\"data\":{'";
        for (size_t i = 0; i < fields.size(); ++i) {
            const Selection& f = *fields[i];
            sql += " || " + std::string(i ? "'," : "'") + "\"" + f.response_key() + "\":'";
            if (f.name == "__typename") {
                sql += " || '\"Query\"'";
                continue;
            }
            const graphql::FieldDef* def = s_.query_type()->field(f.name);
            const EntityInfo* e = def ? entity_of(graphql::named_type(def->type)) : nullptr;
            if (!e || f.arguments.size() != 1 || f.arguments[0].name != "id") return false;
            const Value& v = *f.arguments[0].value;
            if (v.kind == Value::Kind::kVariable) {
                args.push_back({v.text, 0});
            } else if (v.kind == Value::Kind::kInt) {
                const int64_t n = std::stoll(v.text);
                if (!is_int32(n)) return false;
                args.push_back({"", n});
            } else {
                return false;
            }
            const std::string from = std::string(e->table) + " e, " + lateral();
            std::string obj;
            if (!object(*e, f.selections, obj)) return false;
            sql += " || coalesce((SELECT " + obj + " FROM " + from + " WHERE e.id = $" +
                   std::to_string(args.size()) + "), 'null')";
        }
        sql += " || '}}'";
        return true;
    }

    // The id of each root field: a variable's name, or a literal.
    struct Arg {
        std::string variable;
        int64_t literal;
    };
    std::vector<Arg> args;
    std::vector<const Selection*> roots;  // the root fields, fragments spliced in

  private:
    // Each level names its row's id p<N>.id, so that nested subqueries (whose own table is
    // also e) can refer to it.
    std::string lateral() {
        current_ = "p" + std::to_string(++levels_);
        return "LATERAL (SELECT e.id) " + current_ + "(id)";
    }

    // The selections of a set with fragments spliced in; false on directives or a response
    // key given twice (the engine merges those: not compiled).
    bool flatten(const SelectionSet& set, std::vector<const Selection*>& out) {
        for (const auto& s : set) {
            if (!s.directives.empty()) return false;
            if (s.kind == Selection::Kind::kField) {
                for (const Selection* o : out)
                    if (o->response_key() == s.response_key()) return false;
                out.push_back(&s);
                continue;
            }
            const SelectionSet* inner = &s.selections;
            if (s.kind == Selection::Kind::kSpread) {
                const auto* f = doc_.fragment(s.name);
                if (!f || !f->directives.empty()) return false;
                inner = &f->selections;
            }
            if (!flatten(*inner, out)) return false;
        }
        return true;
    }

    // '{' || "key":value || ... || '}' for the row of table alias e (its id is current_.id).
    bool object(const EntityInfo& e, const SelectionSet& set, std::string& sql) {
        std::vector<const Selection*> fields;
        if (!flatten(set, fields)) return false;
        const graphql::TypeDef* type = s_.find(e.type);
        const std::string id = current_ + ".id";
        sql = "'{'";
        for (size_t i = 0; i < fields.size(); ++i) {
            const Selection& f = *fields[i];
            sql += " || " + std::string(i ? "'," : "'") + "\"" + f.response_key() + "\":'";
            if (f.name == "__typename") {
                sql += std::string(" || '\"") + e.type + "\"'";
                continue;
            }
            const graphql::FieldDef* def = type->field(f.name);
            if (!def || !f.arguments.empty()) return false;
            const std::string_view t = graphql::named_type(def->type);
            if (f.name == "covers") {
                if (!cover(e, f.selections, id, sql)) return false;
            } else if (f.name == "albums" || f.name == "tracks") {
                const EntityInfo* child = entity_of(t);
                if (!child || !list(*child, f, id, sql)) return false;
            } else if (auto col = plain_column(e.entity, f.name);
                       col && (t == "Int" || t == "String")) {
                sql += " || " + value(col->sql, col->text);
            } else {
                return false;
            }
        }
        sql += " || '}'";
        return true;
    }

    static std::string value(const std::string& expr, bool text) {
        return text ? "coalesce(to_json(" + expr + ")::text, 'null')"
                    : "coalesce((" + expr + ")::text, 'null')";
    }

    // An entity has at most one cover: "[]" or "[{...}]".
    bool cover(const EntityInfo& e, const SelectionSet& set, const std::string& id,
               std::string& sql) {
        std::vector<const Selection*> fields;
        if (!flatten(set, fields)) return false;
        std::string obj = "'{'";
        for (size_t i = 0; i < fields.size(); ++i) {
            const Selection& f = *fields[i];
            obj += " || " + std::string(i ? "'," : "'") + "\"" + f.response_key() + "\":' || ";
            const std::string& n = f.name;
            if (n == "__typename") {
                obj += "'\"Cover\"'";
            } else if (n == "id") {
                obj += value("cv.id", false);
            } else if (n == "entityType") {
                obj += std::string("'\"") + e.entity + "\"'";
            } else if (n == "entityId") {
                obj += value(id, false);
            } else if (n == "url") {
                obj += value(std::string("'/covers/") + e.entity + "/' || " + id, true);
            } else if (n == "mimeType") {
                obj += value("cv.mime_type", true);
            } else if (n == "dateAdded") {
                obj += value(GQL_TS("cv.date_added"), true);
            } else if (n == "dateModified") {
                obj += value(GQL_TS("cv.date_modified"), true);
            } else {
                return false;
            }
        }
        obj += " || '}'";
        sql += " || '[' || coalesce((SELECT " + obj + " FROM covers cv WHERE cv.entity_type = '" +
               e.entity + "' AND cv.entity_id = " + id + "), '') || ']'";
        return true;
    }

    // Artist.albums and Album.tracks, in the resolvers' order (graphql_reads.cpp). An ARRAY of
    // an ordered subquery holds its rows in that order, and an album's tracks come in the
    // order of the index tracks_album_order: string_agg(... ORDER BY) sorted each album's
    // tracks again (a sort per album, about a quarter of the statement's time).
    bool list(const EntityInfo& child, const Selection& f, const std::string& parent_id,
              std::string& sql) {
        const bool albums = f.name == "albums";
        std::string obj;
        const std::string saved = current_;
        std::string from = std::string(child.table) + " e, " + lateral();
        if (!object(child, f.selections, obj)) return false;
        current_ = saved;
        sql += " || '[' || array_to_string(ARRAY(SELECT " + obj + " FROM " + from + " WHERE e." +
               (albums ? "album_artist_id" : "album_id") + " = " + parent_id + " ORDER BY " +
               (albums ? "e.release_year, lower(e.title), e.id" : "e.disc_no, e.track_no, e.id") +
               "), ',') || ']'";
        return true;
    }

    const graphql::Schema& s_;
    const graphql::ast::Document& doc_;
    std::string current_;
    int levels_ = 0;
};

// The statement of one operation, and where each $N comes from.
struct Plan {
    bool compiled = false;
    std::string sql;
    std::vector<Compiler::Arg> args;
    std::vector<const Selection*> roots;
    std::shared_ptr<const graphql::PreparedDocument> prepared;  // keeps the document alive
    const graphql::ast::Operation* op = nullptr;
};

const graphql::ast::Operation* pick(const graphql::ast::Document& doc, const std::string& name) {
    if (name.empty()) return doc.operations.size() == 1 ? &doc.operations.front() : nullptr;
    for (const auto& op : doc.operations)
        if (op.name == name) return &op;
    return nullptr;
}

// What the engine answers when every root resolver throws an Error that is not internal (the
// database unavailable): one error per root field, in order, and null data for each.
std::string failed_answer(const Plan& plan, const std::string& message) {
    std::string errors, data;
    for (const Selection* f : plan.roots) {
        const std::string& key = f->response_key();
        if (!data.empty()) data += ',';
        data += '"' + key + "\":";
        if (f->name == "__typename") {
            data += "\"Query\"";
            continue;
        }
        data += "null";
        if (!errors.empty()) errors += ',';
        errors += "{\"message\":" + dump_json(Json(message)) +
                  ",\"locations\":[{\"line\":" + std::to_string(f->loc.line) +
                  ",\"column\":" + std::to_string(f->loc.column) + "}],\"path\":[\"" + key + "\"]}";
    }
    return "{\"errors\":[" + errors + "],\"data\":{" + data + "}}";
}

constexpr size_t kMaxPlans = 512;
constexpr size_t kMaxRememberedQuery = 8192;

}  // namespace

struct OneStatements::Plans {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const Plan>> map;
};

OneStatements::OneStatements(const graphql::Engine& engine)
    : engine_(engine), plans_(std::make_unique<Plans>()) {}
OneStatements::~OneStatements() = default;

bool OneStatements::answer(const graphql::Request& request, RequestContext& rc, std::string& out) {
    std::string memo;
    const bool remember = request.query.size() <= kMaxRememberedQuery;
    std::shared_ptr<const Plan> plan;
    if (remember) {
        memo.reserve(request.query.size() + 1 + request.operation_name.size());
        memo.append(request.query).append(1, '\0').append(request.operation_name);
        std::lock_guard lock(plans_->mutex);
        if (auto it = plans_->map.find(memo); it != plans_->map.end()) plan = it->second;
    }
    if (!plan) {
        auto p = std::make_shared<Plan>();
        p->prepared = engine_.prepare(request.query);
        if (p->prepared->errors.empty()) p->op = pick(p->prepared->doc, request.operation_name);
        if (p->op && p->op->type == "query" && p->op->directives.empty()) {
            Compiler c(engine_.schema(), p->prepared->doc);
            try {
                p->compiled = c.root(p->op->selections, p->sql);
            } catch (const std::out_of_range&) {
                p->compiled = false;  // an Int literal beyond 64 bits: the engine says so
            }
            p->args = std::move(c.args);
            p->roots = std::move(c.roots);
        }
        if (!p->compiled) p->sql.clear();
        plan = p;
        if (remember) {
            std::lock_guard lock(plans_->mutex);
            if (plans_->map.size() >= kMaxPlans) plans_->map.clear();
            plans_->map.emplace(std::move(memo), plan);
        }
    }
    if (!plan->compiled) return false;
    // The ids: integer variables (or a variable's integer default) and literals. Anything else,
    // missing or mistyped, is the engine's to answer with its error.
    const Json& vars = request.variables;
    if (!vars.is_null() && !vars.is_object()) return false;
    db::Params params;
    for (const auto& a : plan->args) {
        if (a.variable.empty()) {
            params.add(a.literal);
            continue;
        }
        auto it = vars.is_object() ? vars.find(a.variable) : vars.end();
        if (vars.is_object() && it != vars.end()) {
            if (!it->is_number_integer()) return false;
            if (it->is_number_unsigned() && it->get<uint64_t>() > INT32_MAX) return false;
            const int64_t n = it->get<int64_t>();
            if (!is_int32(n)) return false;
            params.add(n);
            continue;
        }
        const graphql::ast::VariableDefinition* def = nullptr;
        for (const auto& d : plan->op->variables)
            if (d.name == a.variable) def = &d;
        if (!def || !def->default_value || def->default_value->kind != Value::Kind::kInt)
            return false;
        const int64_t n = std::stoll(def->default_value->text);
        if (!is_int32(n)) return false;
        params.add(n);
    }
    try {
        auto r = rc.exec(plan->sql, params);
        if (r.rows() != 1 || r.is_null(0, 0)) return false;
        out = r.str(0, 0);
    } catch (const Error& e) {
        // The database unavailable (pool exhausted, server down): answered as the engine would,
        // without waiting for the pool a second time through it. Internal errors: the engine's.
        if (e.code() == ErrorCode::kInternal) throw;
        out = failed_answer(*plan, e.detail());
    }
    return true;
}

}  // namespace sonique::services::gql
