#include "clients/cli/rematch_progress.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace jobmatch::cli {

std::string ProgressLine(const v1::RematchRun& run, int width) {
  const uint64_t total = std::max<uint64_t>(run.total(), 1);
  const int filled = static_cast<int>(width * std::min<uint64_t>(run.done(), total) / total);
  return absl::StrFormat("%s [%s%s] %u/%u seekers, %.0f/s, ETA %.0f s", run.run_id(),
                         std::string(filled, '#'), std::string(width - filled, ' '), run.done(),
                         run.total(), run.rate_per_second(), run.eta_seconds());
}

grpc::Status FollowRematchRun(v1::RematchService::StubInterface* stub, const std::string& run_id,
                              bool bar, std::FILE* out, v1::RematchRun* run) {
  grpc::ClientContext context;  // no deadline: a national run takes a while
  v1::WatchRematchRunRequest request;
  request.set_run_id(run_id);
  request.set_interval_millis(250);
  auto reader = stub->WatchRematchRun(&context, request);
  v1::RematchRun message;
  bool drew = false;
  while (reader->Read(&message)) {
    *run = message;
    if (bar) {
      std::fprintf(out, "\r%s ", ProgressLine(message).c_str());
      std::fflush(out);
      drew = true;
    }
  }
  if (drew) std::fprintf(out, "\n");
  return reader->Finish();
}

}  // namespace jobmatch::cli
