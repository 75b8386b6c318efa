#include "subsonic_support.hpp"

#include <expat.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <thread>

#include "core/strings.hpp"

namespace sonique::test {
namespace {

struct XmlBuilder {
    XmlNode root;
    std::vector<XmlNode*> stack;
};

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* b = static_cast<XmlBuilder*>(data);
    XmlNode n;
    n.name = name;
    for (int i = 0; attrs[i]; i += 2)
        n.attrs[attrs[i]] = attrs[i + 1];
    if (b->stack.empty()) {
        b->root = std::move(n);
        b->stack.push_back(&b->root);
    } else {
        b->stack.back()->children.push_back(std::move(n));
        b->stack.push_back(&b->stack.back()->children.back());
    }
}

void on_end(void* data, const XML_Char*) {
    static_cast<XmlBuilder*>(data)->stack.pop_back();
}

void on_text(void* data, const XML_Char* s, int len) {
    auto* b = static_cast<XmlBuilder*>(data);
    if (!b->stack.empty()) b->stack.back()->text.append(s, static_cast<size_t>(len));
}

}  // namespace

std::vector<const XmlNode*> XmlNode::all(const std::string& child) const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children)
        if (c.name == child) out.push_back(&c);
    return out;
}

const XmlNode* XmlNode::first(const std::string& child) const {
    for (const auto& c : children)
        if (c.name == child) return &c;
    return nullptr;
}

XmlNode parse_xml(const std::string& text) {
    XmlBuilder b;
    // Namespace-aware: names come as "<uri> <local>", which checks the namespace too.
    XML_Parser p = XML_ParserCreateNS("UTF-8", ' ');
    XML_SetUserData(p, &b);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_ERROR) {
        ADD_FAILURE() << "not XML: " << XML_ErrorString(XML_GetErrorCode(p)) << " in "
                      << text.substr(0, 300);
        b.root = XmlNode{};
    }
    XML_ParserFree(p);
    return b.root;
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string encode_query(const Query& q) {
    std::string out;
    for (const auto& [k, v] : q)
        out += (out.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
    return out;
}

std::string md5_hex(const std::string& text) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(text.data(), text.size(), d, &n, EVP_md5(), nullptr);
    return hex_encode(std::string_view(reinterpret_cast<const char*>(d), n));
}

SubsonicServer::SubsonicServer(const std::string& hint, bool info_log,
                               std::vector<std::string> roots,
                               const std::function<void(Config&)>& adjust) {
    if (roots.empty()) roots = {"/srv/music/Rock", "/srv/other/"};
    server_ = std::make_unique<TestServer>(hint, [info_log, roots, adjust](Config& c) {
        c.encryption_key = kEncryptionKey;
        c.music_roots = roots;
        if (info_log) c.log_level = log::Level::kInfo;
        if (adjust) adjust(c);
    });
    users_ = std::make_unique<services::UserService>(server_->runtime().services());
    services::UserRoles admin{true, true, true, true, true, true, true};
    users_->create(kAdminName, kAdminPassword, "admin@example.org", admin);
    services::UserRoles user;
    user.download = true;
    users_->create(kUserName, kUserPassword, "", user);
    alice_key_ = *users_->create_api_key(kUserName);
}

httplib::Result SubsonicServer::get(const std::string& method, Query q) {
    bool has_v = false, has_c = false;
    for (const auto& [k, v] : q) {
        has_v = has_v || k == "v";
        has_c = has_c || k == "c";
    }
    if (!has_v) q.emplace_back("v", "1.16.1");
    if (!has_c) q.emplace_back("c", "sonique-tests");
    return server_->client()->Get("/rest/" + method + "?" + encode_query(q));
}

Json SubsonicServer::json(const std::string& method, Query q) {
    q.emplace_back("f", "json");
    auto res = get(method, q);
    Json j = body_json(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos);
    if (!j.is_object() || !j.contains("subsonic-response")) {
        ADD_FAILURE() << "no subsonic-response: " << res->body.substr(0, 300);
        return Json::object();
    }
    return j["subsonic-response"];
}

XmlNode SubsonicServer::xml(const std::string& method, Query q) {
    auto res = get(method, std::move(q));
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->get_header_value("Content-Type").find("xml"), std::string::npos);
    return parse_xml(res->body);
}

Query as_admin() {
    return {{"u", kAdminName}, {"p", kAdminPassword}};
}

void scan_and_wait(SubsonicServer& server) {
    server.json("startScan", as_admin());
    for (int i = 0; i < 400; ++i) {
        if (server.json("getScanStatus", as_admin())["scanStatus"]["scanning"] == false) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

Query as_alice() {
    return {{"u", kUserName}, {"p", kUserPassword}};
}

Query operator+(Query a, const Query& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace sonique::test

namespace sonique::test {
namespace {

SubsonicServer* g_shared = nullptr;

class SharedServerEnvironment : public ::testing::Environment {
  public:
    void SetUp() override { g_shared = new SubsonicServer("subsonic"); }
    void TearDown() override {
        delete g_shared;
        g_shared = nullptr;
    }
};

[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new SharedServerEnvironment);

}  // namespace

SubsonicServer& shared_server() {
    return *g_shared;
}

std::string ns(const std::string& local) {
    return "http://subsonic.org/restapi " + local;
}

}  // namespace sonique::test
