#include "server/auth/caller.h"

#include <algorithm>

namespace jobmatch::auth {

bool Caller::MayAccessMunicipality(int kommunekode) const {
  return all_municipalities || std::find(municipalities.begin(), municipalities.end(),
                                         kommunekode) != municipalities.end();
}

bool Caller::MaySeeFunctionalNeeds() const {
  return role == Role::kCaseSystem || role == Role::kConsultant || role == Role::kAdmin;
}

}  // namespace jobmatch::auth
