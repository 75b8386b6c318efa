// The documents Sonique's media server writes, validated by xmllint (libxml2-utils) against the
// published schemas that Debian packages ship (scripts/lib/deps.sh installs them; none is kept
// in this repository):
// - DIDL-Lite (every Browse and Search Result of the whole tree): UPnP's didl-lite-v2.xsd with
//   upnp.xsd, av.xsd and Dublin Core's simpledc20021212.xsd from libgupnp-av-1.0-3
//   (/usr/share/gupnp-av/). DLNA's attributes (dlna:profileID on upnp:albumArtURI, required by
//   the DLNA guidelines) are not in UPnP's schema and DLNA publishes none in any package: they
//   are checked by name and removed before validation.
// - SOAP envelopes (answers and faults of every action): SOAP 1.1's soap-envelope.xsd from
//   xmltooling-schemas (/usr/share/xml/xmltooling/).
// - The device description and the two SCPDs: no package reachable here ships UPnP's
//   device-1-0/service-1-0 schemas, so they are checked for well-formedness by xmllint and for
//   their required elements by the other tests (docs/dlna.md).
// The schemas import each other by their http:// locations; an XML catalog written by the test
// maps those to the packaged files and --nonet forbids any download.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>

#include "dlna_fixture.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

const std::string kAvDir = env_or("SONIQUE_UPNP_AV_XSD_DIR", "/usr/share/gupnp-av");
const std::string kSoapXsd =
    env_or("SONIQUE_SOAP_XSD", "/usr/share/xml/xmltooling/soap-envelope.xsd");

// Runs a command; its output (stdout and stderr) and exit status.
std::pair<int, std::string> run(const std::string& cmd) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return {-1, "popen failed"};
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = pclose(p);
    return {status, out};
}

class Validator {
  public:
    Validator() : dir_(fs::temp_directory_path() / ("sonique-xsd-" + unique_suffix())) {
        fs::create_directories(dir_);
        std::ofstream(dir_ / "catalog.xml")
            << "<?xml version=\"1.0\"?>\n"
               "<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\">\n"
            << entry("http://www.upnp.org/schemas/av/upnp.xsd", kAvDir + "/upnp.xsd")
            << entry("http://www.upnp.org/schemas/av/av.xsd", kAvDir + "/av.xsd")
            << entry("http://dublincore.org/schemas/xmls/simpledc20021212.xsd",
                     kAvDir + "/simpledc20021212.xsd")
            << entry("http://www.w3.org/2001/03/xml.xsd", kAvDir + "/xml.xsd") << "</catalog>\n";
    }
    ~Validator() { fs::remove_all(dir_); }

    // Keeps a document to validate against `schema` ("" for well-formedness only).
    void add(const std::string& schema, const std::string& what, const std::string& xml) {
        fs::path file = dir_ / (std::to_string(count_++) + ".xml");
        std::ofstream(file) << xml;
        docs_[schema].push_back(file.string());
        names_[file.string()] = what;
    }

    // Validates every document kept: one xmllint per schema. Fails the test with xmllint's
    // messages and the names of the documents that failed.
    void check() {
        for (const auto& [schema, files] : docs_) {
            std::string cmd = "XML_CATALOG_FILES=" + shell_quote((dir_ / "catalog.xml").string()) +
                              " xmllint --nonet --noout";
            if (!schema.empty()) cmd += " --schema " + shell_quote(schema);
            for (const auto& f : files)
                cmd += " " + shell_quote(f);
            auto [status, out] = run(cmd);
            std::string failed;
            for (const auto& f : files)
                if (out.find(f + " fails") != std::string::npos ||
                    out.find(f + ":") != std::string::npos)
                    failed += "\n  " + names_[f] + " (" + f + ")";
            EXPECT_EQ(status, 0) << (schema.empty() ? "well-formedness" : schema) << failed << "\n"
                                 << out.substr(0, 4000);
            if (!schema.empty()) {
                EXPECT_EQ(failed, "") << "documents validated: " << files.size();
            }
        }
    }

  private:
    static std::string entry(const std::string& url, const std::string& file) {
        return "  <system systemId=\"" + url + "\" uri=\"file://" + file + "\"/>\n";
    }
    fs::path dir_;
    int count_ = 0;
    std::map<std::string, std::vector<std::string>> docs_;
    std::map<std::string, std::string> names_;
};

// DLNA's attributes in a DIDL document: their names, then the document without them.
std::string without_dlna_attributes(const std::string& didl, std::set<std::string>& names) {
    static const std::regex attr(" dlna:([A-Za-z]+)=\"[^\"]*\"");
    for (auto it = std::sregex_iterator(didl.begin(), didl.end(), attr);
         it != std::sregex_iterator(); ++it)
        names.insert((*it)[1]);
    return std::regex_replace(didl, attr, "");
}

class DlnaSchemas : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const auto& f : {kAvDir + "/didl-lite-v2.xsd", kAvDir + "/upnp.xsd", kSoapXsd})
            ASSERT_TRUE(fs::exists(f))
                << f << " missing: scripts/lib/deps.sh installs libgupnp-av-1.0-3 and "
                << "xmltooling-schemas (run scripts/test.sh without SKIP_DEPS)";
        ASSERT_EQ(run("xmllint --version").first, 0) << "xmllint missing (libxml2-utils)";
    }
};

TEST_F(DlnaSchemas, EveryDocumentValidatesAgainstThePublishedSchemas) {
    DlnaWorld world;
    Validator v;
    const std::string didl = kAvDir + "/didl-lite-v2.xsd";
    std::set<std::string> dlna_attributes;

    // The device description and the SCPDs: well-formed (no packaged schema).
    for (const char* path :
         {"/dlna/description.xml", "/dlna/ContentDirectory.xml", "/dlna/ConnectionManager.xml"}) {
        auto res = world.client()->Get(path);
        ASSERT_TRUE(res) << path;
        ASSERT_EQ(res->status, 200) << path;
        v.add("", path, res->body);
    }

    // A Browse answer's envelope and its DIDL. An empty result (an empty container, a search
    // finding nothing) is the empty DIDL-Lite document ContentDirectory answers and control
    // points parse, which didl-lite-v2.xsd's root (at least one child) refuses: it is checked
    // to be exactly that root, and not given to the schema.
    int empty_results = 0;
    auto keep = [&](const std::string& what, const SoapAnswer& a) {
        v.add(kSoapXsd, what, a.body);
        std::string result = a.out("Result");
        if (result.empty()) return;
        auto parsed = dlna::parse_xml(result);
        ASSERT_TRUE(parsed.root) << what << ": " << parsed.error;
        if (parsed.root->children.empty()) {
            EXPECT_EQ(parsed.root->local, "DIDL-Lite") << what;
            EXPECT_EQ(parsed.root->ns, "urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/") << what;
            EXPECT_EQ(a.out("NumberReturned"), "0") << what;
            ++empty_results;
            return;
        }
        v.add(didl, what + " Result", without_dlna_attributes(result, dlna_attributes));
    };
    auto browse = [&](const std::string& id, const std::string& flag, int start, int count) {
        auto a = world.call("ContentDirectory", "Browse",
                            {{"ObjectID", id},
                             {"BrowseFlag", flag},
                             {"Filter", "*"},
                             {"StartingIndex", std::to_string(start)},
                             {"RequestedCount", std::to_string(count)},
                             {"SortCriteria", ""}});
        EXPECT_EQ(a.status, 200) << id << " " << a.body.substr(0, 300);
        keep("Browse " + flag + " " + id + " from " + std::to_string(start), a);
        return a;
    };
    // The whole tree, three at a time, and each object's metadata.
    std::vector<std::string> todo = {"0"};
    int objects = 0;
    browse("0", "BrowseMetadata", 0, 0);
    while (!todo.empty()) {
        std::string id = todo.back();
        todo.pop_back();
        for (int start = 0;; start += 3) {
            auto a = browse(id, "BrowseDirectChildren", start, 3);
            auto page = parse_didl(a.out("Result"));
            for (const auto& o : page) {
                ++objects;
                browse(o.id, "BrowseMetadata", 0, 0);
                if (o.container) todo.push_back(o.id);
            }
            if (page.empty() || start + 3 >= std::stoi(a.out("TotalMatches"))) break;
        }
    }
    EXPECT_GT(objects, 40);

    for (const char* criteria :
         {"*", "upnp:artist contains \"ben\"", "upnp:class derivedfrom \"object.container.album\"",
          "upnp:class = \"object.container.person.musicArtist\""})
        keep(std::string("Search ") + criteria, world.call("ContentDirectory", "Search",
                                                           {{"ContainerID", "0"},
                                                            {"SearchCriteria", criteria},
                                                            {"Filter", "*"},
                                                            {"StartingIndex", "0"},
                                                            {"RequestedCount", "0"},
                                                            {"SortCriteria", "+dc:title"}}));
    // A Filter that keeps little: what remains must still validate.
    keep("Browse with a narrow Filter", world.call("ContentDirectory", "Browse",
                                                   {{"ObjectID", "m/all"},
                                                    {"BrowseFlag", "BrowseDirectChildren"},
                                                    {"Filter", "res@size,upnp:album"},
                                                    {"StartingIndex", "0"},
                                                    {"RequestedCount", "0"},
                                                    {"SortCriteria", ""}}));

    // The other actions' answers and faults.
    for (const char* action : {"GetSearchCapabilities", "GetSortCapabilities", "GetSystemUpdateID"})
        keep(action, world.call("ContentDirectory", action, {}));
    for (const char* action : {"GetProtocolInfo", "GetCurrentConnectionIDs"})
        keep(action, world.call("ConnectionManager", action, {}));
    keep("GetCurrentConnectionInfo",
         world.call("ConnectionManager", "GetCurrentConnectionInfo", {{"ConnectionID", "0"}}));
    keep("fault 706",
         world.call("ConnectionManager", "GetCurrentConnectionInfo", {{"ConnectionID", "5"}}));
    auto unknown = world.call("ContentDirectory", "Browse",
                              {{"ObjectID", "m/al/999999"}, {"BrowseFlag", "BrowseMetadata"}});
    EXPECT_EQ(unknown.fault_code(), 701);
    keep("fault 701", unknown);
    auto malformed = world.post_raw("ContentDirectory", "<s:Envelope");
    EXPECT_EQ(malformed.fault_code(), 401);
    keep("fault 401", malformed);

    v.check();
    EXPECT_GE(empty_results, 1);  // Playlists is empty here
    // The only attribute of DLNA's namespace is the album art's profile.
    EXPECT_EQ(dlna_attributes, std::set<std::string>({"profileID"}));
}

}  // namespace
}  // namespace sonique::test
