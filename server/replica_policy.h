// Which RPCs a read replica serves (server/replica_follower.h). A replica's
// store is a RocksDB secondary over the primary's data folder: it can read
// everything the primary committed and write nothing. Every RPC of package
// jobmatch.v1 is classified here as a read or a write to the primary; a
// replica refuses the writes with FAILED_PRECONDITION naming the primary, and
// also any RPC missing from the table (fail closed; ReplicaPolicyTest asserts
// the table covers every RPC). CallContexts::Begin applies it, once, for all
// handlers.
#ifndef JOBMATCH_SERVER_REPLICA_POLICY_H_
#define JOBMATCH_SERVER_REPLICA_POLICY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace jobmatch {

class ReplicaPolicy {
 public:
  // `primary` names the primary in refusals: its address if configured,
  // else its data folder.
  explicit ReplicaPolicy(std::string primary) : primary_(std::move(primary)) {}

  // OK for a read; FailedPrecondition "this jobmatchd is a read replica of
  // <primary>; send writes to the primary" otherwise.
  absl::Status Check(std::string_view method) const;

  // The classification, full method names ("/jobmatch.v1.SeekerService/Get").
  static const std::vector<std::string>& Reads();
  static const std::vector<std::string>& Writes();

 private:
  std::string primary_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REPLICA_POLICY_H_
