// The roles a caller of jobmatchd can hold. Each configured credential (API
// key or client certificate) carries exactly one role; what a role may call
// is decided by MethodPolicy (method_policy.h).
#ifndef JOBMATCH_SERVER_AUTH_ROLE_H_
#define JOBMATCH_SERVER_AUTH_ROLE_H_

#include <array>
#include <string_view>

#include "absl/status/statusor.h"

namespace jobmatch::auth {

enum class Role {
  kCaseSystem,   // a municipality's case-management system: writes and reads seekers
  kVacancyFeed,  // a job-board or employer feed: writes and reads vacancies and employers
  kConsultant,   // a job-centre consultant's tool: reads records, match queries, feedback
  kBatch,        // the nightly scheduler: rematch runs, reads, the change feed
  kAdmin,        // operators: everything
  kEmployer,     // an employer: the anonymous candidates shortlisted for its vacancies
};

inline constexpr std::array<Role, 6> kAllRoles = {Role::kCaseSystem, Role::kVacancyFeed,
                                                  Role::kConsultant, Role::kBatch,
                                                  Role::kAdmin,      Role::kEmployer};

// "CASE_SYSTEM", "VACANCY_FEED", "CONSULTANT", "BATCH", "ADMIN", "EMPLOYER": the spelling
// used in configuration files and in the caller properties of a call.
std::string_view RoleName(Role role);

// Inverse of RoleName; InvalidArgument naming the accepted spellings otherwise.
absl::StatusOr<Role> ParseRole(std::string_view name);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_ROLE_H_
