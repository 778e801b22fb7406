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
#include "server/jobmatch_service.h"

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

  jobmatch::ServiceOptions options;
  options.server.listen_address = absl::GetFlag(FLAGS_listen);
  options.server.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.reference_data_dir = absl::GetFlag(FLAGS_reference_data);
  options.travel_time_matrix = absl::GetFlag(FLAGS_travel_time_matrix);
  if (options.reference_data_dir.empty()) {
    options.reference_data_dir = jobmatch::matcher::ReferenceData::SourceTreeDataDir();
  }
  if (!absl::GetFlag(FLAGS_policy_version).empty()) {
    options.policy.version = absl::GetFlag(FLAGS_policy_version);
  }
  options.policy.occupation_breadth = absl::GetFlag(FLAGS_occupation_breadth);
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
