// CandidateService: employers' anonymous view of the candidates that a
// consultant shortlisted for one of their vacancies (role EMPLOYER; see
// proto/jobmatch/v1/candidate_service.proto and docs/security.md).
#ifndef JOBMATCH_SERVER_CANDIDATE_SERVICE_H_
#define JOBMATCH_SERVER_CANDIDATE_SERVICE_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"
#include "storage/store.h"

namespace jobmatch {

class CallContexts;

// Not owned; all must outlive the service. Candidate references are keyed
// hashes under a key drawn at start-up: stable while the server runs.
std::unique_ptr<grpc::Service> MakeCandidateService(const matcher::MatchIndex* index,
                                                    const storage::Store* store,
                                                    const matcher::ReferenceData* data,
                                                    const CallContexts* calls);

// "0-15 min", "16-30 min", "31-45 min", "46-60 min" or "over 60 min".
const char* CommuteBand(double minutes);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CANDIDATE_SERVICE_H_
