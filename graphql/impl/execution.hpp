#pragma once
// One request's execution: breadth-first over the selection tree, building a result tree that
// is turned into JSON at the end (where nulls in non-null positions propagate upwards).
#include <deque>
#include <string>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/schema.hpp"

namespace sonique::graphql {

using OrderedJson = nlohmann::ordered_json;

class Execution {
  public:
    Execution(const Schema& s, const ast::Document& doc, Json vars, void* context)
        : s_(s), doc_(doc), vars_(std::move(vars)), context_(context) {}
    // {"data": ..., "errors"?: [...]} for the operation op with root type root.
    std::string run(const TypeDef& root, const ast::Operation& op);

  private:
    struct Node {
        enum class Kind { kNull, kLeaf, kObject, kList };
        Kind kind = Kind::kNull;
        bool non_null = false;  // its position's type is non-null
        Json leaf;
        std::vector<const std::string*> keys;  // kObject: response keys
        std::vector<Node> children;            // kObject fields, kList items
    };
    struct PathSeg {
        const PathSeg* parent;
        const std::string* key;  // null: index
        int index;
    };
    struct Pending {
        const Json* source;
        Node* out;
        const PathSeg* path;
    };
    struct Collected {
        const std::string* key;
        std::vector<const ast::Selection*> nodes;
    };

    std::vector<Collected> collect(const TypeDef& type,
                                   const std::vector<const ast::SelectionSet*>& sets);
    void collect_into(const TypeDef& type, const ast::SelectionSet& set,
                      std::vector<Collected>& out, std::vector<const std::string*>& visited);
    bool included(const std::vector<ast::Directive>& directives);
    void level(const TypeDef& type, const std::vector<const ast::SelectionSet*>& sets,
               std::vector<Pending>& objects);
    void field(const TypeDef& type, const Collected& c, size_t index,
               std::vector<Pending>& objects);
    std::vector<Json> resolve(const FieldDef& def, const std::vector<const Json*>& parents,
                              const Json& args, const std::vector<std::string>& selected,
                              const std::vector<const PathSeg*>& paths, Location loc);
    // Consumes v when it is a leaf (each resolved value is completed exactly once).
    void complete(std::string_view type, Json& v, Node& out, const PathSeg* path,
                  const ast::Selection& f, std::vector<Pending>& next);
    void error(const std::string& message, Location loc, const PathSeg* path);
    // Appends n as JSON; false when n is null in a non-null position (nothing appended).
    bool write(const Node& n, std::string& out) const;

    const Schema& s_;
    const ast::Document& doc_;
    Json vars_;
    void* context_;
    std::deque<PathSeg> paths_;
    std::deque<std::vector<Json>> values_;  // resolver results, alive until the end
    std::string_view last_type_name_;       // complete()'s last type lookup
    const TypeDef* last_type_ = nullptr;
    OrderedJson errors_ = OrderedJson::array();
    std::string parent_type_;  // for "Cannot return null for non-nullable field T.f."
};

}  // namespace sonique::graphql
