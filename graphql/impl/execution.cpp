#include "execution.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/log.hpp"
#include "values.hpp"

namespace sonique::graphql {
namespace {

const std::string kTypename = "__typename";
constexpr size_t kMaxErrors = 100;

// Appends leaf as JSON. Plain ASCII strings (the common case) skip nlohmann's serializer.
void write_leaf(const Json& leaf, std::string& out) {
    if (leaf.is_string()) {
        const auto& str = leaf.get_ref<const std::string&>();
        bool plain = std::all_of(str.begin(), str.end(), [](char c) {
            return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        });
        if (plain) {
            out += '"';
            out += str;
            out += '"';
            return;
        }
    } else if (leaf.is_number_integer()) {
        out += std::to_string(leaf.get<int64_t>());
        return;
    }
    out += dump_json(leaf);
}

}  // namespace

std::string Execution::run(const TypeDef& root, const ast::Operation& op) {
    Json root_value = Json::object();
    Node data;
    std::vector<Pending> objects{{&root_value, &data, nullptr}};
    level(root, {&op.selections}, objects);
    std::string out = "{";
    if (!errors_.empty()) {
        out += "\"errors\":";
        out += errors_.dump(-1, ' ', false, Json::error_handler_t::replace);
        out += ',';
    }
    out += "\"data\":";
    if (!write(data, out)) out += "null";
    out += '}';
    return out;
}

bool Execution::included(const std::vector<ast::Directive>& directives) {
    for (const auto& d : directives) {
        for (const auto& a : d.arguments) {
            if (a.name != "if") continue;
            auto v = coerce_literal(s_, *a.value, "Boolean!", vars_);
            bool flag = v && v->is_boolean() && v->get<bool>();
            if ((d.name == "skip" && flag) || (d.name == "include" && !flag)) return false;
        }
    }
    return true;
}

void Execution::collect_into(const TypeDef& type, const ast::SelectionSet& set,
                             std::vector<Collected>& out,
                             std::vector<const std::string*>& visited) {
    for (const auto& sel : set) {
        if (!included(sel.directives)) continue;
        if (sel.kind == ast::Selection::Kind::kField) {
            const std::string& key = sel.response_key();
            auto it = std::find_if(out.begin(), out.end(), [&](auto& c) { return *c.key == key; });
            if (it == out.end())
                out.push_back({&key, {&sel}});
            else
                it->nodes.push_back(&sel);
        } else if (sel.kind == ast::Selection::Kind::kInline) {
            if (sel.type_condition.empty() || sel.type_condition == type.name)
                collect_into(type, sel.selections, out, visited);
        } else if (std::find_if(visited.begin(), visited.end(),
                                [&](auto* n) { return *n == sel.name; }) == visited.end()) {
            visited.push_back(&sel.name);
            const ast::Fragment* f = doc_.fragment(sel.name);
            if (f && f->type_condition == type.name)
                collect_into(type, f->selections, out, visited);
        }
    }
}

std::vector<Execution::Collected> Execution::collect(
    const TypeDef& type, const std::vector<const ast::SelectionSet*>& sets) {
    std::vector<Collected> out;
    std::vector<const std::string*> visited;
    for (const auto* set : sets)
        collect_into(type, *set, out, visited);
    return out;
}

void Execution::level(const TypeDef& type, const std::vector<const ast::SelectionSet*>& sets,
                      std::vector<Pending>& objects) {
    auto fields = collect(type, sets);
    for (auto& o : objects) {
        o.out->kind = Node::Kind::kObject;
        o.out->keys.reserve(fields.size());
        for (const auto& c : fields)
            o.out->keys.push_back(c.key);
        o.out->children.resize(fields.size());
    }
    for (size_t i = 0; i < fields.size(); ++i)
        field(type, fields[i], i, objects);
}

void Execution::field(const TypeDef& type, const Collected& c, size_t index,
                      std::vector<Pending>& objects) {
    const ast::Selection& f = *c.nodes.front();
    std::vector<const PathSeg*> paths;
    for (const auto& o : objects)
        paths.push_back(&paths_.emplace_back(PathSeg{o.path, c.key, 0}));
    if (f.name == kTypename) {
        for (auto& o : objects) {
            o.out->children[index].kind = Node::Kind::kLeaf;
            o.out->children[index].leaf = type.name;
        }
        return;
    }
    const FieldDef* def = type.field(f.name);
    if (!def) def = s_.meta_field(f.name);
    if (!def) return;  // validation makes this unreachable
    std::vector<const ast::SelectionSet*> subsets;
    for (const auto* n : c.nodes)
        if (n->has_selections) subsets.push_back(&n->selections);
    const TypeDef* child = s_.find(named_type(def->type));
    std::vector<std::string> selected;
    if (child && child->kind == Kind::kObject)
        for (const auto& cf : collect(*child, subsets))
            selected.push_back(cf.nodes.front()->name);
    std::vector<const Json*> parents;
    for (const auto& o : objects)
        parents.push_back(o.source);
    Json args;
    std::vector<Json>* values = nullptr;
    try {
        args = coerce_arguments(s_, def->args, f.arguments, vars_);
        values = &values_.emplace_back(resolve(*def, parents, args, selected, paths, f.loc));
    } catch (const FieldError& e) {
        for (const auto* p : paths)
            error(e.what(), f.loc, p);
        values = &values_.emplace_back(parents.size());
    }
    parent_type_ = type.name;
    std::vector<Pending> next;
    for (size_t j = 0; j < objects.size(); ++j)
        complete(def->type, (*values)[j], objects[j].out->children[index], paths[j], f, next);
    if (!next.empty() && child) level(*child, subsets, next);
}

std::vector<Json> Execution::resolve(const FieldDef& def, const std::vector<const Json*>& parents,
                                     const Json& args, const std::vector<std::string>& selected,
                                     const std::vector<const PathSeg*>& paths, Location loc) {
    std::vector<Json> out;
    if (!def.resolve) {
        out.reserve(parents.size());
        for (const Json* p : parents) {
            auto it = p->find(def.name);
            out.push_back(it != p->end() ? *it : Json());
        }
        return out;
    }
    std::string message;
    try {
        out = def.resolve(ResolveInfo{parents, args, selected, context_});
        if (out.size() == parents.size()) return out;
        message = "Internal error";
        log::error("graphql: resolver of ", def.name, " returned ", out.size(), " values for ",
                   parents.size(), " parents");
    } catch (const FieldError& e) {
        message = e.what();
    } catch (const Error& e) {
        message = e.code() == ErrorCode::kInternal ? "Internal error" : e.detail();
        if (e.code() == ErrorCode::kInternal) log::error("graphql: ", def.name, ": ", e.what());
    } catch (const std::exception& e) {
        message = "Internal error";
        log::error("graphql: ", def.name, ": ", e.what());
    }
    for (const auto* p : paths)
        error(message, loc, p);
    return std::vector<Json>(parents.size());
}

void Execution::complete(std::string_view type, Json& v, Node& out, const PathSeg* path,
                         const ast::Selection& f, std::vector<Pending>& next) {
    if (is_non_null(type)) {
        out.non_null = true;
        type = nullable(type);
        if (v.is_null()) {
            error("Cannot return null for non-nullable field " + parent_type_ + "." + f.name + ".",
                  f.loc, path);
            return;
        }
    }
    if (v.is_null()) return;
    if (is_list(type)) {
        if (!v.is_array())
            return error("Expected a list for field \"" + f.name + "\".", f.loc, path);
        out.kind = Node::Kind::kList;
        out.children.resize(v.size());
        for (size_t k = 0; k < v.size(); ++k) {
            const PathSeg* p = &paths_.emplace_back(PathSeg{path, nullptr, static_cast<int>(k)});
            complete(list_item(type), v[k], out.children[k], p, f, next);
        }
        return;
    }
    if (type != last_type_name_) {  // one lookup per run of values of one type
        last_type_name_ = type;
        last_type_ = s_.find(type);
    }
    const TypeDef* d = last_type_;
    if (!d) return error("Unknown type " + std::string(type), f.loc, path);
    if (d->kind == Kind::kObject) {
        if (!v.is_object())
            return error("Expected an object for field \"" + f.name + "\".", f.loc, path);
        next.push_back({&v, &out, path});
        return;
    }
    if (serializes_as_is(*d, v)) {  // each resolved value is completed once: take it
        out.kind = Node::Kind::kLeaf;
        out.leaf = std::move(v);
        return;
    }
    auto leaf = serialize_leaf(*d, v);
    if (!leaf) return error(d->name + " cannot represent value: " + dump_json(v), f.loc, path);
    out.kind = Node::Kind::kLeaf;
    out.leaf = std::move(*leaf);
}

void Execution::error(const std::string& message, Location loc, const PathSeg* path) {
    if (errors_.size() >= kMaxErrors) return;
    OrderedJson p = OrderedJson::array();
    for (const PathSeg* s = path; s; s = s->parent) {
        if (s->key)
            p.insert(p.begin(), *s->key);
        else
            p.insert(p.begin(), s->index);
    }
    OrderedJson e = {{"message", message},
                     {"locations", {{{"line", loc.line}, {"column", loc.column}}}},
                     {"path", std::move(p)}};
    errors_.push_back(std::move(e));
}

bool Execution::write(const Node& n, std::string& out) const {
    size_t start = out.size();
    // A null in a non-null position nulls the nearest nullable parent instead.
    auto fail = [&] {
        out.resize(start);
        if (n.non_null) return false;
        out += "null";
        return true;
    };
    switch (n.kind) {
        case Node::Kind::kNull:
            return fail();
        case Node::Kind::kLeaf:
            write_leaf(n.leaf, out);
            return true;
        case Node::Kind::kList:
            out += '[';
            for (size_t i = 0; i < n.children.size(); ++i) {
                if (i) out += ',';
                if (!write(n.children[i], out)) return fail();
            }
            out += ']';
            return true;
        case Node::Kind::kObject:
            out += '{';
            for (size_t i = 0; i < n.children.size(); ++i) {
                if (i) out += ',';
                out += '"';
                out += *n.keys[i];  // a GraphQL name: nothing to escape
                out += "\":";
                if (!write(n.children[i], out)) return fail();
            }
            out += '}';
            return true;
    }
    return false;
}

}  // namespace sonique::graphql
