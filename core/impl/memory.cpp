#include "core/memory.hpp"

#include <malloc.h>

#include <cstddef>

#ifdef SONIQUE_JEMALLOC
// jemalloc's interface, declared here rather than included: the cross build links
// libjemalloc2:arm64 without the (not multiarch) -dev package.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen);

// Read by jemalloc when it starts (before main). Four arenas as on a Pi 4's four cores; freed
// pages go back to the OS within a few seconds instead of ten. background_thread: without it
// jemalloc purges only when the arena allocates again, so an idle server kept every page its
// last burst had freed (hundreds of MB after the search bench, docs/search.md "Memory").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "narenas:4,dirty_decay_ms:3000,muzzy_decay_ms:0,background_thread:true";
}
#endif

namespace sonique::memory {

void configure() {
#ifndef SONIQUE_JEMALLOC
    // One malloc arena per core instead of eight per core: hundreds of short-lived HTTP threads
    // would otherwise leave memory spread over many arenas.
    mallopt(M_ARENA_MAX, 4);
#endif
}

void release() {
#ifdef SONIQUE_JEMALLOC
    mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);  // 4096: MALLCTL_ARENAS_ALL
#else
    malloc_trim(0);
#endif
}

const char* allocator_name() {
#ifdef SONIQUE_JEMALLOC
    return "jemalloc";
#else
    return "glibc";
#endif
}

}  // namespace sonique::memory
