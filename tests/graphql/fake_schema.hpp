#pragma once
// An in-memory schema for the engine's unit and fuzz tests: authors and their books, with a
// call counter to check that each field resolves once per level.
#include <atomic>
#include <memory>

#include "graphql/schema.hpp"

namespace sonique::test {

struct FakeCounters {
    std::atomic<int> books_calls{0};
    std::atomic<int> author_calls{0};
};

// Authors 1..3 ("Ann", "Bob", "Cy"), each with 2 books; author 3 has a null nickname.
std::shared_ptr<const graphql::Schema> make_fake_schema(FakeCounters& counters);

}  // namespace sonique::test
