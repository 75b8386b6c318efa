#include "soap.hpp"

#include "xml_reader.hpp"
#include "xml_text.hpp"

namespace sonique::dlna {
namespace {

constexpr std::string_view kEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";

constexpr std::string_view kEnvelopeHead =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>";
constexpr std::string_view kEnvelopeTail = "</s:Body></s:Envelope>\n";

}  // namespace

const std::string& SoapCall::arg(std::string_view name) const {
    for (const auto& [k, v] : args)
        if (k == name) return v;
    throw SoapFault(kInvalidArgs, "Invalid Args: " + escaped(name.substr(0, 64)) + " is missing");
}

SoapCall parse_soap(std::string_view body, std::string_view service_type) {
    if (body.size() > kMaxSoapBody) throw SoapFault(kCannotProcess, "Request body too large");
    auto parsed = parse_xml(body);
    if (!parsed.root) throw SoapFault(kInvalidAction, "Invalid Action: " + parsed.error);
    const XmlElement& env = *parsed.root;
    if (env.local != "Envelope" || env.ns != kEnvelopeNs)
        throw SoapFault(kInvalidAction, "Invalid Action: not a SOAP envelope");
    const XmlElement* bodyel = env.child("Body");
    if (!bodyel || bodyel->ns != kEnvelopeNs)
        throw SoapFault(kInvalidAction, "Invalid Action: the envelope has no Body");
    if (bodyel->children.size() != 1)
        throw SoapFault(kInvalidAction, "Invalid Action: the Body must hold one action");
    const XmlElement& action = *bodyel->children.front();
    if (action.ns != service_type)
        throw SoapFault(kInvalidAction,
                        "Invalid Action: not an action of " + std::string(service_type));
    SoapCall call{action.ns, action.local, {}};
    for (const auto& a : action.children) {
        if (!a->children.empty())
            throw SoapFault(kInvalidArgs, "Invalid Args: " + a->local + " is not a plain value");
        call.args.emplace_back(a->local, a->text);
    }
    return call;
}

std::string soap_response(std::string_view service_type, std::string_view action, const Args& out) {
    std::string s(kEnvelopeHead);
    s += "<u:";
    s += action;
    s += "Response xmlns:u=\"";
    append_escaped(s, service_type);
    s += "\">";
    for (const auto& [k, v] : out) {
        s += '<' + k + '>';
        append_content_escaped(s, v);
        s += "</" + k + '>';
    }
    s += "</u:";
    s += action;
    s += "Response>";
    s += kEnvelopeTail;
    return s;
}

std::string soap_fault(int code, std::string_view description) {
    std::string s(kEnvelopeHead);
    s += "<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
         "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>";
    s += std::to_string(code);
    s += "</errorCode><errorDescription>";
    append_escaped(s, description);
    s += "</errorDescription></UPnPError></detail></s:Fault>";
    s += kEnvelopeTail;
    return s;
}

}  // namespace sonique::dlna
