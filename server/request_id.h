// The caller's own request id (`x-request-id` metadata), as the request log,
// the audit entry and the refusal log all keep it: one rule in one place.
#ifndef JOBMATCH_SERVER_REQUEST_ID_H_
#define JOBMATCH_SERVER_REQUEST_ID_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobmatch {

// `value` if it is a plain request id: 1..64 characters of
// [A-Za-z0-9._:-] (so UUIDs, W3C trace ids and "svc:1234" all pass); nullopt
// otherwise (it would not be safe to put in a log line as is).
std::optional<std::string> PlainRequestId(std::string_view value);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REQUEST_ID_H_
