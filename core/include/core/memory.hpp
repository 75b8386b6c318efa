#pragma once
// The process's allocator: jemalloc when built with it (SONIQUE_JEMALLOC), else glibc's malloc.

#include <string>

namespace sonique::memory {

// Tunes the allocator for a small machine. Call once, first thing in main().
void configure();

// Returns freed memory to the OS: called when the HTTP pool is back at its resting size after a
// burst, so that idle memory stays flat.
void release();

// The allocator's own account, for logs: "allocated A MB, active B MB, resident C MB, mapped D
// MB, retained E MB, metadata F MB" (jemalloc; retained is address space kept unmapped, not
// memory) or "in use A MB, free B MB, mmapped C MB" (glibc's mallinfo2). Throws nothing. Any
// thread.
std::string stats();

// "jemalloc" or "glibc".
const char* allocator_name();

}  // namespace sonique::memory
