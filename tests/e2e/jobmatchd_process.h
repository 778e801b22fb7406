// A jobmatchd child process on a data folder, for the tests that kill it
// (kill -9 cycles, reference-data upgrades): started with fork/exec on
// loopback, found through its --port_file, stopped with any signal.
#ifndef JOBMATCH_TESTS_E2E_JOBMATCHD_PROCESS_H_
#define JOBMATCH_TESTS_E2E_JOBMATCHD_PROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace jobmatch::testing {

class JobmatchdProcess {
 public:
  struct Options {
    std::vector<std::string> args;  // flags besides --listen, --data_dir, --port_file
    bool truncate_log = false;      // start each run with an empty log
    int start_attempts = 1500;      // of 20 ms each
  };

  // Runs `binary` on `dir`/db, logging to `dir`/jobmatchd.log.
  JobmatchdProcess(std::string binary, std::string dir, Options options)
      : binary_(std::move(binary)), dir_(std::move(dir)), options_(std::move(options)) {}
  JobmatchdProcess(std::string binary, std::string dir)
      : JobmatchdProcess(std::move(binary), std::move(dir), Options()) {}
  ~JobmatchdProcess() {
    if (pid_ > 0) Kill(SIGKILL);
  }
  JobmatchdProcess(const JobmatchdProcess&) = delete;
  JobmatchdProcess& operator=(const JobmatchdProcess&) = delete;

  // Starts and waits until it serves; false if it exited first (its wait
  // status in exit_status()) or did not serve in time.
  bool Start() {
    const std::string port_file = dir_ + "/port";
    std::remove(port_file.c_str());
    std::vector<std::string> argv = {binary_, "--listen=127.0.0.1:0", "--data_dir=" + dir_ + "/db",
                                     "--port_file=" + port_file};
    argv.insert(argv.end(), options_.args.begin(), options_.args.end());
    pid_ = fork();
    if (pid_ == 0) {
      const std::string path = log();
      if (!freopen(path.c_str(), options_.truncate_log ? "w" : "a", stderr) ||
          !freopen(path.c_str(), "a", stdout)) {
        _exit(126);
      }
      std::vector<char*> raw;
      for (std::string& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      execv(binary_.c_str(), raw.data());
      _exit(127);
    }
    for (int i = 0; i < options_.start_attempts; ++i) {
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                       grpc::InsecureChannelCredentials());
        return true;
      }
      if (waitpid(pid_, &exit_status_, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Sends `signal`, waits for the process and returns its wait status.
  int Kill(int signal) {
    channel_.reset();
    kill(pid_, signal);
    waitpid(pid_, &exit_status_, 0);
    pid_ = -1;
    return exit_status_;
  }

  // The channel to the running process (null before Start).
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  std::string log() const { return dir_ + "/jobmatchd.log"; }
  int exit_status() const { return exit_status_; }

 private:
  const std::string binary_, dir_;
  const Options options_;
  pid_t pid_ = -1;
  int exit_status_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_E2E_JOBMATCHD_PROCESS_H_
