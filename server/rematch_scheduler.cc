#include "server/rematch_scheduler.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace jobmatch {

absl::StatusOr<DailyTime> ParseDailyTime(absl::string_view text) {
  auto digit = [&text](size_t i) { return absl::ascii_isdigit(static_cast<unsigned char>(text[i])); };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be HH:MM local time (00:00-23:59), got \"", text, "\""));
  }
  DailyTime t;
  t.hour = (text[0] - '0') * 10 + (text[1] - '0');
  t.minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (t.hour > 23 || t.minute > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be HH:MM local time (00:00-23:59), got \"", text, "\""));
  }
  return t;
}

absl::Time NextDailyTime(absl::Time after, DailyTime at, absl::TimeZone zone) {
  const absl::CivilDay today = absl::ToCivilDay(after, zone);
  for (int days = 0; days < 3; ++days) {
    const absl::CivilDay day = today + days;
    const absl::Time candidate = absl::FromCivil(
        absl::CivilMinute(day.year(), day.month(), day.day(), at.hour, at.minute), zone);
    if (candidate > after) return candidate;
  }
  return after + absl::Hours(24);  // not reached: some day within 3 has the time
}

RematchScheduler::RematchScheduler(RematchSchedule schedule, std::function<void()> fire)
    : schedule_(std::move(schedule)), fire_(std::move(fire)) {
  next_ = NextDailyTime(schedule_.clock(), schedule_.at, schedule_.zone);
  thread_ = std::thread([this] { Loop(); });
}

RematchScheduler::~RematchScheduler() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

absl::Time RematchScheduler::next() const {
  absl::MutexLock lock(&mu_);
  return next_;
}

int RematchScheduler::fired() const {
  absl::MutexLock lock(&mu_);
  return fired_;
}

void RematchScheduler::Loop() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.AwaitWithTimeout(absl::Condition(&stop_), schedule_.poll);
    if (stop_) return;
    const absl::Time now = schedule_.clock();
    if (now < next_) continue;
    // Once per day even if the clock jumped over several firings.
    next_ = NextDailyTime(now, schedule_.at, schedule_.zone);
    mu_.Unlock();
    fire_();
    mu_.Lock();
    ++fired_;
  }
}

}  // namespace jobmatch
