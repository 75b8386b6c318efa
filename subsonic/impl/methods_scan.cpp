// getScanStatus and startScan over the scanner (services::ScanService, as POST /api/scan).
#include "core/error.hpp"
#include "core/log.hpp"
#include "json_node.hpp"
#include "methods.hpp"

namespace sonique::subsonic {
namespace {

void scan_status(Call& call, MethodEnv& env) {
    add_json_child(call.body, "scanStatus", env.scans.scan_status().text);
}

// Every library root, removing the tracks whose files are gone (as POST /api/scan does by
// default); a root already being scanned is joined, not scanned twice. A root that cannot be
// read (an unmounted disk) is skipped with a warning so that the others are scanned; when none
// can, the answer is error 0 with the first root's reason. Administrators only: a scan reads
// the whole library.
void start_scan(Call& call, MethodEnv& env) {
    call.require_admin();
    std::vector<std::string> dirs;
    std::optional<Error> first_problem;
    for (const auto& root : env.config.music_roots) {
        try {
            dirs.push_back(env.scans.resolve_directory(root));
        } catch (const Error& e) {
            log::warn("subsonic: startScan skips ", root, ": ", e.detail());
            if (!first_problem) first_problem = e;
        }
    }
    if (dirs.empty() && first_problem) throw *first_problem;
    for (const auto& dir : dirs)
        env.scans.start(dir, true);
    scan_status(call, env);
}

}  // namespace

void add_scan_methods(MethodTable& table) {
    table["getScanStatus"] = {scan_status, true};
    table["startScan"] = {start_scan, true};
}

}  // namespace sonique::subsonic
