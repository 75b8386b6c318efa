#pragma once
// The table of settings shared by the loader and the help text.
#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace sonique::detail {

struct Setting {
    const char* env;       // environment variable
    const char* flag;      // --flag (without dashes)
    const char* accepted;  // what values are accepted, for messages and help
    const char* help;
    std::function<void(Config&, const std::string&)> apply;  // throws std::invalid_argument
};

const std::vector<Setting>& settings();

}  // namespace sonique::detail
