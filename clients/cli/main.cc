// jobmatch: the command-line client for consultants and operators.
//   jobmatch [--addr=HOST:PORT] health
// The address defaults to $JOBMATCH_ADDR, then 127.0.0.1:50051.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "grpc_health/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, addr, "",
          "Server address host:port (default $JOBMATCH_ADDR or 127.0.0.1:50051).");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline for each call.");

namespace {

constexpr char kUsage[] =
    "jobmatch [flags] COMMAND\n\n"
    "Commands:\n"
    "  health      ask the server whether it is serving (exit 0 if so)\n";

std::string ServerAddress() {
  std::string addr = absl::GetFlag(FLAGS_addr);
  if (addr.empty()) {
    const char* env = std::getenv("JOBMATCH_ADDR");
    addr = env != nullptr ? env : "127.0.0.1:50051";
  }
  return addr;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "jobmatch: cannot reach %s: %s\n", ServerAddress().c_str(),
                 status.error_message().c_str());
    return 2;
  }
  const std::string name =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
  std::printf("%s\n", name.c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fputs(kUsage, stderr);
    return 64;
  }
  const std::string command = args[1];
  auto channel = grpc::CreateChannel(ServerAddress(), grpc::InsecureChannelCredentials());
  if (command == "health") return Health(channel);
  std::fprintf(stderr, "jobmatch: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 64;
}
