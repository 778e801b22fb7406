#include "clients/datagen/placement_history.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "clients/datagen/random.h"

namespace jobmatch::datagen {
namespace {

// The histories' own stream: changing them leaves every record as it was.
constexpr uint64_t kPlacementStream = 0x706c6163656d6e74;  // "placemnt"
constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

uint64_t StreamSeed(uint64_t seed) {
  // SplitMix64 finaliser, as the generator's other streams.
  uint64_t z = seed ^ kPlacementStream;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct VacancyFacts {
  std::string id;
  v1::VacancyKind kind = v1::VACANCY_KIND_UNSPECIFIED;
  int duration_weeks = 0;
  int openings_left = 1;
};

bool IsDevelopmentPlacement(v1::VacancyKind kind) {
  return kind == v1::VIRKSOMHEDSPRAKTIK || kind == v1::LOENTILSKUD || kind == v1::IGU ||
         kind == v1::VOKSENLAERLING;
}

enum class Distance { kNear, kMiddle, kFar };
Distance DistanceOf(const std::string& target_group) {
  if (target_group == "jobparat" || target_group == "uddannelsesparat" ||
      target_group == "selvforsoerger" || target_group.empty()) {
    return Distance::kNear;
  }
  if (target_group == "sygedagpenge" || target_group == "fleksjob_visiteret") {
    return Distance::kMiddle;
  }
  return Distance::kFar;
}

// One pair's events, in time order, cut at `now`.
class PairHistory {
 public:
  PairHistory(const std::string& seeker_id, const std::string& vacancy_id, int64_t now,
              const std::function<void(const v1::Feedback&)>* fn)
      : now_(now), fn_(fn) {
    event_.set_seeker_id(seeker_id);
    event_.set_vacancy_id(vacancy_id);
  }
  // Records `outcome` on day `day` (micros of its midnight) at a working
  // hour; false once the time is not before now (the rest is the future).
  bool Add(Random& r, int64_t day, v1::FeedbackOutcome outcome,
           v1::RejectionReason reason = v1::REJECTION_REASON_UNSPECIFIED, int months = 0,
           v1::EndOutcome end = v1::END_OUTCOME_UNSPECIFIED) {
    const int64_t time = day + 8 * kMicrosPerHour + static_cast<int64_t>(r.Below(9 * 3600)) * 1000000;
    if (!open_ || time >= now_) {
      open_ = false;
      return false;
    }
    event_.set_outcome(outcome);
    event_.set_reason(reason);
    event_.set_follow_up_months(months);
    event_.set_end_outcome(end);
    event_.set_time_micros(time);
    (*fn_)(event_);
    return true;
  }

 private:
  const int64_t now_;
  const std::function<void(const v1::Feedback&)>* const fn_;
  v1::Feedback event_;
  bool open_ = true;
};

v1::EndOutcome DrawEnd(Random& r, double to_employment, double to_education) {
  const double u = r.Uniform();
  if (u < to_employment) return v1::TO_EMPLOYMENT;
  if (u < to_employment + to_education) return v1::TO_EDUCATION;
  return v1::BACK_TO_BENEFITS;
}

// The planned end of a development placement: {to employment, to education}.
std::pair<double, double> PlannedEndRates(const PlacementModel& m, v1::VacancyKind kind) {
  switch (kind) {
    case v1::VIRKSOMHEDSPRAKTIK: return {m.praktik_to_employment, m.praktik_to_education};
    case v1::LOENTILSKUD: return {m.loentilskud_to_employment, m.loentilskud_to_education};
    case v1::IGU: return {m.igu_to_employment, m.igu_to_education};
    default: return {m.voksenlaerling_to_employment, m.voksenlaerling_to_education};
  }
}

v1::RejectionReason NoInterviewReason(Random& r) {
  const double u = r.Uniform();
  if (u < 0.40) return v1::EMPLOYER_DECLINED;
  if (u < 0.65) return v1::SKILLS_INSUFFICIENT;
  if (u < 0.80) return v1::HOURS_DO_NOT_FIT;
  if (u < 0.90) return v1::COMMUTE_TOO_LONG_IN_PRACTICE;
  return v1::SEEKER_DECLINED;
}

// One pair from its first suggestion on.
void DrawPair(Random& r, const PlacementModel& m, Distance distance, VacancyFacts& vacancy,
              int64_t first_day, PairHistory& out) {
  int64_t day = first_day;
  if (!out.Add(r, day, v1::SHORTLISTED)) return;
  if (!r.Chance(m.contacted)) {
    if (r.Chance(m.not_interested_if_not_contacted)) {
      day += r.Between(1, 14) * kMicrosPerDay;
      out.Add(r, day, v1::NOT_INTERESTED, r.Chance(0.5) ? v1::SEEKER_DECLINED
                                                         : v1::REJECTION_REASON_UNSPECIFIED);
    }
    return;
  }
  day += r.Between(1, 10) * kMicrosPerDay;
  if (!out.Add(r, day, v1::CONTACTED)) return;
  if (!r.Chance(m.interview)) {
    if (r.Chance(m.rejected_if_no_interview)) {
      day += r.Between(2, 14) * kMicrosPerDay;
      out.Add(r, day, v1::REJECTED, NoInterviewReason(r));
    }
    return;
  }
  day += r.Between(3, 21) * kMicrosPerDay;
  if (!out.Add(r, day, v1::INTERVIEW)) return;
  const double start = distance == Distance::kNear     ? m.start_near
                       : distance == Distance::kMiddle ? m.start_middle
                                                       : m.start_far;
  const bool hired = r.Chance(start);
  day += r.Between(3, 14) * kMicrosPerDay;
  if (!hired || vacancy.openings_left <= 0) {
    out.Add(r, day, v1::REJECTED, hired ? v1::POSITION_FILLED : v1::EMPLOYER_DECLINED);
    return;
  }
  if (!out.Add(r, day, v1::HIRED)) return;
  // The opening is taken once the pair is hired, whether or not its start
  // falls within the window.
  --vacancy.openings_left;
  const bool development = IsDevelopmentPlacement(vacancy.kind);
  day += (development ? r.Between(3, 14) : r.Between(7, 35)) * kMicrosPerDay;
  const int64_t start_day = day;
  if (!out.Add(r, day, v1::STARTED)) return;
  const int64_t planned_end =
      development && vacancy.duration_weeks > 0
          ? start_day + int64_t{vacancy.duration_weeks} * 7 * kMicrosPerDay
          : INT64_MAX;
  const bool far = distance == Distance::kFar;
  const struct {
    int months;
    int days;
    double in_work;
  } checks[] = {{1, 30, far ? m.in_work_1_month_far : m.in_work_1_month},
                {3, 91, far ? m.in_work_3_months_far : m.in_work_3_months},
                {6, 182, far ? m.in_work_6_months_far : m.in_work_6_months}};
  for (const auto& check : checks) {
    const int64_t due = start_day + int64_t{check.days} * kMicrosPerDay;
    if (planned_end <= due) {
      const auto [employment, education] = PlannedEndRates(m, vacancy.kind);
      out.Add(r, std::max(planned_end, day + kMicrosPerDay), v1::ENDED,
              v1::REJECTION_REASON_UNSPECIFIED, 0, DrawEnd(r, employment, education));
      return;
    }
    if (!r.Chance(check.in_work)) {
      // Dropped out between the last event and this follow-up.
      const int64_t span_days = std::max<int64_t>(1, (due - day) / kMicrosPerDay);
      day += (1 + static_cast<int64_t>(r.Below(static_cast<size_t>(span_days)))) * kMicrosPerDay;
      out.Add(r, day, v1::ENDED, v1::REJECTION_REASON_UNSPECIFIED, 0,
              DrawEnd(r, m.dropout_to_employment, m.dropout_to_education));
      return;
    }
    day = due + r.Between(0, 7) * kMicrosPerDay;
    if (!out.Add(r, day, v1::FOLLOWED_UP, v1::REJECTION_REASON_UNSPECIFIED, check.months)) return;
  }
  if (planned_end != INT64_MAX) {
    const auto [employment, education] = PlannedEndRates(m, vacancy.kind);
    out.Add(r, std::max(planned_end, day + kMicrosPerDay), v1::ENDED,
            v1::REJECTION_REASON_UNSPECIFIED, 0, DrawEnd(r, employment, education));
  }
}

}  // namespace

void PlacementHistories(const Generator& generator, const PlacementModel& model,
                        const std::function<void(const v1::Feedback&)>& fn) {
  // The vacancies by (municipality, ISCO major group) and by municipality.
  std::vector<VacancyFacts> vacancies;
  absl::flat_hash_map<int, std::vector<uint32_t>> by_area_and_group, by_area;
  generator.Vacancies([&](const v1::Vacancy& v) {
    const uint32_t at = static_cast<uint32_t>(vacancies.size());
    VacancyFacts facts;
    facts.id = v.id();
    facts.kind = v.kind();
    facts.duration_weeks = v.duration_weeks();
    facts.openings_left = std::max(1, v.openings());
    vacancies.push_back(std::move(facts));
    const int area = v.workplace().municipality();
    const int group = v.isco_code().empty() ? 0 : v.isco_code()[0] - '0';
    by_area_and_group[area * 10 + group].push_back(at);
    by_area[area].push_back(at);
  });
  if (vacancies.empty()) return;
  Random r(StreamSeed(generator.options().seed));
  const int64_t now = absl::ToUnixMicros(generator.options().now);
  const int64_t today = now - now % kMicrosPerDay;
  const std::vector<uint32_t> none;
  auto bucket = [&](const absl::flat_hash_map<int, std::vector<uint32_t>>& map, int key)
      -> const std::vector<uint32_t>& {
    auto it = map.find(key);
    return it == map.end() ? none : it->second;
  };
  generator.Seekers([&](const v1::Seeker& s) {
    if (!r.Chance(model.seekers_with_pairs)) return;
    int pairs = 1;
    while (pairs < model.max_pairs && r.Chance(model.another_pair)) ++pairs;
    const int area = s.home().municipality();
    const std::string& isco = s.occupations_size() > 0 ? s.occupations(0).isco_code() : "";
    const int group = isco.empty() ? 0 : isco[0] - '0';
    const std::vector<uint32_t>& same_job = bucket(by_area_and_group, area * 10 + group);
    const std::vector<uint32_t>& same_area = bucket(by_area, area);
    const Distance distance = DistanceOf(s.target_group());
    absl::flat_hash_set<uint32_t> taken;
    for (int p = 0; p < pairs; ++p) {
      // Mostly a job of the seeker's own occupation group where they live;
      // else any job there; else anywhere. A kind the seeker accepts
      // (acceptable_kinds) when one is found in a few draws.
      uint32_t pick = 0;
      bool found = false;
      for (int attempt = 0; attempt < 6 && !found; ++attempt) {
        const double u = r.Uniform();
        const std::vector<uint32_t>& from =
            !same_job.empty() && u < 0.75 ? same_job : !same_area.empty() ? same_area : same_job;
        pick = from.empty() ? static_cast<uint32_t>(r.Below(vacancies.size()))
                            : from[r.Below(from.size())];
        const bool accepted =
            s.acceptable_kinds_size() == 0 ||
            std::find(s.acceptable_kinds().begin(), s.acceptable_kinds().end(),
                      vacancies[pick].kind) != s.acceptable_kinds().end();
        found = accepted && !taken.contains(pick);
      }
      if (!found) continue;
      taken.insert(pick);
      const int64_t first_day =
          today - (1 + static_cast<int64_t>(r.Below(static_cast<size_t>(model.window_days)))) *
                      kMicrosPerDay;
      PairHistory out(s.id(), vacancies[pick].id, now, &fn);
      DrawPair(r, model, distance, vacancies[pick], first_day, out);
    }
  });
}

}  // namespace jobmatch::datagen
