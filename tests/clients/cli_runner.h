// Runs the jobmatch CLI binary (JOBMATCH_CLI_PATH, set by CMake) as a user
// would, with stderr folded into the captured output.
#ifndef JOBMATCH_TESTS_CLIENTS_CLI_RUNNER_H_
#define JOBMATCH_TESTS_CLIENTS_CLI_RUNNER_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace jobmatch::testing {

struct CliRun {
  int exit_code;
  std::string out;
};

// `args` follow the binary; `env` (VAR=value ...) precedes it.
inline CliRun RunCli(const std::string& args, const std::string& env = "") {
  const std::string command = env + " " + JOBMATCH_CLI_PATH + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_CLIENTS_CLI_RUNNER_H_
