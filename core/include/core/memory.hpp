#pragma once
// The process's allocator: jemalloc when built with it (SONIQUE_JEMALLOC), else glibc's malloc.

namespace sonique::memory {

// Tunes the allocator for a small machine. Call once, first thing in main().
void configure();

// Returns freed memory to the OS: called when the HTTP pool is back at its resting size after a
// burst, so that idle memory stays flat.
void release();

// "jemalloc" or "glibc".
const char* allocator_name();

}  // namespace sonique::memory
