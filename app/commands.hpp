#pragma once
// The sonique subcommands. Each returns the process exit status.
#include <string>
#include <vector>

#include "core/config.hpp"

namespace sonique::app {

int run_serve(const Config& config);
int run_migrate(const Config& config);
// full: read every file, also those unchanged since the last scan (`sonique scan --full`).
int run_scan(const Config& config, const std::vector<std::string>& dirs, bool full = false);

}  // namespace sonique::app
