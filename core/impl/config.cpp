#include "core/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "config_settings.hpp"
#include "core/strings.hpp"

extern char** environ;

namespace sonique {
namespace {

[[noreturn]] void refuse(const detail::Setting& s, const std::string& value) {
    throw ConfigError("invalid value '" + value + "' for " + s.env + " (--" + s.flag +
                      "): expected " + s.accepted);
}

void apply(Config& c, const detail::Setting& s, const std::string& value) {
    try {
        s.apply(c, value);
    } catch (const std::invalid_argument&) {
        refuse(s, value);
    } catch (const ConfigError&) {
        refuse(s, value);
    }
}

// DATABASE_URL, else the old backend's POSTGRES_* variables, else a local default.
std::string database_url_from_parts(const std::map<std::string, std::string>& env) {
    auto get = [&](const char* k, const char* def) {
        auto it = env.find(k);
        return it != env.end() && !it->second.empty() ? it->second : std::string(def);
    };
    auto quote = [](const std::string& v) {
        std::string out = "'";
        for (char ch : v) {
            if (ch == '\'' || ch == '\\') out += '\\';
            out += ch;
        }
        return out + "'";
    };
    std::string port = get("POSTGRES_PORT", "5432");
    auto n = parse_int(port);
    if (!n || *n < 1 || *n > 65535)
        throw ConfigError("invalid value '" + port +
                          "' for POSTGRES_PORT: expected an integer from 1 to 65535");
    return "host=" + quote(get("POSTGRES_HOST", "localhost")) + " port=" + port +
           " user=" + quote(get("POSTGRES_USER", "postgres")) +
           " password=" + quote(get("POSTGRES_PASSWORD", "")) +
           " dbname=" + quote(get("POSTGRES_DB", "sonique"));
}

}  // namespace

std::map<std::string, std::string> environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}

RedisEndpoint parse_redis_url(const std::string& url) {
    RedisEndpoint ep;
    std::string_view rest(url);
    if (!starts_with(rest, "redis://")) throw ConfigError("not a redis:// URL");
    rest.remove_prefix(8);
    auto at = rest.rfind('@');
    if (at != std::string_view::npos) {
        std::string_view auth = rest.substr(0, at);
        auto colon = auth.find(':');
        ep.password = url_decode(colon == std::string_view::npos ? auth : auth.substr(colon + 1));
        rest.remove_prefix(at + 1);
    }
    auto slash = rest.find('/');
    std::string_view hostport = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        auto db = rest.substr(slash + 1);
        if (!db.empty()) {
            auto n = parse_int(db);
            if (!n || *n < 0 || *n > 15) throw ConfigError("bad database number");
            ep.db = static_cast<int>(*n);
        }
    }
    auto colon = hostport.rfind(':');
    if (colon != std::string_view::npos) {
        auto n = parse_int(hostport.substr(colon + 1));
        if (!n || *n < 1 || *n > 65535) throw ConfigError("bad port");
        ep.port = static_cast<int>(*n);
        hostport = hostport.substr(0, colon);
    }
    if (!hostport.empty()) ep.host = std::string(hostport);
    return ep;
}

namespace {
int default_db_pool_size() {
    // Twice the cores, 4 to 8. PostgreSQL's backends run on the same cores as the server on a
    // Pi: more connections than that only take turns on them. Measured on 2 cores (the GraphQL
    // artist page uncached, 64 HTTP connections, bench/README.md): 8 connections gave p99
    // 86-131 ms, 4 gave 17 ms at the same requests/s. A Pi 4 (4 cores) keeps 8.
    long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return static_cast<int>(std::clamp(2 * (cores > 0 ? cores : 1), 4L, 8L));
}
}  // namespace

Config load_config(const std::map<std::string, std::string>& env, std::vector<std::string>& args) {
    Config c;
    c.db_pool_size = default_db_pool_size();
    for (const auto& s : detail::settings()) {
        auto it = env.find(s.env);
        if (it != env.end()) apply(c, s, it->second);
    }
    std::vector<std::string> positional;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (!starts_with(a, "--") || a == "--") {
            positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
            has_value = true;
        }
        const detail::Setting* found = nullptr;
        for (const auto& s : detail::settings())
            if (name == s.flag) found = &s;
        if (!found) throw ConfigError("unknown option --" + name + " (see --help)");
        if (!has_value) {
            if (name == "watch")
                value = "true";
            else if (i + 1 < args.size())
                value = args[++i];
            else
                throw ConfigError("option --" + name + " needs a value: " + found->accepted);
        }
        apply(c, *found, value);
    }
    args = positional;
    if (c.database_url.empty()) c.database_url = database_url_from_parts(env);
    return c;
}

std::string config_help() {
    std::ostringstream out;
    for (const auto& s : detail::settings()) {
        out << "  --" << s.flag << " / " << s.env << "\n      " << s.help << " (" << s.accepted
            << ")\n";
    }
    return out.str();
}

}  // namespace sonique
