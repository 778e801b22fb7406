#include "server/auth/role.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace jobmatch::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCaseSystem: return "CASE_SYSTEM";
    case Role::kVacancyFeed: return "VACANCY_FEED";
    case Role::kConsultant: return "CONSULTANT";
    case Role::kBatch: return "BATCH";
    case Role::kAdmin: return "ADMIN";
    case Role::kEmployer: return "EMPLOYER";
  }
  return "UNKNOWN";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role \"", std::string(name),
                   "\": expected CASE_SYSTEM, VACANCY_FEED, CONSULTANT, BATCH, ADMIN or EMPLOYER"));
}

}  // namespace jobmatch::auth
