// The saved play queue (getPlayQueue, savePlayQueue, the indexBasedQueue extension) and
// bookmarks: both formats against the spec's PlayQueue, PlayQueueByIndex and bookmark, per
// user, and hostile input.
#include <gtest/gtest.h>

#include "user_lists_support.hpp"

namespace sonique::test {
namespace {

TEST(SubsonicPlayQueue, NothingSavedAnswersWithoutAQueue) {
    auto& s = shared_server();
    fill_user_lists(s);
    // Other never saves a queue in these suites.
    Json r = s.json("getPlayQueue", as_other());
    EXPECT_EQ(r["status"], "ok") << r.dump();
    EXPECT_FALSE(r.contains("playQueue"));
    EXPECT_FALSE(s.json("getPlayQueueByIndex", as_other()).contains("playQueueByIndex"));
}

TEST(SubsonicPlayQueue, SavedQueueReadsBackInBothShapesAndFormats) {
    auto& s = shared_server();
    fill_user_lists(s);
    Json r = s.json("savePlayQueue", as_owner() + Query{{"id", song(4)},
                                                        {"id", song(5)},
                                                        {"id", song(4)},
                                                        {"current", song(5)},
                                                        {"position", "65000"},
                                                        {"c", "phone"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    Json q = s.json("getPlayQueue", as_owner())["playQueue"];
    EXPECT_EQ(q["current"], song(5));
    EXPECT_EQ(q["position"], 65000);
    EXPECT_EQ(q["username"], kOwnerName);
    EXPECT_EQ(q["changedBy"], "phone");
    EXPECT_TRUE(q["changed"].is_string());
    EXPECT_FALSE(q.contains("currentIndex"));
    EXPECT_EQ(ids_of(q["entry"]), (std::vector<std::string>{song(4), song(5), song(4)}));
    EXPECT_EQ(q["entry"][0]["title"], "Song 4");
    Json b = s.json("getPlayQueueByIndex", as_owner())["playQueueByIndex"];
    EXPECT_EQ(b["currentIndex"], 1);
    EXPECT_FALSE(b.contains("current"));
    EXPECT_EQ(b["position"], 65000);
    EXPECT_EQ(b["entry"], q["entry"]);
    XmlNode x = s.xml("getPlayQueue", as_owner());
    const XmlNode* xq = x.first(ns("playQueue"));
    ASSERT_NE(xq, nullptr);
    EXPECT_EQ(xq->attrs.at("current"), song(5));
    EXPECT_EQ(xq->attrs.at("position"), "65000");
    EXPECT_EQ(xq->attrs.at("username"), kOwnerName);
    EXPECT_EQ(xq->attrs.at("changedBy"), "phone");
    EXPECT_EQ(xq->all(ns("entry")).size(), 3u);
    XmlNode xb = s.xml("getPlayQueueByIndex", as_owner());
    ASSERT_NE(xb.first(ns("playQueueByIndex")), nullptr);
    EXPECT_EQ(xb.first(ns("playQueueByIndex"))->attrs.at("currentIndex"), "1");

    // By index: the second copy of song 4 is current, which savePlayQueue cannot say.
    r = s.json("savePlayQueueByIndex", as_owner() + Query{{"id", song(4)},
                                                          {"id", song(5)},
                                                          {"id", song(4)},
                                                          {"currentIndex", "2"},
                                                          {"c", "desktop"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    b = s.json("getPlayQueueByIndex", as_owner())["playQueueByIndex"];
    EXPECT_EQ(b["currentIndex"], 2);
    EXPECT_EQ(b["position"], 0);
    EXPECT_EQ(b["changedBy"], "desktop");
    EXPECT_EQ(s.json("getPlayQueue", as_owner())["playQueue"]["current"], song(4));
    // Another user's queue is their own (Other never saves one).
    EXPECT_FALSE(s.json("getPlayQueue", as_other()).contains("playQueue"));

    // No id at all clears it: an empty queue, still told who cleared it.
    ASSERT_EQ(s.json("savePlayQueue", as_owner() + Query{{"c", "tv"}})["status"], "ok");
    q = s.json("getPlayQueue", as_owner())["playQueue"];
    EXPECT_TRUE(q["entry"].is_array());
    EXPECT_TRUE(q["entry"].empty());
    EXPECT_FALSE(q.contains("current"));
    EXPECT_EQ(q["changedBy"], "tv");
}

TEST(SubsonicPlayQueue, BadInputIsRefusedAndKeepsTheQueue) {
    auto& s = shared_server();
    fill_user_lists(s);
    Query user{{"u", kUserName}, {"p", kUserPassword}};
    ASSERT_EQ(
        s.json("savePlayQueue", user + Query{{"id", song(7)}, {"current", song(7)}})["status"],
        "ok");
    auto code = [&](const char* method, const Query& q) {
        return error_code(s.json(method, user + q));
    };
    EXPECT_EQ(code("savePlayQueue", {{"id", song(1)}}), 10);  // current missing
    EXPECT_EQ(code("savePlayQueue", {{"id", song(1)}, {"current", song(2)}}), 0);
    EXPECT_EQ(code("savePlayQueue", {{"id", song(1)}, {"current", "al-16001"}}), 70);
    EXPECT_EQ(code("savePlayQueue", {{"id", "al-16001"}, {"current", "al-16001"}}), 70);
    EXPECT_EQ(code("savePlayQueue", {{"id", "tr-99999999"}, {"current", "tr-99999999"}}), 70);
    EXPECT_EQ(code("savePlayQueue", {{"id", song(1)}, {"current", song(1)}, {"position", "-5"}}),
              0);
    EXPECT_EQ(code("savePlayQueue", {{"id", song(1)}, {"current", song(1)}, {"position", "1.5"}}),
              0);
    EXPECT_EQ(code("savePlayQueueByIndex", {{"id", song(1)}}), 10);
    EXPECT_EQ(code("savePlayQueueByIndex", {{"id", song(1)}, {"currentIndex", "1"}}), 10);
    EXPECT_EQ(code("savePlayQueueByIndex", {{"id", song(1)}, {"currentIndex", "-1"}}), 0);
    EXPECT_EQ(code("savePlayQueueByIndex", {{"currentIndex", "0"}}), 10);
    Json q = s.json("getPlayQueue", user)["playQueue"];
    EXPECT_EQ(ids_of(q["entry"]), std::vector<std::string>{song(7)});
    EXPECT_EQ(q["current"], song(7));
}

TEST(SubsonicBookmarks, CreateOverwriteListAndDeleteInBothFormats) {
    auto& s = shared_server();
    fill_user_lists(s);
    EXPECT_TRUE(s.json("getBookmarks", as_other())["bookmarks"]["bookmark"].is_array());
    ASSERT_EQ(s.json("createBookmark",
                     as_owner() + Query{{"id", song(3)}, {"position", "1000"}})["status"],
              "ok");
    ASSERT_EQ(s.json("createBookmark", as_owner() + Query{{"id", song(2)},
                                                          {"position", "5"},
                                                          {"comment", "chapter 2"}})["status"],
              "ok");
    // Overwritten, not added.
    ASSERT_EQ(s.json("createBookmark",
                     as_owner() + Query{{"id", song(3)}, {"position", "2000"}})["status"],
              "ok");
    Json list = s.json("getBookmarks", as_owner())["bookmarks"]["bookmark"];
    ASSERT_EQ(list.size(), 2u) << list.dump();
    const Json& last = list[0];  // the last changed first
    EXPECT_EQ(last["position"], 2000);
    EXPECT_EQ(last["username"], kOwnerName);
    EXPECT_TRUE(last["created"].is_string());
    EXPECT_TRUE(last["changed"].is_string());
    EXPECT_FALSE(last.contains("comment"));
    EXPECT_EQ(last["entry"]["id"], song(3));
    EXPECT_EQ(last["entry"]["contentType"], "audio/mpeg");
    EXPECT_EQ(list[1]["comment"], "chapter 2");
    XmlNode x = s.xml("getBookmarks", as_owner());
    auto marks = x.first(ns("bookmarks"))->all(ns("bookmark"));
    ASSERT_EQ(marks.size(), 2u);
    EXPECT_EQ(marks[1]->attrs.at("comment"), "chapter 2");
    EXPECT_EQ(marks[1]->attrs.at("position"), "5");
    ASSERT_NE(marks[1]->first(ns("entry")), nullptr);
    EXPECT_EQ(marks[1]->first(ns("entry"))->attrs.at("id"), song(2));
    // Personal: another user sees none of them and cannot delete them.
    Json others = s.json("getBookmarks", as_other())["bookmarks"]["bookmark"];
    for (const auto& b : others)
        EXPECT_NE(b["username"], kOwnerName);
    EXPECT_EQ(error_code(s.json("deleteBookmark", as_other() + Query{{"id", song(3)}})), 70);
    EXPECT_EQ(s.json("deleteBookmark", as_owner() + Query{{"id", song(3)}})["status"], "ok");
    EXPECT_EQ(error_code(s.json("deleteBookmark", as_owner() + Query{{"id", song(3)}})), 70);
    EXPECT_EQ(s.json("getBookmarks", as_owner())["bookmarks"]["bookmark"].size(), 1u);
}

TEST(SubsonicBookmarks, BadInputIsRefused) {
    auto& s = shared_server();
    fill_user_lists(s);
    auto code = [&](const char* method, const Query& q) {
        return error_code(s.json(method, as_other() + q));
    };
    EXPECT_EQ(code("createBookmark", {{"id", song(1)}}), 10);
    EXPECT_EQ(code("createBookmark", {{"position", "1"}}), 10);
    EXPECT_EQ(code("createBookmark", {{"id", song(1)}, {"position", "-1"}}), 0);
    EXPECT_EQ(code("createBookmark", {{"id", "al-16001"}, {"position", "1"}}), 70);
    EXPECT_EQ(code("createBookmark", {{"id", "tr-99999999"}, {"position", "1"}}), 70);
    // A long comment comes in a form body (a URL that long is refused by the HTTP core).
    EXPECT_EQ(error_code(post_json(s, "createBookmark",
                                   as_other() + Query{{"id", song(1)},
                                                      {"position", "1"},
                                                      {"comment", std::string(10001, 'c')}})),
              0);
    EXPECT_EQ(code("deleteBookmark", {{"id", "pl-1"}}), 70);
    EXPECT_EQ(code("deleteBookmark", {}), 10);
    EXPECT_TRUE(s.json("getBookmarks", as_other())["bookmarks"]["bookmark"].empty());
}

}  // namespace
}  // namespace sonique::test
