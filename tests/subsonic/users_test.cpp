// User management over the API (roles enforced, shapes in XML and JSON) and UserService rules.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

const char* const kRoleFields[] = {
    "scrobblingEnabled", "adminRole",    "settingsRole",       "downloadRole", "uploadRole",
    "playlistRole",      "coverArtRole", "commentRole",        "podcastRole",  "streamRole",
    "jukeboxRole",       "shareRole",    "videoConversionRole"};

void expect_user_json(const Json& u) {
    EXPECT_TRUE(u["username"].is_string());
    for (const char* f : kRoleFields)
        EXPECT_TRUE(u[f].is_boolean()) << f << " in " << u.dump();
    EXPECT_EQ(u["folder"], Json::parse("[1,2]"));
}

TEST(SubsonicUsers, GetUserInJson) {
    Json r = shared_server().json("getUser", as_alice() + Query{{"username", kUserName}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& u = r["user"];
    expect_user_json(u);
    EXPECT_EQ(u["username"], kUserName);
    EXPECT_EQ(u["adminRole"], false);
    EXPECT_EQ(u["streamRole"], true);
    EXPECT_EQ(u["downloadRole"], true);
    EXPECT_EQ(u["settingsRole"], true);
    EXPECT_EQ(u["coverArtRole"], false);
}

TEST(SubsonicUsers, GetUserInXml) {
    XmlNode x = shared_server().xml("getUser", as_admin() + Query{{"username", kAdminName}});
    const XmlNode* u = x.first(ns("user"));
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->attrs.at("username"), kAdminName);
    EXPECT_EQ(u->attrs.at("email"), "admin@example.org");
    EXPECT_EQ(u->attrs.at("adminRole"), "true");
    for (const char* f : kRoleFields)
        EXPECT_TRUE(u->attrs.at(f) == "true" || u->attrs.at(f) == "false") << f;
    auto folders = u->all(ns("folder"));
    ASSERT_EQ(folders.size(), 2u);
    EXPECT_EQ(folders[0]->text, "1");
    EXPECT_EQ(folders[1]->text, "2");
}

TEST(SubsonicUsers, GetUsersIsForAdministrators) {
    auto& s = shared_server();
    EXPECT_EQ(code(s.json("getUsers", as_alice())), 50);
    Json r = s.json("getUsers", as_admin());
    ASSERT_TRUE(r["users"]["user"].is_array()) << r.dump();
    for (const auto& u : r["users"]["user"])
        expect_user_json(u);
    XmlNode x = s.xml("getUsers", as_admin());
    EXPECT_GE(x.first(ns("users"))->all(ns("user")).size(), 2u);
}

TEST(SubsonicUsers, AUserReadsOnlyItself) {
    auto& s = shared_server();
    EXPECT_EQ(code(s.json("getUser", as_alice() + Query{{"username", kAdminName}})), 50);
    EXPECT_EQ(code(s.json("getUser", as_admin() + Query{{"username", "ghost"}})), 70);
    EXPECT_EQ(code(s.json("getUser", as_admin())), 10);
}

TEST(SubsonicUsers, CreateUpdateDeleteAsAdministrator) {
    auto& s = shared_server();
    Query carol = {{"username", "carol"},
                   {"password", "enc:" + std::string("6361726f6c")},
                   {"email", "c@example.org"},
                   {"downloadRole", "true"},
                   {"coverArtRole", "true"}};
    EXPECT_EQ(code(s.json("createUser", as_alice() + carol)), 50);
    ASSERT_EQ(s.json("createUser", as_admin() + carol)["status"], "ok");
    EXPECT_EQ(code(s.json("createUser", as_admin() + carol)), 0) << "the name is taken";
    EXPECT_EQ(code(s.json("createUser", as_admin() + Query{{"username", "x"}, {"password", "y"}})),
              10);
    // carol logs in with the decoded password.
    Json me = s.json("getUser", {{"u", "carol"}, {"p", "carol"}, {"username", "carol"}});
    EXPECT_EQ(me["user"]["downloadRole"], true);
    EXPECT_EQ(me["user"]["coverArtRole"], true);
    EXPECT_EQ(me["user"]["playlistRole"], false);

    Query update = {{"username", "CAROL"}, {"streamRole", "false"}, {"email", "new@example.org"}};
    EXPECT_EQ(code(s.json("updateUser", as_alice() + update)), 50);
    ASSERT_EQ(s.json("updateUser", as_admin() + update)["status"], "ok");
    me = s.json("getUser", as_admin() + Query{{"username", "carol"}});
    EXPECT_EQ(me["user"]["streamRole"], false);
    EXPECT_EQ(me["user"]["downloadRole"], true) << "unchanged";
    EXPECT_EQ(me["user"]["email"], "new@example.org");
    EXPECT_EQ(code(s.json("updateUser", as_admin() + Query{{"username", "ghost"}})), 70);
    EXPECT_EQ(code(s.json("updateUser",
                          as_admin() + Query{{"username", "carol"}, {"adminRole", "maybe"}})),
              0);

    EXPECT_EQ(code(s.json("deleteUser", as_alice() + Query{{"username", "carol"}})), 50);
    EXPECT_EQ(code(s.json("deleteUser", as_admin() + Query{{"username", kAdminName}})), 0);
    ASSERT_EQ(s.json("deleteUser", as_admin() + Query{{"username", "carol"}})["status"], "ok");
    EXPECT_EQ(code(s.json("deleteUser", as_admin() + Query{{"username", "carol"}})), 70);
}

TEST(SubsonicUsers, ChangePassword) {
    auto& s = shared_server();
    s.users().create("dave", "old", "", {});
    Json r = s.json("changePassword",
                    {{"u", "dave"}, {"p", "old"}, {"username", "dave"}, {"password", "new"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(s.json("ping", {{"u", "dave"}, {"p", "new"}})["status"], "ok");
    // Someone else's password: administrators only.
    EXPECT_EQ(
        code(s.json("changePassword", as_alice() + Query{{"username", "dave"}, {"password", "x"}})),
        50);
    EXPECT_EQ(s.json("changePassword",
                     as_admin() + Query{{"username", "dave"}, {"password", "x"}})["status"],
              "ok");
    // Without the settings role, not even one's own.
    services::UserUpdate no_settings;
    no_settings.settings = false;
    ASSERT_TRUE(s.users().update("dave", no_settings));
    EXPECT_EQ(code(s.json("changePassword",
                          {{"u", "dave"}, {"p", "x"}, {"username", "dave"}, {"password", "y"}})),
              50);
    EXPECT_EQ(code(s.json("changePassword",
                          as_admin() + Query{{"username", "ghost"}, {"password", "y"}})),
              70);
}

TEST(SubsonicUsers, TheLastAdministratorStays) {
    auto& s = shared_server();
    services::UserUpdate demote;
    demote.admin = false;
    EXPECT_THROW(s.users().update(kAdminName, demote), Error);
    EXPECT_THROW(s.users().remove(kAdminName), Error);
    EXPECT_TRUE(s.users().find(kAdminName)->roles.admin);
}

TEST(SubsonicUsers, NamesAreValidatedAndUniqueWhateverTheirCase) {
    auto& s = shared_server();
    EXPECT_THROW(s.users().create("ALICE", "x", "", {}), Error);
    EXPECT_THROW(s.users().create("", "x", "", {}), Error);
    EXPECT_THROW(s.users().create("tab\tname", "x", "", {}), Error);
    EXPECT_THROW(s.users().create(std::string(65, 'n'), "x", "", {}), Error);
    EXPECT_THROW(s.users().create("erin", "", "", {}), Error);
}

// Without ENCRYPTION_KEY no user can be created (token authentication needs the password).
TEST(SubsonicUsers, NoEncryptionKeyNoUsers) {
    auto& s = shared_server();
    Config config = s.server().runtime().config();
    config.encryption_key.clear();
    services::ServiceContext base = s.server().runtime().services();
    services::ServiceContext ctx{config, base.pool, base.redis, base.cache, base.events};
    services::UserService users(ctx);
    try {
        users.create("frank", "pw", "", {});
        ADD_FAILURE() << "created without a key";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
        EXPECT_NE(std::string(e.what()).find("ENCRYPTION_KEY"), std::string::npos);
    }
}

TEST(SubsonicUsers, FirstAdministratorIsCreatedOnceWithAGeneratedPassword) {
    TestServer server("subsonic_first_admin", [](Config& c) { c.encryption_key = kEncryptionKey; });
    services::UserService users(server.runtime().services());
    auto password = users.ensure_first_admin("", "");
    ASSERT_TRUE(password.has_value());
    EXPECT_GE(password->size(), 16u);
    auto admin = users.find("admin");
    ASSERT_TRUE(admin.has_value());
    EXPECT_TRUE(admin->roles.admin);
    EXPECT_FALSE(users.ensure_first_admin("other", "pw").has_value());
    EXPECT_EQ(users.list().size(), 1u);
    auto r = users.authenticate({"admin", *password, {}, {}, {}}, "127.0.0.1");
    EXPECT_EQ(r.status, services::AuthStatus::kOk);
}

}  // namespace
}  // namespace sonique::test
