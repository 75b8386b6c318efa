#include "support/test_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace sonique::test {

TestServer::TestServer(const std::string& hint, const std::function<void(Config&)>& adjust) {
    Config config = test_config("");
    if (adjust) adjust(config);
    if (config.database_url.empty()) {
        db_ = std::make_unique<TestDatabase>(hint);
        config.database_url = db_->url();
    }
    db_url_ = config.database_url;
    data_dir_ = config.data_dir;
    runtime_ = std::make_unique<app::Runtime>(config);
    runtime_->migrate(10);
    port_ = runtime_->bind_http();
    runtime_->start_http_thread();
}

TestServer::~TestServer() {
    runtime_.reset();
    db_.reset();
    if (data_dir_.rfind("/tmp/sonique-test-data-", 0) == 0) std::filesystem::remove_all(data_dir_);
}

std::unique_ptr<httplib::Client> TestServer::client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(30, 0);
    c->set_connection_timeout(5, 0);
    return c;
}

Json body_json(const httplib::Result& res) {
    if (!res) {
        ADD_FAILURE() << "no response: " << httplib::to_string(res.error());
        return Json();
    }
    Json j = Json::parse(res->body, nullptr, false);
    if (j.is_discarded()) ADD_FAILURE() << "not JSON: " << res->body.substr(0, 300);
    return j;
}

}  // namespace sonique::test
