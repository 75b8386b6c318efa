#pragma once
// One answer tree, written as XML (http://subsonic.org/restapi, values as attributes) or as the
// JSON the OpenSubsonic spec shows: attributes become typed fields, a child marked as a list
// item becomes an array (even with one element), an element's text becomes "value", and a
// bare element (<folder>1</folder>) becomes its value alone ("folder": [1]).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sonique::subsonic {

using Scalar = std::variant<std::string, int64_t, bool, double>;

struct Node {
    std::string name;
    std::vector<std::pair<std::string, Scalar>> attrs;
    std::vector<Node> children;
    std::optional<Scalar> text;
    bool list_item = false;          // JSON: one element of the array `name` in its parent
    bool bare = false;               // JSON: written as its text alone
    std::vector<std::string> lists;  // JSON: array children written even when empty
    // A child kept as the services' JSON text (add_raw_json_child): written as it is into JSON
    // (raw_json.hpp), read into a tree only for XML. Empty: an ordinary node.
    std::string raw_json;
    bool raw_content_types = false;  // fill_content_types was asked for it

    Node& set(std::string key, Scalar value) {
        attrs.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    // A single child (a JSON object field).
    Node& child(std::string child_name);
    // One element of the list `child_name` (a JSON array, declared even if it stays empty).
    Node& item(std::string child_name);
    // Declares the list `child_name`, so that JSON shows [] when it has no element.
    Node& list(std::string child_name);
    // A bare list element: <name>value</name>, JSON [value, ...].
    Node& value_item(std::string child_name, Scalar value);
};

// Texts of the root element.
struct Envelope {
    bool ok = true;
    std::string server_version;
};

// The whole document. Strings must be valid UTF-8 (the caller checks input; the database's
// text is UTF-8); XML-forbidden control characters are replaced.
std::string write_xml(const Node& body, const Envelope& env);
std::string write_json(const Node& body, const Envelope& env);

}  // namespace sonique::subsonic
