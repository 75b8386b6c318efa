#include "core/error.hpp"
#include "core/log.hpp"
#include "graphql_internal.hpp"
#include "services/graphql_library.hpp"
#include "services/similarity.hpp"

namespace sonique::services {

std::shared_ptr<const graphql::Schema> make_library_schema() {
    auto s = std::make_shared<graphql::Schema>();
    gql::add_object_types(*s);
    gql::add_query_fields(*s);
    gql::add_mutations(*s);
    return s;
}

GraphqlService::GraphqlService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity)
    : ctx_(ctx),
      similarity_(std::move(similarity)),
      engine_(make_library_schema()),
      one_(std::make_unique<gql::OneStatements>(engine_)) {}

GraphqlService::~GraphqlService() = default;

JsonText GraphqlService::execute(const graphql::Request& request, GraphqlStats* stats) {
    gql::RequestContext rc{ctx_, std::nullopt, 0, similarity_.get()};
    std::string out;
    // An internal error in the one statement: the engine's path answers (and logs) instead.
    bool done = false;
    try {
        done = one_->answer(request, rc, out);
    } catch (const Error&) {
        done = false;
    }
    if (!done) out = engine_.execute(request, &rc);
    if (stats) stats->round_trips = rc.round_trips;
    return JsonText(std::move(out));
}

}  // namespace sonique::services
