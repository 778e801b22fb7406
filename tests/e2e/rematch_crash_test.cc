// jobmatchd killed with SIGKILL at random points during a rematch run on
// generated data (3,000 seekers, 720 vacancies), then restarted: the current
// snapshot is always a complete one (the previous or the new), a killed run
// is never left RUNNING and never readable, the interrupted run is restarted
// and completes, and no partial snapshot key survives on disk.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "grpc_health/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "storage/snapshot_store.h"
#include "storage/store.h"
#include "tests/e2e/jobmatchd_process.h"

namespace {

namespace v1 = jobmatch::v1;

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

class Daemon : public jobmatch::testing::JobmatchdProcess {
 public:
  explicit Daemon(std::string dir)
      : JobmatchdProcess(JOBMATCHD_PATH, std::move(dir), Options{{}, false, 600}) {}
  // Starts jobmatchd on the data folder and waits until it serves.
  bool Start() {
    if (!JobmatchdProcess::Start()) return false;
    rematch = v1::RematchService::NewStub(channel());
    seekers = v1::SeekerService::NewStub(channel());
    return true;
  }
  int Kill(int signal) {
    rematch.reset();
    seekers.reset();
    return JobmatchdProcess::Kill(signal);
  }

  std::unique_ptr<v1::RematchService::Stub> rematch;
  std::unique_ptr<v1::SeekerService::Stub> seekers;
};

grpc::Status GetRun(Daemon& d, const std::string& id, v1::RematchRun* run) {
  grpc::ClientContext context;
  context.set_deadline(In(10));
  v1::GetRematchRunRequest request;
  request.set_run_id(id);
  return d.rematch->GetRematchRun(&context, request, run);
}

// Follows a run to its end over the progress stream.
v1::RematchRun WaitForEnd(Daemon& d, const std::string& id) {
  grpc::ClientContext context;
  context.set_deadline(In(120));
  v1::WatchRematchRunRequest request;
  request.set_run_id(id);
  request.set_interval_millis(20);
  auto reader = d.rematch->WatchRematchRun(&context, request);
  v1::RematchRun run, last;
  while (reader->Read(&run)) last = run;
  EXPECT_TRUE(reader->Finish().ok());
  return last;
}

std::vector<std::string> SomeSeekerIds(Daemon& d, int n) {
  grpc::ClientContext context;
  context.set_deadline(In(10));
  v1::ListSeekersRequest request;
  request.set_page_size(n);
  v1::ListSeekersResponse response;
  EXPECT_TRUE(d.seekers->List(&context, request, &response).ok());
  std::vector<std::string> ids;
  for (const auto& s : response.seekers()) ids.push_back(s.seeker().id());
  return ids;
}

// The current snapshot is complete: its run is DONE and its report and
// every sampled seeker's list are readable. The restarted run may become
// current meanwhile: every list read from "current" comes from a DONE run.
void ExpectCompleteCurrent(Daemon& d, const std::vector<std::string>& sample,
                           uint64_t seekers, std::string* current_id) {
  grpc::ClientContext context;
  context.set_deadline(In(10));
  v1::RematchReport report;
  ASSERT_TRUE(d.rematch->GetRematchReport(&context, v1::GetRematchReportRequest(), &report).ok());
  EXPECT_EQ(report.seekers(), seekers);
  std::set<std::string> seen = {report.run_id()};
  for (const std::string& id : sample) {
    for (const std::string& run_id : {report.run_id(), std::string()}) {
      grpc::ClientContext c;
      c.set_deadline(In(10));
      v1::GetRematchMatchesRequest request;
      request.set_run_id(run_id);
      request.set_seeker_id(id);
      v1::RematchMatches matches;
      ASSERT_TRUE(d.rematch->GetRematchMatches(&c, request, &matches).ok()) << id;
      if (!run_id.empty()) {
        EXPECT_EQ(matches.run_id(), run_id);
      }
      seen.insert(matches.run_id());
    }
  }
  for (const std::string& run_id : seen) {
    v1::RematchRun run;
    ASSERT_TRUE(GetRun(d, run_id, &run).ok());
    EXPECT_EQ(run.state(), "DONE") << run_id;
  }
  *current_id = report.run_id();
}

TEST(RematchCrashTest, SigkillDuringARunNeverLeavesAPartialSnapshotAndTheRunRestarts) {
  const std::string dir = ::testing::TempDir() + "/rematch-crash-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string generate = std::string(JOBMATCH_DATAGEN_PATH) + " --scale=0.012 --data_dir=" +
                               dir + "/db > " + dir + "/datagen.log 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0) << generate;

  Daemon d(dir);
  ASSERT_TRUE(d.Start());
  const std::vector<std::string> sample = SomeSeekerIds(d, 200);
  ASSERT_EQ(sample.size(), 200u);
  // A first complete snapshot, and how long a run takes here.
  v1::RematchRun run;
  {
    grpc::ClientContext context;
    context.set_deadline(In(10));
    v1::StartRematchRequest start;
    start.set_k(20);
    ASSERT_TRUE(d.rematch->StartRematch(&context, start, &run).ok());
  }
  const auto t0 = std::chrono::steady_clock::now();
  run = WaitForEnd(d, run.run_id());
  const double run_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(run.state(), "DONE") << run.error();
  const uint64_t seekers = run.seekers();
  const uint64_t vacancies = run.vacancies();
  ASSERT_EQ(seekers, 3000u);
  std::string current;
  ExpectCompleteCurrent(d, sample, seekers, &current);

  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  // Anywhere in the run, and (every other cycle) in its last part, where
  // the snapshot is written.
  std::uniform_real_distribution<double> anywhere(0.0, 1.1), late(0.6, 1.0);
  int interrupted = 0, completed_before_kill = 0;
  std::string to_kill;  // a run in progress after the restart (the restarted one)
  for (int cycle = 0; cycle < 8; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle) + ", seed " + std::to_string(seed));
    if (to_kill.empty()) {
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::StartRematchRequest start;
      start.set_k(20);
      ASSERT_TRUE(d.rematch->StartRematch(&context, start, &run).ok());
      to_kill = run.run_id();
    }
    const auto delay = std::chrono::microseconds(static_cast<int64_t>(
        (cycle % 2 ? late(random) : anywhere(random)) * run_ms * 1000));
    std::this_thread::sleep_for(delay);
    const int status = d.Kill(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;

    ASSERT_TRUE(d.Start());
    const std::string previous = current;
    ExpectCompleteCurrent(d, sample, seekers, &current);
    v1::RematchRun killed;
    ASSERT_TRUE(GetRun(d, to_kill, &killed).ok());
    if (killed.state() == "DONE") {
      ++completed_before_kill;
      EXPECT_EQ(current, to_kill) << "a run that completed is current";
      to_kill.clear();
    } else {
      ++interrupted;
      EXPECT_EQ(killed.state(), "FAILED");
      EXPECT_NE(killed.error().find("interrupted"), std::string::npos) << killed.error();

      // Its partial snapshot is not readable.
      grpc::ClientContext context;
      context.set_deadline(In(10));
      v1::GetRematchMatchesRequest request;
      request.set_run_id(to_kill);
      request.set_seeker_id(sample[0]);
      v1::RematchMatches matches;
      EXPECT_EQ(d.rematch->GetRematchMatches(&context, request, &matches).error_code(),
                grpc::StatusCode::FAILED_PRECONDITION);
      // ...and it was started again (running now, or done and current).
      v1::RematchRun restarted;
      ASSERT_TRUE(GetRun(d, "", &restarted).ok());
      EXPECT_EQ(restarted.trigger(), "restart");
      EXPECT_TRUE(current == previous || current == restarted.run_id())
          << "current is the previous complete snapshot or the restarted run's";
      EXPECT_NE(restarted.run_id(), to_kill);
      EXPECT_EQ(restarted.k(), 20);
      to_kill = restarted.state() == "RUNNING" ? restarted.run_id() : "";
      if (restarted.state() == "DONE") ExpectCompleteCurrent(d, sample, seekers, &current);
    }
  }
  // How many kills landed while the snapshot was being written (jobmatchd
  // logs the partial keys it deleted at start-up).
  int partial = 0;
  {
    std::ifstream log(dir + "/jobmatchd.log");
    for (std::string line; std::getline(log, line);) {
      partial += line.find("keys of its partial snapshot") != std::string::npos;
    }
  }
  std::printf("rematch crash test: run %.0f ms, %d kills mid-run (%d while writing the "
              "snapshot), %d after completion (seed %u)\n",
              run_ms, interrupted, partial, completed_before_kill, seed);
  EXPECT_GE(interrupted, 1) << "no kill landed during a run: the test tested nothing";

  // A new run completes after all that.
  if (!to_kill.empty()) {
    run = WaitForEnd(d, to_kill);
    EXPECT_EQ(run.state(), "DONE") << run.error();
  }
  {
    grpc::ClientContext context;
    context.set_deadline(In(10));
    ASSERT_TRUE(d.rematch->StartRematch(&context, v1::StartRematchRequest(), &run).ok());
  }
  run = WaitForEnd(d, run.run_id());
  ASSERT_EQ(run.state(), "DONE") << run.error();
  ExpectCompleteCurrent(d, sample, seekers, &current);
  EXPECT_EQ(current, run.run_id());
  ASSERT_EQ(WEXITSTATUS(d.Kill(SIGTERM)), 0);

  // On disk: only complete runs have keys, each a full snapshot (kept: 3).
  auto store = jobmatch::storage::Store::Open(jobmatch::storage::StoreOptions{dir + "/db"});
  ASSERT_TRUE(store.ok()) << store.status();
  auto counts = (*store)->snapshots().ListCounts();
  ASSERT_TRUE(counts.ok()) << counts.status();
  const std::map<std::string, size_t>& keys = *counts;
  EXPECT_LE(keys.size(), 3u);
  auto in_progress = (*store)->snapshots().InProgress();
  ASSERT_TRUE(in_progress.ok()) << in_progress.status();
  EXPECT_FALSE(in_progress->has_value());
  for (const auto& [run_id, count] : keys) {
    auto stored = (*store)->snapshots().GetRun(run_id);
    ASSERT_TRUE(stored.ok()) << "keys of an unknown run " << run_id;
    const v1::RematchRun& r = *stored;
    EXPECT_EQ(r.state(), "DONE") << run_id << " has snapshot keys but is " << r.state();
    EXPECT_EQ(count, seekers + vacancies) << run_id;
  }
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
