#include "response.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "json_node.hpp"
#include "raw_json.hpp"

namespace sonique::subsonic {
namespace {

constexpr std::string_view kApiVersion = "1.16.1";
constexpr std::string_view kServerType = "sonique";
constexpr std::string_view kNamespace = "http://subsonic.org/restapi";

std::string number(double d) {
    std::string out;
    append_shortest_double(out, d);
    return out;
}

std::string plain_text(const Scalar& v) {
    if (auto s = std::get_if<std::string>(&v)) return *s;
    if (auto i = std::get_if<int64_t>(&v)) return std::to_string(*i);
    if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    return number(std::get<double>(v));
}

void json_string(std::string& out, std::string_view text) {
    out += '"';
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    out += '"';
}

void json_scalar(std::string& out, const Scalar& v) {
    if (auto s = std::get_if<std::string>(&v))
        json_string(out, *s);
    else
        out += plain_text(v);
}

void xml_attrs(std::string& out, const std::vector<std::pair<std::string, Scalar>>& attrs) {
    for (const auto& [k, v] : attrs) {
        out += ' ';
        out += k;
        out += "=\"";
        append_markup_escaped(out, plain_text(v));
        out += '"';
    }
}

// `n` under the name `name`, with `before` ahead of its own attributes (the envelope's).
void xml_element(std::string& out, const std::string& name, const Node& n,
                 const std::vector<std::pair<std::string, Scalar>>& before);

void xml_node(std::string& out, const Node& n) {
    if (!n.raw_json.empty()) return xml_node(out, materialized(n));
    xml_element(out, n.name, n, {});
}

void xml_element(std::string& out, const std::string& name, const Node& n,
                 const std::vector<std::pair<std::string, Scalar>>& before) {
    out += '<';
    out += name;
    xml_attrs(out, before);
    for (const auto& [k, v] : n.attrs) {
        out += ' ';
        out += k;
        out += "=\"";
        append_markup_escaped(out, plain_text(v));
        out += '"';
    }
    if (n.children.empty() && !n.text) {
        out += "/>";
        return;
    }
    out += '>';
    if (n.text) append_markup_escaped(out, plain_text(*n.text));
    for (const auto& c : n.children)
        xml_node(out, c);
    out += "</";
    out += name;
    out += '>';
}

void json_object(std::string& out, const Node& n);

void json_value(std::string& out, const Node& n) {
    if (!n.raw_json.empty())
        write_raw_json(out, n.raw_json, n.raw_content_types);
    else if (n.bare && n.text)
        json_scalar(out, *n.text);
    else
        json_object(out, n);
}

// Fields: attributes, "value", then children grouped by name in order of first appearance.
void json_fields(std::string& out, const Node& n, bool& first) {
    auto sep = [&] {
        if (!first) out += ',';
        first = false;
    };
    for (const auto& [k, v] : n.attrs) {
        sep();
        json_string(out, k);
        out += ':';
        json_scalar(out, v);
    }
    if (n.text) {
        sep();
        out += "\"value\":";
        json_scalar(out, *n.text);
    }
    std::vector<std::string> names;
    for (const auto& c : n.children)
        if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
    for (const auto& l : n.lists)
        if (std::find(names.begin(), names.end(), l) == names.end()) names.push_back(l);
    for (const auto& name : names) {
        bool is_list = std::find(n.lists.begin(), n.lists.end(), name) != n.lists.end();
        sep();
        json_string(out, name);
        out += ':';
        if (is_list) out += '[';
        bool first_item = true;
        for (const auto& c : n.children) {
            if (c.name != name) continue;
            if (!first_item) out += ',';
            first_item = false;
            json_value(out, c);
            if (!is_list) break;
        }
        if (is_list) out += ']';
    }
}

void json_object(std::string& out, const Node& n) {
    out += '{';
    bool first = true;
    json_fields(out, n, first);
    out += '}';
}

// The root's attributes before the body's own.
std::vector<std::pair<std::string, Scalar>> envelope(const Envelope& env) {
    return {{"status", std::string(env.ok ? "ok" : "failed")},
            {"version", std::string(kApiVersion)},
            {"type", std::string(kServerType)},
            {"serverVersion", env.server_version},
            {"openSubsonic", true}};
}

}  // namespace

Node& Node::child(std::string child_name) {
    children.push_back(
        Node{std::move(child_name), {}, {}, std::nullopt, false, false, {}, {}, false});
    return children.back();
}

Node& Node::list(std::string child_name) {
    if (std::find(lists.begin(), lists.end(), child_name) == lists.end())
        lists.push_back(child_name);
    return *this;
}

Node& Node::item(std::string child_name) {
    list(child_name);
    Node& c = child(std::move(child_name));
    c.list_item = true;
    return c;
}

Node& Node::value_item(std::string child_name, Scalar value) {
    Node& c = item(std::move(child_name));
    c.text = std::move(value);
    c.bare = true;
    return c;
}

// Both writers write the body in place under the root's name (no copy of the tree).
std::string write_xml(const Node& body, const Envelope& env) {
    auto attrs = envelope(env);
    attrs.insert(attrs.begin(), {"xmlns", std::string(kNamespace)});
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml_element(out, "subsonic-response", body, attrs);
    out += '\n';
    return out;
}

std::string write_json(const Node& body, const Envelope& env) {
    std::string out = "{\"subsonic-response\":{";
    bool first = true;
    for (const auto& [k, v] : envelope(env)) {
        if (!first) out += ',';
        first = false;
        json_string(out, k);
        out += ':';
        json_scalar(out, v);
    }
    json_fields(out, body, first);
    out += "}}";
    return out;
}

}  // namespace sonique::subsonic
