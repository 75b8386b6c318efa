#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/memory.hpp"

namespace {

void print_help() {
    std::cout << "Usage: sonique <command> [options]\n\n"
                 "Commands:\n"
                 "  serve [--watch]   migrate the database, then serve the HTTP API\n"
                 "  migrate           apply pending database migrations\n"
                 "  scan [--full] [DIR...]\n"
                 "                    scan library directories (default: MUSIC_PATH); --full\n"
                 "                    also reads files unchanged since the last scan\n"
                 "  analyze [--full] [DIR...]\n"
                 "                    compute the sonic features of new and changed tracks\n"
                 "                    (default: the whole library); --full: every track\n"
                 "  user add NAME [--admin] | passwd NAME | del NAME | list | apikey NAME [list |\n"
                 "  revoke ID]        users of the Subsonic API (passwords read from stdin)\n\n"
                 "Options (flags win over environment variables):\n"
              << sonique::config_help()
              << "  --help, --version\n\n"
                 "PostgreSQL: DATABASE_URL, else POSTGRES_HOST/PORT/USER/PASSWORD/DB.\n";
}

}  // namespace

int main(int argc, char** argv) {
    sonique::memory::configure();
    std::vector<std::string> args(argv + 1, argv + argc);
    for (const auto& a : args) {
        if (a == "--help" || a == "-h" || a == "help") {
            print_help();
            return 0;
        }
        if (a == "--version" || a == "-V") {
            std::cout << "sonique " << SONIQUE_VERSION << "\n";
            return 0;
        }
    }
    if (args.empty()) {
        print_help();
        return 2;
    }
    std::string command = args.front();
    args.erase(args.begin());
    bool full = false;
    if ((command == "scan" || command == "analyze") && std::erase(args, std::string("--full")) > 0)
        full = true;
    bool admin = command == "user" && std::erase(args, std::string("--admin")) > 0;
    sonique::Config config;
    try {
        config = sonique::load_config(sonique::environment(), args);
    } catch (const sonique::ConfigError& e) {
        std::cerr << "sonique: " << e.what() << "\n";
        return 2;
    }
    sonique::log::set_level(config.log_level);
    try {
        if (command == "serve" && args.empty()) return sonique::app::run_serve(config);
        if (command == "migrate" && args.empty()) return sonique::app::run_migrate(config);
        if (command == "scan") return sonique::app::run_scan(config, args, full);
        if (command == "analyze") return sonique::app::run_analyze(config, args, full);
        if (command == "user") return sonique::app::run_user(config, args, admin);
    } catch (const std::exception& e) {
        sonique::log::error(command, " failed: ", e.what());
        return 1;
    }
    std::cerr << "sonique: unknown command or argument '" << command
              << (args.empty() ? "" : " " + args.front()) << "' (see --help)\n";
    return 2;
}
