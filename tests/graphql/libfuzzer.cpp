// libFuzzer entry point (built with -DSONIQUE_GRAPHQL_LIBFUZZER=ON under clang).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fake_schema.hpp"
#include "graphql/execute.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static sonique::test::FakeCounters counters;
    static sonique::graphql::Engine engine(sonique::test::make_fake_schema(counters));
    std::string query(reinterpret_cast<const char*>(data), size);
    std::string out = engine.execute({query, sonique::Json::object(), ""}, nullptr);
    if (out.empty() || out.front() != '{') __builtin_trap();
    return 0;
}
