// `sonique user add|passwd|del|list|apikey`: the accounts of the OpenSubsonic API, and the
// first administrator that `serve` creates (docs/subsonic.md).
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "runtime.hpp"
#include "services/users.hpp"

namespace sonique::app {
namespace {

constexpr const char* kUsage =
    "usage: sonique user add NAME [--admin] | passwd NAME | del NAME | list\n"
    "       sonique user apikey NAME [list | revoke ID]\n"
    "Passwords are read from standard input (one line; empty: one is generated and printed).\n";

// One line from stdin, without echo on a terminal.
std::string read_password() {
    bool tty = isatty(STDIN_FILENO) != 0;
    termios old{};
    if (tty) {
        std::cerr << "Password: " << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string password_or_generated() {
    std::string pw = read_password();
    if (!pw.empty()) return pw;
    // The generator of the first administrator's password.
    pw = services::generate_user_password();
    std::cout << "generated password: " << pw << "\n";
    return pw;
}

std::string roles_text(const services::UserRoles& r) {
    std::string out;
    auto add = [&out](bool on, const char* name) {
        if (on) out += (out.empty() ? "" : ",") + std::string(name);
    };
    add(r.admin, "admin");
    add(r.settings, "settings");
    add(r.stream, "stream");
    add(r.download, "download");
    add(r.playlist, "playlist");
    add(r.cover_art, "coverArt");
    add(r.scrobble, "scrobble");
    return out;
}

int fail(const std::string& message) {
    std::cerr << "sonique user: " << message << "\n";
    return 1;
}

int run(services::UserService& users, const std::vector<std::string>& a, bool admin) {
    const std::string& cmd = a[0];
    if (cmd == "list" && a.size() == 1) {
        for (const auto& u : users.list())
            std::cout << u.name << "\t" << roles_text(u.roles) << "\t" << u.email << "\n";
        return 0;
    }
    if (a.size() < 2) return fail(kUsage);
    const std::string& name = a[1];
    if (cmd == "add" && a.size() == 2) {
        // A user made from the command line is a household member: everything but admin.
        services::UserRoles r{admin, true, true, true, true, true, true};
        users.create(name, password_or_generated(), "", r);
        std::cout << "user " << name << " created\n";
        return 0;
    }
    if (cmd == "passwd" && a.size() == 2)
        return users.change_password(name, password_or_generated()) ? 0 : fail("no such user");
    if (cmd == "del" && a.size() == 2) return users.remove(name) ? 0 : fail("no such user");
    if (cmd == "apikey" && a.size() == 2) {
        auto key = users.create_api_key(name);
        if (!key) return fail("no such user");
        std::cout << *key << "\n";
        return 0;
    }
    if (cmd == "apikey" && a.size() == 3 && a[2] == "list") {
        for (const auto& k : users.list_api_keys(name))
            std::cout << k.id << "\tcreated " << k.created_at << "\tlast used "
                      << k.last_used_at.value_or("never") << "\n";
        return 0;
    }
    if (cmd == "apikey" && a.size() == 4 && a[2] == "revoke")
        return users.revoke_api_key(name, a[3]) ? 0 : fail("no such key");
    return fail(kUsage);
}

}  // namespace

int run_user(const Config& config, const std::vector<std::string>& args, bool admin) {
    if (args.empty()) return fail(kUsage);
    Runtime rt(config);
    rt.migrate(10);
    services::UserService users(rt.services());
    try {
        return run(users, args, admin);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kBadRequest || e.code() == ErrorCode::kConflict)
            return fail(e.detail());
        throw;
    }
}

void ensure_first_admin(Runtime& rt, const std::map<std::string, std::string>& env) {
    auto get = [&env](const char* key) {
        auto it = env.find(key);
        return it == env.end() ? std::string() : it->second;
    };
    services::UserService users(rt.services());
    try {
        auto generated =
            users.ensure_first_admin(get("SONIQUE_ADMIN_USER"), get("SONIQUE_ADMIN_PASSWORD"));
        if (generated) {
            // Printed once, on stdout, never logged: the log may be collected elsewhere.
            std::string name =
                get("SONIQUE_ADMIN_USER").empty() ? "admin" : get("SONIQUE_ADMIN_USER");
            std::cout << "First administrator of the Subsonic API: user '" << name
                      << "', password '" << *generated
                      << "' (shown once; change it with `sonique user passwd " << name << "`)"
                      << std::endl;
        }
    } catch (const Error& e) {
        if (e.code() != ErrorCode::kBadRequest) throw;
        log::warn("no Subsonic user can be created: ", e.detail());
    }
}

}  // namespace sonique::app
