// Conversion of the matcher's per-run rematch report to its API message.
#ifndef JOBMATCH_SERVER_REMATCH_REPORT_PROTO_H_
#define JOBMATCH_SERVER_REMATCH_REPORT_PROTO_H_

#include <functional>
#include <string>

#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/rematch_report.h"

namespace jobmatch {

// The run's identity, k and plain-vs-allocation figures come from `run`;
// municipality names from `municipality_name` (may be empty).
v1::RematchReport ToProto(const matcher::RematchReport& report, const v1::RematchRun& run,
                          const std::function<std::string(int)>& municipality_name);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REMATCH_REPORT_PROTO_H_
