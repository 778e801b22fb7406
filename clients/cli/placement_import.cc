#include "clients/cli/placement_import.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/time/clock.h"
#include "clients/cli/record_file.h"
#include "jobmatch/v1/placement_history_service.grpc.pb.h"

namespace jobmatch::cli {
namespace {
constexpr int kEventsPerRequest = 1000;
}  // namespace

int ImportPlacements(grpc::Channel* channel, const std::string& path, bool json,
                     const std::function<std::unique_ptr<grpc::ClientContext>()>& make_context,
                     const std::function<int(const grpc::Status&)>& fail) {
  auto file = RecordFile::Open(path, v1::Feedback::descriptor());
  if (!file.ok()) {
    std::fprintf(stderr, "jobmatch: %s\n", std::string(file.status().message()).c_str());
    return file.status().code() == absl::StatusCode::kNotFound ? 66 : 65;
  }
  if ((*file)->is_csv()) {
    std::fprintf(stderr, "jobmatch: %s: placement histories are read from JSON Lines only\n",
                 path.c_str());
    return 65;
  }
  auto stub = v1::PlacementHistoryService::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
  const bool tty = isatty(STDERR_FILENO);
  const absl::Time start = absl::Now();
  size_t accepted = 0, rejected = 0;
  v1::ImportPlacementHistoryRequest request;
  std::vector<size_t> line_of;  // request index -> line number
  auto send = [&]() -> grpc::Status {
    if (request.events_size() == 0) return grpc::Status::OK;
    v1::ImportPlacementHistoryResponse response;
    grpc::Status status = stub->Import(make_context().get(), request, &response);
    if (!status.ok()) return status;
    accepted += response.accepted();
    rejected += response.rejected();
    for (const v1::PlacementImportError& error : response.errors()) {
      const size_t line = error.index() < line_of.size() ? line_of[error.index()] : 0;
      std::fprintf(stderr, "%s%s:%zu: event rejected: %s\n", tty ? "\r" : "", path.c_str(), line,
                   error.error_message().c_str());
    }
    if (tty) {
      std::fprintf(stderr, "\r%zu events stored, %zu rejected", accepted, rejected);
    }
    request.clear_events();
    line_of.clear();
    return grpc::Status::OK;
  };
  v1::Feedback event;
  while (true) {
    size_t line = 0;
    std::string error;
    const auto next = (*file)->Read(&event, &line, &error);
    if (next == RecordFile::Next::kEnd) break;
    if (next == RecordFile::Next::kBadRecord) {
      std::fprintf(stderr, "%s%s:%zu: not a valid placement event: %s\n", tty ? "\r" : "",
                   path.c_str(), line, error.c_str());
      ++rejected;
      continue;
    }
    *request.add_events() = event;
    line_of.push_back(line);
    if (request.events_size() >= kEventsPerRequest) {
      if (grpc::Status s = send(); !s.ok()) return fail(s);
    }
  }
  if (grpc::Status s = send(); !s.ok()) return fail(s);
  if (tty) std::fprintf(stderr, "\n");
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (json) {
    std::printf("{\"accepted\": %zu, \"rejected\": %zu, \"seconds\": %.3f}\n", accepted, rejected,
                seconds);
  } else {
    std::printf("imported %zu placement events, rejected %zu, in %.1f s (%.0f events/s)\n",
                accepted, rejected, seconds, accepted / std::max(seconds, 1e-9));
  }
  return rejected == 0 ? 0 : 2;
}

}  // namespace jobmatch::cli
