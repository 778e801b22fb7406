// What one authenticated caller may see: the municipalities whose job seekers
// it may read and write, and whether it may see functional needs. Set per call
// by the authentication layer (server/auth/ via MakeTransportSecurity); the
// handlers apply it. Vacancies and employers are not scoped.
#ifndef JOBMATCH_SERVER_ACCESS_SCOPE_H_
#define JOBMATCH_SERVER_ACCESS_SCOPE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/server_context.h"

namespace jobmatch {

struct AccessScope {
  std::string caller_id;  // for messages, logs and audit entries
  std::string role;       // the caller's role ("CONSULTANT", ...), for audit entries
  bool all_municipalities = false;
  std::vector<int> municipalities;  // kommunekoder, when not all
  // The caller's role may see functional needs (still only with the
  // seeker's consent).
  bool may_see_needs = false;
  // For role EMPLOYER: the employers whose vacancies it may see candidates for.
  std::vector<std::string> employer_ids;

  bool MayAccess(int municipality) const;
  // `requested` (empty = all) narrowed to this scope; empty with
  // *none_left when nothing of `requested` is in scope.
  std::vector<int> Narrow(const std::vector<int>& requested, bool* none_left) const;
};

// The scope of a call; nullopt when calls are not authenticated (a build
// without server/auth/, or authentication disabled for a local demo): then
// nothing is restricted.
using ScopeOfCall = std::function<std::optional<AccessScope>(const grpc::ServerContextBase&)>;

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_ACCESS_SCOPE_H_
