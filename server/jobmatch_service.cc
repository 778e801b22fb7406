#include "server/jobmatch_service.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/admin_service.h"
#include "server/candidate_service.h"
#include "server/refusal_trace.h"
#include "server/auth/server_security.h"
#include "server/audit/audit_service.h"
#include "server/rematch_service.h"
#include "server/employer_bridge_service.h"
#include "server/placement_import_service.h"
#include "server/placement_report.h"
#include "server/report_suppression.h"
#include "server/seeker_priority.h"
#include "server/skill_gap_report.h"
#include "server/upskilling_service.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace jobmatch {
namespace {

// The course catalogue named in the options, else the reference data's if
// present; null when there is none.
absl::StatusOr<std::unique_ptr<matcher::CourseCatalogue>> LoadCourses(
    const ServiceOptions& options, const matcher::Taxonomy& taxonomy) {
  const bool named = !options.course_catalogue.empty();
  const std::string path = named ? options.course_catalogue
                                 : options.reference_data_dir + "/courses/courses.tsv";
  auto catalogue = matcher::CourseCatalogue::Load(path, taxonomy);
  if (!named && absl::IsNotFound(catalogue.status())) {
    return std::unique_ptr<matcher::CourseCatalogue>();
  }
  return catalogue;
}

// Index sizes and the progress of the rematch run in progress (or of the
// current one when none is running), read at every scrape.
void AddServiceGauges(const matcher::MatchIndex* index, const RematchRunner* rematch,
                      Metrics* metrics) {
  using Values = std::vector<std::pair<std::string, double>>;
  metrics->AddScrapedGauge("jobmatch_index_records", "Records in the in-memory match index",
                           "kind", [index] {
                             return Values{{"seeker", double(index->seeker_count())},
                                           {"vacancy", double(index->vacancy_count())}};
                           });
  auto run_value = [rematch](double (*field)(const v1::RematchRun&)) {
    return [rematch, field] {
      auto run = rematch->Get("");
      return run.ok() ? Values{{"", field(*run)}} : Values{};
    };
  };
  metrics->AddScrapedGauge("jobmatch_rematch_running", "1 while a rematch run is in progress", "",
                           [rematch] {
                             auto run = rematch->Get("");
                             return Values{{"", run.ok() && run->state() == "RUNNING" ? 1.0 : 0.0}};
                           });
  metrics->AddScrapedGauge("jobmatch_rematch_seekers_done",
                           "Seekers done by the running (else the current) rematch run", "",
                           run_value([](const v1::RematchRun& r) { return double(r.done()); }));
  metrics->AddScrapedGauge("jobmatch_rematch_seekers_total",
                           "Seekers in the running (else the current) rematch run", "",
                           run_value([](const v1::RematchRun& r) { return double(r.total()); }));
  metrics->AddScrapedGauge("jobmatch_rematch_seekers_per_second",
                           "Rate of the running (else the current) rematch run", "",
                           run_value([](const v1::RematchRun& r) { return r.rate_per_second(); }));
}

}  // namespace

absl::StatusOr<std::unique_ptr<JobmatchService>> JobmatchService::Start(
    const ServiceOptions& options) {
  if (absl::Status s = options.policy.Validate(); !s.ok()) return s;
  auto security = MakeTransportSecurity(options.security, options.server.listen_address);
  if (!security.ok()) return security.status();
  std::unique_ptr<JobmatchService> service(new JobmatchService());
  auto data = matcher::ReferenceData::Load(options.reference_data_dir,
                                           options.travel_time_matrix);
  if (!data.ok()) return data.status();
  service->data_ = std::move(*data);
  const bool replica = !options.replica_of.empty();
  if (replica) {
    if (absl::Status s = service->OpenReplicaStores(options); !s.ok()) return s;
  } else {
    auto store = storage::Store::Open(storage::StoreOptions{options.data_dir});
    if (!store.ok()) return store.status();
    service->store_ = std::move(*store);
  }
  service->scorer_ = std::make_unique<matcher::Scorer>(
      service->data_->taxonomy.get(), service->data_->commute.get(), service->data_->schemes.get());
  service->index_ = std::make_unique<matcher::MatchIndex>(service->scorer_.get(), options.policy);
  auto courses = LoadCourses(options, *service->data_->taxonomy);
  if (!courses.ok()) return courses.status();
  service->courses_ = std::move(*courses);
  service->keeper_ = std::make_unique<RecordKeeper>(service->store_.get(), service->index_.get(),
                                                    service->data_.get());
  // Recorded feedback, as storage holds it (before any call can add to it).
  service->feedback_ = std::make_unique<FeedbackLedger>();
  if (absl::Status s = service->feedback_->Load(*service->store_); !s.ok()) return s;
  service->keeper_->set_feedback_ledger(service->feedback_.get());

  auto* keeper = service->keeper_.get();
  const ScopeOfCall scope_of = options.scope_of ? options.scope_of : security->scope_of;
  audit::AuditLogOptions audit_options;
  audit_options.retention = options.audit_retention;
  if (options.audit_clock) audit_options.clock = options.audit_clock;
  service->audit_log_ = std::make_unique<audit::AuditLog>(
      replica ? service->audit_store_.get() : service->store_.get(), audit_options);
  if (auto pruned = service->audit_log_->Prune(); !pruned.ok()) return pruned.status();
  service->auditor_ =
      std::make_unique<audit::Auditor>(service->audit_log_.get(), service->store_.get());
  const audit::Auditor* auditor = service->auditor_.get();
  RecordServiceLimits record_limits = options.record_limits;
  record_limits.import_response_bytes =
      std::min<size_t>(record_limits.import_response_bytes,
                       static_cast<size_t>(options.server.max_message_bytes) / 2);
  const matcher::MatchIndex* index = service->index_.get();
  service->calls_ = std::make_unique<CallContexts>(
      auditor, scope_of,
      [index](const std::string& id) -> std::optional<int> {
        auto seeker = index->SeekerScope(id);
        if (!seeker) return std::nullopt;
        return seeker->municipality;
      },
      [index](const std::string& id) {
        auto seeker = index->SeekerScope(id);
        return seeker.has_value() && seeker->consent_share_needs;
      });
  const CallContexts* calls = service->calls_.get();
  service->services_.push_back(MakeSeekerService(keeper, record_limits, calls));
  service->services_.push_back(MakeVacancyService(keeper, record_limits, calls));
  service->services_.push_back(MakeEmployerService(keeper, record_limits, calls));
  auto metrics = Metrics::Create(options.metrics_listen);
  if (!metrics.ok()) return metrics.status();
  service->metrics_ = std::move(*metrics);
  MatchServiceOptions match_options = options.match_options;
  match_options.feedback_ledger = service->feedback_.get();
  service->services_.push_back(MakeMatchService(service->index_.get(), service->store_.get(),
                                                service->metrics_.get(), service->data_.get(),
                                                match_options, &service->stopping_,
                                                calls, keeper));
  service->services_.push_back(MakePlacementImportService(
      service->index_.get(), service->store_.get(), service->feedback_.get(), calls));
  service->services_.push_back(
      MakeEmployerBridgeService(keeper, service->index_.get(), calls));
  service->services_.push_back(MakeUpskillingService(
      service->index_.get(), service->scorer_.get(), service->store_.get(), service->data_.get(),
      service->courses_.get(), calls));
  service->services_.push_back(audit::MakeAuditService(auditor, calls, service->index_.get(),
                                                       service->store_.get(),
                                                       service->data_.get()));
  RematchRunnerOptions rematch_options;
  rematch_options.threads = options.rematch_threads;
  rematch_options.keep_snapshots = options.rematch_keep_snapshots;
  rematch_options.feedback = service->feedback_.get();
  rematch_options.audit_log = service->audit_log_.get();
  rematch_options.clock = options.rematch_clock;
  // Disclosure control: counts perturbed by cell keys with small-count suppression.
  rematch_options.perturb_report_counts = options.report_min_cell_people > 1;
  Metrics* metrics_ptr = service->metrics_.get();
  rematch_options.on_finish = [metrics_ptr](const v1::RematchRun& run) {
    metrics_ptr->RecordRematchRun(run.state(),
                                  (run.finished_micros() - run.started_micros()) / 1e6);
  };
  const matcher::Geography* geography = service->data_->geography.get();
  rematch_options.municipality_name = [geography](int code) {
    const matcher::Municipality* m = geography->FindMunicipality(code);
    return m != nullptr ? m->name : std::string();
  };
  rematch_options.extend_report = [svc = service.get(),
                                   municipality_name = rematch_options.municipality_name,
                                   min_cell = static_cast<uint64_t>(
                                       std::max(1, options.report_min_cell_people))](
                                      const matcher::BulkTopKResult& result,
                                      v1::RematchReport* report) {
    AddSkillGapSection(*svc->index_, *svc->scorer_, svc->courses_.get(), result, absl::Now(),
                       kReportSkillGapSeekers, report);
    AddPrioritySection(*svc->keeper_, result, absl::Now(), report);
    if (absl::Status placed =
            AddPlacementSection(*svc->store_, *svc->index_, municipality_name, min_cell, report);
        !placed.ok()) {
      std::fprintf(stderr, "rematch report: placement outcomes left out: %s\n",
                   placed.ToString().c_str());
    }
    // Last: every section's small cells (docs/rematch.md, "Small counts").
    SuppressSmallReportCells(min_cell, report);
  };
  service->rematch_ = std::make_unique<RematchRunner>(
      service->index_.get(), service->store_.get(), std::move(rematch_options));
  service->services_.push_back(
      MakeRematchService(service->rematch_.get(), &service->stopping_, calls));
  service->services_.push_back(MakeAdminService(service->store_.get(), options.backup_dir, calls));
  service->services_.push_back(MakeCandidateService(service->index_.get(), service->store_.get(),
                                                    service->data_.get(), calls));
  if (replica) service->calls_->ServeAsReplica(service->replica_policy_.get());
  if (security->authenticator != nullptr && !options.scope_of) {
    service->calls_->RequireAuthorisation(&security->authenticator->policy());
  }
  if (security->authenticator != nullptr) {
    security->authenticator->set_refusal_observer(
        MakeRefusalTrace(service->metrics_.get(), service->auditor_.get()));
  }
  std::vector<grpc::Service*> raw;
  for (auto& s : service->services_) raw.push_back(s.get());
  AddServiceGauges(service->index_.get(), service->rematch_.get(), service->metrics_.get());
  // Metrics and logs first, so that they also see calls that security's
  // interceptors cancel.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(service->metrics_->InterceptorFactory(options.log_requests));
  interceptors.push_back(service->calls_->GuardFactory());
  for (auto& interceptor : security->interceptors) interceptors.push_back(std::move(interceptor));
  ServerOptions server_options = options.server;
  server_options.credentials = security->credentials;
  auto server = Server::Start(server_options, raw, std::move(interceptors));
  if (!server.ok()) return server.status();
  service->server_ = std::move(*server);
  if (!options.http.listen_address.empty()) {
    // Plain HTTP, like plaintext gRPC: loopback unless explicitly allowed
    // (a TLS-terminating proxy in front); docs/web.md.
    if (!auth::IsLoopbackAddress(options.http.listen_address) &&
        !options.security.allow_insecure_non_loopback) {
      return absl::FailedPreconditionError(absl::StrCat(
          "config http_listen: ", options.http.listen_address,
          " is not a loopback address; the HTTP port is plain HTTP, so serve it on loopback "
          "behind a TLS-terminating proxy (or set security.allow_insecure_non_loopback)"));
    }
    auto gateway = http::HttpGateway::Start(options.http, service->server_->InProcessChannel(),
                                            security->authorize);
    if (!gateway.ok()) return gateway.status();
    service->http_ = std::move(*gateway);
  }

  // A replica's store moves only when its follower catches up, so the
  // rebuild sees the records as of this sequence.
  const uint64_t rebuilt_at = service->store_->LastSequence();
  // The audit's record stamps are seeded from the same pass (a query's own
  // seeker or vacancy is then never read and hashed again to be named in
  // its entry; server/audit/record_stamps.h).
  audit::RecordStamps& stamps = service->auditor_->stamps();
  const std::optional<uint64_t> seeding = stamps.BeginSeeding(rebuilt_at);
  auto stats = service->keeper_->RebuildIndex(
      [&](storage::RecordKind kind, const storage::StoredRecord& stored) {
        if (seeding) stamps.Seed(*seeding, kind, stored.id, stored.meta.version, stored.payload);
      });
  if (!stats.ok()) return stats.status();
  service->rebuild_stats_ = *stats;
  if (replica) {
    // The primary recovers and schedules rematch runs; a replica serves
    // their stored results.
    ReplicaFollowerOptions follow;
    follow.poll_interval = options.replica_poll;
    follow.feedback = service->feedback_.get();
    service->follower_ = std::make_unique<ReplicaFollower>(
        service->store_.get(), service->keeper_.get(), std::move(follow));
    service->follower_->AddGauges(service->metrics_.get());
    service->follower_->Start(rebuilt_at);
    if (options.rematch_schedule.has_value()) {
      std::fprintf(stderr, "jobmatchd: read replica: rematch.schedule ignored (the primary runs "
                           "the schedule)\n");
    }
  } else if (absl::Status s = service->rematch_->Recover(); !s.ok()) {
    return s;
  }
  if (!replica && options.rematch_schedule.has_value()) {
    RematchRunner* runner = service->rematch_.get();
    service->rematch_schedule_ = std::make_unique<RematchScheduler>(
        *options.rematch_schedule, [runner] {
          auto run = runner->Start(0, 0, 0, "schedule");
          if (run.ok()) {
            std::fprintf(stderr, "jobmatchd: scheduled rematch run %s started\n",
                         run->run_id().c_str());
          } else {
            std::fprintf(stderr, "jobmatchd: scheduled rematch not started: %s\n",
                         std::string(run.status().message()).c_str());
          }
        });
  }
  service->server_->SetServing(true);
  service->pruner_ = std::thread([log = service->audit_log_.get(), stop = &service->stop_pruning_] {
    while (!stop->WaitForNotificationWithTimeout(absl::Hours(24))) {
      if (auto pruned = log->Prune(); !pruned.ok()) {
        std::fprintf(stderr, "jobmatchd: audit log pruning failed: %s\n",
                     pruned.status().ToString().c_str());
      }
    }
  });
  return service;
}

absl::Status JobmatchService::OpenReplicaStores(const ServiceOptions& options) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::equivalent(options.replica_of, options.data_dir, error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config replica_of: ", options.replica_of,
        " is this replica's own data_dir; data_dir must be a folder of the replica's own"));
  }
  if (!fs::exists(fs::path(options.replica_of) / "CURRENT", error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "config replica_of: ", options.replica_of,
        " holds no jobmatch store (no RocksDB CURRENT file); start the primary on it first"));
  }
  storage::StoreOptions secondary;
  secondary.path = (fs::path(options.data_dir) / "secondary").string();
  secondary.secondary_of = options.replica_of;
  auto store = storage::Store::Open(secondary);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  auto audit = storage::Store::Open(
      storage::StoreOptions{(fs::path(options.data_dir) / "audit").string()});
  if (!audit.ok()) return audit.status();
  audit_store_ = std::move(*audit);
  replica_policy_ = std::make_unique<ReplicaPolicy>(
      options.primary_address.empty() ? absl::StrCat("the primary on data folder ",
                                                      options.replica_of)
                                       : options.primary_address);
  return absl::OkStatus();
}

JobmatchService::~JobmatchService() { Shutdown(); }

void JobmatchService::Shutdown() {
  stopping_ = true;
  if (!stop_pruning_.HasBeenNotified()) stop_pruning_.Notify();
  if (pruner_.joinable()) pruner_.join();
  if (follower_ != nullptr) follower_->Stop();
  // HTTP first: its requests are calls on the server's in-process channel.
  if (http_ != nullptr) http_->Stop();
  http_.reset();
  if (server_ != nullptr) server_->Shutdown();
  server_.reset();
  services_.clear();
  rematch_schedule_.reset();  // no new run from here on
  if (rematch_ != nullptr) rematch_->Shutdown();  // cancels a run; it reports to metrics_
  metrics_.reset();  // stops /metrics before what its gauges read goes away
  follower_.reset();
  rematch_.reset();
  keeper_.reset();
  calls_.reset();
  feedback_.reset();
  auditor_.reset();
  audit_log_.reset();
  index_.reset();
  store_.reset();  // closes RocksDB after the last call has finished
  audit_store_.reset();
}

}  // namespace jobmatch
