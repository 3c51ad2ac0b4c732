// Process-wide settings `inferd serve` makes before it starts serving (docs/adr/0018).
#pragma once

namespace inferd::server {

// Pins glibc's mmap threshold at 32 MiB and its trim threshold at 64 MiB: the values its own
// dynamic heuristic reaches after freeing one 32 MiB block. Without this, each request buffer of
// a few hundred KiB (a gRPC message, its read slices, a decoded tensor) was mmapped or trimmed
// away and faulted back in: ~100 page faults and ~40% more server CPU per 600 KB gRPC request.
// Returns false (and changes nothing) when GLIBC_TUNABLES already sets a malloc tunable, so an
// operator's choice wins; also false when mallopt refuses (a sanitizer's malloc).
bool TuneMallocForLargeMessages();

// Turns off Abseil's mutex deadlock detection in release builds. Debian builds Abseil without
// NDEBUG, so every absl::Mutex (gRPC's own locks included) updated a global lock-order graph on
// each acquisition (~3% of server CPU on small gRPC requests). Debug builds, and so the test
// suites, keep it.
void DisableDeadlockDetectionInRelease();

}  // namespace inferd::server
