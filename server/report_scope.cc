#include "server/report_scope.h"

#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"

namespace jobmatch {
namespace {

template <typename Rows>
void KeepRows(const std::vector<int>& municipalities, Rows* rows) {
  rows->erase(std::remove_if(rows->begin(), rows->end(),
                             [&](const auto& row) {
                               int code = 0;
                               return !absl::SimpleAtoi(row.key(), &code) ||
                                      std::find(municipalities.begin(), municipalities.end(),
                                                code) == municipalities.end();
                             }),
              rows->end());
}

}  // namespace

void ScopeReportToMunicipalities(const std::vector<int>& municipalities,
                                 v1::RematchReport* report) {
  std::vector<int> sorted = municipalities;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  report->clear_scoped_to_municipalities();
  for (int m : sorted) report->add_scoped_to_municipalities(m);
  KeepRows(sorted, report->mutable_by_municipality());
  KeepRows(sorted, report->mutable_placements()->mutable_by_municipality());
}

}  // namespace jobmatch
