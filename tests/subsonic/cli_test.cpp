// `sonique user ...` run as a process against a throwaway database; the accounts it makes log in
// over the API.
#include <gtest/gtest.h>
#include <chrono>
#include <thread>

#include "commands.hpp"
#include "subsonic_support.hpp"
#include "support/instances.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

class UserCli : public ::testing::Test {
  protected:
    void SetUp() override { db_ = std::make_unique<TestDatabase>("subsonic_cli"); }
    std::string sonique(const std::string& args, const std::string& input = "",
                        bool with_key = true) {
        return run_command(
            "printf '%s' '" + input + "' | DATABASE_URL='" + db_->url() + "' " + redis_ +
            " LOG_LEVEL=warn " +
            (with_key ? std::string("ENCRYPTION_KEY='") + kEncryptionKey + "' " : "") +
            SONIQUE_BINARY_DIR + "/app/sonique user " + args + " 2>&1 || echo EXIT=$?");
    }
    std::unique_ptr<TestDatabase> db_;
    // The command's Redis: none, until a server runs; then the server's (its URL and prefix), as
    // a deployment runs `sonique user` with the server's configuration, so that the running
    // server drops its in-process copy of the users at once (docs/subsonic.md).
    std::string redis_ = "REDIS_URL=none";
};

TEST_F(UserCli, AddListPasswdApikeyDel) {
    EXPECT_NE(sonique("add bob", "bobpw\n").find("user bob created"), std::string::npos);
    std::string out = sonique("add carl --admin");
    auto at = out.find("generated password: ");
    ASSERT_NE(at, std::string::npos) << out;
    std::string carl_pw = out.substr(at + 20, 20);

    out = sonique("list");
    EXPECT_NE(out.find("bob\tsettings,stream,download,playlist,coverArt,scrobble"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("carl\tadmin,"), std::string::npos) << out;
    EXPECT_NE(sonique("add BOB", "x\n").find("EXIT=1"), std::string::npos) << "names are unique";

    EXPECT_EQ(sonique("passwd bob", "newpw\n"), "");
    std::string key = sonique("apikey bob");
    ASSERT_EQ(key.size(), 16u + 1 + 64 + 1) << key;
    key.pop_back();
    EXPECT_NE(sonique("apikey bob list").find(key.substr(0, 16)), std::string::npos);

    {
        TestServer server("subsonic_cli_http", [this](Config& c) {
            c.database_url = db_->url();
            c.encryption_key = kEncryptionKey;
        });
        const Config& config = server.runtime().services().config;
        redis_ = "REDIS_URL='" + config.redis_url + "' SONIQUE_REDIS_PREFIX='" +
                 config.redis_prefix + "'";
        auto ping = [&](const std::string& q) {
            auto res = server.client()->Get("/rest/ping?f=json&v=1.16.1&c=t&" + q);
            return body_json(res)["subsonic-response"]["status"].get<std::string>();
        };
        // Another process's change reaches the server's user snapshot through Redis's
        // pub/sub, which delivers a moment after the command returns (within 5 s at most by
        // the snapshot's own expiry: docs/subsonic.md); the answer must turn within that.
        auto refused_soon = [&](const std::string& q) {
            auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (ping(q) != "failed") {
                if (std::chrono::steady_clock::now() > until) return false;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            return true;
        };
        EXPECT_EQ(ping("u=bob&p=newpw"), "ok");
        EXPECT_EQ(ping("u=carl&p=" + url_encode(carl_pw)), "ok");
        EXPECT_EQ(ping("apiKey=" + key), "ok");
        EXPECT_EQ(sonique("apikey bob revoke " + key.substr(0, 16)), "");
        EXPECT_TRUE(refused_soon("apiKey=" + key));
        EXPECT_EQ(sonique("del bob"), "");
        EXPECT_TRUE(refused_soon("u=bob&p=newpw"));
    }
    EXPECT_NE(sonique("del bob").find("no such user"), std::string::npos);
    EXPECT_NE(sonique("frobnicate").find("usage"), std::string::npos);
}

TEST_F(UserCli, NoUserWithoutEncryptionKey) {
    std::string out = sonique("add dora", "pw\n", false);
    EXPECT_NE(out.find("ENCRYPTION_KEY"), std::string::npos) << out;
    EXPECT_NE(out.find("EXIT=1"), std::string::npos) << out;
}

// What `serve` does at start: the administrator from the environment, or a generated one whose
// password is printed once; nothing once a user exists; a warning only without a key.
TEST(FirstAdministrator, FromTheEnvironmentOrGenerated) {
    {
        TestServer server("subsonic_admin_env",
                          [](Config& c) { c.encryption_key = kEncryptionKey; });
        app::ensure_first_admin(
            server.runtime(), {{"SONIQUE_ADMIN_USER", "boss"}, {"SONIQUE_ADMIN_PASSWORD", "b0ss"}});
        services::UserService users(server.runtime().services());
        auto boss = users.find("boss");
        ASSERT_TRUE(boss.has_value());
        EXPECT_TRUE(boss->roles.admin);
        EXPECT_EQ(users.authenticate({"boss", "b0ss", {}, {}, {}}, "10.0.0.1").status,
                  services::AuthStatus::kOk);
        app::ensure_first_admin(server.runtime(),
                                {{"SONIQUE_ADMIN_USER", "other"}, {"SONIQUE_ADMIN_PASSWORD", "x"}});
        EXPECT_EQ(users.list().size(), 1u);
    }
    {
        TestServer server("subsonic_admin_gen",
                          [](Config& c) { c.encryption_key = kEncryptionKey; });
        ::testing::internal::CaptureStdout();
        app::ensure_first_admin(server.runtime(), {});
        std::string out = ::testing::internal::GetCapturedStdout();
        auto at = out.find("password '");
        ASSERT_NE(at, std::string::npos) << out;
        std::string password = out.substr(at + 10, 20);
        services::UserService users(server.runtime().services());
        EXPECT_EQ(users.authenticate({"admin", password, {}, {}, {}}, "10.0.0.1").status,
                  services::AuthStatus::kOk);
        ::testing::internal::CaptureStdout();
        app::ensure_first_admin(server.runtime(), {});
        EXPECT_EQ(::testing::internal::GetCapturedStdout(), "") << "printed once";
    }
    {
        TestServer server("subsonic_admin_nokey");
        EXPECT_NO_THROW(app::ensure_first_admin(server.runtime(), {}));
        services::UserService users(server.runtime().services());
        EXPECT_TRUE(users.list().empty());
    }
}

}  // namespace
}  // namespace sonique::test
