#pragma once
// Per-thread CPU priority for bulk work. A thread sending an audio file at full speed lowers
// itself, so that threads answering API requests are scheduled first on a busy Pi: thirty
// streams must not change the API's latency.

namespace sonique::thread_priority {

// Lowers the calling thread's priority (nice + 10). Idempotent.
void lower();

// Restores the calling thread's priority. Raising a priority needs CAP_SYS_NICE (or RLIMIT_NICE)
// when not root: the thread then stays lowered and lowered() tells its pool to retire it.
void restore();

// Whether the calling thread is still lowered.
bool lowered();

}  // namespace sonique::thread_priority
