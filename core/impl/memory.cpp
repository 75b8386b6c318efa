#include "core/memory.hpp"

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <string>

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

namespace {

std::string mb(size_t bytes) {
    return std::to_string((bytes + (1u << 19)) >> 20) + " MB";
}

#ifdef SONIQUE_JEMALLOC
size_t jemalloc_stat(const char* name) {
    size_t value = 0, len = sizeof value;
    if (mallctl(name, &value, &len, nullptr, 0) != 0) return 0;
    return value;
}
#endif

}  // namespace

std::string stats() {
#ifdef SONIQUE_JEMALLOC
    // The statistics are a snapshot refreshed by writing the epoch.
    uint64_t epoch = 1;
    size_t len = sizeof epoch;
    mallctl("epoch", &epoch, &len, &epoch, len);
    return "allocated " + mb(jemalloc_stat("stats.allocated")) + ", active " +
           mb(jemalloc_stat("stats.active")) + ", resident " + mb(jemalloc_stat("stats.resident")) +
           ", mapped " + mb(jemalloc_stat("stats.mapped")) + ", retained " +
           mb(jemalloc_stat("stats.retained")) + ", metadata " +
           mb(jemalloc_stat("stats.metadata"));
#else
    struct mallinfo2 m = mallinfo2();
    return "in use " + mb(m.uordblks + m.hblkhd) + ", free " + mb(m.fordblks) + ", mmapped " +
           mb(m.hblkhd);
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
