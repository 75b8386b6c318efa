#pragma once
// The SOAP actions of ContentDirectory:1 and ConnectionManager:1: arguments checked, answers
// as out arguments. Faults are thrown as SoapFault.
#include <cstdint>
#include <functional>
#include <string>

#include "catalog.hpp"
#include "soap.hpp"

namespace sonique::dlna {

// RequestedCount 0 ("all") and anything larger are served this many at most; clients page on
// with StartingIndex, as TotalMatches tells them to.
inline constexpr int64_t kMaxPage = 2000;

struct ControlEnv {
    Catalog& catalog;
    std::function<std::uint32_t()> system_update_id;
    std::string base_url;  // of this request
};

// Throws SoapFault (401 unknown action, 402 bad arguments, 701/708/709/710), Error when the
// database is unavailable. Any thread.
Args content_directory_action(const SoapCall& call, const ControlEnv& env);
Args connection_manager_action(const SoapCall& call);

// "+dc:title,-dc:date" as sort keys; throws SoapFault(709). Any thread.
std::vector<SortKey> parse_sort(const std::string& criteria);

}  // namespace sonique::dlna
