#pragma once
// The DLNA suites' world: a small library made with ffmpeg (FLAC with a cover, MP3, Opus, names
// with XML's special characters), scanned into a throwaway database by the real scanner, and
// the /dlna routes on an HTTP server of their own over the in-process application's services
// (the app's wiring of DLNA is not this layer's).
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/http_server.hpp"
#include "support/test_server.hpp"
#include "xml_reader.hpp"

namespace sonique::test {

struct SoapAnswer {
    int status = 0;
    std::string body;
    std::unique_ptr<dlna::XmlElement> root;  // the parsed envelope (null when not XML)
    // The out argument's text (the response element's child), "" when absent.
    std::string out(const std::string& name) const;
    // The fault's errorCode, 0 when the answer is not a fault.
    int fault_code() const;
};

// A DIDL-Lite object as a test reads it.
struct DidlObject {
    bool container = false;
    std::string id, parent, title, cls, child_count;
    std::multimap<std::string, std::string> props;  // "upnp:artist" -> value ("dc:" etc. kept)
    std::vector<std::pair<std::string, std::string>> res;  // protocolInfo, URL
    std::string res_duration;
};

class DlnaWorld {
  public:
    // library_update_id: the SystemUpdateID is the library's counter, as the app wires it
    // (ContentOptions::system_update_id_is_library); false: the `update_id` below.
    explicit DlnaWorld(bool library_update_id = false);
    ~DlnaWorld();

    // POST to /dlna/control/<service> with the action and arguments in an envelope.
    SoapAnswer call(const std::string& service, const std::string& action,
                    const std::vector<std::pair<std::string, std::string>>& args);
    // POST a raw body.
    SoapAnswer post_raw(const std::string& service, const std::string& body);
    // Browse; fails the test on a fault.
    std::vector<DidlObject> browse(const std::string& id, const std::string& flag, int start = 0,
                                   int count = 0, const std::string& sort = "",
                                   int* total = nullptr);
    // The UpdateID a Browse of `id` must answer: the container's ContainerUpdateID as migration
    // 0020 keeps it (0 for the fixed root and Music), else the SystemUpdateID (update_id, or the
    // library's counter in a world made with library_update_id).
    std::string expected_update_id(const std::string& id, const std::string& flag);
    // Every child of a container, paged `page` at a time.
    std::vector<DidlObject> children_all(const std::string& id, int page);
    std::vector<DidlObject> search(const std::string& criteria, int* total = nullptr);

    std::unique_ptr<httplib::Client> client() const;
    int port() const { return port_; }
    const std::filesystem::path& root() const { return root_; }
    TestServer& server() { return *server_; }
    // Rescans the library (the ids must not change).
    void rescan();

    std::atomic<uint32_t> update_id{7};

  private:
    std::filesystem::path root_;
    std::unique_ptr<TestServer> server_;
    std::unique_ptr<server::Router> router_;
    std::unique_ptr<server::RouteEnv> env_;
    std::unique_ptr<server::HttpServer> http_;
    std::thread thread_;
    int port_ = 0;
    bool library_update_id_ = false;
};

// Parses a DIDL-Lite document (fails the test when it does not parse).
std::vector<DidlObject> parse_didl(const std::string& xml);

// Runs a shell command; fails the test on a non-zero status.
std::string run_command(const std::string& cmd);
std::string shell_quote(const std::string& text);

// A suite whose tests share one DlnaWorld, made before its first test and destroyed after its
// last (library_update_id: as DlnaWorld's).
template <bool library_update_id = false>
class DlnaSuite : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { world_ = new DlnaWorld(library_update_id); }
    static void TearDownTestSuite() {
        delete world_;
        world_ = nullptr;
    }
    static inline DlnaWorld* world_ = nullptr;
};

}  // namespace sonique::test
