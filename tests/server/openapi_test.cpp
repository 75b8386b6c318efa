// The OpenAPI document and the route table describe the same API.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/strings.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

std::string strip(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

std::set<std::string> path_params(const std::string& path) {
    std::set<std::string> out;
    std::regex re("\\{([^}]+)\\}");
    for (auto it = std::sregex_iterator(path.begin(), path.end(), re); it != std::sregex_iterator();
         ++it)
        out.insert((*it)[1].str());
    return out;
}

// Path parameters declared on the path item or the operation, following $refs.
std::set<std::string> declared_path_params(const Json& doc, const Json& item, const Json& op) {
    std::set<std::string> out;
    for (const Json* list : {&item, &op}) {
        if (!list->contains("parameters")) continue;
        for (const auto& raw : (*list)["parameters"]) {
            const Json* p = &raw;
            if (raw.contains("$ref")) {
                auto pointer = Json::json_pointer(raw["$ref"].get<std::string>().substr(1));
                if (!doc.contains(pointer)) continue;
                p = &doc.at(pointer);
            }
            if (p->value("in", "") == "path") out.insert(p->value("name", ""));
        }
    }
    return out;
}

class OpenApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("openapi"); }
    static void TearDownTestSuite() { delete server_; }
    static TestServer* server_;
    Json doc() { return body_json(server_->client()->Get("/api/openapi.json")); }
};
TestServer* OpenApi::server_ = nullptr;

TEST_F(OpenApi, EveryRouteIsDocumentedWithItsPathParameters) {
    Json d = doc();
    std::map<std::string, Json> paths;
    for (auto& [p, item] : d["paths"].items())
        paths[strip(p)] = item;
    for (const auto& route : server_->runtime().router().routes()) {
        std::string method = to_lower(route.method);
        auto it = paths.find(route.path);
        ASSERT_NE(it, paths.end()) << route.method << " " << route.path << " is not documented";
        ASSERT_TRUE(it->second.contains(method))
            << route.method << " " << route.path << " is not documented";
        const Json& op = it->second[method];
        EXPECT_TRUE(op.contains("responses") && !op["responses"].empty())
            << route.method << " " << route.path << " documents no response";
        EXPECT_EQ(declared_path_params(d, it->second, op), path_params(route.path))
            << route.method << " " << route.path << " path parameters differ";
    }
}

TEST_F(OpenApi, EveryDocumentedOperationHasARoute) {
    Json d = doc();
    std::set<std::string> routes;
    for (const auto& r : server_->runtime().router().routes())
        routes.insert(to_lower(r.method) + " " + r.path);
    for (auto& [p, item] : d["paths"].items()) {
        for (auto& [method, op] : item.items()) {
            if (method == "parameters" || method == "summary" || method == "description") continue;
            EXPECT_TRUE(routes.count(method + " " + strip(p)))
                << method << " " << p << " has no route";
        }
    }
}

// Unknown artists and albums answer 200 [] here (the contract asks for a 404 only on
// /api/albums/artists/{id}); only ids that cannot exist (<= 0) are 404. The document says so.
TEST_F(OpenApi, TracksOfAnArtistDocumentTheirEmptyListAndTheir404) {
    auto c = server_->client();
    for (const char* path :
         {"/api/tracks/artists/987654", "/api/tracks/artists/987654/albums/98"}) {
        auto res = c->Get(path);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200) << path;
        EXPECT_EQ(body_json(res), Json::array()) << path;
    }
    EXPECT_EQ(c->Get("/api/tracks/artists/0")->status, 404);
    EXPECT_EQ(c->Get("/api/tracks/artists/1/albums/-1")->status, 404);
    Json d = doc();
    for (const char* path :
         {"/api/tracks/artists/{artist_id}", "/api/tracks/artists/{artist_id}/albums/{album_id}"}) {
        const Json& responses = d["paths"][path]["get"]["responses"];
        ASSERT_TRUE(responses.contains("404")) << path;
        const std::string text = responses["404"].value("description", "");
        EXPECT_NE(text.find("zero or negative"), std::string::npos) << path << ": " << text;
        EXPECT_NE(text.find("200 []"), std::string::npos) << path << ": " << text;
    }
}

TEST_F(OpenApi, ReferencesResolve) {
    Json d = doc();
    std::string text = d.dump();
    std::regex re("\"\\$ref\":\"#/([^\"]+)\"");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it) {
        std::string pointer = "/" + (*it)[1].str();
        EXPECT_TRUE(d.contains(Json::json_pointer(pointer))) << "dangling $ref #" << pointer;
    }
}

}  // namespace
}  // namespace sonique::test
