#include "matcher/priority_order.h"

#include <algorithm>
#include <map>

namespace jobmatch::matcher {
namespace {

constexpr const char* kBands[] = {"0-25 weeks", "26-51 weeks", "52-103 weeks", "104+ weeks",
                                  "unknown"};

int BandIndex(int weeks) {
  if (weeks < 0) return 4;
  if (weeks < 26) return 0;
  if (weeks < 52) return 1;
  if (weeks < 104) return 2;
  return 3;
}

}  // namespace

int WeeksUnemployed(absl::Time since, absl::Time now) {
  if (since == absl::UnixEpoch()) return -1;
  if (since >= now) return 0;
  return static_cast<int>(absl::ToInt64Hours(now - since) / (24 * 7));
}

void ApplyPriority(const PriorityRequest& request, std::vector<Match>* matches,
                   std::vector<PriorityKeys>* keys) {
  struct Entry {
    Match match;
    PriorityKeys keys;
  };
  std::vector<Entry> kept;
  for (size_t i = 0; i < matches->size() && i < keys->size(); ++i) {
    const PriorityKeys& k = (*keys)[i];
    if (!request.target_groups.empty() &&
        std::find(request.target_groups.begin(), request.target_groups.end(), k.target_group) ==
            request.target_groups.end()) {
      continue;
    }
    if (request.min_weeks_unemployed > 0 && k.weeks_unemployed < request.min_weeks_unemployed) {
      continue;
    }
    kept.push_back({std::move((*matches)[i]), k});
  }
  auto group_position = [&](const std::string& group) {
    auto it = std::find(request.target_group_order.begin(), request.target_group_order.end(), group);
    return static_cast<size_t>(it - request.target_group_order.begin());  // not listed: last
  };
  switch (request.order) {
    case PriorityOrder::kByScore:
      break;
    case PriorityOrder::kLongestUnemployedFirst:
      std::stable_sort(kept.begin(), kept.end(), [](const Entry& a, const Entry& b) {
        return a.keys.weeks_unemployed > b.keys.weeks_unemployed;
      });
      break;
    case PriorityOrder::kTargetGroupOrder:
      std::stable_sort(kept.begin(), kept.end(), [&](const Entry& a, const Entry& b) {
        const size_t pa = group_position(a.keys.target_group);
        const size_t pb = group_position(b.keys.target_group);
        if (pa != pb) return pa < pb;
        return a.keys.weeks_unemployed > b.keys.weeks_unemployed;
      });
      break;
  }
  matches->clear();
  keys->clear();
  for (Entry& e : kept) {
    e.match.rank = matches->size() + 1;
    matches->push_back(std::move(e.match));
    keys->push_back(std::move(e.keys));
  }
}

const char* UnemploymentBand(int weeks_unemployed) { return kBands[BandIndex(weeks_unemployed)]; }

std::vector<PriorityRow> BuildPriorityRows(const std::vector<PrioritySeeker>& seekers) {
  std::map<std::pair<std::string, int>, std::vector<const PrioritySeeker*>> cells;
  for (const PrioritySeeker& s : seekers) {
    const std::string group = s.keys.target_group.empty() ? "(none)" : s.keys.target_group;
    cells[{group, BandIndex(s.keys.weeks_unemployed)}].push_back(&s);
  }
  std::vector<PriorityRow> rows;
  for (const auto& [key, members] : cells) {
    PriorityRow row;
    row.target_group = key.first;
    row.band = kBands[key.second];
    row.seekers = members.size();
    std::vector<double> best;
    for (const PrioritySeeker* s : members) {
      if (!s->has_match) continue;
      ++row.with_match;
      best.push_back(s->best_score);
    }
    row.share_with_match = double(row.with_match) / double(row.seekers);
    if (!best.empty()) {
      std::sort(best.begin(), best.end());
      row.median_best_score = best[(best.size() - 1) / 2];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace jobmatch::matcher
