// Authentication reads users from a snapshot kept in process (services/impl/user_directory.hpp):
// a change made behind the services' back does not show, while every change made through them
// (a password, roles, folders, an API key, a deletion) is seen by the very next request, and by
// another server process on the same database and Redis.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cache/pubsub.hpp"
#include "db/pool.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

Query as(const std::string& name, const std::string& password) {
    return {{"u", name}, {"p", password}};
}

void behind_the_services(SubsonicServer& s, const std::string& sql) {
    s.server().runtime().services().pool.acquire()->exec_script(sql);
}

TEST(SubsonicAuthCache, ChangesThroughTheServicesAreSeenByTheNextRequest) {
    SubsonicServer s("subsonic_auth_cache");
    ASSERT_TRUE(s.server().runtime().services().events.subscribed());
    s.users().create("erin", "first", "", {});
    ASSERT_EQ(s.json("ping", as("erin", "first"))["status"], "ok");
    // Kept in process: a password written behind the services' back is not read.
    behind_the_services(s, "UPDATE users SET password_enc = 'garbage' WHERE name = 'erin'");
    EXPECT_EQ(s.json("ping", as("erin", "first"))["status"], "ok");

    // A password changed by an administrator (changePassword), then by the service.
    ASSERT_EQ(s.json("changePassword",
                     as_admin() + Query{{"username", "erin"}, {"password", "second"}})["status"],
              "ok");
    EXPECT_EQ(code(s.json("ping", as("erin", "first"))), 40);
    EXPECT_EQ(s.json("ping", as("erin", "second"))["status"], "ok");
    ASSERT_TRUE(s.users().change_password("erin", "third"));
    EXPECT_EQ(code(s.json("ping", as("erin", "second"))), 40);
    const std::string salt = "a1b2c3";
    EXPECT_EQ(
        s.json("ping", {{"u", "ERIN"}, {"t", md5_hex("third" + salt)}, {"s", salt}})["status"],
        "ok");

    // Roles: an administrator's method, allowed then refused.
    EXPECT_EQ(code(s.json("getUsers", as("erin", "third"))), 50);
    ASSERT_EQ(s.json("updateUser",
                     as_admin() + Query{{"username", "erin"}, {"adminRole", "true"}})["status"],
              "ok");
    EXPECT_EQ(s.json("getUsers", as("erin", "third"))["status"], "ok");
    ASSERT_EQ(s.json("updateUser",
                     as_admin() + Query{{"username", "erin"}, {"adminRole", "false"}})["status"],
              "ok");
    EXPECT_EQ(code(s.json("getUsers", as("erin", "third"))), 50);

    // Music folders, read with the user at authentication.
    EXPECT_EQ(s.json("getMusicFolders", as("erin", "third"))["musicFolders"]["musicFolder"].size(),
              2u);
    ASSERT_EQ(s.json("updateUser",
                     as_admin() + Query{{"username", "erin"}, {"musicFolderId", "2"}})["status"],
              "ok");
    Json folders = s.json("getMusicFolders", as("erin", "third"));
    ASSERT_EQ(folders["musicFolders"]["musicFolder"].size(), 1u) << folders.dump();
    EXPECT_EQ(folders["musicFolders"]["musicFolder"][0]["id"], 2);

    // API keys: a new key works at once, a revoked one is refused at once.
    std::string key = *s.users().create_api_key("erin");
    EXPECT_EQ(s.json("ping", {{"apiKey", key}})["status"], "ok");
    ASSERT_TRUE(s.users().revoke_api_key("erin", key.substr(0, 16)));
    EXPECT_EQ(code(s.json("ping", {{"apiKey", key}})), 44);
    key = *s.users().create_api_key("erin");
    EXPECT_EQ(s.json("ping", {{"apiKey", key}})["status"], "ok");

    // A deleted user, and its key, are refused by the next request.
    ASSERT_EQ(s.json("deleteUser", as_admin() + Query{{"username", "erin"}})["status"], "ok");
    EXPECT_EQ(code(s.json("ping", as("erin", "third"))), 40);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", key}})), 44);
    // A new user of that name is known at once.
    s.users().create("Erin", "fourth", "", {});
    EXPECT_EQ(s.json("ping", as("erin", "fourth"))["status"], "ok");
}

// A second server process (its own pool, cache and subscriber) on the same database and Redis
// prefix changes the user: the first hears it through the cache's pub/sub channel.
TEST(SubsonicAuthCache, AnotherProcessesChangeIsSeen) {
    SubsonicServer a("subsonic_auth_cache_a");
    const Config& ca = a.server().runtime().services().config;
    TestServer b("subsonic_auth_cache_b", [&ca](Config& c) {
        c.database_url = ca.database_url;
        c.redis_prefix = ca.redis_prefix;
        c.encryption_key = kEncryptionKey;
    });
    services::UserService other(b.runtime().services());
    a.users().create("fred", "first", "", {});
    std::string key = *a.users().create_api_key("fred");
    ASSERT_EQ(a.json("ping", as("fred", "first"))["status"], "ok");
    ASSERT_EQ(a.json("ping", {{"apiKey", key}})["status"], "ok");
    ASSERT_TRUE(b.runtime().services().events.subscribed());

    // Each check allows the pub/sub message its delivery (at most a second here; the process
    // that wrote sees its own change synchronously).
    auto refused_soon = [&](const Query& q) {
        for (int i = 0; i < 100; ++i) {
            if (code(a.json("ping", q)) != -1) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };
    ASSERT_TRUE(other.change_password("fred", "second"));
    EXPECT_TRUE(refused_soon(as("fred", "first")));
    EXPECT_EQ(a.json("ping", as("fred", "second"))["status"], "ok");
    ASSERT_TRUE(other.revoke_api_key("fred", key.substr(0, 16)));
    EXPECT_TRUE(refused_soon({{"apiKey", key}}));
    ASSERT_TRUE(other.remove("fred"));
    EXPECT_TRUE(refused_soon(as("fred", "second")));
}

}  // namespace
}  // namespace sonique::test
