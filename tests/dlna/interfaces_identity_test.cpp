// Which interfaces DLNA uses and which clients it answers; the device UUID kept across restarts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dlna/identity_store.hpp"
#include "dlna/interfaces.hpp"

namespace sonique::dlna {
namespace {

std::uint32_t ip(const char* text) {
    std::uint32_t a = 0;
    EXPECT_TRUE(parse_ipv4(text, a)) << text;
    return a;
}

Interface iface(const char* name, unsigned index, const char* addr, bool loopback = false) {
    Interface f;
    f.name = name;
    f.index = index;
    f.address = ip(addr);
    f.loopback = loopback;
    f.up = true;
    f.multicast = !loopback;
    return f;
}

TEST(Interfaces, PrivateAndLoopbackAddresses) {
    for (auto a : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.20", "169.254.3.4"})
        EXPECT_TRUE(is_private_ipv4(ip(a))) << a;
    for (auto a : {"172.15.0.1", "172.32.0.1", "8.8.8.8", "192.169.0.1", "127.0.0.1", "11.0.0.1"})
        EXPECT_FALSE(is_private_ipv4(ip(a))) << a;
    EXPECT_TRUE(is_loopback_ipv4(ip("127.0.0.1")));
    EXPECT_TRUE(client_allowed(ip("127.0.0.1"), false));
    EXPECT_TRUE(client_allowed(ip("192.168.0.7"), false));
    EXPECT_FALSE(client_allowed(ip("8.8.8.8"), false));
    EXPECT_TRUE(client_allowed(ip("8.8.8.8"), true));
    EXPECT_EQ(format_ipv4(ip("10.213.0.1")), "10.213.0.1");
    std::uint32_t a;
    EXPECT_FALSE(parse_ipv4("10.0.0", a));
}

TEST(Interfaces, DefaultIsEveryPrivateInterfaceNeverTheLoopback) {
    std::vector<Interface> all = {iface("lo", 1, "127.0.0.1", true),
                                  iface("eth0", 2, "192.168.1.5"), iface("eth0", 2, "192.168.1.6"),
                                  iface("wan", 3, "81.2.3.4"), iface("wg0", 4, "10.8.0.2")};
    Interface down = iface("eth9", 9, "10.9.9.9");
    down.up = false;
    all.push_back(down);
    auto chosen = select_interfaces(all, {});
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0].name, "eth0");
    EXPECT_EQ(chosen[0].address_text(), "192.168.1.5");  // one entry per interface
    EXPECT_EQ(chosen[1].name, "wg0");
    EXPECT_TRUE(select_interfaces({iface("lo", 1, "127.0.0.1", true)}, {}).empty());
}

TEST(Interfaces, NamedInterfacesAndAddressesTheLoopbackIncluded) {
    std::vector<Interface> all = {iface("lo", 1, "127.0.0.1", true), iface("eth0", 2, "81.2.3.4"),
                                  iface("eth0", 2, "192.168.1.5"), iface("eth1", 3, "10.0.0.9")};
    std::vector<std::string> missing;
    auto chosen = select_interfaces(all, {"lo", "eth0", "10.0.0.9", "nope", "1.2.3.4"}, &missing);
    ASSERT_EQ(chosen.size(), 3u);
    EXPECT_EQ(chosen[0].name, "lo");
    EXPECT_EQ(chosen[1].address_text(), "192.168.1.5");  // a name prefers a private address
    EXPECT_EQ(chosen[2].name, "eth1");
    EXPECT_EQ(missing, (std::vector<std::string>{"nope", "1.2.3.4"}));
}

TEST(Interfaces, ListsThisHostsInterfaces) {
    auto all = list_ipv4_interfaces();
    bool loopback = false;
    for (const auto& f : all)
        loopback = loopback || (f.loopback && f.address_text() == "127.0.0.1");
    EXPECT_TRUE(loopback);
}

class Identity : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("sonique-dlna-id-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(Identity, UuidIsMadeOnceAndKept) {
    std::string first = load_or_create_device_uuid((dir_ / "data").string());
    EXPECT_TRUE(is_uuid(first)) << first;
    EXPECT_EQ(first[14], '4');  // version 4
    EXPECT_EQ(load_or_create_device_uuid((dir_ / "data").string()), first);
    EXPECT_NE(load_or_create_device_uuid((dir_ / "other").string()), first);
}

TEST_F(Identity, ADamagedFileIsReplaced) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "dlna-device-uuid") << "not-a-uuid\n";
    std::string made = load_or_create_device_uuid(dir_.string());
    EXPECT_TRUE(is_uuid(made));
    EXPECT_EQ(load_or_create_device_uuid(dir_.string()), made);
}

TEST_F(Identity, AnUnwritableDirectoryStillGivesAStableUuid) {
    // Under a regular file no directory can be made, whoever runs the test (root included).
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "file") << "x";
    std::string data = (dir_ / "file" / "data").string();
    std::string a = load_or_create_device_uuid(data);
    EXPECT_TRUE(is_uuid(a));
    EXPECT_EQ(load_or_create_device_uuid(data), a);
    EXPECT_NE(load_or_create_device_uuid((dir_ / "file" / "other").string()), a);
}

TEST(IdentityName, FriendlyNameDefaultsToTheHostName) {
    Config c;
    EXPECT_EQ(friendly_name(c).rfind("Sonique on ", 0), 0u);
    EXPECT_GT(friendly_name(c).size(), 11u);
    c.dlna_name = "Den";
    EXPECT_EQ(friendly_name(c), "Den");
}

}  // namespace
}  // namespace sonique::dlna
