// The server shell: binds a free port, reports health, shuts down with calls
// in flight finishing.
#include "server/server.h"

#include <memory>

#include "grpc_health/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace jobmatch {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse::ServingStatus CheckHealth(int port, const std::string& service) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  auto stub = Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServerTest, BindsFreePortAndReportsHealthAfterSetServing) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto server = Server::Start(options, {});
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);

  EXPECT_EQ(CheckHealth(port, ""), HealthCheckResponse::NOT_SERVING);
  (*server)->SetServing(true);
  EXPECT_EQ(CheckHealth(port, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckHealth(port, "jobmatch"), HealthCheckResponse::SERVING);
  (*server)->Shutdown();
}

TEST(ServerTest, SecondServerOnSamePortFailsWithClearError) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto first = Server::Start(options, {});
  ASSERT_TRUE(first.ok());
  options.listen_address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = Server::Start(options, {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen on"), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace jobmatch
