#include "clients/datagen/generator.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "matcher/tsv_reader.h"

namespace jobmatch::datagen {
namespace {

// Our own sampling on top of mt19937_64 (portable, unlike std::*_distribution).
class Random {
 public:
  explicit Random(uint64_t seed) : rng_(seed) {}
  double Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  size_t Below(size_t n) { return static_cast<size_t>(Uniform() * static_cast<double>(n)); }
  bool Chance(double p) { return Uniform() < p; }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(hi - lo + 1)); }

 private:
  std::mt19937_64 rng_;
};

// Weighted choice by binary search over cumulative weights.
class Weighted {
 public:
  void Add(double weight) { cumulative_.push_back((cumulative_.empty() ? 0 : cumulative_.back()) + weight); }
  size_t Pick(Random& r) const {
    const double x = r.Uniform() * cumulative_.back();
    return std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin();
  }
  bool empty() const { return cumulative_.empty(); }

 private:
  std::vector<double> cumulative_;
};

template <typename T>
struct Choice {
  T value;
  double weight;
};

template <typename T>
T PickFrom(Random& r, const std::vector<Choice<T>>& choices) {
  double total = 0;
  for (const auto& c : choices) total += c.weight;
  double x = r.Uniform() * total;
  for (const auto& c : choices) {
    if ((x -= c.weight) < 0) return c.value;
  }
  return choices.back().value;
}

// Unit groups common among job-centre clients and vacancies, weighted by a
// stated labour-market mix (docs/data-generator.md): cleaning, warehouse,
// care, retail, kitchen, transport, construction, office, manufacturing.
const std::vector<Choice<int>> kCommonUnitGroups = {
    {9112, 8}, {9111, 3}, {9121, 1}, {9333, 7}, {9329, 3}, {5322, 7}, {5321, 5}, {5311, 3},
    {5223, 8}, {5230, 2}, {5120, 4}, {9412, 4}, {8322, 3}, {8332, 3}, {8331, 1}, {8344, 2},
    {7112, 2}, {7115, 2}, {7411, 2}, {7126, 1}, {7231, 2}, {9313, 2}, {4110, 3}, {4321, 2},
    {4311, 2}, {4222, 2}, {3341, 1}, {2512, 2}, {2221, 2}, {2341, 2}, {2342, 2}, {3412, 1},
    {8160, 1}, {8219, 2}, {9214, 1}, {5141, 1}, {5131, 3}, {6113, 1}, {3322, 1}, {2411, 1}};

// Job-dense labour markets (Copenhagen, Frederiksberg, Aarhus, Odense, Aalborg,
// Trekantområdet) get more vacancies per inhabitant.
double JobDensity(int municipality) {
  switch (municipality) {
    case 101: case 147: return 1.8;
    case 751: case 461: case 851: return 1.5;
    case 621: case 630: case 607: case 410: case 530: case 575: return 1.3;
    default: return 0.8;
  }
}

}  // namespace

absl::Status ApplyScale(const std::string& scale, GeneratorOptions* options) {
  double fraction = 0;
  if (scale == "municipality") {
    options->seekers = 7000;
    options->vacancies = 2000;
    return absl::OkStatus();
  }
  if (scale == "region") {
    options->seekers = 50000;
    options->vacancies = 12000;
    return absl::OkStatus();
  }
  if (scale == "national") {
    fraction = 1;
  } else if (!absl::SimpleAtod(scale, &fraction) || fraction <= 0 || fraction > 4) {
    return absl::InvalidArgumentError(
        "scale: must be municipality, region, national or a fraction of national in (0, 4]");
  }
  options->seekers = static_cast<size_t>(250000 * fraction);
  options->vacancies = static_cast<size_t>(60000 * fraction);
  return absl::OkStatus();
}

struct Generator::Impl {
  const matcher::ReferenceData* data;
  GeneratorOptions options;
  std::vector<int> municipalities;
  std::vector<std::vector<const matcher::PostalCode*>> postal_codes;  // by municipality index
  Weighted home_weights, job_weights;
  std::vector<int> unit_groups;  // with at least one ESCO occupation
  Weighted unit_group_weights;
  size_t employers = 0;

  v1::Location Place(Random& r, const Weighted& weights) const {
    const size_t m = weights.Pick(r);
    const auto& codes = postal_codes[m];
    const matcher::PostalCode* pc = codes[r.Below(codes.size())];
    v1::Location loc;
    // Jitter within about a kilometre of the postal code's point.
    loc.set_lat(std::clamp(pc->lat + (r.Uniform() - 0.5) * 0.018, 54.56, 57.75));
    loc.set_lon(std::clamp(pc->lon + (r.Uniform() - 0.5) * 0.03, 8.08, 15.15));
    loc.set_postal_code(pc->code);
    loc.set_municipality(municipalities[m]);
    return loc;
  }

  int UnitGroup(Random& r) const {
    // 85% from the common job-centre mix, 15% from the whole taxonomy.
    if (r.Chance(0.85)) return unit_groups[unit_group_weights.Pick(r)];
    return data->taxonomy->occupation(r.Below(data->taxonomy->occupation_count())).isco;
  }

  matcher::OccupationId EscoIn(Random& r, int isco) const {
    const auto& occs = data->taxonomy->OccupationsInUnitGroup(isco);
    return occs[r.Below(occs.size())];
  }

  std::string Isco(int isco) const { return absl::StrFormat("%04d", isco); }
};

Generator::Generator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Generator::~Generator() = default;

absl::StatusOr<std::unique_ptr<Generator>> Generator::Create(const matcher::ReferenceData* data,
                                                             const std::string& reference_data_dir,
                                                             GeneratorOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->data = data;
  impl->options = options;
  absl::flat_hash_map<int, int> population;
  absl::Status s = matcher::ReadTsv(
      reference_data_dir + "/populations/municipalities_2024.tsv",
      [&](const std::vector<std::string_view>& f) -> absl::Status {
        int code = 0, people = 0;
        if (f.size() < 2 || !absl::SimpleAtoi(absl::string_view(f[0].data(), f[0].size()), &code) ||
            !absl::SimpleAtoi(absl::string_view(f[1].data(), f[1].size()), &people)) {
          return absl::DataLossError("expected kommunekode<TAB>population");
        }
        population[code] = people;
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  // Municipalities in code order (deterministic), with their geographic codes.
  std::vector<int> codes;
  for (const auto& [code, m] : data->geography->municipalities()) codes.push_back(code);
  std::sort(codes.begin(), codes.end());
  for (int code : codes) {
    std::vector<const matcher::PostalCode*> pcs;
    for (const auto& [pc_code, pc] : data->geography->postal_codes()) {
      if (pc.municipality == code && pc.geographic) pcs.push_back(&pc);
    }
    if (pcs.empty() || !population.contains(code)) continue;
    std::sort(pcs.begin(), pcs.end(), [](auto* a, auto* b) { return a->code < b->code; });
    impl->municipalities.push_back(code);
    impl->postal_codes.push_back(std::move(pcs));
    impl->home_weights.Add(population[code]);
    impl->job_weights.Add(population[code] * JobDensity(code));
  }
  for (const auto& c : kCommonUnitGroups) {
    if (!data->taxonomy->OccupationsInUnitGroup(c.value).empty()) {
      impl->unit_groups.push_back(c.value);
      impl->unit_group_weights.Add(c.weight);
    }
  }
  if (impl->municipalities.empty() || impl->unit_groups.empty()) {
    return absl::FailedPreconditionError("reference data has no usable municipalities or occupations");
  }
  impl->employers = std::max<size_t>(1, options.vacancies / 6);
  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

size_t Generator::employer_count() const { return impl_->employers; }

void Generator::Employers(const std::function<void(const v1::Employer&)>& fn) {
  Random r(impl_->options.seed * 3 + 1);
  v1::Employer e;
  for (size_t i = 0; i < impl_->employers; ++i) {
    e.Clear();
    e.set_id(absl::StrFormat("e%06d", i));
    e.set_name(absl::StrCat("Employer ", i));
    e.set_cvr(absl::StrFormat("%08d", 10000000 + static_cast<int>(i)));
    e.set_public_sector(r.Chance(0.30));  // ~30% of Danish employees work in the public sector
    const v1::Location loc = impl_->Place(r, impl_->job_weights);
    e.set_municipality(loc.municipality());
    fn(e);
  }
}

void Generator::Seekers(const std::function<void(const v1::Seeker&)>& fn) {
  Random r(impl_->options.seed * 3 + 2);
  const matcher::Taxonomy& t = *impl_->data->taxonomy;
  v1::Seeker s;
  for (size_t i = 0; i < impl_->options.seekers; ++i) {
    s.Clear();
    s.set_id(absl::StrFormat("s%07d", i));
    *s.mutable_home() = impl_->Place(r, impl_->home_weights);
    const bool car = r.Chance(0.65);  // ~35% of unemployed have no car available
    if (car) s.add_transport_modes(v1::CAR);
    s.add_transport_modes(v1::PUBLIC_TRANSPORT);
    if (!car || r.Chance(0.3)) s.add_transport_modes(v1::BICYCLE);
    s.set_max_commute_minutes(PickFrom<int>(r, {{30, 15}, {45, 30}, {60, 35}, {75, 10}, {90, 10}}));
    s.set_commute_limit_reason(v1::STANDARD_RULE);
    if (r.Chance(0.05)) {
      s.set_max_commute_minutes(30);
      s.set_commute_limit_reason(v1::HEALTH);
    }
    const int isco = impl_->UnitGroup(r);
    const matcher::OccupationId occ = impl_->EscoIn(r, isco);
    auto* goal = s.add_occupations();
    goal->set_isco_code(impl_->Isco(isco));
    goal->set_esco_uri(t.occupation(occ).uri);
    if (r.Chance(0.3)) {
      const int second = impl_->UnitGroup(r);
      if (second != isco) s.add_occupations()->set_isco_code(impl_->Isco(second));
    }
    // Most but not all essential skills; sometimes a sibling instead.
    const double keep = 0.6 + 0.35 * r.Uniform();
    std::vector<matcher::SkillId> skills;
    for (matcher::SkillId k : t.occupation(occ).essential) {
      if (!r.Chance(keep)) continue;
      if (r.Chance(0.1) && !t.skill(k).broader.empty()) {
        // A sibling: another skill under the same broader concept.
        const matcher::SkillId parent = t.skill(k).broader.front();
        const matcher::SkillId probe = (k + 1 + r.Below(50)) % t.skill_count();
        for (matcher::SkillId j = probe; j < std::min<size_t>(t.skill_count(), probe + 400); ++j) {
          const auto& up = t.skill(j).broader;
          if (!t.skill(j).is_group && j != k && std::binary_search(up.begin(), up.end(), parent)) {
            k = j;
            break;
          }
        }
      }
      skills.push_back(k);
    }
    for (matcher::SkillId k : t.occupation(occ).optional) {
      if (r.Chance(0.15)) skills.push_back(k);
    }
    std::sort(skills.begin(), skills.end());
    skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
    if (skills.size() > 200) skills.resize(200);
    for (matcher::SkillId k : skills) s.add_skills()->set_esco_uri(t.skill(k).uri);
    s.set_education_level(PickFrom<int>(r, {{1, 5}, {2, 20}, {3, 40}, {4, 5}, {5, 8}, {6, 14}, {7, 7}, {8, 1}}));
    auto* da = s.add_languages();
    da->set_code("da");
    da->set_level(r.Chance(0.85) ? v1::CEFR_NATIVE : PickFrom<v1::LanguageLevel>(r, {{v1::CEFR_A2, 1}, {v1::CEFR_B1, 2}, {v1::CEFR_B2, 2}}));
    if (r.Chance(0.6)) {
      auto* en = s.add_languages();
      en->set_code("en");
      en->set_level(PickFrom<v1::LanguageLevel>(r, {{v1::CEFR_B1, 3}, {v1::CEFR_B2, 4}, {v1::CEFR_C1, 2}}));
    }
    if (car) s.add_licences(v1::LICENCE_B);
    if (r.Chance(0.05)) s.add_licences(v1::LICENCE_C);
    if (r.Chance(0.04)) s.add_licences(v1::LICENCE_FORKLIFT);
    s.set_min_hours_per_week(r.Chance(0.7) ? 30 : 15);
    s.set_max_hours_per_week(37);
    std::string target = PickFrom<std::string>(r, {{"jobparat", 45}, {"aktivitetsparat", 25}, {"sygedagpenge", 12},
                                                   {"uddannelsesparat", 8}, {"ressourceforloeb", 4}, {"jobafklaring", 3},
                                                   {"selvforsoerger", 3}});
    if (r.Chance(0.06)) {  // approved for fleksjob
      s.set_fleksjob_hours_per_week(r.Between(8, 25));
      s.set_min_hours_per_week(0);
      s.set_max_hours_per_week(s.fleksjob_hours_per_week());
      target = "fleksjob_visiteret";
    }
    s.set_target_group(target);
    if (r.Chance(0.22)) {  // health-related limitations among job-centre clients
      const int n = r.Chance(0.7) ? 1 : 2;
      std::vector<int> used;
      for (int k = 0; k < n; ++k) {
        const v1::Accommodation a = PickFrom<v1::Accommodation>(
            r, {{v1::STEP_FREE_ACCESS, 15}, {v1::ADJUSTABLE_DESK, 20}, {v1::QUIET_WORKSPACE, 15},
                {v1::FLEXIBLE_HOURS, 20}, {v1::EXTRA_BREAKS, 10}, {v1::REDUCED_PACE, 10},
                {v1::SCREEN_READER, 3}, {v1::HEARING_LOOP, 3}, {v1::MENTOR, 4}});
        if (std::find(used.begin(), used.end(), a) != used.end()) continue;
        used.push_back(a);
        auto* need = s.add_needs();
        need->set_accommodation(a);
        need->set_strength(r.Chance(0.4) ? v1::HARD : v1::SOFT);
      }
      s.set_consent_share_needs_with_employers(r.Chance(0.5));
    }
    if (r.Chance(0.12)) {
      auto* d = s.add_excluded_demands();
      d->set_demand(PickFrom<v1::WorkDemand>(r, {{v1::HEAVY_LIFTING, 5}, {v1::PROLONGED_STANDING, 3},
                                                 {v1::NIGHT_WORK, 2}, {v1::HIGH_PACE, 2}}));
      d->set_strength(r.Chance(0.5) ? v1::HARD : v1::SOFT);
    }
    s.set_status(v1::ACTIVE);
    fn(s);
  }
}

void Generator::Vacancies(const std::function<void(const v1::Vacancy&)>& fn) {
  Random r(impl_->options.seed * 3 + 3);
  const matcher::Taxonomy& t = *impl_->data->taxonomy;
  v1::Vacancy v;
  const int64_t now = absl::ToUnixMicros(impl_->options.now);
  for (size_t i = 0; i < impl_->options.vacancies; ++i) {
    v.Clear();
    v.set_id(absl::StrFormat("v%06d", i));
    v.set_employer_id(absl::StrFormat("e%06d", r.Below(impl_->employers)));
    *v.mutable_workplace() = impl_->Place(r, impl_->job_weights);
    v.set_remote_share_percent(r.Chance(0.1) ? PickFrom<int>(r, {{20, 3}, {40, 2}, {100, 1}}) : 0);
    const int isco = impl_->UnitGroup(r);
    const matcher::OccupationId occ = impl_->EscoIn(r, isco);
    v.set_isco_code(impl_->Isco(isco));
    v.set_esco_occupation_uri(t.occupation(occ).uri);
    if (!r.Chance(0.15)) {  // 15% give only the occupation: its profile applies
      size_t n = 0;
      for (matcher::SkillId k : t.occupation(occ).essential) {
        if (++n <= 100) v.add_essential_skills(t.skill(k).uri);
      }
      n = 0;
      for (matcher::SkillId k : t.occupation(occ).optional) {
        if (r.Chance(0.3) && ++n <= 100) v.add_optional_skills(t.skill(k).uri);
      }
    }
    const v1::VacancyKind kind = PickFrom<v1::VacancyKind>(
        r, {{v1::ORDINARY, 85}, {v1::LOENTILSKUD, 4}, {v1::VIRKSOMHEDSPRAKTIK, 5}, {v1::FLEKSJOB, 3},
            {v1::APPRENTICESHIP, 3}});
    v.set_kind(kind);
    v.set_hours_per_week(kind == v1::FLEKSJOB ? r.Between(8, 20)
                                              : PickFrom<int>(r, {{37, 70}, {30, 12}, {25, 10}, {20, 8}}));
    v.set_night_shifts(r.Chance(0.08));
    v.set_flexible_hours(r.Chance(0.3));
    if (isco / 1000 == 9 || isco / 1000 == 7) {
      auto* d = v.add_demands();
      d->set_demand(v1::HEAVY_LIFTING);
      d->set_essential(r.Chance(0.5));
      auto* d2 = v.add_demands();
      d2->set_demand(v1::PROLONGED_STANDING);
      d2->set_essential(r.Chance(0.6));
    } else if (isco / 1000 == 5) {
      auto* d = v.add_demands();
      d->set_demand(v1::CUSTOMER_CONTACT);
      d->set_essential(true);
    }
    if (!r.Chance(0.4)) {  // 40% leave accommodations to the employer's defaults (unknown)
      for (int a = 1; a <= 14; ++a) {
        if (!r.Chance(0.5)) continue;
        auto* acc = v.add_accommodations();
        acc->set_accommodation(static_cast<v1::Accommodation>(a));
        acc->set_status(PickFrom<v1::AccommodationStatus>(
            r, {{v1::IN_PLACE, 25}, {v1::POSSIBLE, 25}, {v1::POSSIBLE_WITH_SCHEME, 20},
                {v1::NOT_POSSIBLE, 10}, {v1::UNKNOWN, 20}}));
      }
    }
    if (isco == 8322) v.add_required_licences(v1::LICENCE_B);
    if (isco == 8332) v.add_required_licences(v1::LICENCE_C);
    if (isco == 8344) v.add_required_licences(v1::LICENCE_FORKLIFT);
    if (r.Chance(0.4)) {
      auto* da = v.add_required_languages();
      da->set_code("da");
      da->set_level(v1::CEFR_B2);
    }
    v.set_min_education_level(isco / 1000 <= 3 ? PickFrom<int>(r, {{0, 2}, {5, 1}, {6, 3}, {7, 2}}) : 0);
    v.set_openings(r.Chance(0.8) ? 1 : r.Between(2, 5));
    v.set_valid_until_micros(now + static_cast<int64_t>(r.Between(7, 60)) * 86400 * 1000000);
    v.set_status(v1::OPEN);
    fn(v);
  }
}

}  // namespace jobmatch::datagen
