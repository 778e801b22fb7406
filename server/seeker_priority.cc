#include "server/seeker_priority.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "jobmatch/v1/seeker.pb.h"

namespace jobmatch {
namespace {

// The stored seeker's priority keys; nullopt if erased or unreadable.
std::optional<matcher::PriorityKeys> KeysOf(const RecordKeeper& keeper, const std::string& id,
                                            absl::Time now) {
  auto stored = keeper.Get<v1::Seeker>(id);
  if (!stored.ok()) return std::nullopt;
  const v1::Seeker& seeker = stored->record;
  matcher::PriorityKeys keys;
  keys.target_group = seeker.target_group();
  keys.weeks_unemployed =
      matcher::WeeksUnemployed(absl::FromUnixMicros(seeker.unemployed_since_micros()), now);
  return keys;
}

}  // namespace

absl::StatusOr<matcher::PriorityRequest> ToPriorityRequest(const v1::SeekerPriority& p,
                                                           const matcher::Schemes& schemes) {
  matcher::PriorityRequest out;
  if (!v1::PriorityOrder_IsValid(p.order())) {
    return absl::InvalidArgumentError("priority.order: undefined value");
  }
  out.order = static_cast<matcher::PriorityOrder>(p.order());
  auto groups = [&](const auto& list, const char* field, std::vector<std::string>* into) {
    std::set<std::string> seen;
    for (int i = 0; i < list.size(); ++i) {
      const std::string f = absl::StrCat("priority.", field, "[", i, "]");
      if (!schemes.IsTargetGroup(list[i]) || list[i].empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ": must be a known target group code (data/schemes/target_groups.tsv)"));
      }
      if (!seen.insert(list[i]).second) {
        return absl::InvalidArgumentError(absl::StrCat(f, ": duplicate target group"));
      }
      into->push_back(list[i]);
    }
    return absl::OkStatus();
  };
  if (absl::Status s = groups(p.target_groups(), "target_groups", &out.target_groups); !s.ok()) {
    return s;
  }
  if (absl::Status s = groups(p.target_group_order(), "target_group_order", &out.target_group_order);
      !s.ok()) {
    return s;
  }
  if (p.min_weeks_unemployed() < 0 || p.min_weeks_unemployed() > 2600) {
    return absl::InvalidArgumentError("priority.min_weeks_unemployed: must be within [0, 2600]");
  }
  out.min_weeks_unemployed = p.min_weeks_unemployed();
  if (out.order == matcher::PriorityOrder::kTargetGroupOrder && out.target_group_order.empty()) {
    return absl::InvalidArgumentError(
        "priority.target_group_order: required with order TARGET_GROUP_ORDER");
  }
  return out;
}

absl::StatusOr<matcher::MatchResult> PrioritizedSeekers(const matcher::MatchIndex& index,
                                                        const RecordKeeper& keeper,
                                                        const std::string& vacancy_id,
                                                        const matcher::MatchQuery& query,
                                                        const matcher::PriorityRequest& priority,
                                                        std::vector<v1::PriorityKeys>* keys) {
  matcher::MatchQuery all = query;
  all.offset = 0;
  all.limit = 1000;
  auto result = index.TopSeekersForVacancy(vacancy_id, all);
  if (!result.ok()) return result.status();
  std::vector<matcher::PriorityKeys> found;
  std::vector<matcher::Match> matches;
  for (matcher::Match& m : result->matches) {
    auto k = KeysOf(keeper, m.id, query.now);
    if (!k) continue;  // erased since the query
    found.push_back(std::move(*k));
    matches.push_back(std::move(m));
  }
  matcher::ApplyPriority(priority, &matches, &found);
  result->feasible = matches.size();
  result->matches.clear();
  keys->clear();
  for (size_t i = query.offset; i < matches.size() && result->matches.size() < query.limit; ++i) {
    result->matches.push_back(std::move(matches[i]));
    v1::PriorityKeys out;
    out.set_target_group(found[i].target_group);
    out.set_weeks_unemployed(found[i].weeks_unemployed);
    keys->push_back(std::move(out));
  }
  return result;
}

void AddPrioritySection(const RecordKeeper& keeper, const matcher::BulkTopKResult& result,
                        absl::Time now, v1::RematchReport* report) {
  std::vector<matcher::PrioritySeeker> seekers;
  seekers.reserve(result.vacancies_for_seeker.size());
  for (const auto& [id, ranked] : result.vacancies_for_seeker) {
    auto keys = KeysOf(keeper, id, now);
    if (!keys) continue;
    matcher::PrioritySeeker s;
    s.keys = std::move(*keys);
    s.has_match = !ranked.empty();
    if (s.has_match) s.best_score = ranked.front().score;
    seekers.push_back(std::move(s));
  }
  for (const matcher::PriorityRow& row : matcher::BuildPriorityRows(seekers)) {
    v1::PriorityRow* out = report->add_priority();
    out->set_target_group(row.target_group);
    out->set_unemployment_band(row.band);
    out->set_seekers(row.seekers);
    out->set_with_match(row.with_match);
    out->set_share_with_match(row.share_with_match);
    out->set_median_best_score(row.median_best_score);
  }
}

}  // namespace jobmatch
