// `jobmatch import placements FILE.jsonl`: loads placement histories with the
// times they happened (PlacementHistoryService.Import, docs/placements.md).
// One jobmatch.v1.Feedback as JSON per line, time_micros set. A line that is
// not a valid Feedback (bad JSON, an unknown field, an unknown outcome) is
// reported here with its line number and not sent; the others go to the
// server in requests of up to 1,000 events, whose rejections are reported
// with their line numbers, field and rule. Nothing is dropped silently.
#ifndef JOBMATCH_CLIENTS_CLI_PLACEMENT_IMPORT_H_
#define JOBMATCH_CLIENTS_CLI_PLACEMENT_IMPORT_H_

#include <functional>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"

namespace jobmatch::cli {

// `make_context` gives a ClientContext with the caller's credentials and a
// deadline per request; `fail` reports a failed call and gives the exit code.
// Exit code: 0 all stored, 2 some lines rejected, 65/66 unreadable file.
int ImportPlacements(grpc::Channel* channel, const std::string& path, bool json,
                     const std::function<std::unique_ptr<grpc::ClientContext>()>& make_context,
                     const std::function<int(const grpc::Status&)>& fail);

}  // namespace jobmatch::cli

#endif  // JOBMATCH_CLIENTS_CLI_PLACEMENT_IMPORT_H_
