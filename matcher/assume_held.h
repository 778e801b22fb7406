// Tells clang's thread-safety analysis (-Wthread-safety) that a mutex is
// held where it cannot see it: inside a lambda that only ever runs under the
// enclosing function's lock. Compiles to nothing, unlike
// absl::Mutex::AssertReaderHeld(), which is an out-of-line call — too dear in
// the matcher's per-candidate loops.
#ifndef JOBMATCH_MATCHER_ASSUME_HELD_H_
#define JOBMATCH_MATCHER_ASSUME_HELD_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace jobmatch::matcher {

inline void AssumeReaderHeld(const absl::Mutex& mu) ABSL_ASSERT_SHARED_LOCK(mu) {}

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_ASSUME_HELD_H_
