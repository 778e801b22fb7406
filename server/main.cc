// jobmatchd: the jobmatch gRPC service. Starts, rebuilds its index from
// storage, serves until SIGTERM/SIGINT, then shuts down gracefully.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "matcher/reference_data.h"
#include "server/config.h"
#include "server/huge_pages.h"
#include "server/jobmatch_service.h"
#include "server/reference_upgrade.h"
#include "storage/store.h"

ABSL_FLAG(std::string, config, "",
          "JSON configuration file (docs/configuration.md); flags given on the command "
          "line override it.");
ABSL_FLAG(std::string, metrics_listen, "", "Prometheus /metrics address host:port (empty: off).");
ABSL_FLAG(std::string, http_listen, "",
          "JSON over HTTP and the workspace pages, host:port (empty: off; docs/web.md).");
ABSL_FLAG(std::string, web_root, "",
          "Folder of the workspace's static files (default: the source tree's clients/web).");
ABSL_FLAG(std::string, backup_dir, "", "Folder for online backups (AdminService.CreateBackup; empty: off).");
ABSL_FLAG(bool, log_requests, false, "Log one line per request (errors are always logged).");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on, host:port (port 0 picks a free port).");
ABSL_FLAG(std::string, data_dir, "data-local/db", "RocksDB data folder (created if missing).");
ABSL_FLAG(std::string, reference_data, "",
          "Folder with the shipped reference data (default: the source tree's data/).");
ABSL_FLAG(std::string, travel_time_matrix, "",
          "Optional zone-to-zone travel-time matrix (format: matcher/matrix_commute.h); "
          "the embedded model answers pairs it lacks.");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound port is written to this file once serving.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM/SIGINT.");
ABSL_FLAG(std::string, policy_version, "", "Override the policy version label.");
ABSL_FLAG(int, rematch_threads, 2, "Threads for the nightly rematch's bulk pass (1-64).");
ABSL_FLAG(int, occupation_breadth, 3,
          "Shared ISCO-08 digits required between a wanted and an offered occupation (2-4).");
ABSL_FLAG(int, max_threads, 64, "Threads gRPC may use for handlers (2-1024).");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate chain; with --tls_key_file turns TLS on.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key for --tls_cert_file.");
ABSL_FLAG(std::string, client_ca_file, "", "PEM CA bundle that verifies client certificates.");
ABSL_FLAG(std::string, check_reference_data, "",
          "Check only: list what starting with the reference data in this folder would change "
          "for the stored records (ESCO concepts mapped to a replacement or marked unknown), "
          "then exit. Reads --data_dir without locking it: safe while jobmatchd serves it.");
ABSL_FLAG(std::vector<std::string>, set, {},
          "Override any scalar key of the config file, comma-separated key=value pairs, e.g. "
          "--set=policy.weight_commute=3,limits.max_page_size=500 (validated like the file).");

namespace {

sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// --check_reference_data: what starting with `dir`'s reference data would
// change for the stored records. Exit 0 when it could be checked.
int CheckReferenceData(const std::string& dir, const jobmatch::ServiceOptions& options) {
  auto data = jobmatch::matcher::ReferenceData::Load(dir);
  if (!data.ok()) {
    std::fprintf(stderr, "jobmatchd: --check_reference_data=%s: %s\n", dir.c_str(),
                 data.status().ToString().c_str());
    return 2;
  }
  jobmatch::storage::StoreOptions store_options{options.data_dir};
  store_options.read_only = true;
  auto store = jobmatch::storage::Store::Open(store_options);
  if (!store.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", store.status().ToString().c_str());
    return 1;
  }
  auto report = jobmatch::CheckStoredRecords(**store, *(*data)->taxonomy);
  if (!report.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("%s", report->ToText().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("jobmatchd --listen=127.0.0.1:50051 --data_dir=DIR");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with Mutex deadlock detection on: every lock
  // and unlock updates a process-wide lock graph under a global lock (about
  // 1-2 % of a loaded server's CPU, docs/benchmarks.md "Where a call's time
  // goes"). The tests keep it on, where lock-order mistakes are found.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const sigset_t signals = BlockShutdownSignals();

  // Defaults, then the config file, then flags given on the command line
  // (as overrides of the file's keys, validated with it).
  jobmatch::ServiceOptions options;
  options.server.listen_address = absl::GetFlag(FLAGS_listen);
  options.server.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.reference_data_dir = jobmatch::matcher::ReferenceData::SourceTreeDataDir();
  options.http.web_root = jobmatch::http::HttpGateway::SourceTreeWebRoot();
  // Which flags the command line gave (absl keeps this private in this version).
  auto given = [argc, argv](const char* name) {
    const std::string a = absl::StrCat("--", name), b = absl::StrCat("-", name);
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      for (const std::string& p : {a, b}) {
        if (arg == p || arg.rfind(p + "=", 0) == 0 || arg == "--no" + std::string(name)) return true;
      }
    }
    return false;
  };
  jobmatch::ConfigOverrides overrides;
  auto text = [&](const char* flag, const char* key, const std::string& value) {
    if (given(flag)) overrides.emplace_back(key, value);
  };
  text("listen", "listen", absl::GetFlag(FLAGS_listen));
  text("data_dir", "data_dir", absl::GetFlag(FLAGS_data_dir));
  text("reference_data", "reference_data", absl::GetFlag(FLAGS_reference_data));
  text("travel_time_matrix", "travel_time_matrix", absl::GetFlag(FLAGS_travel_time_matrix));
  text("metrics_listen", "metrics_listen", absl::GetFlag(FLAGS_metrics_listen));
  text("backup_dir", "backup_dir", absl::GetFlag(FLAGS_backup_dir));
  text("http_listen", "http_listen", absl::GetFlag(FLAGS_http_listen));
  text("web_root", "web_root", absl::GetFlag(FLAGS_web_root));
  text("log_requests", "log_requests", absl::GetFlag(FLAGS_log_requests) ? "true" : "false");
  text("shutdown_grace", "shutdown_grace_seconds",
       absl::StrCat(absl::ToInt64Seconds(absl::Ceil(absl::GetFlag(FLAGS_shutdown_grace),
                                                     absl::Seconds(1)))));
  text("policy_version", "policy.version", absl::GetFlag(FLAGS_policy_version));
  text("occupation_breadth", "policy.occupation_breadth",
       absl::StrCat(absl::GetFlag(FLAGS_occupation_breadth)));
  text("rematch_threads", "rematch_threads", absl::StrCat(absl::GetFlag(FLAGS_rematch_threads)));
  text("max_threads", "limits.max_threads", absl::StrCat(absl::GetFlag(FLAGS_max_threads)));
  text("tls_cert_file", "security.tls_cert_file", absl::GetFlag(FLAGS_tls_cert_file));
  text("tls_key_file", "security.tls_key_file", absl::GetFlag(FLAGS_tls_key_file));
  text("client_ca_file", "security.client_ca_file", absl::GetFlag(FLAGS_client_ca_file));
  for (const std::string& kv : absl::GetFlag(FLAGS_set)) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "jobmatchd: --set=%s: expected key=value\n", kv.c_str());
      return 2;
    }
    overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (absl::Status s = jobmatch::LoadConfig(absl::GetFlag(FLAGS_config), overrides, &options);
      !s.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", std::string(s.message()).c_str());
    return 2;
  }

  if (const std::string dir = absl::GetFlag(FLAGS_check_reference_data); !dir.empty()) {
    return CheckReferenceData(dir, options);
  }

  auto service = jobmatch::JobmatchService::Start(options);
  if (!service.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", service.status().ToString().c_str());
    // A configuration the service refuses is a usage error, like a bad file.
    return service.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  const auto& stats = (*service)->rebuild_stats();
  std::printf("jobmatchd: index rebuilt from %s in %s: %zu seekers, %zu vacancies, %zu employers\n",
              (options.replica_of.empty() ? options.data_dir : options.replica_of).c_str(),
              absl::FormatDuration(stats.took).c_str(), stats.seekers,
              stats.vacancies, stats.employers);
  // The start-up report of a reference-data upgrade: every stored record
  // with a concept this taxonomy lacks, and what became of it.
  if (!stats.reference.changes.empty()) {
    for (const absl::string_view line : absl::StrSplit(stats.reference.ToText(), '\n',
                                                      absl::SkipEmpty())) {
      std::printf("jobmatchd: %s\n", std::string(line).c_str());
    }
  }
  if (!options.replica_of.empty()) {
    std::printf("jobmatchd: read replica of %s: serves reads, refuses writes, follows every %s\n",
                options.replica_of.c_str(), absl::FormatDuration(options.replica_poll).c_str());
  }
  const std::string host =
      options.server.listen_address.substr(0, options.server.listen_address.rfind(':'));
  std::printf("jobmatchd: serving on %s:%d\n", host.c_str(), (*service)->port());
  std::printf("jobmatchd: heap on transparent huge pages: %s\n",
              jobmatch::MallocHugePagesState().c_str());
  if ((*service)->http_port() != 0) {
    const std::string& http = options.http.listen_address;
    std::printf("jobmatchd: workspace and JSON API on http://%s:%d/\n",
                http.substr(0, http.rfind(':')).c_str(), (*service)->http_port());
  }
  if (!options.metrics_listen.empty()) {
    std::printf("jobmatchd: metrics on http://%s/metrics\n", options.metrics_listen.c_str());
  }
  std::fflush(stdout);
  if (const std::string path = absl::GetFlag(FLAGS_port_file); !path.empty()) {
    std::ofstream(path) << (*service)->port() << "\n";
  }

  int sig = 0;
  sigwait(&signals, &sig);
  std::printf("jobmatchd: %s received, shutting down\n", strsignal(sig));
  std::fflush(stdout);
  (*service)->Shutdown();
  std::printf("jobmatchd: stopped\n");
  return 0;
}
