#pragma once
// The sonique subcommands. Each returns the process exit status.
#include <map>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace sonique::app {

int run_serve(const Config& config);
int run_migrate(const Config& config);
// full: read every file, also those unchanged since the last scan (`sonique scan --full`).
int run_scan(const Config& config, const std::vector<std::string>& dirs, bool full = false);

// `sonique analyze [--full] [DIR...]` (app/analyze.cpp); full: also tracks already analysed.
int run_analyze(const Config& config, const std::vector<std::string>& dirs, bool full = false);

// `sonique user ...` (app/user.cpp); admin: `add --admin`.
int run_user(const Config& config, const std::vector<std::string>& args, bool admin);

class Runtime;
// At `serve`: when there is no user, creates the first administrator from SONIQUE_ADMIN_USER
// and SONIQUE_ADMIN_PASSWORD, or "admin" with a generated password printed once. Without
// ENCRYPTION_KEY it only warns.
void ensure_first_admin(Runtime& rt, const std::map<std::string, std::string>& env);

}  // namespace sonique::app
