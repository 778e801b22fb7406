// Validation of API records against the rules written in the proto comments
// and the shipped reference data. The first broken rule is returned as
// InvalidArgument "<field path>: <rule>", e.g.
// "seeker.home.lat: must be within [54.5, 57.8]".
#ifndef JOBMATCH_SERVER_VALIDATION_H_
#define JOBMATCH_SERVER_VALIDATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "jobmatch/v1/employer.pb.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/reference_data.h"

namespace jobmatch {

absl::Status ValidateSeeker(const v1::Seeker& seeker, const matcher::ReferenceData& data);
absl::Status ValidateVacancy(const v1::Vacancy& vacancy, const matcher::ReferenceData& data);
absl::Status ValidateEmployer(const v1::Employer& employer, const matcher::ReferenceData& data);
// Ids of every record kind: 1..64 of [A-Za-z0-9._:-], not a CPR number.
absl::Status ValidateId(std::string_view id, std::string_view field);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_VALIDATION_H_
