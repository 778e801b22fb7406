#include "server/report_suppression.h"

#include <map>
#include <string>
#include <vector>

#include "server/small_cells.h"

namespace jobmatch {
namespace {

void Clear(v1::CoverageRow* row) {
  v1::CoverageRow kept;
  kept.set_key(row->key());
  kept.set_name(row->name());
  kept.set_suppressed(true);
  *row = std::move(kept);
}

void Clear(v1::FairnessGroup* group) {
  group->Clear();
  group->set_suppressed(true);
}

void Clear(v1::PriorityRow* row) {
  v1::PriorityRow kept;
  kept.set_target_group(row->target_group());
  kept.set_unemployment_band(row->unemployment_band());
  kept.set_suppressed(true);
  *row = std::move(kept);
}

}  // namespace

void SuppressSmallReportCells(uint64_t min_cell_people, v1::RematchReport* report) {
  report->set_min_cell_people(static_cast<uint32_t>(min_cell_people));
  SmallCells cells(min_cell_people);
  const int seekers = cells.AddShown(report->seekers());

  std::vector<int> parts;
  for (int i = 0; i < report->by_municipality_size(); ++i) {
    parts.push_back(cells.Add(report->by_municipality(i).seekers(),
                              [report, i] { Clear(report->mutable_by_municipality(i)); }));
  }
  cells.Table(seekers, parts);

  std::map<std::string, int> group_cell;  // coverage row of each target group
  parts.clear();
  for (int i = 0; i < report->by_target_group_size(); ++i) {
    const int cell = cells.Add(report->by_target_group(i).seekers(),
                               [report, i] { Clear(report->mutable_by_target_group(i)); });
    group_cell[report->by_target_group(i).key()] = cell;
    parts.push_back(cell);
  }
  cells.Table(seekers, parts);

  v1::FairnessAudit* f = report->mutable_fairness();
  const int with = cells.Add(f->raw_with_needs().seekers(),
                             [f] { Clear(f->mutable_raw_with_needs()); });
  const int without = cells.Add(f->raw_without_needs().seekers(),
                                [f] { Clear(f->mutable_raw_without_needs()); });
  cells.Table(seekers, {with, without});
  std::vector<int> with_parts, without_parts;
  for (int i = 0; i < f->strata_size(); ++i) {
    with_parts.push_back(cells.Add(f->strata(i).with_needs().seekers(), [f, i] {
      Clear(f->mutable_strata(i)->mutable_with_needs());
    }));
    without_parts.push_back(cells.Add(f->strata(i).without_needs().seekers(), [f, i] {
      Clear(f->mutable_strata(i)->mutable_without_needs());
    }));
  }
  cells.Table(with, with_parts);
  cells.Table(without, without_parts);
  with_parts.clear();
  without_parts.clear();
  for (int i = 0; i < f->by_target_group_size(); ++i) {
    const v1::FairnessTargetGroup& g = f->by_target_group(i);
    const int w = cells.Add(g.with_needs().seekers(), [f, i] {
      Clear(f->mutable_by_target_group(i)->mutable_with_needs());
    });
    const int wo = cells.Add(g.without_needs().seekers(), [f, i] {
      Clear(f->mutable_by_target_group(i)->mutable_without_needs());
    });
    with_parts.push_back(w);
    without_parts.push_back(wo);
    if (auto it = group_cell.find(g.target_group()); it != group_cell.end()) {
      cells.Table(it->second, {w, wo});
    }
  }
  cells.Table(with, with_parts);
  cells.Table(without, without_parts);

  std::map<std::string, std::vector<int>> priority_parts;
  for (int i = 0; i < report->priority_size(); ++i) {
    priority_parts[report->priority(i).target_group()].push_back(cells.Add(
        report->priority(i).seekers(), [report, i] { Clear(report->mutable_priority(i)); }));
  }
  for (auto& [group, rows] : priority_parts) {
    auto it = group_cell.find(group);
    // A target group without a coverage row: its bands add up to a total
    // nobody sees; they are still suppressed when small.
    const int total = it != group_cell.end() ? it->second : cells.Add(0, nullptr);
    cells.Table(total, std::move(rows));
  }
  cells.Apply();
  // Too few seekers with needs: the weighted comparison describes them too.
  if (f->raw_with_needs().suppressed()) {
    f->clear_needs_share();
    f->clear_comparable_share();
    f->clear_share_difference();
    f->clear_needs_median_best();
    f->clear_comparable_median_best();
    f->clear_median_best_difference();
    f->clear_needs_without_comparison();
  }
}

}  // namespace jobmatch
