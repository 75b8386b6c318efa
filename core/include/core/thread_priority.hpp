#pragma once
// Per-thread CPU priority for bulk work. A thread sending an audio file at full speed lowers
// itself, so that threads answering API requests are scheduled first on a busy Pi: thirty
// streams must not change the API's latency.

namespace sonique::thread_priority {

// Lowers the calling thread's priority to nice 19. Idempotent; a thread already at 19 is left
// as it is (and not counted as lowered). Measured against nice 10 with 30 streams beside API
// traffic: the API's throughput went from 18-20k to 28-35k req/s and its p50 from 420-505 to
// 263-346 us. SCHED_IDLE measured the same as nice 19 but would leave streams almost no CPU
// (weight 3 against nice 19's 15) while a scan keeps the cores busy.
void lower();

// Restores the calling thread's priority. Raising a priority needs CAP_SYS_NICE (or RLIMIT_NICE)
// when not root: the thread then stays lowered and lowered() tells its pool to retire it.
void restore();

// Whether the calling thread is still lowered.
bool lowered();

}  // namespace sonique::thread_priority
