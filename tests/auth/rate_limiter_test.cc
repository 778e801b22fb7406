#include "server/auth/rate_limiter.h"

#include "gtest/gtest.h"

namespace jobmatch::auth {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

TEST(RateLimiterTest, BurstIsServedThenCallsAreRefusedUntilRefill) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/4);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.TryAcquire("a", kT0)) << i;
  EXPECT_FALSE(limiter.TryAcquire("a", kT0));
  EXPECT_FALSE(limiter.TryAcquire("a", kT0 + absl::Milliseconds(400)));  // 0.8 token
  EXPECT_TRUE(limiter.TryAcquire("a", kT0 + absl::Milliseconds(500)));   // 1 token
  EXPECT_FALSE(limiter.TryAcquire("a", kT0 + absl::Milliseconds(500)));
}

TEST(RateLimiterTest, RefillIsCappedAtTheBurst) {
  RateLimiter limiter(100, 3);
  EXPECT_TRUE(limiter.TryAcquire("a", kT0));
  const absl::Time later = kT0 + absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.TryAcquire("a", later)) << i;
  EXPECT_FALSE(limiter.TryAcquire("a", later));
}

TEST(RateLimiterTest, CallersHaveSeparateBuckets) {
  RateLimiter limiter(1, 1);
  EXPECT_TRUE(limiter.TryAcquire("a", kT0));
  EXPECT_FALSE(limiter.TryAcquire("a", kT0));
  EXPECT_TRUE(limiter.TryAcquire("b", kT0));
}

TEST(RateLimiterTest, ClockSteppingBackRefillsNothing) {
  RateLimiter limiter(1, 1);
  EXPECT_TRUE(limiter.TryAcquire("a", kT0));
  EXPECT_FALSE(limiter.TryAcquire("a", kT0 - absl::Hours(1)));
  EXPECT_FALSE(limiter.TryAcquire("a", kT0 + absl::Milliseconds(500)));
  EXPECT_TRUE(limiter.TryAcquire("a", kT0 + absl::Seconds(1)));
}

TEST(RateLimiterTest, NonPositiveSettingsDisableLimiting) {
  RateLimiter off(0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(off.TryAcquire("a", kT0));
}

}  // namespace
}  // namespace jobmatch::auth
