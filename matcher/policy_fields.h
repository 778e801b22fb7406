// PolicyFields: the one table of every tunable number of the Policy -- its
// name, range, default and meaning. Policy::Validate checks the ranges from
// it, the server's config file (server/config.cc) and GetPolicy
// (server/convert.cc) read and write the fields by these names, and a test
// checks that both protos and docs/matching.md list every field with its
// default, so the three cannot drift apart again.
#ifndef JOBMATCH_MATCHER_POLICY_FIELDS_H_
#define JOBMATCH_MATCHER_POLICY_FIELDS_H_

#include <vector>

#include "matcher/policy.h"

namespace jobmatch::matcher {

struct PolicyField {
  enum class Kind { kDouble, kInt, kBool };
  const char* name;  // as in the protos and the config file, e.g. "weight_commute"
  Kind kind;
  double min, max;   // inclusive (for kBool: 0, 1)
  const char* doc;   // one line for docs and --help
  double Policy::*as_double = nullptr;
  int Policy::*as_int = nullptr;
  bool Policy::*as_bool = nullptr;

  double Get(const Policy& p) const {
    return kind == Kind::kDouble ? p.*as_double : kind == Kind::kInt ? p.*as_int : (p.*as_bool ? 1 : 0);
  }
  void Set(Policy* p, double v) const {
    if (kind == Kind::kDouble) {
      p->*as_double = v;
    } else if (kind == Kind::kInt) {
      p->*as_int = static_cast<int>(v);
    } else {
      p->*as_bool = v != 0;
    }
  }
};

// In the order of docs/matching.md's policy table.
const std::vector<PolicyField>& PolicyFields();

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_POLICY_FIELDS_H_
