// RematchScheduler: starts the nightly rematch once a day at a local time
// (config rematch.schedule, e.g. "02:00" in Europe/Copenhagen), in-process.
// The clock is injected, so tests move time instead of waiting for it.
//
// Daylight saving: a time the spring change skips (02:30 on the last Sunday
// of March) fires at the change itself (03:00 summer time); a time the
// autumn change repeats fires once, at its first occurrence.
#ifndef JOBMATCH_SERVER_REMATCH_SCHEDULER_H_
#define JOBMATCH_SERVER_REMATCH_SCHEDULER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jobmatch {

struct DailyTime {
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
};

// "HH:MM" with two digits each, 00:00..23:59. InvalidArgument otherwise
// (the message states the rule; the caller adds the key).
absl::StatusOr<DailyTime> ParseDailyTime(absl::string_view text);

// The first instant strictly after `after` whose local time in `zone` is `at`.
absl::Time NextDailyTime(absl::Time after, DailyTime at, absl::TimeZone zone);

struct RematchSchedule {
  DailyTime at;
  absl::TimeZone zone;
  // Where "now" comes from; tests pass a fake.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // How often the clock is read (the lateness of a firing is at most this).
  absl::Duration poll = absl::Seconds(1);
};

class RematchScheduler {
 public:
  // Calls `fire` from its own thread each time the daily time is reached
  // (the first time is the next one after construction). `fire` must not
  // block for long; starting a run in the background is what it is for.
  RematchScheduler(RematchSchedule schedule, std::function<void()> fire);
  ~RematchScheduler();  // stops the thread; a `fire` in progress finishes first

  // When it fires next.
  absl::Time next() const ABSL_LOCKS_EXCLUDED(mu_);
  // Firings so far.
  int fired() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop();

  const RematchSchedule schedule_;
  const std::function<void()> fire_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time next_ ABSL_GUARDED_BY(mu_);
  int fired_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_SCHEDULER_H_
