// The rematch section of the configuration and the daily schedule's
// arithmetic and thread, on an injected clock.
#include <atomic>
#include <fstream>

#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/config.h"
#include "server/rematch_scheduler.h"

namespace jobmatch {
namespace {

absl::TimeZone Copenhagen() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone)) << "tzdata missing";
  return zone;
}

absl::Time Local(int y, int m, int d, int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), Copenhagen());
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

TEST(RematchScheduleTest, ParsesOnlyTwoDigitHoursAndMinutes) {
  auto t = ParseDailyTime("02:30");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->hour, 2);
  EXPECT_EQ(t->minute, 30);
  EXPECT_TRUE(ParseDailyTime("00:00").ok());
  EXPECT_TRUE(ParseDailyTime("23:59").ok());
  for (const char* bad : {"2:00", "24:00", "12:60", "12-00", "12:00:00", "", "ab:cd", " 2:00"}) {
    auto s = ParseDailyTime(bad);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.status().message().find("HH:MM"), std::string::npos) << s.status();
  }
}

TEST(RematchScheduleTest, NextTimeIsTheLocalTimeTodayOrTomorrow) {
  const absl::TimeZone cph = Copenhagen();
  // Winter (UTC+1) and summer (UTC+2).
  EXPECT_EQ(NextDailyTime(Local(2026, 12, 1, 1, 0), {2, 0}, cph), Utc(2026, 12, 1, 1, 0));
  EXPECT_EQ(NextDailyTime(Local(2026, 7, 1, 1, 0), {2, 0}, cph), Utc(2026, 7, 1, 0, 0));
  // Exactly at or past the time: tomorrow.
  EXPECT_EQ(NextDailyTime(Local(2026, 12, 1, 2, 0), {2, 0}, cph), Local(2026, 12, 2, 2, 0));
  EXPECT_EQ(NextDailyTime(Local(2026, 12, 31, 23, 0), {2, 0}, cph), Local(2027, 1, 1, 2, 0));
}

TEST(RematchScheduleTest, DaylightSavingChangesFireOnceADay) {
  const absl::TimeZone cph = Copenhagen();
  // 2027-03-28: clocks go from 02:00 to 03:00; 02:30 does not exist and
  // fires at the change, 03:00 CEST (01:00 UTC); the next day as usual.
  const absl::Time spring = NextDailyTime(Local(2027, 3, 28, 0, 0), {2, 30}, cph);
  EXPECT_EQ(spring, Utc(2027, 3, 28, 1, 0));
  EXPECT_EQ(NextDailyTime(spring, {2, 30}, cph), Utc(2027, 3, 29, 0, 30));
  // 2026-10-25: 02:30 happens twice; the first (CEST, 00:30 UTC) fires, and
  // the next is the following day, not the repeat an hour later.
  const absl::Time first = NextDailyTime(Local(2026, 10, 25, 0, 0), {2, 30}, cph);
  EXPECT_EQ(first, Utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(NextDailyTime(first, {2, 30}, cph), Utc(2026, 10, 26, 1, 30));
}

TEST(RematchScheduleTest, SchedulerFiresWhenTheInjectedClockReachesTheTime) {
  auto now = std::make_shared<std::atomic<int64_t>>(absl::ToUnixMicros(Local(2026, 12, 1, 1, 59)));
  RematchSchedule schedule;
  schedule.at = {2, 0};
  schedule.zone = Copenhagen();
  schedule.clock = [now] { return absl::FromUnixMicros(now->load()); };
  schedule.poll = absl::Milliseconds(1);
  std::atomic<int> fired{0};
  RematchScheduler scheduler(schedule, [&fired] { ++fired; });
  EXPECT_EQ(scheduler.next(), Local(2026, 12, 1, 2, 0));
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(fired.load(), 0);
  // The clock jumps two days ahead: one firing, not one per missed day.
  *now = absl::ToUnixMicros(Local(2026, 12, 3, 2, 5));
  for (int i = 0; i < 1000 && scheduler.fired() == 0; ++i) absl::SleepFor(absl::Milliseconds(1));
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(fired.load(), 1);
  EXPECT_EQ(scheduler.next(), Local(2026, 12, 4, 2, 0));
}

std::string WriteConfig(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(RematchScheduleTest, ConfigSetsRetentionAndSchedule) {
  ServiceOptions options;
  EXPECT_EQ(options.rematch_keep_snapshots, 3);
  EXPECT_FALSE(options.rematch_schedule.has_value());
  ASSERT_TRUE(LoadConfigFile(WriteConfig("rematch.json",
                                         R"({"rematch": {"keep_snapshots": 5, "schedule": "02:15"}})"),
                             &options)
                  .ok());
  EXPECT_EQ(options.rematch_keep_snapshots, 5);
  ASSERT_TRUE(options.rematch_schedule.has_value());
  EXPECT_EQ(options.rematch_schedule->at.hour, 2);
  EXPECT_EQ(options.rematch_schedule->at.minute, 15);
  EXPECT_EQ(options.rematch_schedule->zone.name(), "Europe/Copenhagen");
  ServiceOptions overridden;
  ASSERT_TRUE(LoadConfig("", {{"rematch.schedule", "23:00"}, {"rematch.time_zone", "UTC"}},
                         &overridden)
                  .ok());
  EXPECT_EQ(overridden.rematch_schedule->zone.name(), "UTC");
}

TEST(RematchScheduleTest, ConfigSetsTheReportsSmallCountThreshold) {
  ServiceOptions options;
  EXPECT_EQ(options.report_min_cell_people, 5);
  ASSERT_TRUE(LoadConfig("", {{"rematch.report_min_cell_people", "10"}}, &options).ok());
  EXPECT_EQ(options.report_min_cell_people, 10);
  ASSERT_TRUE(LoadConfigFile(WriteConfig("cells.json", R"({"rematch": {"report_min_cell_people": 1}})"),
                             &options)
                  .ok());
  EXPECT_EQ(options.report_min_cell_people, 1);
}

TEST(RematchScheduleTest, BadRematchConfigIsAStartUpErrorNamingTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"rematch": {"keep_snapshots": 0}})", "rematch.keep_snapshots: must be within [1, 100]"},
      {R"({"rematch": {"report_min_cell_people": 0}})",
       "rematch.report_min_cell_people: must be within [1, 1000]"},
      {R"({"rematch": {"schedule": "2am"}})", "rematch.schedule: must be HH:MM"},
      {R"({"rematch": {"schedule": "25:00"}})", "rematch.schedule: must be HH:MM"},
      {R"({"rematch": {"schedule": "02:00", "time_zone": "Europe/Atlantis"}})",
       "rematch.time_zone: cannot load time zone \"Europe/Atlantis\""},
      {R"({"rematch": {"time_zone": "UTC"}})", "rematch.time_zone: needs rematch.schedule"},
      {R"({"rematch": {"schedul": "02:00"}})", "schedul"},
  };
  for (const auto& [json, expected] : cases) {
    ServiceOptions options;
    absl::Status s = LoadConfigFile(WriteConfig("bad_rematch.json", json), &options);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_NE(s.message().find(expected), std::string::npos) << s << "\nexpected: " << expected;
  }
}

}  // namespace
}  // namespace jobmatch
