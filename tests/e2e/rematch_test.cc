// The nightly rematch through a real server: the per-run report, the
// progress stream, retention of old snapshots, the daily schedule on an
// injected clock, and the run metrics.
#include <atomic>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "jobmatch/v1/audit_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/audit/audit_log.h"
#include "storage/snapshot_store.h"
#include "storage/store.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class RematchTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    rematch_ = v1::RematchService::NewStub(channel_);
  }
  void Restart() {
    rematch_.reset();
    ServiceFixture::Restart();
    rematch_ = v1::RematchService::NewStub(channel_);
  }
  // Aarhus seekers (some with a hard functional need), Copenhagen seekers
  // who cannot reach any vacancy, vacancies in Aarhus and one in Skagen.
  void PutData() {
    for (int i = 0; i < 24; ++i) {
      v1::Seeker s = ValidSeeker(absl::StrCat("a", i), i % 2 ? 8200 : 8210);
      if (i % 4 == 0) {
        auto* need = s.add_needs();
        need->set_accommodation(v1::STEP_FREE_ACCESS);
        need->set_strength(v1::HARD);
      }
      ASSERT_TRUE(PutSeeker(s).ok());
    }
    for (int i = 0; i < 10; ++i) {
      v1::Seeker s = ValidSeeker(absl::StrCat("k", i), 2100);
      s.set_target_group("aktivitetsparat");
      ASSERT_TRUE(PutSeeker(s).ok());
    }
    for (int i = 0; i < 6; ++i) {
      v1::Vacancy v = ValidVacancy(absl::StrCat("v", i), i % 2 ? 8000 : 8260);
      if (i == 0) {
        auto* a = v.add_accommodations();
        a->set_accommodation(v1::STEP_FREE_ACCESS);
        a->set_status(v1::IN_PLACE);
      }
      ASSERT_TRUE(PutVacancy(v).ok());
    }
    ASSERT_TRUE(PutVacancy(ValidVacancy("skagen", 9990)).ok());
  }
  v1::RematchRun StartRun(int k = 10) {
    v1::StartRematchRequest start;
    start.set_k(k);
    v1::RematchRun run;
    grpc::Status status = rematch_->StartRematch(Context().get(), start, &run);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return run;
  }
  // Follows the run over WatchRematchRun until the stream ends.
  std::vector<v1::RematchRun> Watch(const std::string& run_id, grpc::Status* status,
                                    int interval_millis = 5) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    v1::WatchRematchRunRequest request;
    request.set_run_id(run_id);
    request.set_interval_millis(interval_millis);
    auto reader = rematch_->WatchRematchRun(&context, request);
    std::vector<v1::RematchRun> seen;
    v1::RematchRun run;
    while (reader->Read(&run)) seen.push_back(run);
    *status = reader->Finish();
    return seen;
  }
  v1::RematchRun RunToEnd(int k = 10) {
    const v1::RematchRun started = StartRun(k);
    grpc::Status status;
    std::vector<v1::RematchRun> seen = Watch(started.run_id(), &status);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return seen.empty() ? started : seen.back();
  }
  grpc::StatusCode MatchesCode(const std::string& run_id, const std::string& seeker_id,
                               v1::RematchMatches* out = nullptr) {
    v1::GetRematchMatchesRequest request;
    request.set_run_id(run_id);
    request.set_seeker_id(seeker_id);
    v1::RematchMatches ignored;
    return rematch_->GetRematchMatches(Context().get(), request, out ? out : &ignored).error_code();
  }

  std::unique_ptr<v1::RematchService::Stub> rematch_;
};

TEST_F(RematchTest, ReportIsStoredWithTheSnapshotAndAgreesWithTheStoredLists) {
  PutData();
  const v1::RematchRun run = RunToEnd();
  ASSERT_EQ(run.state(), "DONE") << run.error();
  v1::GetRematchReportRequest request;
  v1::RematchReport report;
  ASSERT_TRUE(rematch_->GetRematchReport(Context().get(), request, &report).ok());
  EXPECT_EQ(report.run_id(), run.run_id());
  EXPECT_EQ(report.k(), 10);
  EXPECT_EQ(report.seekers(), 34u);
  EXPECT_EQ(report.vacancies(), 7u);

  // Recount coverage and best scores from the stored lists.
  std::map<std::string, std::pair<int, int>> by_municipality;  // code -> (seekers, matched)
  size_t matched = 0, scores = 0;
  std::set<double> best;
  for (const std::string prefix : {"a", "k"}) {
    for (int i = 0; i < (prefix == "a" ? 24 : 10); ++i) {
      v1::RematchMatches m;
      ASSERT_EQ(MatchesCode("", absl::StrCat(prefix, i), &m), grpc::StatusCode::OK);
      auto& row = by_municipality[prefix == "a" ? "751" : "101"];
      ++row.first;
      row.second += m.matches_size() > 0;
      matched += m.matches_size() > 0;
      scores += m.matches_size();
    }
  }
  EXPECT_EQ(report.seekers_with_match(), matched);
  EXPECT_EQ(report.all_scores().count(), scores);
  EXPECT_EQ(report.best_scores().count(), matched);
  ASSERT_EQ(report.by_municipality_size(), 2);
  for (const auto& row : report.by_municipality()) {
    EXPECT_EQ(int(row.seekers()), by_municipality[row.key()].first) << row.key();
    EXPECT_EQ(int(row.with_match()), by_municipality[row.key()].second) << row.key();
  }
  EXPECT_EQ(report.by_municipality(0).key(), "101");
  EXPECT_EQ(report.by_municipality(0).name(), "København");
  EXPECT_EQ(report.by_municipality(0).with_match(), 0u) << "Copenhagen is beyond 60 minutes";
  EXPECT_EQ(report.by_municipality(1).name(), "Aarhus");
  EXPECT_GT(report.by_municipality(1).with_match(), 0u);
  ASSERT_EQ(report.by_target_group_size(), 2);
  EXPECT_EQ(report.by_target_group(0).key(), "aktivitetsparat");
  EXPECT_EQ(report.by_target_group(1).key(), "jobparat");
  EXPECT_EQ(report.best_scores().histogram_size(), 20);
  EXPECT_EQ(report.best_scores().deciles_size(), 11);

  // Vacancies with no candidate, recounted from their stored lists.
  int without = 0;
  for (const std::string id : {"v0", "v1", "v2", "v3", "v4", "v5", "skagen"}) {
    v1::GetRematchMatchesRequest for_vacancy;
    for_vacancy.set_vacancy_id(id);
    v1::RematchMatches m;
    ASSERT_TRUE(rematch_->GetRematchMatches(Context().get(), for_vacancy, &m).ok());
    without += m.matches_size() == 0;
  }
  EXPECT_EQ(int(report.vacancies_without_candidate()), without);
  EXPECT_GE(without, 1) << "nobody in Aarhus or Copenhagen reaches Skagen within 60 minutes";

  // Fairness: the six seekers with a hard need against their peers.
  const v1::FairnessAudit& f = report.fairness();
  EXPECT_EQ(f.raw_with_needs().seekers(), 6u);
  EXPECT_EQ(f.raw_without_needs().seekers(), 28u);
  EXPECT_TRUE(f.small_sample());
  EXPECT_EQ(f.strata_size(), 16);
  EXPECT_NEAR(f.share_difference(), f.needs_share() - f.comparable_share(), 1e-12);
  // The report matches the run's own plain-vs-allocation figures.
  EXPECT_EQ(report.allocated().suggestions(), run.allocated().suggestions());
  EXPECT_EQ(report.plain().gini_suggestions_per_vacancy(), run.plain().gini_suggestions_per_vacancy());

  // By name too, and it survives a restart.
  Restart();
  request.set_run_id(run.run_id());
  v1::RematchReport again;
  ASSERT_TRUE(rematch_->GetRematchReport(Context().get(), request, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), report.SerializeAsString());
  request.set_run_id("20000101T000000-dead");
  EXPECT_EQ(rematch_->GetRematchReport(Context().get(), request, &again).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(RematchTest, WatchStreamsProgressUntilTheRunEnds) {
  PutData();
  grpc::Status status;
  EXPECT_TRUE(Watch("", &status).empty());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << "nothing is running";
  Watch("no-such-run", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  Watch("", &status, -1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("interval_millis"), std::string::npos);

  const v1::RematchRun started = StartRun();
  // A run that has not ended yet is not readable: never a partial snapshot.
  v1::GetRematchReportRequest report_request;
  report_request.set_run_id(started.run_id());
  v1::RematchReport report;
  const grpc::StatusCode early =
      rematch_->GetRematchReport(Context().get(), report_request, &report).error_code();
  EXPECT_TRUE(early == grpc::StatusCode::FAILED_PRECONDITION || early == grpc::StatusCode::OK);
  const std::vector<v1::RematchRun> seen = Watch(started.run_id(), &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(seen.empty());
  for (size_t i = 0; i + 1 < seen.size(); ++i) {
    EXPECT_EQ(seen[i].state(), "RUNNING");
    EXPECT_LE(seen[i].done(), seen[i + 1].done());
  }
  EXPECT_EQ(seen.back().state(), "DONE");
  EXPECT_EQ(seen.back().done(), 34u);
  EXPECT_EQ(seen.back().trigger(), "rpc");
  // A finished run: one message, then the stream ends.
  EXPECT_EQ(Watch(started.run_id(), &status).size(), 1u);
  EXPECT_TRUE(status.ok());
  EXPECT_TRUE(rematch_->GetRematchReport(Context().get(), report_request, &report).ok());
}

TEST_F(RematchTest, OldSnapshotsArePrunedKeepingTheNewest) {
  options_.rematch_keep_snapshots = 2;
  Restart();
  PutData();
  std::vector<std::string> runs;
  for (int i = 0; i < 3; ++i) {
    const v1::RematchRun run = RunToEnd();
    ASSERT_EQ(run.state(), "DONE");
    runs.push_back(run.run_id());
    absl::SleepFor(absl::Milliseconds(5));
  }
  v1::GetRematchRunRequest get;
  v1::RematchRun run;
  get.set_run_id(runs[0]);
  // Pruning follows the commit of the third run (which reads DONE at once).
  grpc::StatusCode code = grpc::StatusCode::OK;
  for (int i = 0; i < 500 && code != grpc::StatusCode::NOT_FOUND; ++i) {
    if (i > 0) absl::SleepFor(absl::Milliseconds(20));
    code = rematch_->GetRematchRun(Context().get(), get, &run).error_code();
  }
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(MatchesCode(runs[0], "a1"), grpc::StatusCode::NOT_FOUND);
  for (int i : {1, 2}) {
    get.set_run_id(runs[i]);
    EXPECT_TRUE(rematch_->GetRematchRun(Context().get(), get, &run).ok()) << i;
    EXPECT_EQ(MatchesCode(runs[i], "a1"), grpc::StatusCode::OK) << i;
  }
  get.set_run_id("");
  ASSERT_TRUE(rematch_->GetRematchRun(Context().get(), get, &run).ok());
  EXPECT_EQ(run.run_id(), runs[2]);

  // On disk: no key of the pruned run is left, every key of the kept ones is.
  service_->Shutdown();
  service_.reset();
  auto store = storage::Store::Open(storage::StoreOptions{dir_.path() + "/db"});
  ASSERT_TRUE(store.ok()) << store.status();
  auto counts = (*store)->snapshots().ListCounts();
  ASSERT_TRUE(counts.ok()) << counts.status();
  std::map<std::string, size_t> keys_per_run = *counts;
  EXPECT_EQ(keys_per_run.count(runs[0]), 0u);
  EXPECT_EQ(keys_per_run[runs[1]], 34u + 7u);
  EXPECT_EQ(keys_per_run[runs[2]], 34u + 7u);
  EXPECT_EQ((*store)->snapshots().ReadReport(runs[0]).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->snapshots().GetRun(runs[0]).status().code(), absl::StatusCode::kNotFound);
}

// A clock the test moves; the scheduler reads it every few milliseconds.
struct FakeClock {
  std::atomic<int64_t> micros{0};
  void Set(absl::Time t) { micros = absl::ToUnixMicros(t); }
  absl::Time Now() const { return absl::FromUnixMicros(micros.load()); }
};

TEST_F(RematchTest, ScheduleStartsADailyRunAtTheLocalTime) {
  absl::TimeZone copenhagen;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &copenhagen));
  auto clock = std::make_shared<FakeClock>();
  clock->Set(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 1, 59, 0), copenhagen));
  RematchSchedule schedule;
  schedule.at = {2, 0};
  schedule.zone = copenhagen;
  schedule.clock = [clock] { return clock->Now(); };
  schedule.poll = absl::Milliseconds(2);
  options_.rematch_schedule = schedule;
  Restart();
  PutData();
  ASSERT_NE(service_->rematch_scheduler(), nullptr);
  // 02:00 in Copenhagen in winter is 01:00 UTC.
  EXPECT_EQ(service_->rematch_scheduler()->next(),
            absl::FromCivil(absl::CivilSecond(2026, 12, 1, 1, 0, 0), absl::UTCTimeZone()));
  absl::SleepFor(absl::Milliseconds(50));
  v1::GetRematchRunRequest get;
  v1::RematchRun run;
  EXPECT_EQ(rematch_->GetRematchRun(Context().get(), get, &run).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "01:59: no run yet";
  clock->Set(absl::FromCivil(absl::CivilSecond(2026, 12, 1, 2, 0, 30), copenhagen));
  for (int i = 0; i < 500 && service_->rematch_scheduler()->fired() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(service_->rematch_scheduler()->fired(), 1);
  ASSERT_TRUE(rematch_->GetRematchRun(Context().get(), get, &run).ok());
  EXPECT_EQ(run.trigger(), "schedule");
  grpc::Status status;
  EXPECT_EQ(Watch(run.run_id(), &status).back().state(), "DONE");
  EXPECT_EQ(service_->rematch_scheduler()->next(),
            absl::FromCivil(absl::CivilSecond(2026, 12, 2, 2, 0, 0), copenhagen))
      << "next: tomorrow";
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(service_->rematch_scheduler()->fired(), 1) << "once per day";
}

TEST_F(RematchTest, RunOutcomesAndDurationAreInTheMetrics) {
  PutData();
  std::string text = service_->metrics().Scrape();
  EXPECT_NE(text.find(R"(jobmatch_rematch_runs_total{state="DONE"} 0)"), std::string::npos) << text;
  const v1::RematchRun run = RunToEnd();
  ASSERT_EQ(run.state(), "DONE");
  RunToEnd();
  text = service_->metrics().Scrape();
  EXPECT_NE(text.find(R"(jobmatch_rematch_runs_total{state="DONE"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(jobmatch_rematch_runs_total{state="FAILED"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find("jobmatch_rematch_seekers_done 34"), std::string::npos) << text;
  EXPECT_NE(text.find("jobmatch_rematch_seekers_total 34"), std::string::npos) << text;
  const size_t at = text.find("\njobmatch_rematch_last_run_seconds ");
  ASSERT_NE(at, std::string::npos) << text;
  const double seconds = std::atof(text.c_str() + at + 35);
  EXPECT_GT(seconds, 0);
  EXPECT_LT(seconds, 60);
  EXPECT_NE(text.find("jobmatch_rematch_last_run_finished_timestamp_seconds"), std::string::npos);
}

// Entries of the audit log whose method is `method`, in order.
std::vector<v1::AuditEntry> EntriesOf(const audit::AuditLog& log, const std::string& method) {
  std::vector<v1::AuditEntry> found;
  absl::Status s = log.Scan(0, [&](const v1::AuditEntry& e) {
    if (e.method() == method) found.push_back(e);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return found;
}

TEST_F(RematchTest, EveryRunAndEveryReadOfItsResultsIsInTheAuditLog) {
  PutData();
  const v1::RematchRun run = RunToEnd();
  ASSERT_EQ(run.state(), "DONE");
  const audit::AuditLog& log = service_->audit_log();

  // The run's own entries: started (before the pass) and ended, with its record.
  const auto started = EntriesOf(log, "jobmatchd/RematchRunStarted");
  const auto ended = EntriesOf(log, "jobmatchd/RematchRunEnded");
  ASSERT_EQ(started.size(), 1u);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_LT(started[0].sequence(), ended[0].sequence());
  EXPECT_EQ(started[0].caller_id(), "jobmatchd");
  EXPECT_EQ(started[0].rematch_run().run_id(), run.run_id());
  EXPECT_EQ(started[0].rematch_run().state(), "RUNNING");
  EXPECT_EQ(started[0].rematch_run().trigger(), "rpc");
  EXPECT_EQ(started[0].rematch_run().policy_version(), run.policy_version());
  EXPECT_EQ(started[0].rematch_run().data_sequence(), run.data_sequence());
  EXPECT_EQ(started[0].rematch_run().k(), 10);
  EXPECT_EQ(ended[0].status_code(), "OK");
  EXPECT_EQ(ended[0].rematch_run().state(), "DONE");
  EXPECT_EQ(ended[0].rematch_run().seekers(), run.seekers());
  EXPECT_EQ(ended[0].rematch_run().feasible_pairs(), run.feasible_pairs());
  EXPECT_GT(run.feasible_pairs(), 0u);
  // The StartRematch call (its caller) names the run it started.
  const auto start_calls = EntriesOf(log, "/jobmatch.v1.RematchService/StartRematch");
  ASSERT_EQ(start_calls.size(), 1u);
  EXPECT_EQ(start_calls[0].decision().rematch_run_id(), run.run_id());

  // A read of a stored list names its run, the run's policy and data, and the list.
  for (const bool for_seeker : {true, false}) {
    v1::GetRematchMatchesRequest request;
    if (for_seeker) request.set_seeker_id("a1");
    else request.set_vacancy_id("v1");
    v1::RematchMatches list;
    ASSERT_TRUE(rematch_->GetRematchMatches(Context().get(), request, &list).ok());
    ASSERT_GT(list.matches_size(), 0) << "the data gives both a list";
    const auto reads = EntriesOf(log, "/jobmatch.v1.RematchService/GetRematchMatches");
    ASSERT_FALSE(reads.empty());
    const v1::AuditDecision& d = reads.back().decision();
    EXPECT_EQ(d.query(), "REMATCH_MATCHES");
    EXPECT_EQ(d.rematch_run_id(), run.run_id());
    EXPECT_EQ(d.policy_version(), run.policy_version());
    EXPECT_EQ(d.data_sequence(), run.data_sequence());
    EXPECT_EQ(d.computed_at_micros(), run.started_micros());
    EXPECT_EQ(d.seeker_id(), request.seeker_id());
    EXPECT_EQ(d.vacancy_id(), request.vacancy_id());
    ASSERT_EQ(d.ranking_size(), list.matches_size());
    for (int i = 0; i < list.matches_size(); ++i) {
      EXPECT_EQ(d.ranking(i).id(), list.matches(i).id());
      EXPECT_EQ(d.ranking(i).rank(), list.matches(i).rank());
      // The response's scores pass the caller's view; the entry keeps the
      // score the list is ranked by, exactly (as for live queries).
      EXPECT_GT(d.ranking(i).score(), 0.0);
      if (i > 0) {
        EXPECT_LE(d.ranking(i).score(), d.ranking(i - 1).score());
      }
    }
  }
  v1::GetRematchReportRequest report_request;
  v1::RematchReport report;
  ASSERT_TRUE(rematch_->GetRematchReport(Context().get(), report_request, &report).ok());
  const auto report_reads = EntriesOf(log, "/jobmatch.v1.RematchService/GetRematchReport");
  ASSERT_EQ(report_reads.size(), 1u);
  EXPECT_EQ(report_reads[0].decision().rematch_run_id(), run.run_id());
  EXPECT_EQ(report_reads[0].decision().policy_version(), run.policy_version());

  // Replay does not pretend to recompute a stored answer.
  auto audit = v1::AuditService::NewStub(channel_);
  v1::ReplayRequest replay;
  replay.set_sequence(
      EntriesOf(log, "/jobmatch.v1.RematchService/GetRematchMatches").back().sequence());
  v1::ReplayResponse replayed;
  grpc::Status refused = audit->Replay(Context().get(), replay, &replayed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find(run.run_id()), std::string::npos)
      << refused.error_message();

  auto verified = service_->audit_log().Verify();
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact());
}

TEST_F(RematchTest, ARunACrashInterruptedGetsItsEndEntryAtTheNextStart) {
  PutData();
  // A run left in progress, as a kill -9 during the pass leaves it.
  service_->Shutdown();
  service_.reset();
  {
    storage::StoreOptions options;
    options.path = dir_.path() + "/db";
    auto store = storage::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    v1::RematchRun left;
    left.set_run_id("20261203T010000-beef");
    left.set_state("RUNNING");
    left.set_k(7);
    left.set_trigger("schedule");
    left.set_started_micros(absl::ToUnixMicros(absl::Now() - absl::Minutes(5)));
    ASSERT_TRUE((*store)->snapshots().BeginRun(left).ok());
  }
  Restart();  // Recover: abandons it and starts it again
  grpc::Status status;
  Watch("", &status);  // until the restarted run has ended
  const audit::AuditLog& log = service_->audit_log();
  const auto ended = EntriesOf(log, "jobmatchd/RematchRunEnded");
  ASSERT_GE(ended.size(), 1u);
  EXPECT_EQ(ended[0].rematch_run().run_id(), "20261203T010000-beef");
  EXPECT_EQ(ended[0].rematch_run().state(), "FAILED");
  EXPECT_EQ(ended[0].status_code(), "ABORTED");
  EXPECT_NE(ended[0].rematch_run().error().find("interrupted"), std::string::npos);
  const auto started = EntriesOf(log, "jobmatchd/RematchRunStarted");
  ASSERT_EQ(started.size(), 1u) << "the interrupted run's own start entry predates this log "
                                   "(written directly to the store above)";
  EXPECT_EQ(started[0].rematch_run().trigger(), "restart");
  EXPECT_EQ(started[0].rematch_run().k(), 7) << "restarted with the same parameters";
  EXPECT_LT(ended[0].sequence(), started[0].sequence());
}

}  // namespace
}  // namespace jobmatch::testing
