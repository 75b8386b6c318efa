#include "support/instances.hpp"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

#include "core/strings.hpp"
#include "db/connection.hpp"
#include "support/test_env.hpp"

namespace sonique::test {

std::string run_command(const std::string& command) {
    FILE* p = popen(command.c_str(), "r");
    if (!p) throw std::runtime_error("cannot run " + command);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    int status = pclose(p);
    if (status != 0)
        throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command);
    return out;
}

namespace {
// A path as one shell word: the instance directory comes from TMPDIR and the repository's path
// from wherever it was cloned, either of which may hold blanks or quotes.
std::string quoted(const std::string& path) {
    std::string out = "'";
    for (char c : path)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}
std::string script(const char* name) {
    return quoted(repo_dir() + "/scripts/" + name);
}
// Under SONIQUE_TEST_INSTANCES_DIR when set (scripts/test.sh: a directory of the run, which it
// reaps, so that the servers of a test that crashed before its destructors ran are stopped),
// else /tmp.
std::string make_dir(const char* kind) {
    const char* base = std::getenv("SONIQUE_TEST_INSTANCES_DIR");
    std::string root = base && *base ? base : "/tmp";
    std::string tmpl = root + "/sonique-" + kind + "-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    if (::chmod(tmpl.c_str(), 0755) != 0) throw std::runtime_error("chmod failed: " + tmpl);
    return tmpl;
}
int parse_port(const std::string& out) {
    auto port = parse_int(trim(out));
    if (!port) throw std::runtime_error("instance script printed no port: " + out);
    return static_cast<int>(*port);
}
}  // namespace

PrivatePostgres::PrivatePostgres() : dir_(make_dir("pg")) {
    port_ = parse_port(run_command(script("pg-instance.sh") + " start " + quoted(dir_)));
    db::Connection admin({with_database(url(), "postgres"), 0, 5});
    if (admin.exec("SELECT 1 FROM pg_database WHERE datname = 'sonique'").empty())
        admin.exec_script("CREATE DATABASE sonique");
}
PrivatePostgres::~PrivatePostgres() {
    try {
        run_command(script("pg-instance.sh") + " stop " + quoted(dir_) + " >/dev/null 2>&1");
        run_command("rm -rf " + quoted(dir_));
    } catch (...) {
    }
}
void PrivatePostgres::stop() {
    run_command(script("pg-instance.sh") + " stop " + quoted(dir_));
}
void PrivatePostgres::start() {
    run_command(script("pg-instance.sh") + " start " + quoted(dir_) + " " + std::to_string(port_));
}
std::string PrivatePostgres::url() const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/sonique";
}

PrivateRedis::PrivateRedis() : dir_(make_dir("redis")) {
    port_ = parse_port(run_command(script("redis-instance.sh") + " start " + quoted(dir_)));
}
PrivateRedis::~PrivateRedis() {
    try {
        run_command(script("redis-instance.sh") + " stop " + quoted(dir_) + " >/dev/null 2>&1");
        run_command("rm -rf " + quoted(dir_));
    } catch (...) {
    }
}
void PrivateRedis::stop() {
    run_command(script("redis-instance.sh") + " stop " + quoted(dir_));
}
void PrivateRedis::start() {
    run_command(script("redis-instance.sh") + " start " + quoted(dir_) + " " +
                std::to_string(port_));
}
std::string PrivateRedis::url() const {
    return "redis://127.0.0.1:" + std::to_string(port_) + "/0";
}

}  // namespace sonique::test
