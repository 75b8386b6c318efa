#pragma once
// The analysis run's options from the configuration, for `analyze` and for `serve`'s runs after
// scans. Any thread.
#include "analysis/runner.hpp"
#include "core/config.hpp"

namespace sonique::app {

analysis::RunOptions analysis_options(const Config& config);

}  // namespace sonique::app
