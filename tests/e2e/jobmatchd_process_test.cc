// jobmatchd as a process: starts on port 0, is reachable and healthy from a
// separate client, lists its services by reflection, and exits 0 on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "grpc_health/health.grpc.pb.h"
#include "grpc_reflection/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace {

int ReadPortFile(const std::string& path) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

TEST(JobmatchdProcessTest, ServesHealthAndExitsCleanlyOnSigterm) {
  const std::string port_file = ::testing::TempDir() + "/jobmatchd.port." + std::to_string(getpid());
  std::remove(port_file.c_str());
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string flag = "--port_file=" + port_file;
    const std::string data = "--data_dir=" + port_file + ".db";
    execl(JOBMATCHD_PATH, JOBMATCHD_PATH, "--listen=127.0.0.1:0", flag.c_str(), data.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const int port = ReadPortFile(port_file);
  ASSERT_GT(port, 0) << "jobmatchd did not write its port";

  {  // The channel closes before SIGTERM so shutdown has no idle connection to drain.
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, {}, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Server reflection lists the API's services.
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext reflection_context;
  reflection_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto stream = reflection->ServerReflectionInfo(&reflection_context);
  grpc::reflection::v1alpha::ServerReflectionRequest list;
  list.set_list_services("*");
  ASSERT_TRUE(stream->Write(list));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed));
  std::set<std::string> names;
  for (const auto& service : listed.list_services_response().service()) names.insert(service.name());
  EXPECT_TRUE(names.count("jobmatch.v1.MatchService")) << listed.DebugString();
  EXPECT_TRUE(names.count("jobmatch.v1.SeekerService"));
  EXPECT_TRUE(names.count("grpc.health.v1.Health"));
  while (stream->Read(&listed)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
  }

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  std::filesystem::remove_all(port_file + ".db");
}

}  // namespace
