// jobmatchd: the jobmatch gRPC service. Starts, serves until SIGTERM/SIGINT,
// then shuts down gracefully.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to listen on, host:port (port 0 picks a free port).");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound port is written to this file once serving.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM/SIGINT.");

namespace {

// Blocks SIGINT/SIGTERM in this and every later thread so that main can
// receive them synchronously with sigwait().
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("jobmatchd --listen=127.0.0.1:50051");
  absl::ParseCommandLine(argc, argv);
  const sigset_t signals = BlockShutdownSignals();

  jobmatch::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  auto server = jobmatch::Server::Start(options, {});
  if (!server.ok()) {
    std::fprintf(stderr, "jobmatchd: %s\n", server.status().ToString().c_str());
    return 1;
  }
  (*server)->SetServing(true);
  const std::string host =
      options.listen_address.substr(0, options.listen_address.rfind(':'));
  std::printf("jobmatchd: serving on %s:%d\n", host.c_str(), (*server)->port());
  std::fflush(stdout);
  if (const std::string path = absl::GetFlag(FLAGS_port_file); !path.empty()) {
    std::ofstream(path) << (*server)->port() << "\n";
  }

  int sig = 0;
  sigwait(&signals, &sig);
  std::printf("jobmatchd: %s received, shutting down\n", strsignal(sig));
  std::fflush(stdout);
  (*server)->Shutdown();
  std::printf("jobmatchd: stopped\n");
  return 0;
}
