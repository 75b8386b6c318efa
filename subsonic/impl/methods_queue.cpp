// The saved play queue (getPlayQueue, savePlayQueue and the indexBasedQueue extension's
// getPlayQueueByIndex, savePlayQueueByIndex: one queue, two ways to name its current song) and
// bookmarks (getBookmarks, createBookmark, deleteBookmark). Each user has their own; no role is
// needed (Navidrome and Subsonic ask for none either).
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/subsonic_queue.hpp"
#include "song_params.hpp"

namespace sonique::subsonic {
namespace {

// No queue saved yet: the answer has no playQueue, as Navidrome answers (clients expect it).
void get_queue(Call& call, MethodEnv& env, bool by_index) {
    auto json = services::SubsonicPlayQueue(env.services).get(*call.user, by_index);
    if (json)
        fill_content_types(
            add_json_child(call.body, by_index ? "playQueueByIndex" : "playQueue", json->text));
}

std::optional<int64_t> position_param(const Call& call) {
    auto p = call.get("position");
    if (!p || p->empty()) return std::nullopt;  // "servers should treat the position as 0"
    return non_negative(*p, "position");
}

void save(Call& call, MethodEnv& env, services::SavedQueue& queue) {
    queue.position_ms = position_param(call).value_or(0);
    queue.client = call.get("c").value_or("");
    if (!services::SubsonicPlayQueue(env.services, user_scope(call, env)).save(*call.user, queue))
        throw SubsonicError(kNotFound, "Song not found");
}

// `current` (a song id) must be one of `id`; the first entry with it is the current one. Without
// any `id` the queue is cleared.
void save_play_queue(Call& call, MethodEnv& env) {
    services::SavedQueue queue;
    queue.songs = song_ids(call, "id");
    if (!queue.songs.empty()) {
        auto current = parse_id(call.required("current"), IdKind::kTrack);
        if (!current) throw SubsonicError(kNotFound, "Song not found");
        for (size_t i = 0; i < queue.songs.size() && !queue.current; ++i)
            if (queue.songs[i] == *current) queue.current = static_cast<int64_t>(i);
        if (!queue.current)
            throw SubsonicError(kGeneric, "Parameter current must be one of the queue's ids");
    }
    save(call, env, queue);
}

// The spec: currentIndex is required with ids and must not be set without; one outside
// 0..length-1 is error 10.
void save_play_queue_by_index(Call& call, MethodEnv& env) {
    services::SavedQueue queue;
    queue.songs = song_ids(call, "id");
    auto index = call.get("currentIndex");
    if (queue.songs.empty()) {
        if (index) throw SubsonicError(kMissingParameter, "currentIndex needs a queue (id)");
    } else {
        int64_t i = non_negative(call.required("currentIndex"), "currentIndex");
        if (i >= static_cast<int64_t>(queue.songs.size()))
            throw SubsonicError(kMissingParameter,
                                "currentIndex must be between 0 and the queue's length - 1");
        queue.current = i;
    }
    save(call, env, queue);
}

int64_t song_param(const Call& call) {
    auto id = parse_id(call.required("id"), IdKind::kTrack);
    if (!id) throw SubsonicError(kNotFound, "Song not found");
    return *id;
}

void get_bookmarks(Call& call, MethodEnv& env) {
    fill_content_types(add_json_child(
        call.body, "bookmarks",
        services::SubsonicBookmarks(env.services, user_scope(call, env)).list(*call.user).text));
}

void create_bookmark(Call& call, MethodEnv& env) {
    int64_t id = song_param(call);
    int64_t position = non_negative(call.required("position"), "position");
    if (!services::SubsonicBookmarks(env.services, user_scope(call, env))
             .save(*call.user, id, position, call.get("comment").value_or("")))
        throw SubsonicError(kNotFound, "Song not found");
}

void delete_bookmark(Call& call, MethodEnv& env) {
    if (!services::SubsonicBookmarks(env.services).remove(*call.user, song_param(call)))
        throw SubsonicError(kNotFound, "Bookmark not found");
}

}  // namespace

void add_queue_methods(MethodTable& table) {
    table["getPlayQueue"] = {[](Call& c, MethodEnv& e) { get_queue(c, e, false); }, true};
    table["getPlayQueueByIndex"] = {[](Call& c, MethodEnv& e) { get_queue(c, e, true); }, true};
    table["savePlayQueue"] = {save_play_queue, true};
    table["savePlayQueueByIndex"] = {save_play_queue_by_index, true};
    table["getBookmarks"] = {get_bookmarks, true};
    table["createBookmark"] = {create_bookmark, true};
    table["deleteBookmark"] = {delete_bookmark, true};
}

}  // namespace sonique::subsonic
