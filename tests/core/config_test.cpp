#include <gtest/gtest.h>
#include <unistd.h>

#include "core/config.hpp"

namespace sonique {
namespace {

Config load(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
    return load_config(env, args);
}

TEST(Config, DefaultsAndPostgresParts) {
    Config c = load({{"POSTGRES_HOST", "db"},
                     {"POSTGRES_USER", "u"},
                     {"POSTGRES_PASSWORD", "p'w"},
                     {"POSTGRES_DB", "lib"}});
    EXPECT_EQ(c.port, 8001);
    EXPECT_EQ(c.music_roots, std::vector<std::string>{"/music"});
    EXPECT_EQ(c.database_url, "host='db' port=5432 user='u' password='p\\'w' dbname='lib'");
}

TEST(Config, DatabasePoolDefaultsToTwiceTheCoresFromFourToEight) {
    long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    EXPECT_EQ(load({}).db_pool_size, cores <= 2 ? 4 : cores >= 4 ? 8 : 2 * cores);
    EXPECT_EQ(load({{"SONIQUE_DB_POOL_SIZE", "12"}}).db_pool_size, 12);
}

TEST(Config, DatabaseUrlAcceptsTheOldBackendsDriverSuffix) {
    Config c = load({{"DATABASE_URL", "postgresql+asyncpg://u:p@h:5/db"}});
    EXPECT_EQ(c.database_url, "postgresql://u:p@h:5/db");
}

TEST(Config, FlagsWinOverEnvironmentAndPositionalsRemain) {
    std::vector<std::string> args{"--port", "9000", "/music/a", "--log-level=debug"};
    Config c = load_config({{"PORT", "8500"}}, args);
    EXPECT_EQ(c.port, 9000);
    EXPECT_EQ(c.log_level, log::Level::kDebug);
    EXPECT_EQ(args, std::vector<std::string>{"/music/a"});
}

TEST(Config, BadValuesNameTheSettingAndTheAcceptedValues) {
    try {
        load({{"PORT", "99999"}});
        FAIL() << "accepted a bad port";
    } catch (const ConfigError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("PORT"), std::string::npos);
        EXPECT_NE(msg.find("1 to 65535"), std::string::npos);
    }
    EXPECT_THROW(load({{"MUSIC_PATH", "relative/dir"}}), ConfigError);
    EXPECT_THROW(load({{"REDIS_URL", "http://x"}}), ConfigError);
    EXPECT_THROW(load({{"DATABASE_URL", "mysql://x"}}), ConfigError);
    EXPECT_THROW(load({{"ENCRYPTION_KEY", "short"}}), ConfigError);
    EXPECT_THROW(load({{"LOG_LEVEL", "loud"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DB_POOL_SIZE", "0"}}), ConfigError);
    EXPECT_THROW(load({}, {"--no-such-flag"}), ConfigError);
    EXPECT_THROW(load({}, {"--port"}), ConfigError);
}

TEST(Config, MusicPathListsSeveralRoots) {
    Config c = load({{"MUSIC_PATH", "/a:/b/"}});
    EXPECT_EQ(c.music_roots, (std::vector<std::string>{"/a", "/b"}));
}

TEST(Config, DlnaSettings) {
    Config d = load({});
    EXPECT_TRUE(d.dlna);
    EXPECT_EQ(d.dlna_ttl, 2);
    EXPECT_EQ(d.dlna_max_age_s, 1800);
    EXPECT_FALSE(d.dlna_allow_public);
    EXPECT_TRUE(d.dlna_interfaces.empty());
    EXPECT_EQ(d.dlna_event_port, -1);
    Config c = load({{"SONIQUE_DLNA", "off"},
                     {"SONIQUE_DLNA_NAME", "Living room"},
                     {"SONIQUE_DLNA_INTERFACES", "eth0,,192.168.1.4"},
                     {"SONIQUE_DLNA_TTL", "4"},
                     {"SONIQUE_DLNA_MAX_AGE", "600"},
                     {"SONIQUE_DLNA_ALLOW_PUBLIC", "yes"},
                     {"SONIQUE_DLNA_EVENT_PORT", "0"}});
    EXPECT_FALSE(c.dlna);
    EXPECT_EQ(c.dlna_name, "Living room");
    EXPECT_EQ(c.dlna_interfaces, (std::vector<std::string>{"eth0", "192.168.1.4"}));
    EXPECT_EQ(c.dlna_ttl, 4);
    EXPECT_EQ(c.dlna_max_age_s, 600);
    EXPECT_TRUE(c.dlna_allow_public);
    EXPECT_EQ(c.dlna_event_port, 0);
    EXPECT_THROW(load({{"SONIQUE_DLNA", "maybe"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_NAME", ""}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_NAME", "a\nb"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_NAME", std::string(65, 'x')}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_INTERFACES", "eth0;rm"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_TTL", "0"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_MAX_AGE", "10"}}), ConfigError);
    EXPECT_THROW(load({{"SONIQUE_DLNA_EVENT_PORT", "70000"}}), ConfigError);
}

// The in-memory search index is on unless turned off; a value that is not a boolean is refused.
TEST(Config, SearchIndexSetting) {
    EXPECT_TRUE(load({}).search_index);
    EXPECT_FALSE(load({{"SONIQUE_SEARCH_INDEX", "off"}}).search_index);
    EXPECT_FALSE(load({{"SONIQUE_SEARCH_INDEX", "FALSE"}}).search_index);
    EXPECT_TRUE(load({{"SONIQUE_SEARCH_INDEX", "on"}}).search_index);
    EXPECT_THROW(load({{"SONIQUE_SEARCH_INDEX", "sometimes"}}), ConfigError);
}

TEST(Config, RedisUrl) {
    auto ep = parse_redis_url("redis://:s%40cret@cache:6390/3");
    EXPECT_EQ(ep.host, "cache");
    EXPECT_EQ(ep.port, 6390);
    EXPECT_EQ(ep.password, "s@cret");
    EXPECT_EQ(ep.db, 3);
    Config c = load({{"REDIS_URL", "none"}});
    EXPECT_FALSE(c.redis_enabled);
}

}  // namespace
}  // namespace sonique
