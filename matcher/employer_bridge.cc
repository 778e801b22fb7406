#include "matcher/employer_bridge.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace jobmatch::matcher {

BridgeLists BuildBridge(const std::vector<BridgeEmployerFacts>& employers,
                        const std::vector<BridgeVacancyFacts>& vacancies,
                        const BridgeOptions& options) {
  absl::flat_hash_map<std::string, size_t> index;
  for (size_t i = 0; i < employers.size(); ++i) index[employers[i].id] = i;
  std::vector<BridgeRow> rows(employers.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i].employer = i;
  for (const BridgeVacancyFacts& v : vacancies) {
    auto it = index.find(v.employer_id);
    if (it == index.end()) continue;
    BridgeRow& row = rows[it->second];
    ++row.open_vacancies;
    row.openings += static_cast<size_t>(std::max(1, v.openings));
    row.feasible += v.feasible;
    row.strong += v.strong;
    row.vacancy_ids.push_back(v.id);
  }
  auto id = [&](const BridgeRow& r) -> const std::string& { return employers[r.employer].id; };
  BridgeLists out;
  for (const BridgeRow& row : rows) {
    const BridgeEmployerFacts& e = employers[row.employer];
    if (row.strong > 0 && e.last_contact < options.now - options.no_contact) {
      out.strong_no_contact.push_back(row);
    }
    if (row.open_vacancies > 0 && row.openings >= options.min_openings &&
        row.feasible < row.openings) {
      out.many_openings_few_candidates.push_back(row);
    }
    if (e.five_or_more_employees && e.last_visit < options.year_start) {
      out.not_visited_this_year.push_back(row);
    }
  }
  std::sort(out.strong_no_contact.begin(), out.strong_no_contact.end(),
            [&](const BridgeRow& a, const BridgeRow& b) {
              if (a.strong != b.strong) return a.strong > b.strong;
              return id(a) < id(b);
            });
  std::sort(out.many_openings_few_candidates.begin(), out.many_openings_few_candidates.end(),
            [&](const BridgeRow& a, const BridgeRow& b) {
              const size_t sa = a.openings - a.feasible, sb = b.openings - b.feasible;
              if (sa != sb) return sa > sb;
              return id(a) < id(b);
            });
  std::sort(out.not_visited_this_year.begin(), out.not_visited_this_year.end(),
            [&](const BridgeRow& a, const BridgeRow& b) {
              const absl::Time va = employers[a.employer].last_visit;
              const absl::Time vb = employers[b.employer].last_visit;
              if (va != vb) return va < vb;
              return id(a) < id(b);
            });
  for (auto* list : {&out.strong_no_contact, &out.many_openings_few_candidates,
                     &out.not_visited_this_year}) {
    if (list->size() > options.limit) list->resize(options.limit);
  }
  return out;
}

}  // namespace jobmatch::matcher
