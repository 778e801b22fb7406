// Read replica figures (docs/operations.md, "Read replica"): a primary and a
// read replica in one process over one data folder (generated data written
// straight into RocksDB), each with its own gRPC server on loopback.
//   build/bench/server/replica_bench --scale=national --writes=200 --burst=5000
// Reports: the primary's and the replica's start-up (open + index rebuild),
// the lag of single writes (primary acknowledges an Upsert -> the replica's
// Get returns the new version), and the catch-up of a burst (an Import of
// --burst seekers on the primary -> the replica has applied all of it).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "grpcpp/grpcpp.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "server/jobmatch_service.h"

ABSL_FLAG(std::string, scale, "0.1", "Data size: municipality, region, national or a fraction.");
ABSL_FLAG(int, writes, 200, "Single writes whose replica lag is measured, one at a time.");
ABSL_FLAG(int, burst, 5000, "Seekers re-imported at once on the primary (0 = skip).");
ABSL_FLAG(int, poll_ms, 100, "The replica's catch-up interval (config replica_poll_ms).");

namespace {

using namespace jobmatch;  // NOLINT: a small program

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string ref = matcher::ReferenceData::SourceTreeDataDir();
  auto data = std::move(*matcher::ReferenceData::Load(ref));
  datagen::GeneratorOptions gen_options;
  if (!datagen::ApplyScale(absl::GetFlag(FLAGS_scale), &gen_options).ok()) return 64;
  auto gen = std::move(*datagen::Generator::Create(data.get(), ref, gen_options));
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrFormat("replica_bench_%d", getpid());
  const std::string primary_dir = (dir / "primary").string();

  std::vector<v1::Seeker> some_seekers;
  size_t seekers = 0, vacancies = 0;
  absl::Time t0 = absl::Now();
  {
    auto store = std::move(*storage::Store::Open({primary_dir}));
    std::vector<storage::PutRequest> batch;
    auto flush = [&](storage::RecordKind kind) {
      store->PutBatch(kind, std::move(batch), absl::Now());
      batch.clear();
    };
    gen->Employers([&](const v1::Employer& e) { batch.push_back({e.id(), e.SerializeAsString(), std::nullopt}); });
    flush(storage::RecordKind::kEmployer);
    gen->Seekers([&](const v1::Seeker& s) {
      ++seekers;
      if (some_seekers.size() < static_cast<size_t>(std::max(absl::GetFlag(FLAGS_burst), 1))) {
        some_seekers.push_back(s);
      }
      batch.push_back({s.id(), s.SerializeAsString(), std::nullopt});
      if (batch.size() == 4096) flush(storage::RecordKind::kSeeker);
    });
    flush(storage::RecordKind::kSeeker);
    gen->Vacancies([&](const v1::Vacancy& v) {
      ++vacancies;
      batch.push_back({v.id(), v.SerializeAsString(), std::nullopt});
      if (batch.size() == 4096) flush(storage::RecordKind::kVacancy);
    });
    flush(storage::RecordKind::kVacancy);
  }
  std::printf("data: %zu seekers, %zu vacancies (scale %s), written directly in %.2f s\n",
              seekers, vacancies, absl::GetFlag(FLAGS_scale).c_str(),
              absl::ToDoubleSeconds(absl::Now() - t0));

  ServiceOptions options;
  options.server.listen_address = "127.0.0.1:0";
  options.data_dir = primary_dir;
  options.reference_data_dir = ref;
  t0 = absl::Now();
  auto primary = JobmatchService::Start(options);
  if (!primary.ok()) {
    std::fprintf(stderr, "primary: %s\n", primary.status().ToString().c_str());
    return 1;
  }
  std::printf("primary start-up: %.2f s (index rebuild %.2f s)\n",
              absl::ToDoubleSeconds(absl::Now() - t0),
              absl::ToDoubleSeconds((*primary)->rebuild_stats().took));

  ServiceOptions replica_options = options;
  replica_options.data_dir = (dir / "replica").string();
  replica_options.replica_of = primary_dir;
  replica_options.replica_poll = absl::Milliseconds(absl::GetFlag(FLAGS_poll_ms));
  t0 = absl::Now();
  auto replica = JobmatchService::Start(replica_options);
  if (!replica.ok()) {
    std::fprintf(stderr, "replica: %s\n", replica.status().ToString().c_str());
    return 1;
  }
  std::printf("replica start-up: %.2f s (index rebuild %.2f s, %zu seekers, %zu vacancies)\n",
              absl::ToDoubleSeconds(absl::Now() - t0),
              absl::ToDoubleSeconds((*replica)->rebuild_stats().took),
              (*replica)->rebuild_stats().seekers, (*replica)->rebuild_stats().vacancies);

  auto channel = [](int port) {
    return grpc::CreateChannel(absl::StrFormat("127.0.0.1:%d", port),
                               grpc::InsecureChannelCredentials());
  };
  auto to_primary = v1::SeekerService::NewStub(channel((*primary)->port()));
  auto to_replica = v1::SeekerService::NewStub(channel((*replica)->port()));

  // Single writes, one at a time: acknowledged on the primary -> readable
  // on the replica.
  std::vector<double> lag_ms;
  int errors = 0;
  for (int i = 0; i < absl::GetFlag(FLAGS_writes) && !some_seekers.empty(); ++i) {
    v1::Seeker s = some_seekers[i % some_seekers.size()];
    s.set_max_commute_minutes(30 + i % 60);
    v1::UpsertSeekerRequest put;
    *put.mutable_seeker() = s;
    v1::WriteResult written;
    grpc::ClientContext put_context;
    if (!to_primary->Upsert(&put_context, put, &written).ok()) {
      ++errors;
      continue;
    }
    const absl::Time acked = absl::Now();
    for (;;) {
      grpc::ClientContext get_context;
      v1::GetSeekerRequest get;
      get.set_id(s.id());
      v1::GetSeekerResponse got;
      if (to_replica->Get(&get_context, get, &got).ok() &&
          got.meta().version() >= written.version()) {
        break;
      }
      if (absl::Now() - acked > absl::Seconds(30)) {
        ++errors;
        break;
      }
      absl::SleepFor(absl::Milliseconds(1));
    }
    lag_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - acked));
  }
  std::printf("single-write lag (poll %d ms): p50 %.1f ms  p95 %.1f ms  max %.1f ms  "
              "(%zu writes, %d errors)\n",
              absl::GetFlag(FLAGS_poll_ms), Percentile(lag_ms, 0.5), Percentile(lag_ms, 0.95),
              Percentile(lag_ms, 1.0), lag_ms.size(), errors);

  // A burst: one Import of `burst` seekers, then until the replica's index
  // has every change.
  if (absl::GetFlag(FLAGS_burst) > 0) {
    grpc::ClientContext context;
    v1::ImportResponse response;
    t0 = absl::Now();
    auto writer = to_primary->Import(&context, &response);
    v1::ImportSeekerRequest request;
    for (auto& s : some_seekers) {
      s.set_max_commute_minutes(45);
      *request.mutable_seeker() = s;
      writer->Write(request);
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    const absl::Time imported = absl::Now();
    const uint64_t target = (*primary)->store_for_test().LastSequence();
    while ((*replica)->replica_follower()->lag().applied_sequence < target &&
           absl::Now() - imported < absl::Seconds(300)) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    const ReplicaLag lag = (*replica)->replica_follower()->lag();
    std::printf("burst: %u seekers imported on the primary in %.2f s (%s); replica applied all "
                "%.0f ms after the import ended (applied %lu of %lu; reopens %lu)\n",
                response.accepted(), absl::ToDoubleSeconds(imported - t0),
                status.ok() ? "ok" : status.error_message().c_str(),
                absl::ToDoubleMilliseconds(absl::Now() - imported),
                static_cast<unsigned long>(lag.applied_sequence),
                static_cast<unsigned long>(target), static_cast<unsigned long>(lag.reopens));
  }
  to_primary.reset();
  to_replica.reset();
  (*replica)->Shutdown();
  (*primary)->Shutdown();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return errors == 0 ? 0 : 1;
}
