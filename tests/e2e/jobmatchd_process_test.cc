// jobmatchd as a process: starts on port 0, is reachable and healthy from a
// separate client, lists its services by reflection, and exits 0 on SIGTERM;
// refuses to start, saying why, on a bad configuration.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

struct Exit {
  int code = -1;
  std::string stderr_text;
};

// Runs jobmatchd with `args` until it exits (it must refuse to start).
Exit RunToExit(const std::vector<std::string>& args) {
  const std::string err = ::testing::TempDir() + "/jobmatchd.stderr." + std::to_string(getpid());
  const pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(err.c_str(), "w", stderr)) _exit(126);
    std::vector<char*> argv = {const_cast<char*>(JOBMATCHD_PATH)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(JOBMATCHD_PATH, argv.data());
    _exit(127);
  }
  Exit result;
  int wstatus = 0;
  // A jobmatchd that wrongly starts is stopped after 20 s (and fails below).
  for (int i = 0; i < 400; ++i) {
    if (waitpid(pid, &wstatus, WNOHANG) == pid) {
      result.code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (result.code == -1) {
    kill(pid, SIGKILL);
    waitpid(pid, &wstatus, 0);
  }
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  result.stderr_text = text.str();
  return result;
}

TEST(JobmatchdProcessTest, BadConfigFileStopsStartUpNamingTheKey) {
  const std::string config = ::testing::TempDir() + "/bad-config.json";
  std::ofstream(config) << R"({"listen": "127.0.0.1:0", "limits": {"max_thread": 8}})";
  const Exit exit = RunToExit({"--config=" + config});
  EXPECT_EQ(exit.code, 2) << exit.stderr_text;
  EXPECT_NE(exit.stderr_text.find("max_thread"), std::string::npos) << exit.stderr_text;
}

TEST(JobmatchdProcessTest, BadOverrideFlagStopsStartUpNamingTheKey) {
  const Exit exit = RunToExit({"--listen=127.0.0.1:0", "--set=limits.max_threads=1"});
  EXPECT_EQ(exit.code, 2) << exit.stderr_text;
  EXPECT_NE(exit.stderr_text.find("limits.max_threads: must be within [2, 1024]"),
            std::string::npos)
      << exit.stderr_text;
}

TEST(JobmatchdProcessTest, PlaintextOnPublicAddressIsRefused) {
  const std::string data = ::testing::TempDir() + "/refused-db";
  const Exit exit = RunToExit({"--listen=0.0.0.0:0", "--data_dir=" + data});
  EXPECT_NE(exit.code, 0);
  EXPECT_NE(exit.stderr_text.find("refusing to serve plaintext on non-loopback address 0.0.0.0:0"),
            std::string::npos)
      << exit.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(data));
}

TEST(JobmatchdProcessTest, FlagOverridesTheConfigFile) {
  // The flag's public address overrides the file's loopback one, and is
  // refused: the refusal names the flag's address.
  const std::string config = ::testing::TempDir() + "/loopback-config.json";
  std::ofstream(config) << R"({"listen": "127.0.0.1:0", "data_dir": "/nonexistent/never"})";
  const std::string data = ::testing::TempDir() + "/override-db";
  const Exit exit =
      RunToExit({"--config=" + config, "--listen=0.0.0.0:0", "--data_dir=" + data});
  EXPECT_NE(exit.code, 0);
  EXPECT_NE(exit.stderr_text.find("0.0.0.0:0"), std::string::npos) << exit.stderr_text;
}

}  // namespace
