// JobmatchService: the whole service assembled — RocksDB store, reference
// data, scorer, match index, record and match services, gRPC server. main.cc
// and the end-to-end tests start it the same way.
#ifndef JOBMATCH_SERVER_JOBMATCH_SERVICE_H_
#define JOBMATCH_SERVER_JOBMATCH_SERVICE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/grpcpp.h"
#include "matcher/course_catalogue.h"
#include "matcher/match_index.h"
#include "matcher/policy.h"
#include "matcher/reference_data.h"
#include "server/audit/audit_log.h"
#include "server/audit/auditor.h"
#include "server/feedback_ledger.h"
#include "server/http/http_gateway.h"
#include "server/match_service.h"
#include "server/observability.h"
#include "server/record_keeper.h"
#include "server/record_services.h"
#include "server/rematch_runner.h"
#include "server/rematch_scheduler.h"
#include "server/replica_follower.h"
#include "server/replica_policy.h"
#include "server/server.h"
#include "server/call_context.h"
#include "server/transport_security.h"
#include "storage/store.h"

namespace jobmatch {

struct ServiceOptions {
  ServerOptions server;
  // JSON over HTTP and the workspace pages (server/http/); off while
  // http.listen_address is empty.
  http::HttpOptions http;
  std::string data_dir;            // RocksDB folder
  // Read replica (docs/operations.md, "Read replica"): the primary's data
  // folder on shared storage; "" = this jobmatchd is a primary. On a
  // replica, data_dir is its own folder: its audit log (audit/) and the
  // RocksDB secondary's files (secondary/).
  std::string replica_of;
  // The primary's gRPC address, named when a replica refuses a write
  // ("" = the refusal names the primary's data folder).
  std::string primary_address;
  // How often a replica catches up with the primary.
  absl::Duration replica_poll = absl::Milliseconds(100);
  std::string reference_data_dir;  // shipped reference data (data/)
  std::string travel_time_matrix;  // optional: a zone-to-zone matrix file
  // Course catalogue (docs/upskilling.md); "" = reference_data_dir's
  // courses/courses.tsv if present, else none.
  std::string course_catalogue;
  matcher::Policy policy;
  RecordServiceLimits record_limits;
  // Prometheus /metrics on this address ("" = none); one log line per
  // request with log_requests (errors are always logged).
  std::string metrics_listen;
  bool log_requests = false;
  // Threads for the nightly rematch's bulk pass.
  int rematch_threads = 2;
  // Folder for online backups (AdminService.CreateBackup); "" = off.
  std::string backup_dir;
  // Complete rematch snapshots kept (config rematch.keep_snapshots).
  int rematch_keep_snapshots = 3;
  // Small-count suppression in the nightly report (config
  // rematch.report_min_cell_people; 1 = off), and with it the cell-key
  // perturbation of its counts of seekers (matcher/cell_key.h).
  int report_min_cell_people = 5;
  // A daily rematch at a local time (config rematch.schedule); none if unset.
  std::optional<RematchSchedule> rematch_schedule;
  MatchServiceOptions match_options;
  // TLS and authentication; sets server.credentials and the auth interceptor
  // at Start (server/transport_security.h).
  auth::SecurityOptions security;
  // If set, replaces the caller scope that `security` provides (tests give
  // each call a scope without TLS and API keys).
  ScopeOfCall scope_of;
  // Audit entries older than this are pruned at start-up and daily after.
  absl::Duration audit_retention = absl::Hours(24 * 183);
  // Audit entry times (tests move it); null = the wall clock.
  std::function<absl::Time()> audit_clock;
  // When rematch runs start (tests move it); null = the wall clock.
  std::function<absl::Time()> rematch_clock;
};

class JobmatchService {
 public:
  // Checks the security configuration, opens storage, loads reference data,
  // starts serving (health NOT_SERVING), rebuilds the index from storage,
  // then reports SERVING.
  static absl::StatusOr<std::unique_ptr<JobmatchService>> Start(const ServiceOptions& options);
  ~JobmatchService();

  int port() const { return server_->port(); }
  // The HTTP port; 0 when HTTP is off.
  int http_port() const { return http_ != nullptr ? http_->port() : 0; }
  const RebuildStats& rebuild_stats() const { return rebuild_stats_; }
  RecordKeeper& keeper() { return *keeper_; }
  const matcher::MatchIndex& index() const { return *index_; }
  const Metrics& metrics() const { return *metrics_; }
  // Null on a primary.
  const ReplicaFollower* replica_follower() const { return follower_.get(); }
  // Null without a schedule.
  const RematchScheduler* rematch_scheduler() const { return rematch_schedule_.get(); }
  audit::AuditLog& audit_log() { return *audit_log_; }
  // Tests only (tamper detection): the store under the service.
  storage::Store& store_for_test() { return *store_; }
  // Graceful: in-flight calls finish within the grace period, then storage
  // closes. Idempotent.
  void Shutdown();

 private:
  JobmatchService() = default;
  // Read replica: the secondary over options.replica_of and the replica's
  // own audit store, in options.data_dir.
  absl::Status OpenReplicaStores(const ServiceOptions& options);

  std::unique_ptr<storage::Store> store_;
  // A replica's own audit store (its store_ is never written); null on a
  // primary, whose audit log lives in store_.
  std::unique_ptr<storage::Store> audit_store_;
  std::unique_ptr<ReplicaPolicy> replica_policy_;
  std::unique_ptr<ReplicaFollower> follower_;
  std::unique_ptr<matcher::ReferenceData> data_;
  std::unique_ptr<matcher::Scorer> scorer_;
  std::unique_ptr<matcher::MatchIndex> index_;
  std::unique_ptr<matcher::CourseCatalogue> courses_;  // null without a catalogue
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::Auditor> auditor_;
  std::unique_ptr<CallContexts> calls_;
  std::unique_ptr<FeedbackLedger> feedback_;
  std::unique_ptr<RecordKeeper> keeper_;
  std::unique_ptr<RematchRunner> rematch_;
  std::unique_ptr<RematchScheduler> rematch_schedule_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<http::HttpGateway> http_;
  RebuildStats rebuild_stats_;
  // Set when shutdown begins: long-lived streams end themselves.
  std::atomic<bool> stopping_{false};
  // Prunes the audit log daily until shutdown.
  absl::Notification stop_pruning_;
  std::thread pruner_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_JOBMATCH_SERVICE_H_
