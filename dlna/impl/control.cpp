#include "control.hpp"

#include "core/strings.hpp"
#include "didl.hpp"
#include "profiles.hpp"
#include "search_criteria.hpp"

namespace sonique::dlna {
namespace {

// A ui4 argument; absent or empty reads as `fallback` (clients leave optional-looking ones out).
int64_t ui4(const SoapCall& call, std::string_view name, int64_t fallback) {
    for (const auto& [k, v] : call.args) {
        if (k != name) continue;
        std::string t = trim(v);
        if (t.empty()) return fallback;
        auto n = parse_int(t);
        if (!n || *n < 0 || *n > 4294967295LL || t[0] == '+')
            throw SoapFault(kInvalidArgs, "Invalid Args: " + std::string(name) + " must be a ui4");
        return *n;
    }
    return fallback;
}

std::string optional_arg(const SoapCall& call, std::string_view name, std::string fallback) {
    for (const auto& [k, v] : call.args)
        if (k == name) return v;
    return fallback;
}

std::string update_id(const ControlEnv& env) {
    return std::to_string(env.system_update_id ? env.system_update_id() : 0);
}

int64_t page_size(int64_t requested) {
    return requested == 0 || requested > kMaxPage ? kMaxPage : requested;
}

// UpdateID: the container's ContainerUpdateID when it is kept (read with the page), else the
// SystemUpdateID (ContentDirectory:1 §2.7.4: a device without per-container ids answers that).
Args page_answer(const Page& page, const PropertyFilter& filter, const ControlEnv& env) {
    return {{"Result", write_didl(page.entries, filter, env.base_url)},
            {"NumberReturned", std::to_string(page.entries.size())},
            {"TotalMatches", std::to_string(page.total)},
            {"UpdateID", page.update_id ? std::to_string(*page.update_id) : update_id(env)}};
}

Args browse(const SoapCall& call, const ControlEnv& env) {
    const std::string& id = call.arg("ObjectID");
    const std::string& flag = call.arg("BrowseFlag");
    PropertyFilter filter(optional_arg(call, "Filter", "*"));
    int64_t start = ui4(call, "StartingIndex", 0);
    int64_t count = page_size(ui4(call, "RequestedCount", 0));
    auto sort = parse_sort(optional_arg(call, "SortCriteria", ""));
    auto ref = parse_object_id(trim(id));
    if (flag != "BrowseMetadata" && flag != "BrowseDirectChildren")
        throw SoapFault(kInvalidArgs,
                        "Invalid Args: BrowseFlag must be BrowseMetadata or BrowseDirectChildren");
    if (!ref) throw SoapFault(kNoSuchObject, "No such object");
    if (flag == "BrowseMetadata") {
        Page page;
        page.entries.push_back(env.catalog.metadata(*ref, &page.update_id));
        page.total = 1;
        return page_answer(page, filter, env);
    }
    return page_answer(env.catalog.children(*ref, start, count, sort), filter, env);
}

Args search(const SoapCall& call, const ControlEnv& env) {
    const std::string& container = call.arg("ContainerID");
    const std::string& criteria = call.arg("SearchCriteria");
    PropertyFilter filter(optional_arg(call, "Filter", "*"));
    int64_t start = ui4(call, "StartingIndex", 0);
    int64_t count = page_size(ui4(call, "RequestedCount", 0));
    auto sort = parse_sort(optional_arg(call, "SortCriteria", ""));
    // What lies below the container is searched. It must be a container id that a row backs;
    // whether one does is asked only when the search found nothing (a second statement then,
    // none on the common path: a container with matches exists).
    auto ref = parse_object_id(trim(container));
    if (!ref) throw SoapFault(kNoSuchContainer, "No such container");
    if (ref->track) throw SoapFault(kNoSuchContainer, "No such container");
    Page page = env.catalog.search(*ref, criteria, start, count, sort);
    if (page.total == 0) {
        try {
            env.catalog.metadata(*ref, nullptr);
        } catch (const SoapFault& f) {
            if (f.code() == kNoSuchObject) throw SoapFault(kNoSuchContainer, "No such container");
            throw;
        }
    }
    return page_answer(page, filter, env);
}

}  // namespace

std::vector<SortKey> parse_sort(const std::string& criteria) {
    std::vector<SortKey> out;
    if (trim(criteria).empty()) return out;
    auto parts = split(criteria, ',');
    if (parts.size() > 8) throw SoapFault(kBadSortCriteria, "Too many sort properties");
    for (auto& part : parts) {
        std::string p = trim(part);
        if (p.size() < 2 || (p[0] != '+' && p[0] != '-'))
            throw SoapFault(kBadSortCriteria, "Sort criteria must be +property or -property");
        std::string prop = p.substr(1);
        if ((std::string(",") + kSortCapabilities + ",").find("," + prop + ",") ==
            std::string::npos)
            throw SoapFault(kBadSortCriteria, "Unsupported sort property");
        out.push_back({prop, p[0] == '-'});
    }
    return out;
}

Args content_directory_action(const SoapCall& call, const ControlEnv& env) {
    const std::string& a = call.action;
    if (a == "Browse") return browse(call, env);
    if (a == "Search") return search(call, env);
    if (a == "GetSearchCapabilities") return {{"SearchCaps", kSearchCapabilities}};
    if (a == "GetSortCapabilities") return {{"SortCaps", kSortCapabilities}};
    if (a == "GetSystemUpdateID") return {{"Id", update_id(env)}};
    throw SoapFault(kInvalidAction, "Invalid Action");
}

Args connection_manager_action(const SoapCall& call) {
    const std::string& a = call.action;
    if (a == "GetProtocolInfo") return {{"Source", source_protocol_info()}, {"Sink", ""}};
    if (a == "GetCurrentConnectionIDs") return {{"ConnectionIDs", "0"}};
    if (a == "GetCurrentConnectionInfo") {
        auto id = parse_int(trim(call.arg("ConnectionID")));
        if (!id) throw SoapFault(kInvalidArgs, "Invalid Args: ConnectionID must be an i4");
        // Only the default connection 0 exists (no PrepareForConnection).
        if (*id != 0) throw SoapFault(706, "Invalid connection reference");
        return {{"RcsID", "-1"},
                {"AVTransportID", "-1"},
                {"ProtocolInfo", ""},
                {"PeerConnectionManager", ""},
                {"PeerConnectionID", "-1"},
                {"Direction", "Output"},
                {"Status", "OK"}};
    }
    throw SoapFault(kInvalidAction, "Invalid Action");
}

}  // namespace sonique::dlna
