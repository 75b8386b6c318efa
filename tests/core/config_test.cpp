#include <gtest/gtest.h>

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
