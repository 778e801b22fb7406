// A token bucket per caller id: each call takes one token; tokens refill at
// a fixed rate up to the burst size. Memory is one bucket per distinct key,
// and keys are configured identities only (never client-chosen strings).
#ifndef JOBMATCH_SERVER_AUTH_RATE_LIMITER_H_
#define JOBMATCH_SERVER_AUTH_RATE_LIMITER_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jobmatch::auth {

class RateLimiter {
 public:
  // `per_second` <= 0 or `burst` <= 0 disables limiting.
  RateLimiter(double per_second, int burst);

  // Takes one token from `key`'s bucket (full at first sight) at time `now`;
  // false when the bucket is empty. Thread-safe.
  bool TryAcquire(std::string_view key, absl::Time now) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time last;
  };

  // Constant after construction.
  const double per_second_;
  const double burst_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_RATE_LIMITER_H_
