#pragma once
// A server with users for the OpenSubsonic suites, requests with Subsonic parameters, and the
// answers parsed: XML by expat into a small tree, JSON by nlohmann.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "services/users.hpp"
#include "support/test_server.hpp"

namespace sonique::test {

using Query = std::vector<std::pair<std::string, std::string>>;

struct XmlNode {
    std::string name;
    std::map<std::string, std::string> attrs;
    std::vector<XmlNode> children;
    std::string text;
    // The children named `child`.
    std::vector<const XmlNode*> all(const std::string& child) const;
    const XmlNode* first(const std::string& child) const;
};

// Parses a whole document; fails the test (and returns an empty node) when it is not XML.
XmlNode parse_xml(const std::string& text);

std::string url_encode(const std::string& text);
std::string encode_query(const Query& q);
std::string md5_hex(const std::string& text);

inline constexpr const char* kEncryptionKey = "subsonic-test-key-0123456789";
inline constexpr const char* kAdminName = "Admin";
inline constexpr const char* kAdminPassword = "adm!n p@ss";
inline constexpr const char* kUserName = "alice";
inline constexpr const char* kUserPassword = "sesame";

// A server whose Subsonic API has an administrator (Admin) and a user (alice, default roles
// plus download), two library roots (that do not exist unless `roots` names others), and an API
// key for alice.
class SubsonicServer {
  public:
    // `adjust` changes the configuration further (a limit, a data directory).
    explicit SubsonicServer(const std::string& hint, bool info_log = false,
                            std::vector<std::string> roots = {},
                            const std::function<void(Config&)>& adjust = nullptr);
    TestServer& server() { return *server_; }
    services::UserService& users() { return *users_; }
    const std::string& alice_key() const { return alice_key_; }

    // GET /rest/<method>?<q> (v and c added unless present).
    httplib::Result get(const std::string& method, Query q);
    // The JSON answer's "subsonic-response" (f=json added).
    Json json(const std::string& method, Query q);
    // The XML answer's root.
    XmlNode xml(const std::string& method, Query q);

  private:
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<services::UserService> users_;
    std::string alice_key_;
};

// startScan as the administrator, then getScanStatus until the scan has ended (20 s at most).
void scan_and_wait(SubsonicServer& server);

// Credentials as query parameters.
Query as_admin();
Query as_alice();
Query operator+(Query a, const Query& b);

}  // namespace sonique::test

namespace sonique::test {

// The server every suite of test_subsonic shares (created before the first test, dropped
// after the last by a gtest environment).
SubsonicServer& shared_server();

// An element name as expat reports it with namespaces: "<uri> <local>".
std::string ns(const std::string& local);

}  // namespace sonique::test
