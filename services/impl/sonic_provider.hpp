#pragma once
// The sonic sets (services/sonic_index.hpp) as a provider of computed similarity: source
// "sonic", asked before the tags for a track's neighbours. It answers nothing while ctx.sonic is
// null (the command-line tools) or its sets are not ready.
#include <memory>

#include "services/context.hpp"
#include "services/similarity.hpp"

namespace sonique::services {

// Throws nothing but std::bad_alloc. Any thread.
std::shared_ptr<SimilarityProvider> make_sonic_provider(ServiceContext& ctx);

}  // namespace sonique::services
