#include "bench/peers/peer_data.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/datagen/generator.h"
#include "matcher/tsv_reader.h"
#include "server/convert.h"

namespace jobmatch::peers {
namespace {

using matcher::Accommodation;
using matcher::AccommodationStatus;

void SortUnique(std::vector<int32_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// As Scorer's StatusOf: what the vacancy itself offers counts as in place.
AccommodationStatus StatusOf(const matcher::VacancyProfile& v, int a) {
  if (a == static_cast<int>(Accommodation::kRemoteWork) && v.remote_share_percent > 0) {
    return AccommodationStatus::kInPlace;
  }
  if (a == static_cast<int>(Accommodation::kFlexibleHours) && v.flexible_hours) {
    return AccommodationStatus::kInPlace;
  }
  return v.accommodations[a];
}

bool Usable(AccommodationStatus s) {
  return s == AccommodationStatus::kInPlace || s == AccommodationStatus::kPossible ||
         s == AccommodationStatus::kPossibleWithScheme;
}

double StatusCredit(AccommodationStatus s) {
  switch (s) {
    case AccommodationStatus::kInPlace: return 1.0;
    case AccommodationStatus::kPossible: return 0.8;
    case AccommodationStatus::kPossibleWithScheme: return 0.7;
    case AccommodationStatus::kUnknown: return 0.4;
    case AccommodationStatus::kNotPossible: return 0.0;
  }
  return 0.0;
}

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

struct Crossing {
  int a, b;
  double ax, ay, bx, by;
  double minutes[5];
};

double Metres(double ax, double ay, double bx, double by) {
  const double dx = ax - bx, dy = ay - by;
  return std::sqrt(dx * dx + dy * dy);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PeerData>> PeerData::Create(const std::string& scale) {
  std::unique_ptr<PeerData> d(new PeerData());
  const std::string dir = matcher::ReferenceData::SourceTreeDataDir();
  auto data = matcher::ReferenceData::Load(dir);
  if (!data.ok()) return data.status();
  d->data_ = std::move(*data);
  d->scorer_ = std::make_unique<matcher::Scorer>(d->data_->taxonomy.get(), d->data_->commute.get(),
                                                 d->data_->schemes.get());
  d->index_ = std::make_unique<matcher::MatchIndex>(d->scorer_.get(), d->policy_);
  d->sql_policy_ = d->policy_;
  datagen::GeneratorOptions options;
  if (auto s = datagen::ApplyScale(scale, &options); !s.ok()) return s;
  d->now_ = options.now;
  auto gen = datagen::Generator::Create(d->data_.get(), dir, options);
  if (!gen.ok()) return gen.status();

  // The same conversion as bench/matcher/match_bench.cc (no employer defaults).
  std::vector<std::string> seeker_ids, vacancy_ids;
  std::vector<std::pair<double, double>> seeker_ll, vacancy_ll;
  std::vector<matcher::SeekerProfile> seekers;
  std::vector<matcher::VacancyProfile> vacancies;
  (*gen)->Seekers([&](const v1::Seeker& s) {
    seekers.push_back(ToProfile(s, *d->data_));
    seeker_ids.push_back(s.id());
    seeker_ll.push_back({s.home().lat(), s.home().lon()});
  });
  (*gen)->Vacancies([&](const v1::Vacancy& v) {
    // The SQL peers model neither development placements (DEVELOPMENT_POTENTIAL,
    // the placement rules) nor regulated professions (AUTHORISATION_MISSING):
    // those vacancies are left out of both sides.
    if (matcher::IsDevelopmentPlacement(static_cast<matcher::VacancyKind>(v.kind()))) return;
    matcher::VacancyProfile profile = ToProfile(v, nullptr, *d->data_);
    if (d->data_->schemes->AuthorisationFor(profile.isco) >= 0) return;
    vacancies.push_back(std::move(profile));
    vacancy_ids.push_back(v.id());
    vacancy_ll.push_back({v.workplace().lat(), v.workplace().lon()});
  });
  const absl::Time start = absl::Now();
  for (auto& s : seekers) d->index_->UpsertSeeker(std::move(s));
  for (auto& v : vacancies) d->index_->UpsertVacancy(std::move(v));
  d->build_seconds_ = absl::ToDoubleSeconds(absl::Now() - start);

  const matcher::Taxonomy& taxonomy = *d->data_->taxonomy;
  const matcher::CommuteModel& commute = *d->data_->commute;
  const matcher::Schemes& schemes = *d->data_->schemes;

  // Seekers: the prepared profiles as the index holds them.
  for (size_t i = 0; i < seeker_ids.size(); ++i) {
    const matcher::SeekerProfile p = *d->index_->GetSeeker(seeker_ids[i]);
    SeekerRow r;
    r.sid = static_cast<int32_t>(i);
    r.id = p.id;
    r.x = p.home.x;
    r.y = p.home.y;
    r.lat = seeker_ll[i].first;
    r.lon = seeker_ll[i].second;
    r.landmass = static_cast<int>(p.home.landmass);
    r.modes = p.transport_modes;
    r.max_minutes = p.max_commute_minutes;
    r.reach = commute.MaxReachMetres(p.transport_modes, p.max_commute_minutes);
    for (const auto& g : p.occupations) {
      r.goal_isco.push_back(g.isco);
      const int32_t esco = g.esco == matcher::kNoOccupation ? -1 : static_cast<int32_t>(g.esco);
      r.goal_esco.push_back(esco);
      r.goal_minor.push_back(g.isco / 10);
      if (esco >= 0) r.goal_esco_set.push_back(esco);
    }
    SortUnique(&r.goal_minor);
    SortUnique(&r.goal_esco_set);
    for (auto k : p.skills) r.skills.push_back(static_cast<int32_t>(k));
    for (auto k : p.skill_parents) r.parents.push_back(static_cast<int32_t>(k));
    r.education = p.education_level;
    for (const auto& l : p.languages) {
      for (int k = 0; k <= l.level; ++k) r.lang_ok.push_back(l.code * 8 + k);
    }
    SortUnique(&r.lang_ok);
    r.licences = p.licences;
    r.min_hours = p.min_hours_per_week;
    r.max_hours = p.max_hours_per_week;
    r.max_hours_day = p.max_hours_per_day;
    r.max_hours_hard = p.max_hours_hard;
    r.fleksjob_hours = p.fleksjob_hours_per_week;
    r.kinds = p.acceptable_kinds;
    for (const auto& n : p.needs) {
      const int bit = 1 << static_cast<int>(n.accommodation);
      if (r.needs & bit) {
        // The bitmask form counts each accommodation once, as the Scorer
        // would only if the list has no repeats.
        return absl::FailedPreconditionError(
            absl::StrCat("seeker ", p.id, " lists a functional need twice"));
      }
      r.needs |= bit;
      if (n.hard) r.hard_needs |= bit;
    }
    r.excluded_hard = p.excluded_demands_hard;
    r.excluded_soft = p.excluded_demands_soft;
    r.active = p.active;
    d->seekers_.push_back(std::move(r));
  }

  for (size_t i = 0; i < vacancy_ids.size(); ++i) {
    const matcher::VacancyProfile p = *d->index_->GetVacancy(vacancy_ids[i]);
    VacancyRow r;
    r.vid = static_cast<int32_t>(i);
    r.id = p.id;
    r.x = p.workplace.x;
    r.y = p.workplace.y;
    r.lat = vacancy_ll[i].first;
    r.lon = vacancy_ll[i].second;
    r.landmass = static_cast<int>(p.workplace.landmass);
    r.remote_full = p.remote_share_percent >= 100;
    r.isco = p.isco;
    r.minor = p.isco / 10;
    r.esco = p.esco == matcher::kNoOccupation ? -1 : static_cast<int32_t>(p.esco);
    if (r.esco >= 0) {
      for (const auto& s : taxonomy.Substitutes(p.esco)) {
        r.substitutes.push_back(static_cast<int32_t>(s.occupation));
      }
      SortUnique(&r.substitutes);
    }
    for (auto s : p.essential_skills) r.essential.push_back(static_cast<int32_t>(s));
    for (auto s : p.optional_skills) r.optional.push_back(static_cast<int32_t>(s));
    r.hours = p.hours_per_week;
    r.flexible_hours = p.flexible_hours;
    r.kind = static_cast<int>(p.kind);
    r.required_licences = p.required_licences;
    for (const auto& l : p.required_languages) r.required_langs.push_back(l.code * 8 + l.level);
    SortUnique(&r.required_langs);
    r.min_education = p.min_education_level;
    r.valid_until_us = p.valid_until == absl::InfiniteFuture()
                           ? std::numeric_limits<int64_t>::max()
                           : absl::ToUnixMicros(p.valid_until);
    r.open = p.open;
    for (int a = 1; a < matcher::kAccommodationCount; ++a) {
      const int bit = 1 << a;
      switch (StatusOf(p, a)) {
        case AccommodationStatus::kInPlace: r.acc_in_place |= bit; break;
        case AccommodationStatus::kPossible: r.acc_possible |= bit; break;
        case AccommodationStatus::kPossibleWithScheme: r.acc_scheme |= bit; break;
        case AccommodationStatus::kUnknown: r.acc_unknown |= bit; break;
        case AccommodationStatus::kNotPossible: r.acc_not_possible |= bit; break;
      }
    }
    const int night = 1 << static_cast<int>(matcher::WorkDemand::kNightWork);
    r.demands = p.demands_essential | p.demands_occasional | (p.night_shifts ? night : 0);
    r.demands_essential = p.demands_essential | (p.night_shifts ? night : 0);
    for (int dm = 1; dm < matcher::kWorkDemandCount; ++dm) {
      if (!((r.demands >> dm) & 1)) continue;
      const uint16_t mitigations = schemes.Mitigations(static_cast<matcher::WorkDemand>(dm));
      AccommodationStatus best = AccommodationStatus::kNotPossible;
      for (int a = 1; a < matcher::kAccommodationCount; ++a) {
        if (!((mitigations >> a) & 1)) continue;
        const AccommodationStatus s = StatusOf(p, a);
        if (Usable(s) && (!Usable(best) || StatusCredit(s) > StatusCredit(best))) best = s;
      }
      const int bit = 1 << dm;
      if (!Usable(best)) {
        r.dm_none |= bit;
      } else if (best == AccommodationStatus::kInPlace) {
        r.dm_in_place |= bit;
      } else if (best == AccommodationStatus::kPossible) {
        r.dm_possible |= bit;
      } else {
        r.dm_scheme |= bit;
      }
    }
    d->vacancies_.push_back(std::move(r));
  }

  for (matcher::OccupationId a = 0; a < taxonomy.occupation_count(); ++a) {
    for (const auto& s : taxonomy.Substitutes(a)) {
      d->substitutes_.push_back(
          {static_cast<int32_t>(a), static_cast<int32_t>(s.occupation), s.similarity});
    }
  }
  for (matcher::SkillId k = 0; k < taxonomy.skill_count(); ++k) {
    for (const matcher::SkillId* b = taxonomy.BroaderBegin(k); b != taxonomy.BroaderEnd(k); ++b) {
      d->broader_.push_back({static_cast<int32_t>(k), static_cast<int32_t>(*b)});
    }
  }
  if (auto s = d->BuildRoutes(); !s.ok()) return s;
  return d;
}

absl::Status PeerData::BuildRoutes() {
  // The crossings as ModelCommute::Load reads them.
  const std::string file = matcher::ReferenceData::SourceTreeDataDir() + "/crossings/crossings.tsv";
  std::vector<Crossing> crossings;
  absl::Status s = matcher::ReadTsv(file, [&](const std::vector<std::string_view>& f) {
    Crossing c;
    matcher::Landmass a, b;
    double lat_a, lon_a, lat_b, lon_b;
    if (f.size() < 11 || !matcher::ParseLandmass(f[1], &a) || !matcher::ParseLandmass(f[4], &b) ||
        !absl::SimpleAtod(Sv(f[2]), &lat_a) || !absl::SimpleAtod(Sv(f[3]), &lon_a) ||
        !absl::SimpleAtod(Sv(f[5]), &lat_b) || !absl::SimpleAtod(Sv(f[6]), &lon_b)) {
      return absl::DataLossError("bad crossing line");
    }
    c.a = static_cast<int>(a);
    c.b = static_cast<int>(b);
    const matcher::Place pa = matcher::MakePlace(lat_a, lon_a, 0, 0);
    const matcher::Place pb = matcher::MakePlace(lat_b, lon_b, 0, 0);
    c.ax = pa.x;
    c.ay = pa.y;
    c.bx = pb.x;
    c.by = pb.y;
    const matcher::TransportMode modes[] = {
        matcher::TransportMode::kWalk, matcher::TransportMode::kBicycle,
        matcher::TransportMode::kCar, matcher::TransportMode::kPublicTransport};
    std::fill(std::begin(c.minutes), std::end(c.minutes), -1.0);
    for (int i = 0; i < 4; ++i) {
      double m;
      if (!absl::SimpleAtod(Sv(f[7 + i]), &m)) return absl::DataLossError("bad minutes");
      c.minutes[static_cast<int>(modes[i])] = m;
    }
    crossings.push_back(c);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  // ModelCommute's enumeration: simple landmass paths of up to three crossings.
  struct Step {
    int crossing;
    bool a_to_b;
  };
  for (int from = 0; from < matcher::kLandmassCount; ++from) {
    std::vector<Step> path;
    std::vector<bool> visited(matcher::kLandmassCount, false);
    std::function<void(int)> walk = [&](int at) {
      if (path.size() >= 3) return;
      for (int c = 0; c < static_cast<int>(crossings.size()); ++c) {
        const Crossing& x = crossings[c];
        for (bool a_to_b : {true, false}) {
          const int src = a_to_b ? x.a : x.b;
          const int dst = a_to_b ? x.b : x.a;
          if (src != at || visited[dst]) continue;
          path.push_back({c, a_to_b});
          RouteRow r;
          r.from = from;
          r.to = dst;
          const Crossing& first = crossings[path.front().crossing];
          const Crossing& last = crossings[path.back().crossing];
          r.enter_x = path.front().a_to_b ? first.ax : first.bx;
          r.enter_y = path.front().a_to_b ? first.ay : first.by;
          r.exit_x = path.back().a_to_b ? last.bx : last.ax;
          r.exit_y = path.back().a_to_b ? last.by : last.ay;
          for (int m = 1; m < matcher::kTransportModeCount; ++m) {
            double total = 0;
            bool allowed = true;
            for (size_t k = 0; k < path.size() && allowed; ++k) {
              const Crossing& cx = crossings[path[k].crossing];
              if (cx.minutes[m] < 0) {
                allowed = false;
                break;
              }
              if (k > 0) {  // the land leg from the previous exit to this entry
                const Crossing& prev = crossings[path[k - 1].crossing];
                const double px = path[k - 1].a_to_b ? prev.bx : prev.ax;
                const double py = path[k - 1].a_to_b ? prev.by : prev.ay;
                const double ex = path[k].a_to_b ? cx.ax : cx.bx;
                const double ey = path[k].a_to_b ? cx.ay : cx.by;
                total += matcher::ModelCommute::LandMinutes(Metres(px, py, ex, ey),
                                                             static_cast<matcher::TransportMode>(m));
              }
              total += cx.minutes[m];
            }
            r.minutes[m] = allowed ? total : -1;
          }
          routes_.push_back(r);
          visited[dst] = true;
          walk(dst);
          visited[dst] = false;
          path.pop_back();
        }
      }
    };
    visited[from] = true;
    walk(from);
  }
  return absl::OkStatus();
}

}  // namespace jobmatch::peers
