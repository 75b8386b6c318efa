// The expat side of parse_xml: namespaces split on ' ', DTDs refused from their first byte.
#include "xml_reader.hpp"

#include <expat.h>

namespace sonique::dlna {
namespace {

struct State {
    XML_Parser parser = nullptr;
    std::unique_ptr<XmlElement> root;
    std::vector<XmlElement*> open;
    size_t elements = 0;
    std::string error;
};

void fail(State& s, const char* why) {
    if (s.error.empty()) s.error = why;
    XML_StopParser(s.parser, XML_FALSE);
}

void split_name(const XML_Char* name, XmlElement& e) {
    std::string_view n(name);
    auto sp = n.find(' ');
    if (sp == std::string_view::npos) {
        e.local = n;
    } else {
        e.ns = n.substr(0, sp);
        e.local = n.substr(sp + 1);
    }
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto& s = *static_cast<State*>(data);
    if (++s.elements > kMaxElements) return fail(s, "too many elements");
    if (s.open.size() >= static_cast<size_t>(kMaxDepth)) return fail(s, "nested too deep");
    auto e = std::make_unique<XmlElement>();
    split_name(name, *e);
    for (size_t i = 0; attrs[i] && attrs[i + 1]; i += 2) {
        XmlElement a;
        split_name(attrs[i], a);
        e->attributes.emplace_back(std::move(a.local), attrs[i + 1]);
    }
    XmlElement* raw = e.get();
    if (s.open.empty()) {
        s.root = std::move(e);
    } else {
        s.open.back()->children.push_back(std::move(e));
    }
    s.open.push_back(raw);
}

void XMLCALL on_end(void* data, const XML_Char*) {
    auto& s = *static_cast<State*>(data);
    if (!s.open.empty()) s.open.pop_back();
}

void XMLCALL on_text(void* data, const XML_Char* text, int len) {
    auto& s = *static_cast<State*>(data);
    if (!s.open.empty()) s.open.back()->text.append(text, static_cast<size_t>(len));
}

// Any DOCTYPE: SOAP forbids one (SOAP 1.1 §3), and refusing it refuses every entity declaration.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    fail(*static_cast<State*>(data), "a DOCTYPE is not allowed");
}

void XMLCALL on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
    fail(*static_cast<State*>(data), "entity declarations are not allowed");
}

struct ParserFree {
    void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view name) const {
    for (const auto& c : children)
        if (c->local == name) return c.get();
    return nullptr;
}

std::string XmlElement::attr(std::string_view name) const {
    for (const auto& [k, v] : attributes)
        if (k == name) return v;
    return "";
}

XmlParse parse_xml(std::string_view document) {
    std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreateNS("UTF-8", ' '));
    if (!parser) throw std::bad_alloc();
    State s;
    s.parser = parser.get();
    XML_SetUserData(s.parser, &s);
    XML_SetElementHandler(s.parser, on_start, on_end);
    XML_SetCharacterDataHandler(s.parser, on_text);
    XML_SetStartDoctypeDeclHandler(s.parser, on_doctype);
    XML_SetEntityDeclHandler(s.parser, on_entity);
    // No external DTD or entity is ever loaded.
    XML_SetParamEntityParsing(s.parser, XML_PARAM_ENTITY_PARSING_NEVER);
    if (document.size() > static_cast<size_t>(INT32_MAX)) return {nullptr, "document too large"};
    auto status = XML_Parse(s.parser, document.data(), static_cast<int>(document.size()), 1);
    if (status != XML_STATUS_OK || !s.error.empty()) {
        if (s.error.empty()) s.error = XML_ErrorString(XML_GetErrorCode(s.parser));
        return {nullptr, s.error};
    }
    if (!s.root) return {nullptr, "no root element"};
    return {std::move(s.root), {}};
}

}  // namespace sonique::dlna
