// The authentication matrix: plain, enc:, token and salt, API key, wrong, missing, conflicting,
// a deleted user; throttling of failures.
#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

TEST(SubsonicAuth, PlainPassword) {
    EXPECT_EQ(shared_server().json("ping", as_alice())["status"], "ok");
}

TEST(SubsonicAuth, NamesAreCaseInsensitive) {
    EXPECT_EQ(shared_server().json("ping", {{"u", "ALICE"}, {"p", kUserPassword}})["status"], "ok");
}

TEST(SubsonicAuth, HexEncodedPassword) {
    Json r =
        shared_server().json("ping", {{"u", kUserName}, {"p", "enc:" + hex_encode(kUserPassword)}});
    EXPECT_EQ(r["status"], "ok");
    // Upper-case hex too.
    r = shared_server().json("ping", {{"u", kUserName}, {"p", "enc:736573616D65"}});
    EXPECT_EQ(r["status"], "ok");
    EXPECT_EQ(code(shared_server().json("ping", {{"u", kUserName}, {"p", "enc:7365zz"}})), 40);
}

TEST(SubsonicAuth, TokenAndSalt) {
    std::string salt = "c19b2d";
    Json r = shared_server().json(
        "ping", {{"u", kUserName}, {"t", md5_hex(std::string(kUserPassword) + salt)}, {"s", salt}});
    EXPECT_EQ(r["status"], "ok");
    // The spec's own example.
    EXPECT_EQ(md5_hex("sesamec19b2d"), "26719a1196d2a940705a59634eb18eab");
    r = shared_server().json("ping",
                             {{"u", kUserName}, {"t", md5_hex("wrong" + salt)}, {"s", salt}});
    EXPECT_EQ(code(r), 40);
    r = shared_server().json("ping",
                             {{"u", kUserName}, {"t", md5_hex(std::string(kUserPassword) + salt)}});
    EXPECT_EQ(code(r), 10) << "a token without its salt";
}

TEST(SubsonicAuth, ApiKeyAlone) {
    auto& s = shared_server();
    Json r = s.json("tokenInfo", {{"apiKey", s.alice_key()}});
    EXPECT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(r["tokenInfo"]["username"], kUserName);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", s.alice_key() + "0"}})), 44);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", "0123456789abcdef." + std::string(64, 'a')}})), 44);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", ""}})), 44);
}

TEST(SubsonicAuth, ConflictingMechanisms) {
    auto& s = shared_server();
    EXPECT_EQ(code(s.json("ping", {{"apiKey", s.alice_key()}, {"u", kUserName}})), 43);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", s.alice_key()}, {"p", kUserPassword}})), 43);
    EXPECT_EQ(code(s.json("ping", as_alice() + Query{{"t", "x"}, {"s", "y"}})), 43);
}

TEST(SubsonicAuth, WrongAndMissingCredentials) {
    auto& s = shared_server();
    EXPECT_EQ(code(s.json("ping", {{"u", kUserName}, {"p", "wrong"}})), 40);
    EXPECT_EQ(code(s.json("ping", {{"u", "nobody"}, {"p", "x"}})), 40);
    EXPECT_EQ(code(s.json("ping", {{"u", kUserName}})), 10);
    EXPECT_EQ(code(s.json("ping", {{"p", kUserPassword}})), 10);
    EXPECT_EQ(code(s.json("ping", {})), 10);
}

TEST(SubsonicAuth, RevokedKeysAndDeletedUsersNoLongerWork) {
    auto& s = shared_server();
    s.users().create("bob", "bobpw", "", {});
    std::string key = *s.users().create_api_key("bob");
    EXPECT_EQ(s.json("ping", {{"apiKey", key}})["status"], "ok");
    auto keys = s.users().list_api_keys("bob");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_TRUE(keys[0].last_used_at.has_value());
    EXPECT_EQ(key.substr(0, 16), keys[0].id);
    ASSERT_TRUE(s.users().revoke_api_key("bob", keys[0].id));
    EXPECT_EQ(code(s.json("ping", {{"apiKey", key}})), 44);
    key = *s.users().create_api_key("bob");
    EXPECT_EQ(s.json("ping", {{"u", "bob"}, {"p", "bobpw"}})["status"], "ok");
    ASSERT_TRUE(s.users().remove("bob"));
    EXPECT_EQ(code(s.json("ping", {{"u", "bob"}, {"p", "bobpw"}})), 40);
    EXPECT_EQ(code(s.json("ping", {{"apiKey", key}})), 44);
}

// Ten failures for one name block it for a minute, even with the right password; another user
// from the same address is not blocked.
TEST(SubsonicAuth, FailuresAreThrottledPerUser) {
    SubsonicServer s("subsonic_throttle");
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(code(s.json("ping", {{"u", kUserName}, {"p", "guess" + std::to_string(i)}})), 40);
    Json r = s.json("ping", as_alice());
    EXPECT_EQ(code(r), 40);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("Too many"), std::string::npos);
    EXPECT_EQ(s.json("ping", as_admin())["status"], "ok");
}

TEST(SubsonicAuth, FailuresAreThrottledPerAddress) {
    SubsonicServer s("subsonic_throttle_addr");
    for (int i = 0; i < 50; ++i)
        s.json("ping", {{"u", "user" + std::to_string(i)}, {"p", "x"}});
    Json r = s.json("ping", as_admin());
    EXPECT_EQ(code(r), 40);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("Too many"), std::string::npos);
}

}  // namespace
}  // namespace sonique::test
