// Following a rematch run from the CLI: a progress bar fed by the
// WatchRematchRun stream (`jobmatch rematch-start`, `rematch-watch`).
#ifndef JOBMATCH_CLIENTS_CLI_REMATCH_PROGRESS_H_
#define JOBMATCH_CLIENTS_CLI_REMATCH_PROGRESS_H_

#include <cstdio>
#include <string>

#include "grpcpp/grpcpp.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"

namespace jobmatch::cli {

// Reads the stream until the run ends and leaves its final state in *run.
// With `bar` set, each message redraws a one-line progress bar on `out`.
// OK once the stream ends; the run's own outcome is run->state().
grpc::Status FollowRematchRun(v1::RematchService::StubInterface* stub, const std::string& run_id,
                              bool bar, std::FILE* out, v1::RematchRun* run);

// "RUN [#####     ] 1200/3000 seekers, 800/s, ETA 2 s"
std::string ProgressLine(const v1::RematchRun& run, int width = 40);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_REMATCH_PROGRESS_H_
