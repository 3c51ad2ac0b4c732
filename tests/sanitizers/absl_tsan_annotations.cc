// ThreadSanitizer annotations for Debian's prebuilt Abseil (tsan preset only).
//
// absl::Mutex, CondVar and Notification synchronise through atomics inside libabsl_synchronization,
// which Debian does not build with -fsanitize=thread, so TSan sees none of their happens-before
// edges and would report every absl::Mutex-guarded member as a race. Each call our code makes is
// routed here with the linker's --wrap (see cmake/tsan_absl.cmake): the wrapper calls the real
// function and tells TSan about the acquire or release on the mutex's address. Readers and writers
// share one sync object, which is stronger than a reader/writer lock promises, so this can hide a
// write made under a reader lock but never invents a race.
#include <sanitizer/tsan_interface.h>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

void Acquire(const void* addr) { __tsan_acquire(const_cast<void*>(addr)); }
void Release(const void* addr) { __tsan_release(const_cast<void*>(addr)); }

}  // namespace

extern "C" {
// Declarations of the real functions (this as the first argument, as the C++ ABI passes it).
void __real__ZN4absl7debian35Mutex4LockEv(absl::Mutex* mu);
void __real__ZN4absl7debian35Mutex10ReaderLockEv(absl::Mutex* mu);
void __real__ZN4absl7debian35Mutex6UnlockEv(absl::Mutex* mu);
void __real__ZN4absl7debian35Mutex12ReaderUnlockEv(absl::Mutex* mu);
bool __real__ZN4absl7debian35Mutex7TryLockEv(absl::Mutex* mu);
bool __real__ZN4absl7debian35Mutex13ReaderTryLockEv(absl::Mutex* mu);
void __real__ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(absl::Mutex* mu,
                                                              const absl::Condition& c);
void __real__ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(absl::Mutex* mu,
                                                                     const absl::Condition& c);
bool __real__ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    absl::Mutex* mu, const absl::Condition& c, absl::Duration d);
bool __real__ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    absl::Mutex* mu, const absl::Condition& c, absl::Time t);
void __real__ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(absl::Mutex* mu,
                                                           const absl::Condition& c);
bool __real__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    absl::Mutex* mu, const absl::Condition& c, absl::Duration d);
bool __real__ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    absl::Mutex* mu, const absl::Condition& c, absl::Time t);
void __real__ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(absl::CondVar* cv, absl::Mutex* mu);
bool __real__ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(absl::CondVar* cv,
                                                                                 absl::Mutex* mu,
                                                                                 absl::Duration d);
bool __real__ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(absl::CondVar* cv,
                                                                              absl::Mutex* mu,
                                                                              absl::Time t);
void __real__ZN4absl7debian312Notification6NotifyEv(absl::Notification* n);
void __real__ZNK4absl7debian312Notification19WaitForNotificationEv(const absl::Notification* n);
bool __real__ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(
    const absl::Notification* n, absl::Duration d);

// Locks: the real call, then acquire.
void __wrap__ZN4absl7debian35Mutex4LockEv(absl::Mutex* mu) {
  __real__ZN4absl7debian35Mutex4LockEv(mu);
  Acquire(mu);
}
void __wrap__ZN4absl7debian35Mutex10ReaderLockEv(absl::Mutex* mu) {
  __real__ZN4absl7debian35Mutex10ReaderLockEv(mu);
  Acquire(mu);
}
bool __wrap__ZN4absl7debian35Mutex7TryLockEv(absl::Mutex* mu) {
  const bool locked = __real__ZN4absl7debian35Mutex7TryLockEv(mu);
  if (locked) Acquire(mu);
  return locked;
}
bool __wrap__ZN4absl7debian35Mutex13ReaderTryLockEv(absl::Mutex* mu) {
  const bool locked = __real__ZN4absl7debian35Mutex13ReaderTryLockEv(mu);
  if (locked) Acquire(mu);
  return locked;
}
void __wrap__ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(absl::Mutex* mu,
                                                              const absl::Condition& c) {
  __real__ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(mu, c);
  Acquire(mu);
}
void __wrap__ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(absl::Mutex* mu,
                                                                     const absl::Condition& c) {
  __real__ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(mu, c);
  Acquire(mu);
}
// The *WithTimeout/*WithDeadline lock calls hold the mutex on return whatever they return.
bool __wrap__ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    absl::Mutex* mu, const absl::Condition& c, absl::Duration d) {
  const bool met =
      __real__ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(mu, c, d);
  Acquire(mu);
  return met;
}
bool __wrap__ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    absl::Mutex* mu, const absl::Condition& c, absl::Time t) {
  const bool met =
      __real__ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(mu, c, t);
  Acquire(mu);
  return met;
}

// Unlocks: release, then the real call.
void __wrap__ZN4absl7debian35Mutex6UnlockEv(absl::Mutex* mu) {
  Release(mu);
  __real__ZN4absl7debian35Mutex6UnlockEv(mu);
}
void __wrap__ZN4absl7debian35Mutex12ReaderUnlockEv(absl::Mutex* mu) {
  Release(mu);
  __real__ZN4absl7debian35Mutex12ReaderUnlockEv(mu);
}

// Waits release the mutex while they block and hold it again on return.
void __wrap__ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(absl::Mutex* mu,
                                                           const absl::Condition& c) {
  Release(mu);
  __real__ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(mu, c);
  Acquire(mu);
}
bool __wrap__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    absl::Mutex* mu, const absl::Condition& c, absl::Duration d) {
  Release(mu);
  const bool met =
      __real__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(mu, c, d);
  Acquire(mu);
  return met;
}
bool __wrap__ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    absl::Mutex* mu, const absl::Condition& c, absl::Time t) {
  Release(mu);
  const bool met =
      __real__ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(mu, c, t);
  Acquire(mu);
  return met;
}
void __wrap__ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(absl::CondVar* cv, absl::Mutex* mu) {
  Release(mu);
  __real__ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(cv, mu);
  Acquire(mu);
}
bool __wrap__ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(absl::CondVar* cv,
                                                                                 absl::Mutex* mu,
                                                                                 absl::Duration d) {
  Release(mu);
  const bool timed_out =
      __real__ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(cv, mu, d);
  Acquire(mu);
  return timed_out;
}
bool __wrap__ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(absl::CondVar* cv,
                                                                              absl::Mutex* mu,
                                                                              absl::Time t) {
  Release(mu);
  const bool timed_out =
      __real__ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(cv, mu, t);
  Acquire(mu);
  return timed_out;
}

// Notification: Notify releases; a wait or check that saw the notification acquires.
void __wrap__ZN4absl7debian312Notification6NotifyEv(absl::Notification* n) {
  Release(n);
  __real__ZN4absl7debian312Notification6NotifyEv(n);
}
void __wrap__ZNK4absl7debian312Notification19WaitForNotificationEv(const absl::Notification* n) {
  __real__ZNK4absl7debian312Notification19WaitForNotificationEv(n);
  Acquire(n);
}
bool __wrap__ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(
    const absl::Notification* n, absl::Duration d) {
  const bool notified =
      __real__ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(n, d);
  if (notified) Acquire(n);
  return notified;
}
}  // extern "C"
