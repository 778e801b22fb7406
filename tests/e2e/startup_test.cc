// Start-up: the port answers health checks as NOT_SERVING while the index is
// rebuilt from storage, then SERVING with every stored record in the index.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "grpc_health/health.grpc.pb.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(ServiceFixture, HealthIsNotServingUntilTheIndexIsRebuilt) {
  constexpr int kSeekers = 20000;  // a rebuild of a few hundred milliseconds
  {
    auto context = Context(absl::Seconds(60));
    v1::ImportResponse imported;
    auto writer = seekers_->Import(context.get(), &imported);
    v1::ImportSeekerRequest request;
    *request.mutable_seeker() = ValidSeeker("template");
    for (int i = 0; i < kSeekers; ++i) {
      request.mutable_seeker()->set_id("h" + std::to_string(i));
      ASSERT_TRUE(writer->Write(request));
    }
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
  }
  service_->Shutdown();
  service_.reset();

  const int port = FreeLoopbackPort();
  ASSERT_GT(port, 0);
  ServiceOptions options;
  options.server.listen_address = "127.0.0.1:" + std::to_string(port);
  options.data_dir = dir_.path() + "/db";
  options.reference_data_dir = matcher::ReferenceData::SourceTreeDataDir();
  absl::StatusOr<std::unique_ptr<JobmatchService>> restarted;
  std::thread starter([&] {
    restarted = JobmatchService::Start(options);
  });
  // Until the port is bound, connecting fails: retry every few milliseconds,
  // not after gRPC's default back-off of a second.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 5);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 10);
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
      options.server.listen_address, grpc::InsecureChannelCredentials(), args));
  int not_serving = 0, serving = 0;
  for (int i = 0; i < 5000 && serving == 0; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(200)));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    if (health->Check(&context, request, &response).ok()) {
      if (response.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) ++not_serving;
      if (response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        ++serving;
      }
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
  starter.join();
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_GT(not_serving, 0) << "the rebuild was never observed";
  EXPECT_EQ(serving, 1);
  EXPECT_EQ((*restarted)->index().seeker_count(), static_cast<size_t>(kSeekers));
  EXPECT_EQ((*restarted)->rebuild_stats().seekers, static_cast<size_t>(kSeekers));
  (*restarted)->Shutdown();
}

}  // namespace
}  // namespace jobmatch::testing
