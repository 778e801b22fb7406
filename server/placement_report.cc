#include "server/placement_report.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "matcher/profiles.h"
#include "server/small_cells.h"
#include "storage/feedback_store.h"

namespace jobmatch {
namespace {

struct Tally {
  uint64_t people = 0;  // seekers with at least one placement here
  uint64_t started = 0;
  uint64_t in_work[3] = {0, 0, 0};
  uint64_t ended[3] = {0, 0, 0};
  std::vector<double> days_to_start;

  void Add(const PlacementLifecycle& p) {
    ++started;
    in_work[0] += p.in_work_1_month;
    in_work[1] += p.in_work_3_months;
    in_work[2] += p.in_work_6_months;
    if (p.end_outcome == v1::TO_EMPLOYMENT) ++ended[0];
    if (p.end_outcome == v1::TO_EDUCATION) ++ended[1];
    if (p.end_outcome == v1::BACK_TO_BENEFITS) ++ended[2];
    if (double d = p.DaysToStart(); d >= 0) days_to_start.push_back(d);
  }

  v1::PlacementOutcomeRow Row(const std::string& key, const std::string& name,
                              uint64_t min_cell_people) const {
    v1::PlacementOutcomeRow row;
    row.set_key(key);
    row.set_name(name);
    row.set_started(started);
    row.set_in_work_1_month(in_work[0]);
    row.set_in_work_3_months(in_work[1]);
    row.set_in_work_6_months(in_work[2]);
    row.set_ended_employment(ended[0]);
    row.set_ended_education(ended[1]);
    row.set_ended_back_to_benefits(ended[2]);
    row.set_with_start_time(days_to_start.size());
    // A median of fewer starts than a shown cell may hold is not shown.
    if (!days_to_start.empty() && days_to_start.size() >= min_cell_people) {
      std::vector<double> d = days_to_start;
      std::sort(d.begin(), d.end());
      const size_t n = d.size();
      row.set_median_days_to_start(n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2);
    }
    return row;
  }
};

}  // namespace

// Clears every figure of a suppressed row; its key and name stay.
static void Suppress(v1::PlacementOutcomeRow* row) {
  v1::PlacementOutcomeRow kept;
  kept.set_key(row->key());
  kept.set_name(row->name());
  kept.set_suppressed(true);
  *row = std::move(kept);
}

v1::PlacementOutcomes BuildPlacementOutcomes(
    const PlacementLifecycles& lifecycles, const matcher::MatchIndex& index,
    const std::function<std::string(int)>& municipality_name, uint64_t min_cell_people) {
  Tally all, with_needs, without_needs;
  std::map<int, Tally> by_municipality;
  std::map<std::string, Tally> by_group;
  for (const auto& [seeker_id, by_vacancy] : lifecycles.by_seeker()) {
    std::optional<matcher::SeekerProfile> profile = index.GetSeeker(seeker_id);
    if (!profile) continue;
    const bool needs = matcher::HasNeedsOrHealthLimit(*profile);
    const std::string group = profile->target_group.empty() ? "(none)" : profile->target_group;
    bool placed = false;
    for (const auto& [vacancy_id, lifecycle] : by_vacancy) {
      if (!lifecycle.started) continue;
      if (!placed) {
        // One person in every row their placements are counted in.
        placed = true;
        ++all.people;
        ++(needs ? with_needs : without_needs).people;
        ++by_municipality[profile->home.municipality].people;
        ++by_group[group].people;
      }
      all.Add(lifecycle);
      (needs ? with_needs : without_needs).Add(lifecycle);
      by_municipality[profile->home.municipality].Add(lifecycle);
      by_group[group].Add(lifecycle);
    }
  }
  const uint64_t min = min_cell_people;
  v1::PlacementOutcomes out;
  *out.mutable_all() = all.Row("all", "", min);
  *out.mutable_with_needs() = with_needs.Row("with needs", "", min);
  *out.mutable_without_needs() = without_needs.Row("without needs", "", min);
  for (const auto& [code, tally] : by_municipality) {
    *out.add_by_municipality() =
        tally.Row(absl::StrCat(code), municipality_name ? municipality_name(code) : "", min);
  }
  for (const auto& [group, tally] : by_group) *out.add_by_target_group() = tally.Row(group, "", min);

  // Small counts (server/small_cells.h): the needs groups, municipalities
  // and target groups each add up to all.
  SmallCells cells(min);
  const int total = cells.Add(all.people, [&out] { Suppress(out.mutable_all()); });
  cells.Table(total, {cells.Add(with_needs.people, [&out] { Suppress(out.mutable_with_needs()); }),
                      cells.Add(without_needs.people,
                                [&out] { Suppress(out.mutable_without_needs()); })});
  std::vector<int> parts;
  int i = 0;
  for (const auto& [code, tally] : by_municipality) {
    parts.push_back(cells.Add(tally.people, [&out, i] { Suppress(out.mutable_by_municipality(i)); }));
    ++i;
  }
  cells.Table(total, std::move(parts));
  parts.clear();
  i = 0;
  for (const auto& [group, tally] : by_group) {
    parts.push_back(cells.Add(tally.people, [&out, i] { Suppress(out.mutable_by_target_group(i)); }));
    ++i;
  }
  cells.Table(total, std::move(parts));
  cells.Apply();
  return out;
}

absl::Status AddPlacementSection(const storage::Store& store, const matcher::MatchIndex& index,
                                 const std::function<std::string(int)>& municipality_name,
                                 uint64_t min_cell_people, v1::RematchReport* report) {
  PlacementLifecycles lifecycles;
  absl::Status s = store.feedback().Scan("", [&](const v1::Feedback& f) {
    lifecycles.Add(f);
    return true;
  });
  if (!s.ok()) return s;
  *report->mutable_placements() =
      BuildPlacementOutcomes(lifecycles, index, municipality_name, min_cell_people);
  return absl::OkStatus();
}

}  // namespace jobmatch
