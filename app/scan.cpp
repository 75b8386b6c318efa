#include "commands.hpp"
#include "core/log.hpp"

namespace sonique::app {

int run_scan(const Config&, const std::vector<std::string>&) {
    log::error("scan: the library scanner is not built into this binary yet");
    return 3;
}

}  // namespace sonique::app
