#pragma once
// A bounded XML reader for SOAP bodies (expat): a small element tree, or a refusal. A document
// with a DOCTYPE (and so any entity declaration: billion laughs, external entities), more than
// kMaxElements elements or deeper than kMaxDepth is refused before it costs anything; its size
// is bounded by the caller.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonique::dlna {

struct XmlElement {
    std::string ns;     // namespace URI ("" for none)
    std::string local;  // local name
    std::string text;   // character data directly inside (concatenated)
    std::vector<std::pair<std::string, std::string>> attributes;  // local name, value
    std::vector<std::unique_ptr<XmlElement>> children;

    // The first child with this local name, or nullptr.
    const XmlElement* child(std::string_view name) const;
    // The attribute's value by local name, "" when absent.
    std::string attr(std::string_view name) const;
};

inline constexpr size_t kMaxElements = 2000;
inline constexpr int kMaxDepth = 32;

struct XmlParse {
    std::unique_ptr<XmlElement> root;  // null on failure
    std::string error;                 // why, when root is null
};

// Parses a whole document. Never throws for bad input (the reason is in error); throws
// std::bad_alloc only. Any thread.
XmlParse parse_xml(std::string_view document);

}  // namespace sonique::dlna
