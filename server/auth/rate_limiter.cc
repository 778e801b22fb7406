#include "server/auth/rate_limiter.h"

#include <algorithm>

namespace jobmatch::auth {

RateLimiter::RateLimiter(double per_second, int burst)
    : per_second_(per_second), burst_(static_cast<double>(burst)) {}

bool RateLimiter::TryAcquire(std::string_view key, absl::Time now) {
  if (per_second_ <= 0 || burst_ <= 0) return true;
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(std::string(key));
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = burst_;
  } else if (now > bucket.last) {
    // Refill for the time since the last call; a clock that steps back
    // refills nothing.
    bucket.tokens = std::min(burst_, bucket.tokens + absl::ToDoubleSeconds(now - bucket.last) *
                                                         per_second_);
  }
  bucket.last = std::max(bucket.last, now);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace jobmatch::auth
