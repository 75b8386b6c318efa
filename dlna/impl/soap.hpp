#pragma once
// SOAP 1.1 for UPnP control: reading an action call from a request body (bounded, through
// xml_reader.hpp), writing its answer or a UPnP fault (UPnP Device Architecture 1.0 §3.2).
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonique::dlna {

// UPnP error codes (Device Architecture §3.2.2, ContentDirectory:1 §2.6).
enum UpnpError : int {
    kInvalidAction = 401,
    kInvalidArgs = 402,
    kActionFailed = 501,
    kNoSuchObject = 701,
    kBadSearchCriteria = 708,
    kBadSortCriteria = 709,
    kNoSuchContainer = 710,
    kCannotProcess = 720,
};

// A request answered with a UPnP fault: the code and its description.
class SoapFault : public std::runtime_error {
  public:
    SoapFault(int code, const std::string& description)
        : std::runtime_error(description), code_(code) {}
    int code() const noexcept { return code_; }

  private:
    int code_;
};

using Args = std::vector<std::pair<std::string, std::string>>;

struct SoapCall {
    std::string service_type;  // the action element's namespace, e.g. "urn:schemas-...:1"
    std::string action;        // "Browse"
    Args args;                 // in document order
    // The argument's value; throws SoapFault(402) when it is missing.
    const std::string& arg(std::string_view name) const;
};

// Bodies past this are refused (720) before parsing: the largest real request is a Search
// with a long criteria string, a few KiB.
inline constexpr size_t kMaxSoapBody = 64 * 1024;

// Reads a call from a body. `service_type` is the service the URL names; the action's
// namespace must be it. Throws SoapFault: 720 for an oversize body, 401 for anything that is
// not a SOAP envelope around one action of that service (malformed XML, a DOCTYPE or entity
// declaration, too many elements or too deep). Any thread.
SoapCall parse_soap(std::string_view body, std::string_view service_type);

// The answer envelope "<u:<action>Response>" with the out arguments, escaped.
std::string soap_response(std::string_view service_type, std::string_view action, const Args& out);
// The fault envelope (sent with HTTP 500).
std::string soap_fault(int code, std::string_view description);

}  // namespace sonique::dlna
