// jobmatchd: the jobmatch gRPC service. Starts, rebuilds its index from
// storage, serves until SIGTERM/SIGINT, then shuts down gracefully.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "matcher/reference_data.h"
#include "server/config.h"
#include "server/jobmatch_service.h"

ABSL_FLAG(std::string, config, "",
          "JSON configuration file (docs/configuration.md); flags given on the command "
          "line override it.");
ABSL_FLAG(std::string, metrics_listen, "", "Prometheus /metrics address host:port (empty: off).");
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
ABSL_FLAG(int, occupation_breadth, 3,
          "Shared ISCO-08 digits required between a wanted and an offered occupation (2-4).");

namespace {

sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

bool IsLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address.rfind("localhost:", 0) == 0 ||
         address.rfind("[::1]:", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("jobmatchd --listen=127.0.0.1:50051 --data_dir=DIR");
  absl::ParseCommandLine(argc, argv);
  const sigset_t signals = BlockShutdownSignals();

  // Defaults, then the config file, then flags given on the command line.
  jobmatch::ServiceOptions options;
  options.server.listen_address = absl::GetFlag(FLAGS_listen);
  options.server.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.reference_data_dir = jobmatch::matcher::ReferenceData::SourceTreeDataDir();
  if (const std::string path = absl::GetFlag(FLAGS_config); !path.empty()) {
    if (absl::Status s = jobmatch::LoadConfigFile(path, &options); !s.ok()) {
      std::fprintf(stderr, "jobmatchd: %s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
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
  if (given("listen")) options.server.listen_address = absl::GetFlag(FLAGS_listen);
  if (given("shutdown_grace")) options.server.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  if (given("data_dir")) options.data_dir = absl::GetFlag(FLAGS_data_dir);
  if (given("reference_data")) options.reference_data_dir = absl::GetFlag(FLAGS_reference_data);
  if (given("travel_time_matrix")) options.travel_time_matrix = absl::GetFlag(FLAGS_travel_time_matrix);
  if (given("metrics_listen")) options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (given("log_requests")) options.log_requests = absl::GetFlag(FLAGS_log_requests);
  if (given("policy_version")) options.policy.version = absl::GetFlag(FLAGS_policy_version);
  if (given("occupation_breadth")) options.policy.occupation_breadth = absl::GetFlag(FLAGS_occupation_breadth);
  if (!IsLoopback(options.server.listen_address)) {
    std::fprintf(stderr,
                 "jobmatchd: refusing to serve plaintext on non-loopback address %s: "
                 "TLS is not configured in this build (see docs/security.md)\n",
                 options.server.listen_address.c_str());
    return 2;
  }
  std::fprintf(stderr,
               "jobmatchd: WARNING: plaintext gRPC without authentication on loopback only "
               "(local demo mode)\n");

  auto service = jobmatch::JobmatchService::Start(options);
  if (!service.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", service.status().ToString().c_str());
    return 1;
  }
  const auto& stats = (*service)->rebuild_stats();
  std::printf("jobmatchd: index rebuilt from %s in %s: %zu seekers, %zu vacancies, %zu employers\n",
              options.data_dir.c_str(), absl::FormatDuration(stats.took).c_str(), stats.seekers,
              stats.vacancies, stats.employers);
  const std::string host =
      options.server.listen_address.substr(0, options.server.listen_address.rfind(':'));
  std::printf("jobmatchd: serving on %s:%d\n", host.c_str(), (*service)->port());
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
