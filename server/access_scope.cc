#include "server/access_scope.h"

#include <algorithm>

namespace jobmatch {

bool AccessScope::MayAccess(int municipality) const {
  return all_municipalities ||
         std::find(municipalities.begin(), municipalities.end(), municipality) !=
             municipalities.end();
}

std::vector<int> AccessScope::Narrow(const std::vector<int>& requested, bool* none_left) const {
  *none_left = false;
  if (all_municipalities) return requested;
  if (requested.empty()) {
    *none_left = municipalities.empty();
    return municipalities;
  }
  std::vector<int> narrowed;
  for (int m : requested) {
    if (MayAccess(m)) narrowed.push_back(m);
  }
  *none_left = narrowed.empty();
  return narrowed;
}

}  // namespace jobmatch
