#include "services/subsonic_cache.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"

namespace sonique::services {
namespace {

// Thrown by a loader that found nothing: the caller answers "not found", nothing is stored.
struct Absent {};

std::string key_text(const SubsonicCacheKey& key) {
    return "ss:" + std::to_string(key.user_id) + ":" + key.scope.key() + ":" + key.method;
}

}  // namespace

JsonText subsonic_cached(ServiceContext& ctx, const SubsonicCacheKey& key,
                         const std::function<JsonText()>& load) {
    const std::string mine = cache::ns::user_annotations(key.user_id);
    return JsonText(ctx.cache.get_or_load({cache::ns::kLibrary, cache::ns::kAnnotations, mine},
                                          key_text(key), [&] { return load().text; }));
}

std::optional<JsonText> subsonic_cached_entity(
    ServiceContext& ctx, const SubsonicCacheKey& key,
    const std::function<std::optional<JsonText>()>& load) {
    const std::string mine = cache::ns::user_annotations(key.user_id);
    try {
        return JsonText(ctx.cache.get_or_load({cache::ns::kLibrary, cache::ns::kAnnotations, mine},
                                              key_text(key), [&] {
                                                  auto json = load();
                                                  if (!json) throw Absent{};
                                                  return std::move(json->text);
                                              }));
    } catch (const Absent&) {
        return std::nullopt;
    }
}

}  // namespace sonique::services
