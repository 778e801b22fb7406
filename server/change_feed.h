// MatchService.WatchChanges: the change feed (every write by sequence: kind,
// PUT or DELETE, id, version, time; never a record's fields), for systems
// that keep a copy of the index in step (the nightly scheduler, BATCH).
//
// Audited through the call's context (server/call_context.h) like every
// RPC: the opening of the feed is one entry (refusals included), and every
// batch of changes the feed is about to send is one more entry of the same
// call (method, caller, request id), naming each record the batch names
// (kind, id, version, use RETURNED; no hash: the feed sends no content),
// appended before the batch is sent. A batch is what one read of the change
// log gives, at most kChangeFeedBatch changes (fewer when max_changes stops
// the feed first). If a batch's entry cannot be written, the feed ends with
// UNAVAILABLE and the batch is not sent. So ListSeekerAccess finds every time
// the feed named a seeker; a client that goes away mid-batch was sent fewer
// changes than the entry names (docs/security.md §7).
#ifndef JOBMATCH_SERVER_CHANGE_FEED_H_
#define JOBMATCH_SERVER_CHANGE_FEED_H_

#include <atomic>
#include <cstddef>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jobmatch/v1/match_service.pb.h"
#include "server/call_context.h"
#include "storage/store.h"

namespace jobmatch {

// Changes read from the log, sent and audited together.
inline constexpr size_t kChangeFeedBatch = 256;

// The reactor of one WatchChanges call: refused (a caller who does not see
// every municipality may not follow the feed, which names seekers of all of
// them) or streaming. `poll`: how often a caught-up feed looks for new
// writes. Not owned: calls, store and stopping outlive the call.
grpc::ServerWriteReactor<v1::Change>* WatchChanges(const CallContexts* calls,
                                                   const storage::Store* store,
                                                   grpc::CallbackServerContext* context,
                                                   const v1::WatchChangesRequest& request,
                                                   absl::Duration poll,
                                                   const std::atomic<bool>* stopping);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CHANGE_FEED_H_
