#include "json_node.hpp"

#include "core/error.hpp"
#include "core/json.hpp"
#include "services/stream.hpp"

namespace sonique::subsonic {
namespace {

std::optional<Scalar> scalar(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number_float()) return v.get<double>();
    return std::nullopt;
}

void fill(Node& node, const Json& object) {
    for (const auto& [key, value] : object.items()) {
        if (value.is_null()) continue;
        if (value.is_object()) {
            fill(node.child(key), value);
        } else if (value.is_array()) {
            node.list(key);
            for (const auto& element : value) {
                if (element.is_object())
                    fill(node.item(key), element);
                else if (auto s = scalar(element))
                    node.value_item(key, *s);
            }
        } else if (auto s = scalar(value)) {
            // The spec's JSON writes an element's text as "value" (genre, lyrics, line).
            if (key == "value")
                node.text = *s;
            else
                node.set(key, *s);
        }
    }
}

}  // namespace

Node& add_json_child(Node& parent, const std::string& name, std::string_view json) {
    Json parsed = parse_json(json);
    if (!parsed.is_object()) throw Error(ErrorCode::kInternal, "catalog JSON is not an object");
    Node& child = parent.child(name);
    fill(child, parsed);
    return child;
}

Node& add_raw_json_child(Node& parent, const std::string& name, std::string json) {
    Node& child = parent.child(name);
    child.raw_json = std::move(json);
    if (child.raw_json.empty()) child.raw_json = "{}";
    return child;
}

Node materialized(const Node& n) {
    Node out;
    out.name = n.name;
    out.list_item = n.list_item;
    Json parsed = parse_json(n.raw_json);
    if (!parsed.is_object()) throw Error(ErrorCode::kInternal, "catalog JSON is not an object");
    fill(out, parsed);
    if (n.raw_content_types) fill_content_types(out);
    return out;
}

void fill_content_types(Node& node) {
    if (!node.raw_json.empty()) {
        node.raw_content_types = true;
        return;
    }
    for (auto& c : node.children)
        fill_content_types(c);
    // Songs are "song" in lists and albums, "entry" in playlists, queues and bookmarks, "child"
    // in folders.
    if (node.name != "song" && node.name != "entry" && node.name != "child") return;
    const Scalar* suffix = nullptr;
    for (const auto& [k, v] : node.attrs) {
        if (k == "contentType") return;
        if (k == "suffix") suffix = &v;
    }
    if (auto s = suffix ? std::get_if<std::string>(suffix) : nullptr)
        node.set("contentType", services::audio_mime_type(std::nullopt, "x." + *s));
}

}  // namespace sonique::subsonic
