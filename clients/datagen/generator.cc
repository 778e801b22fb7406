#include "clients/datagen/generator.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/datagen/ground_truth.h"
#include "clients/datagen/labour_market.h"
#include "clients/datagen/random.h"

namespace jobmatch::datagen {
namespace {

// Independent streams per record kind: a kind's records do not depend on the
// other kinds' counts.
constexpr uint64_t kEmployerStream = 0x656d706c6f796572;  // "employer"
constexpr uint64_t kSeekerStream = 0x7365656b65727321;    // "seekers!"
constexpr uint64_t kVacancyStream = 0x766163616e637921;   // "vacancy!"
// Employers' size, industry, label, agreements and contacts: a stream of
// their own per employer, for the same reason.
constexpr uint64_t kEmployerFactsStream = 0x6272696467652121;  // "bridge!!"
// Unemployment spells: a stream of their own per seeker, so that adding them
// left every other field of every record as it was.
constexpr uint64_t kUnemploymentStream = 0x6c656469672d7370;  // "ledig-sp"

uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  // SplitMix64 finaliser over seed ^ stream: nearby seeds give unrelated streams.
  uint64_t z = seed ^ stream;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegreeLat = 111320.0;
constexpr double kJitterMetres = 1500.0;

// cos(x) for |x| <= 1.1 (Danish latitudes in radians) by its Taylor series:
// + and * only, so the same bits on every machine (unlike libm's cos). The
// truncation error is below 1e-8.
double PortableCos(double x) {
  const double x2 = x * x;
  double term = 1, sum = 1;
  for (int k = 1; k <= 7; ++k) {
    term = -term * x2 / static_cast<double>((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}

double RoundMicrodegrees(double degrees) { return std::round(degrees * 1e6) / 1e6; }

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

// Target groups (data/schemes/target_groups.tsv) with their share of seekers
// and what follows from each.
struct TargetGroup {
  const char* code;
  double share;
  double needs_probability;  // has at least one functional need
  // Mean length in weeks of the current unemployment spell (exponential):
  // short for the job-ready and the sick-listed, years for those furthest
  // from the labour market (rough orders of magnitude from Jobindsats).
  double mean_weeks_unemployed;
};
const TargetGroup kTargetGroups[] = {
    {"jobparat", 42, 0.05, 18},          {"aktivitetsparat", 24, 0.22, 160},
    {"sygedagpenge", 12, 0.45, 22},      {"uddannelsesparat", 7, 0.08, 45},
    {"fleksjob_visiteret", 6, 0.85, 70}, {"ressourceforloeb", 4, 0.60, 260},
    {"jobafklaring", 3, 0.50, 90},       {"selvforsoerger", 1, 0.03, 12},
    {"revalidering", 1, 0.50, 60}};
enum TargetGroupIndex {
  kJobparat, kAktivitetsparat, kSygedagpenge, kUddannelsesparat, kFleksjob, kRessourceforloeb,
  kJobafklaring, kSelvforsoerger, kRevalidering
};

// Functional needs: musculoskeletal and mental-health limitations dominate
// (docs/data-generator.md); some needs imply a demand the seeker avoids.
struct NeedProfile {
  v1::Accommodation accommodation;
  double weight;
  v1::WorkDemand implied_demand;  // WORK_DEMAND_UNSPECIFIED: none
};
const NeedProfile kNeeds[] = {
    {v1::FLEXIBLE_HOURS, 16, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::ADJUSTABLE_DESK, 14, v1::PROLONGED_STANDING},
    {v1::EXTRA_BREAKS, 14, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::REDUCED_PACE, 14, v1::HIGH_PACE},
    {v1::QUIET_WORKSPACE, 12, v1::NOISY_ENVIRONMENT},
    {v1::LIFTING_AIDS, 10, v1::HEAVY_LIFTING},
    {v1::MENTOR, 8, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::STEP_FREE_ACCESS, 5, v1::PROLONGED_WALKING},
    {v1::REMOTE_WORK, 3, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::ACCESSIBLE_TOILET, 2, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::HEARING_LOOP, 1.5, v1::NOISY_ENVIRONMENT},
    {v1::SCREEN_READER, 1, v1::EXTENDED_SCREEN_WORK},
    {v1::PERSONAL_ASSISTANCE, 1, v1::WORK_DEMAND_UNSPECIFIED},
    {v1::SIGN_LANGUAGE_INTERPRETER, 0.5, v1::WORK_DEMAND_UNSPECIFIED}};

// Workplace accommodations: how often a workplace states one, and the status
// mix when it does (in place, possible, possible with a scheme, not possible,
// unknown). Schemes: hjælpemidler/arbejdspladsindretning, personlig
// assistance, mentor; data/schemes/schemes.tsv.
struct OfferProfile {
  v1::Accommodation accommodation;
  double listed;
  double in_place, possible, with_scheme, not_possible, unknown;
};
const OfferProfile kOffers[] = {
    {v1::STEP_FREE_ACCESS, 0.60, 50, 15, 10, 15, 10},
    {v1::ACCESSIBLE_TOILET, 0.50, 45, 15, 10, 20, 10},
    {v1::ADJUSTABLE_DESK, 0.50, 40, 20, 30, 5, 5},
    {v1::QUIET_WORKSPACE, 0.40, 20, 30, 0, 35, 15},
    {v1::SCREEN_READER, 0.20, 5, 15, 60, 10, 10},
    {v1::HEARING_LOOP, 0.20, 10, 15, 50, 15, 10},
    {v1::FLEXIBLE_HOURS, 0.60, 35, 35, 10, 15, 5},
    {v1::REMOTE_WORK, 0.40, 20, 25, 0, 45, 10},
    {v1::EXTRA_BREAKS, 0.50, 30, 40, 10, 10, 10},
    {v1::REDUCED_PACE, 0.40, 15, 35, 20, 20, 10},
    {v1::LIFTING_AIDS, 0.30, 30, 20, 35, 10, 5},
    {v1::PERSONAL_ASSISTANCE, 0.30, 5, 10, 70, 5, 10},
    {v1::MENTOR, 0.40, 15, 25, 50, 5, 5},
    {v1::SIGN_LANGUAGE_INTERPRETER, 0.15, 0, 10, 70, 10, 10}};

// Danish regions: code, name as in the geography table, seat of the region.
struct Region {
  int code;
  const char* name;
  int seat;
};
const Region kRegions[] = {{1081, "Region Nordjylland", 851},
                           {1082, "Region Midtjylland", 791},
                           {1083, "Region Syddanmark", 630},
                           {1084, "Region Hovedstaden", 219},
                           {1085, "Region Sjælland", 340}};

const char* const kNameStems[] = {"Nord", "Syd", "Vest", "Øst", "Dansk", "Fjord", "Skov", "Havne",
                                  "Lyng", "Bakke", "Å", "Strand", "Mose", "Eng", "Klit", "Bro"};
const char* const kNameTrades[] = {"Rengøring", "Logistik", "Byg", "Service", "Handel", "Transport",
                                   "Køkken", "Data", "Industri", "Pleje", "El", "VVS",
                                   "Auto", "Gartneri", "Revision", "Produktion"};
const char* const kNameForms[] = {"ApS", "A/S", "I/S", "ApS", "A/S"};

// Native languages other than Danish among job-centre clients (immigrants).
const Distribution<const char*>& OtherNativeLanguages() {
  static const auto* const kLanguages = new Distribution<const char*>{
      {"ar", 20}, {"tr", 12}, {"pl", 10}, {"ro", 8}, {"uk", 10}, {"so", 6}, {"fa", 6},
      {"ur", 5},  {"de", 5},  {"en", 5},  {"ti", 5}, {"lt", 4}, {"bs", 4}};
  return *kLanguages;
}

enum class EmployerKind { kPrivate, kMunicipality, kRegion };

struct EmployerInfo {
  std::string id;
  std::string name;
  std::string cvr;
  EmployerKind kind = EmployerKind::kPrivate;
  int municipality = 0;
};

// A valid CVR number in the slot `base` (at most 6 digits): 7 digits
// base * 10 + d, d the first that admits a modulus-11 check digit (of ten
// consecutive d at most one does not), then the check digit.
std::string Cvr(int base) {
  static constexpr int kWeights[7] = {2, 7, 6, 5, 4, 3, 2};
  for (int d = 0; d < 10; ++d) {
    const std::string prefix = absl::StrFormat("%07d", base * 10 + d);
    int sum = 0;
    for (int i = 0; i < 7; ++i) sum += kWeights[i] * (prefix[i] - '0');
    const int check = (11 - sum % 11) % 11;
    if (check < 10) return absl::StrCat(prefix, check);
  }
  return "";  // unreachable
}

// Industries (DB07 6-digit codes) of private employers posting the jobs the
// generator makes, with rough weights.
struct Industry {
  const char* db07;
  double weight;
};
const Industry kIndustries[] = {
    {"812100", 10}, {"561010", 9},  {"471100", 9},  {"881000", 8}, {"412000", 7},
    {"521000", 6},  {"494100", 6},  {"432100", 5},  {"620100", 5}, {"251100", 4},
    {"869090", 4},  {"862100", 3},  {"682040", 2},  {"749000", 2}, {"960100", 2}};

void AddDemand(v1::Vacancy& v, v1::WorkDemand d, bool essential) {
  for (const auto& existing : v.demands()) {
    if (existing.demand() == d) return;
  }
  auto* demand = v.add_demands();
  demand->set_demand(d);
  demand->set_essential(essential);
}

bool HasDemand(const v1::Seeker& s, v1::WorkDemand d) {
  for (const auto& e : s.excluded_demands()) {
    if (e.demand() == d) return true;
  }
  return false;
}

}  // namespace

absl::Status ApplyScale(const std::string& scale, GeneratorOptions* options) {
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
  double fraction = 0;
  if (scale == "national") {
    fraction = 1;
  } else if (!absl::SimpleAtod(scale, &fraction) || !(fraction > 0) || fraction > 4) {
    return absl::InvalidArgumentError(
        "scale: must be municipality, region, national or a fraction of national in (0, 4]");
  }
  options->seekers = static_cast<size_t>(std::llround(250000 * fraction));
  options->vacancies = static_cast<size_t>(std::llround(60000 * fraction));
  return absl::OkStatus();
}

struct Generator::Impl {
  Impl(GeneratorOptions o, const matcher::Taxonomy& t, const matcher::Geography& g)
      : options(o),
        taxonomy(t),
        geography(g),
        seeker_mix(t, kSeekerMajorGroups),
        vacancy_mix(t, kVacancyMajorGroups) {}

  // Constant after construction.
  const GeneratorOptions options;
  const matcher::Taxonomy& taxonomy;
  const matcher::Geography& geography;
  const OccupationMix seeker_mix;
  const OccupationMix vacancy_mix;
  std::vector<int> municipalities;                                     // ascending code
  std::vector<std::vector<const matcher::PostalCode*>> postal_codes;  // by municipality index
  AliasTable home_table;                                               // by population
  AliasTable job_table;                                                // population × job density
  std::vector<std::vector<matcher::SkillId>> narrower;  // skills under each concept
  std::vector<EmployerInfo> employers;
  std::vector<std::vector<uint32_t>> private_employers_in;  // by municipality index
  std::vector<uint32_t> private_employers;
  absl::flat_hash_map<int, uint32_t> municipality_employer;  // kommunekode -> employer
  absl::flat_hash_map<std::string, uint32_t> region_employer;  // region name -> employer
  Distribution<int> commute_minutes = {{30, 15}, {45, 30}, {60, 35}, {75, 10}, {90, 10}};
  AliasTable target_groups;
  AliasTable needs;
  Distribution<v1::AccommodationStatus> offer_status[std::size(kOffers)];

  // A municipality index drawn from `table`, then a geographic postal code of
  // it uniformly, then a point uniform in a disc of kJitterMetres around the
  // postal code's coordinates.
  v1::Location Place(Random& r, const AliasTable& table, size_t* municipality_index) const {
    const size_t m = table.Draw(r);
    if (municipality_index != nullptr) *municipality_index = m;
    const auto& codes = postal_codes[m];
    const matcher::PostalCode* pc = codes[r.Below(codes.size())];
    double dx, dy;
    do {
      dx = 2 * r.Uniform() - 1;
      dy = 2 * r.Uniform() - 1;
    } while (dx * dx + dy * dy > 1);
    const double lat = pc->lat + dy * kJitterMetres / kMetresPerDegreeLat;
    const double lon =
        pc->lon + dx * kJitterMetres / (kMetresPerDegreeLat * PortableCos(pc->lat * kPi / 180));
    v1::Location loc;
    loc.set_lat(RoundMicrodegrees(std::clamp(lat, 54.56, 57.75)));
    loc.set_lon(RoundMicrodegrees(std::clamp(lon, 8.08, 15.15)));
    loc.set_postal_code(pc->code);
    loc.set_municipality(municipalities[m]);
    return loc;
  }

  static std::string Isco(int isco) { return absl::StrFormat("%04d", isco); }

  matcher::OccupationId EscoIn(Random& r, int isco) const {
    const auto& occs = taxonomy.OccupationsInUnitGroup(isco);
    return occs[r.Below(occs.size())];
  }

  // Another skill under the same broader concept as k, or k if it has none.
  matcher::SkillId Sibling(Random& r, matcher::SkillId k) const {
    const auto& up = taxonomy.skill(k).broader;
    if (up.empty()) return k;
    const auto& siblings = narrower[up[r.Below(up.size())]];
    return siblings.size() < 2 ? k : siblings[r.Below(siblings.size())];
  }

  // Workplace accommodations: each listed with its probability × `listed`.
  template <typename Add>
  void Offers(Random& r, double listed, bool manual_work, const Add& add) const {
    for (size_t i = 0; i < std::size(kOffers); ++i) {
      if (!r.Chance(std::min(1.0, kOffers[i].listed * listed))) continue;
      v1::AccommodationStatus status = offer_status[i].Draw(r);
      if (manual_work && kOffers[i].accommodation == v1::REMOTE_WORK && r.Chance(0.8)) {
        status = v1::NOT_POSSIBLE;
      }
      add(kOffers[i].accommodation, status);
    }
  }

  // `facts`, if given, receives what the ground truth is drawn from; filling
  // it draws nothing from r.
  void MakeSeeker(Random& r, size_t i, v1::Seeker& s, SeekerFacts* facts = nullptr) const;
  // Size band, industry, social-responsibility label, agreements and the
  // job centre's contacts of employer `i`.
  void AddPartnerFacts(const EmployerInfo& info, size_t i, v1::Employer& e) const;
  void MakeVacancy(Random& r, size_t i, v1::Vacancy& v) const;
};

Generator::Generator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Generator::~Generator() = default;

const GeneratorOptions& Generator::options() const { return impl_->options; }
size_t Generator::employer_count() const { return impl_->employers.size(); }

absl::StatusOr<std::unique_ptr<Generator>> Generator::Create(const matcher::ReferenceData* data,
                                                             const std::string& reference_data_dir,
                                                             GeneratorOptions options) {
  auto population = LoadMunicipalPopulation(MunicipalPopulationPath(reference_data_dir));
  if (!population.ok()) return population.status();
  return Create(options, *data->taxonomy, *data->geography, *population);
}

absl::StatusOr<std::unique_ptr<Generator>> Generator::Create(GeneratorOptions options,
                                                             const matcher::Taxonomy& taxonomy,
                                                             const matcher::Geography& geography,
                                                             const MunicipalPopulation& population) {
  auto impl = std::make_unique<Impl>(options, taxonomy, geography);
  absl::flat_hash_map<int, std::vector<const matcher::PostalCode*>> codes_by_municipality;
  for (const auto& [code, pc] : geography.postal_codes()) {
    if (pc.geographic) codes_by_municipality[pc.municipality].push_back(&pc);
  }
  std::vector<double> home_weights, job_weights;
  for (const auto& entry : population.entries) {  // ascending code: deterministic
    auto it = codes_by_municipality.find(entry.municipality);
    if (it == codes_by_municipality.end() ||
        geography.FindMunicipality(entry.municipality) == nullptr) {
      continue;
    }
    std::vector<const matcher::PostalCode*> pcs = it->second;
    std::sort(pcs.begin(), pcs.end(), [](auto* a, auto* b) { return a->code < b->code; });
    impl->municipalities.push_back(entry.municipality);
    impl->postal_codes.push_back(std::move(pcs));
    home_weights.push_back(entry.population);
    job_weights.push_back(entry.population * JobDensity(entry.municipality));
  }
  if (impl->municipalities.empty()) {
    return absl::FailedPreconditionError(
        "datagen: no municipality of the population table has a geographic postal code");
  }
  if (impl->seeker_mix.empty() || impl->vacancy_mix.empty()) {
    return absl::FailedPreconditionError("datagen: the taxonomy has no occupations");
  }
  impl->home_table = AliasTable(home_weights);
  impl->job_table = AliasTable(job_weights);

  impl->narrower.resize(taxonomy.skill_count());
  for (matcher::SkillId k = 0; k < taxonomy.skill_count(); ++k) {
    if (taxonomy.skill(k).is_group) continue;
    for (matcher::SkillId b : taxonomy.skill(k).broader) impl->narrower[b].push_back(k);
  }

  std::vector<double> weights;
  for (const auto& g : kTargetGroups) weights.push_back(g.share);
  impl->target_groups = AliasTable(weights);
  weights.clear();
  for (const auto& n : kNeeds) weights.push_back(n.weight);
  impl->needs = AliasTable(weights);
  for (size_t i = 0; i < std::size(kOffers); ++i) {
    const OfferProfile& o = kOffers[i];
    impl->offer_status[i] = {{v1::IN_PLACE, o.in_place},
                             {v1::POSSIBLE, o.possible},
                             {v1::POSSIBLE_WITH_SCHEME, o.with_scheme},
                             {v1::NOT_POSSIBLE, o.not_possible},
                             {v1::UNKNOWN, o.unknown}};
  }

  // Employers: every municipality and region, then private employers placed
  // like jobs, about one per six vacancies.
  Random r(StreamSeed(options.seed, kEmployerStream));
  for (int code : impl->municipalities) {
    EmployerInfo e;
    e.id = absl::StrCat("e-k", code);
    e.name = absl::StrCat(geography.FindMunicipality(code)->name, " Kommune");
    e.cvr = Cvr(290000 + code);
    e.kind = EmployerKind::kMunicipality;
    e.municipality = code;
    impl->municipality_employer[code] = static_cast<uint32_t>(impl->employers.size());
    impl->employers.push_back(std::move(e));
  }
  for (const Region& region : kRegions) {
    if (geography.FindMunicipality(region.seat) == nullptr) continue;
    EmployerInfo e;
    e.id = absl::StrCat("e-r", region.code);
    e.name = region.name;
    e.cvr = Cvr(300000 + region.code);
    e.kind = EmployerKind::kRegion;
    e.municipality = region.seat;
    impl->region_employer[region.name] = static_cast<uint32_t>(impl->employers.size());
    impl->employers.push_back(std::move(e));
  }
  impl->private_employers_in.resize(impl->municipalities.size());
  const size_t private_count = std::max<size_t>(1, options.vacancies / 6);
  for (size_t i = 0; i < private_count; ++i) {
    size_t m = 0;
    const v1::Location loc = impl->Place(r, impl->job_table, &m);
    EmployerInfo e;
    e.id = absl::StrFormat("e%06d", i);
    e.name = absl::StrCat(kNameStems[r.Below(std::size(kNameStems))],
                          kNameTrades[r.Below(std::size(kNameTrades))], " ",
                          geography.FindMunicipality(loc.municipality())->name, " ",
                          kNameForms[r.Below(std::size(kNameForms))]);
    e.cvr = Cvr(400000 + static_cast<int>(i));
    e.municipality = loc.municipality();
    const auto index = static_cast<uint32_t>(impl->employers.size());
    impl->private_employers_in[m].push_back(index);
    impl->private_employers.push_back(index);
    impl->employers.push_back(std::move(e));
  }
  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

void Generator::Employers(const std::function<void(const v1::Employer&)>& fn) const {
  Random r(StreamSeed(impl_->options.seed, kEmployerStream) + 1);
  v1::Employer e;
  for (const EmployerInfo& info : impl_->employers) {
    e.Clear();
    e.set_id(info.id);
    e.set_name(info.name);
    e.set_cvr(info.cvr);
    e.set_public_sector(info.kind != EmployerKind::kPrivate);
    e.set_municipality(info.municipality);
    // Public employers state more of their accommodations (they have HR
    // departments and a duty to invite applicants with disabilities).
    const double listed = info.kind == EmployerKind::kPrivate ? (r.Chance(0.5) ? 0.6 : 0.0) : 1.3;
    impl_->Offers(r, listed, false, [&](v1::Accommodation a, v1::AccommodationStatus status) {
      auto* acc = e.add_default_accommodations();
      acc->set_accommodation(a);
      acc->set_status(status);
    });
    impl_->AddPartnerFacts(info, static_cast<size_t>(&info - impl_->employers.data()), e);
    fn(e);
  }
}

void Generator::Impl::AddPartnerFacts(const EmployerInfo& info, size_t i, v1::Employer& e) const {
  Random x(StreamSeed(options.seed, kEmployerFactsStream) + i);
  const bool is_public = info.kind != EmployerKind::kPrivate;
  if (is_public) {
    e.set_size_band(v1::EMPLOYEES_250_PLUS);
    e.set_industry_db07(info.kind == EmployerKind::kRegion ? "861000" : "841100");
  } else {
    // Firms that post vacancies: 1-4 30%, 5-9 25%, 10-49 30%, 50-249 11%, 250+ 4%.
    const double u = x.Uniform();
    e.set_size_band(u < 0.30   ? v1::EMPLOYEES_1_4
                    : u < 0.55 ? v1::EMPLOYEES_5_9
                    : u < 0.85 ? v1::EMPLOYEES_10_49
                    : u < 0.96 ? v1::EMPLOYEES_50_249
                               : v1::EMPLOYEES_250_PLUS);
    double total = 0;
    for (const Industry& in : kIndustries) total += in.weight;
    double pick = x.Uniform() * total;
    for (const Industry& in : kIndustries) {
      pick -= in.weight;
      if (pick < 0 || &in == &kIndustries[std::size(kIndustries) - 1]) {
        e.set_industry_db07(in.db07);
        break;
      }
    }
  }
  if (x.Chance(is_public ? 0.5 : 0.08)) {
    e.set_social_responsibility(true);
    e.set_social_responsibility_label(x.Chance(0.5) ? "Socialt ansvarlig virksomhed"
                                                    : "Kommunens CSR-partner");
  }
  const struct {
    v1::EmployerAgreement agreement;
    double p_public, p_private;
  } kAgreements[] = {{v1::TAKES_INTERNS, 0.8, 0.25},     {v1::TAKES_ADULT_APPRENTICES, 0.5, 0.10},
                     {v1::TAKES_WAGE_SUBSIDY, 0.6, 0.15}, {v1::TAKES_FLEKSJOB, 0.7, 0.10},
                     {v1::TAKES_IGU, 0.1, 0.05}};
  for (const auto& a : kAgreements) {
    if (x.Chance(is_public ? a.p_public : a.p_private)) e.add_agreements(a.agreement);
  }
  // Contacts over the last two years: public employers and larger firms
  // are contacted more often; about a third of small firms never.
  const int mean = is_public ? 8 : e.size_band() >= v1::EMPLOYEES_10_49 ? 3 : 1;
  int contacts = 0;
  while (contacts < 20 && x.Uniform() < double(mean) / (mean + 1)) ++contacts;
  for (int c = 0; c < contacts; ++c) {
    auto* contact = e.add_contacts();
    const double kind = x.Uniform();
    contact->set_kind(kind < 0.35 ? v1::VISIT : kind < 0.80 ? v1::CALL : kind < 0.90 ? v1::MEETING
                                                                                   : v1::EMAIL);
    contact->set_date_micros(absl::ToUnixMicros(options.now) -
                             int64_t{x.Between(1, 730)} * kMicrosPerDay);
    contact->set_consultant(absl::StrFormat("jc%d-%02d", info.municipality, x.Between(1, 12)));
  }
}

void Generator::Impl::MakeSeeker(Random& r, size_t i, v1::Seeker& s, SeekerFacts* facts) const {
  s.set_id(absl::StrFormat("s%07d", i));
  const size_t group = target_groups.Draw(r);
  const TargetGroup& tg = kTargetGroups[group];
  s.set_target_group(tg.code);
  *s.mutable_home() = Place(r, home_table, nullptr);

  // Transport: about a third of unemployed people have no car available.
  const bool car = r.Chance(0.65);
  if (!car && r.Chance(0.15)) s.add_transport_modes(v1::WALK);
  if (r.Chance(car ? 0.30 : 0.60)) s.add_transport_modes(v1::BICYCLE);
  if (car) s.add_transport_modes(v1::CAR);
  if (!car || r.Chance(0.70)) s.add_transport_modes(v1::PUBLIC_TRANSPORT);
  s.set_max_commute_minutes(commute_minutes.Draw(r));
  s.set_commute_limit_reason(v1::STANDARD_RULE);
  const int standard_commute = s.max_commute_minutes();

  // Occupations: a primary one, sometimes a second (often related) and a third.
  const int isco = seeker_mix.Draw(r);
  const matcher::OccupationId occ = EscoIn(r, isco);
  auto* goal = s.add_occupations();
  goal->set_isco_code(Isco(isco));
  if (r.Chance(0.85)) goal->set_esco_uri(taxonomy.occupation(occ).uri);
  const int extra = r.Chance(0.35) ? (r.Chance(0.3) ? 2 : 1) : 0;
  std::vector<int> wanted = {isco};
  std::vector<std::pair<int, matcher::OccupationId>> further;
  for (int k = 0; k < extra; ++k) {
    int other = seeker_mix.Draw(r);
    if (r.Chance(0.5)) {  // related: same sub-major group when a few draws find one
      for (int attempt = 0; attempt < 8 && other / 100 != isco / 100; ++attempt) {
        other = seeker_mix.Draw(r);
      }
    }
    if (std::find(wanted.begin(), wanted.end(), other) != wanted.end()) continue;
    wanted.push_back(other);
    auto* o = s.add_occupations();
    o->set_isco_code(Isco(other));
    matcher::OccupationId named = matcher::kNoOccupation;
    if (r.Chance(0.5)) {
      named = EscoIn(r, other);
      o->set_esco_uri(taxonomy.occupation(named).uri);
    }
    further.emplace_back(other, named);
  }

  // Skills: most but not all essential skills of the primary occupation,
  // sometimes a sibling skill instead; a few optional ones.
  const matcher::Occupation& o = taxonomy.occupation(occ);
  const double keep = 0.60 + 0.35 * r.Uniform();
  std::vector<matcher::SkillId> skills;
  for (matcher::SkillId k : o.essential) {
    if (!r.Chance(keep)) continue;
    skills.push_back(r.Chance(0.10) ? Sibling(r, k) : k);
  }
  for (matcher::SkillId k : o.optional) {
    if (r.Chance(0.15)) skills.push_back(k);
  }
  std::sort(skills.begin(), skills.end());
  skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
  skills.erase(std::remove_if(skills.begin(), skills.end(),
                              [&](matcher::SkillId k) { return taxonomy.skill(k).is_group; }),
               skills.end());
  if (skills.size() > 200) skills.resize(200);
  const float years = r.Chance(0.25) ? static_cast<float>(r.Between(1, 20)) : 0.0f;
  for (matcher::SkillId k : skills) {
    auto* skill = s.add_skills();
    skill->set_esco_uri(taxonomy.skill(k).uri);
    if (years > 0) skill->set_years(years);
  }

  // Education (ISCED 2011) by the ISCO skill level of the primary occupation.
  const int major = isco / 1000;
  static const Distribution<int> kEducationElementary = {{1, 5}, {2, 55}, {3, 40}};
  static const Distribution<int> kEducationSkilled = {{2, 25}, {3, 65}, {4, 3}, {5, 7}};
  static const Distribution<int> kEducationTechnician = {{3, 40}, {5, 25}, {6, 35}};
  static const Distribution<int> kEducationProfessional = {{6, 45}, {7, 50}, {8, 5}};
  const Distribution<int>& education = major == 9                 ? kEducationElementary
                                       : major == 3               ? kEducationTechnician
                                       : (major == 1 || major == 2) ? kEducationProfessional
                                                                  : kEducationSkilled;
  s.set_education_level(group == kUddannelsesparat ? r.Between(1, 3) : education.Draw(r));

  // Languages: Danish native for 80%; immigrants have another native language
  // and Danish at A2..C1. English often.
  std::string native = "da";
  if (r.Chance(0.20)) {
    native = OtherNativeLanguages().Draw(r);
    static const Distribution<v1::LanguageLevel> kDanishAsSecond = {
        {v1::CEFR_A2, 25}, {v1::CEFR_B1, 35}, {v1::CEFR_B2, 25}, {v1::CEFR_C1, 15}};
    auto* first = s.add_languages();
    first->set_code(native);
    first->set_level(v1::CEFR_NATIVE);
    auto* da = s.add_languages();
    da->set_code("da");
    da->set_level(kDanishAsSecond.Draw(r));
  } else {
    auto* da = s.add_languages();
    da->set_code("da");
    da->set_level(v1::CEFR_NATIVE);
  }
  if (native != "en" && r.Chance(major <= 3 ? 0.85 : 0.50)) {
    static const Distribution<v1::LanguageLevel> kEnglish = {
        {v1::CEFR_A2, 15}, {v1::CEFR_B1, 35}, {v1::CEFR_B2, 35}, {v1::CEFR_C1, 15}};
    auto* en = s.add_languages();
    en->set_code("en");
    en->set_level(kEnglish.Draw(r));
  }

  // Licences: a car means a B licence; drivers' occupations their own.
  std::vector<v1::Licence> licences;
  if (car || r.Chance(0.40)) licences.push_back(v1::LICENCE_B);
  if (std::find(wanted.begin(), wanted.end(), 8332) != wanted.end()) {
    licences.push_back(v1::LICENCE_C);
    if (r.Chance(0.5)) licences.push_back(v1::LICENCE_CE);
  }
  if (std::find(wanted.begin(), wanted.end(), 8331) != wanted.end()) licences.push_back(v1::LICENCE_D);
  const bool warehouse = std::find(wanted.begin(), wanted.end(), 9333) != wanted.end() ||
                         std::find(wanted.begin(), wanted.end(), 8344) != wanted.end();
  if (r.Chance(warehouse ? 0.5 : 0.03)) licences.push_back(v1::LICENCE_FORKLIFT);
  std::sort(licences.begin(), licences.end());
  licences.erase(std::unique(licences.begin(), licences.end()), licences.end());
  for (v1::Licence l : licences) s.add_licences(l);

  // Hours and acceptable kinds by target group.
  int min_hours = 0, max_hours = 37, per_day = 0;
  switch (group) {
    case kJobparat:
    case kSelvforsoerger:
      min_hours = r.Chance(0.6) ? 30 : (r.Chance(0.6) ? 37 : 20);
      max_hours = r.Chance(0.85) ? 37 : 40;
      break;
    case kAktivitetsparat:
      min_hours = r.Between(10, 20);
      max_hours = r.Between(25, 37);
      if (r.Chance(0.5)) {
        s.add_acceptable_kinds(v1::ORDINARY);
        s.add_acceptable_kinds(v1::LOENTILSKUD);
        s.add_acceptable_kinds(v1::VIRKSOMHEDSPRAKTIK);
      }
      break;
    case kSygedagpenge:  // gradual return to work
      max_hours = r.Between(10, 30);
      if (r.Chance(0.5)) per_day = r.Between(3, 6);
      break;
    case kUddannelsesparat:
      min_hours = 20;
      if (r.Chance(0.6)) {
        s.add_acceptable_kinds(v1::ORDINARY);
        s.add_acceptable_kinds(v1::VIRKSOMHEDSPRAKTIK);
        s.add_acceptable_kinds(v1::APPRENTICESHIP);
      }
      break;
    case kFleksjob:  // most fleksjob hours are between 5 and 20 a week
      s.set_fleksjob_hours_per_week(r.Chance(0.8) ? r.Between(5, 20) : r.Between(21, 30));
      max_hours = s.fleksjob_hours_per_week();
      if (r.Chance(0.5)) per_day = r.Between(3, 6);
      s.add_acceptable_kinds(v1::FLEKSJOB);
      break;
    case kRessourceforloeb:
      max_hours = r.Between(5, 15);
      per_day = r.Between(2, 4);
      s.add_acceptable_kinds(v1::VIRKSOMHEDSPRAKTIK);
      break;
    case kJobafklaring:
      max_hours = r.Between(10, 25);
      if (r.Chance(0.5)) per_day = r.Between(3, 6);
      s.add_acceptable_kinds(v1::ORDINARY);
      s.add_acceptable_kinds(v1::VIRKSOMHEDSPRAKTIK);
      break;
    case kRevalidering:
      s.add_acceptable_kinds(v1::ORDINARY);
      s.add_acceptable_kinds(v1::VIRKSOMHEDSPRAKTIK);
      s.add_acceptable_kinds(v1::APPRENTICESHIP);
      break;
    default:
      break;
  }
  s.set_min_hours_per_week(std::min(min_hours, max_hours));
  s.set_max_hours_per_week(max_hours);
  s.set_max_hours_per_day(per_day);
  // A weekly cap set for health reasons (sick leave, fleksjob, ressource-
  // forløb, jobafklaring) is a hard limit: feasibility only, never a cost.
  const bool health_group = group == kSygedagpenge || group == kFleksjob ||
                            group == kRessourceforloeb || group == kJobafklaring;
  if (health_group && max_hours < 37) s.set_max_hours_per_week_is_hard(true);

  // Functional needs (1-3), with the demands they imply, and what follows.
  if (r.Chance(tg.needs_probability)) {
    const int count = r.Chance(0.55) ? 1 : (r.Chance(0.67) ? 2 : 3);
    std::vector<size_t> chosen;
    for (int k = 0; k < count; ++k) {
      const size_t n = needs.Draw(r);
      if (std::find(chosen.begin(), chosen.end(), n) != chosen.end()) continue;
      chosen.push_back(n);
    }
    std::sort(chosen.begin(), chosen.end(),
              [](size_t a, size_t b) { return kNeeds[a].accommodation < kNeeds[b].accommodation; });
    for (size_t n : chosen) {
      auto* need = s.add_needs();
      need->set_accommodation(kNeeds[n].accommodation);
      const bool hard = r.Chance(0.4);
      need->set_strength(hard ? v1::HARD : v1::SOFT);
      const v1::WorkDemand implied = kNeeds[n].implied_demand;
      if (implied != v1::WORK_DEMAND_UNSPECIFIED && !HasDemand(s, implied)) {
        auto* d = s.add_excluded_demands();
        d->set_demand(implied);
        d->set_strength(hard ? v1::HARD : v1::SOFT);
      }
    }
    if (!HasDemand(s, v1::NIGHT_WORK) && r.Chance(0.3)) {
      auto* d = s.add_excluded_demands();
      d->set_demand(v1::NIGHT_WORK);
      d->set_strength(r.Chance(0.5) ? v1::HARD : v1::SOFT);
    }
    if (r.Chance(0.20)) {
      s.set_max_commute_minutes(std::min(s.max_commute_minutes(), r.Chance(0.5) ? 30 : 45));
      s.set_commute_limit_reason(v1::HEALTH);
    }
    s.set_consent_share_needs_with_employers(r.Chance(0.55));
  } else if (r.Chance(0.05)) {  // a preference without a health reason
    auto* d = s.add_excluded_demands();
    d->set_demand(r.Chance(0.7) ? v1::NIGHT_WORK : v1::OUTDOOR_WORK);
    d->set_strength(v1::SOFT);
  }
  if (s.commute_limit_reason() == v1::STANDARD_RULE && r.Chance(0.08)) {
    s.set_max_commute_minutes(std::min(s.max_commute_minutes(), 45));
    s.set_commute_limit_reason(v1::CARE_OBLIGATIONS);
  }

  // Availability: people on sick leave often return at a known later date.
  const double later = group == kSygedagpenge ? 0.30 : 0.10;
  if (r.Chance(later)) {
    s.set_available_from_micros(absl::ToUnixMicros(options.now) + r.Between(7, 56) * kMicrosPerDay);
  }
  s.set_status(r.Chance(0.03) ? v1::PAUSED : v1::ACTIVE);

  // The current unemployment spell; unknown for one in ten.
  Random u(StreamSeed(options.seed, kUnemploymentStream) + i);
  if (!u.Chance(0.10)) {
    const double weeks =
        std::min(20.0 * 52, -tg.mean_weeks_unemployed * std::log(1.0 - u.Uniform()));
    s.set_unemployed_since_micros(absl::ToUnixMicros(options.now) -
                                  static_cast<int64_t>(weeks * 7) * kMicrosPerDay - kMicrosPerDay);
  }

  if (facts != nullptr) {
    facts->index = i;
    facts->primary = occ;
    facts->primary_in_case_file = !goal->esco_uri().empty();
    facts->stated_years = static_cast<int>(years);
    facts->further = std::move(further);
    facts->recorded_skills = std::move(skills);
    facts->standard_commute_minutes = standard_commute;
    facts->health_limited_hours = group == kSygedagpenge || group == kFleksjob ||
                                  group == kRessourceforloeb || group == kJobafklaring ||
                                  per_day > 0;
  }
}

void Generator::Seekers(const std::function<void(const v1::Seeker&)>& fn) const {
  Random r(StreamSeed(impl_->options.seed, kSeekerStream));
  v1::Seeker s;
  for (size_t i = 0; i < impl_->options.seekers; ++i) {
    s.Clear();
    impl_->MakeSeeker(r, i, s);
    fn(s);
  }
}

void Generator::SeekersWithTruth(
    const std::function<void(const v1::Seeker&, const SeekerTruth&)>& fn) const {
  Random r(StreamSeed(impl_->options.seed, kSeekerStream));
  v1::Seeker s;
  SeekerFacts facts;
  for (size_t i = 0; i < impl_->options.seekers; ++i) {
    s.Clear();
    impl_->MakeSeeker(r, i, s, &facts);
    fn(s, DrawSeekerTruth(impl_->options.seed, facts, impl_->taxonomy, impl_->seeker_mix));
  }
}

void Generator::Impl::MakeVacancy(Random& r, size_t i, v1::Vacancy& v) const {
  v.set_id(absl::StrFormat("v%06d", i));
  const int isco = vacancy_mix.Draw(r);
  const int major = isco / 1000;
  const bool manual = major >= 5;
  size_t m = 0;
  *v.mutable_workplace() = Place(r, job_table, &m);
  const int municipality = municipalities[m];

  // Employer: public by occupation (municipality, or the region for hospital
  // jobs); otherwise a private employer in the same municipality if any.
  uint32_t employer = 0;
  if (r.Chance(PublicSectorShare(isco))) {
    const auto* mun = geography.FindMunicipality(municipality);
    const auto region = mun == nullptr ? region_employer.end() : region_employer.find(mun->region);
    if (r.Chance(RegionShareOfPublic(isco)) && region != region_employer.end()) {
      employer = region->second;
    } else {
      employer = municipality_employer.at(municipality);
    }
  } else {
    const auto& local = private_employers_in[m];
    employer = local.empty() ? private_employers[r.Below(private_employers.size())]
                             : local[r.Below(local.size())];
  }
  v.set_employer_id(employers[employer].id);

  if (major >= 1 && major <= 4 && r.Chance(0.35)) {
    static const Distribution<int> kRemote = {{20, 40}, {40, 35}, {60, 15}, {100, 10}};
    v.set_remote_share_percent(kRemote.Draw(r));
  }

  const matcher::OccupationId occ = EscoIn(r, isco);
  const matcher::Occupation& o = taxonomy.occupation(occ);
  v.set_isco_code(Isco(isco));
  v.set_esco_occupation_uri(o.uri);
  if (!r.Chance(0.15)) {  // 15% give only the occupation: its ESCO profile applies
    int n = 0;
    for (matcher::SkillId k : o.essential) {
      if (!taxonomy.skill(k).is_group && ++n <= 100) v.add_essential_skills(taxonomy.skill(k).uri);
    }
    n = 0;
    for (matcher::SkillId k : o.optional) {
      if (r.Chance(0.3) && !taxonomy.skill(k).is_group && ++n <= 100) {
        v.add_optional_skills(taxonomy.skill(k).uri);
      }
    }
  }

  static const Distribution<v1::VacancyKind> kKinds = {{v1::ORDINARY, 85},
                                                      {v1::VIRKSOMHEDSPRAKTIK, 5},
                                                      {v1::LOENTILSKUD, 4},
                                                      {v1::FLEKSJOB, 3},
                                                      {v1::APPRENTICESHIP, 2},
                                                      {v1::VOKSENLAERLING, 0.7},
                                                      {v1::IGU, 0.3}};
  const v1::VacancyKind kind = kKinds.Draw(r);
  v.set_kind(kind);
  // Development placements state their length (weeks; 0 = not stated), some
  // beyond what the placement rules allow some target groups
  // (data/placements/placement_rules.tsv: virksomhedspraktik 4 or 13 weeks,
  // løntilskud 4, 6 or 12 months, IGU two years).
  static const Distribution<int> kPraktikWeeks = {{4, 45}, {8, 15}, {13, 40}};
  static const Distribution<int> kLoentilskudWeeks = {{17, 35}, {26, 45}, {52, 20}};
  static const Distribution<int> kVoksenlaerlingWeeks = {{0, 30}, {104, 30}, {156, 30}, {208, 10}};
  if (kind == v1::VIRKSOMHEDSPRAKTIK) v.set_duration_weeks(kPraktikWeeks.Draw(r));
  if (kind == v1::LOENTILSKUD) v.set_duration_weeks(kLoentilskudWeeks.Draw(r));
  if (kind == v1::IGU) v.set_duration_weeks(104);
  if (kind == v1::VOKSENLAERLING) v.set_duration_weeks(kVoksenlaerlingWeeks.Draw(r));
  static const Distribution<int> kHoursService = {{37, 50}, {30, 15}, {25, 15}, {20, 12}, {15, 8}};
  static const Distribution<int> kHoursOther = {{37, 80}, {30, 10}, {25, 5}, {20, 5}};
  int hours = (major == 5 || major == 9 ? kHoursService : kHoursOther).Draw(r);
  if (kind == v1::FLEKSJOB) hours = r.Between(6, 20);
  if (kind == v1::APPRENTICESHIP || kind == v1::IGU || kind == v1::VOKSENLAERLING) hours = 37;
  if (kind == v1::VIRKSOMHEDSPRAKTIK && r.Chance(0.5)) hours = r.Between(10, 30);
  v.set_hours_per_week(hours);

  const int sub_major = isco / 100;
  const bool shifts = sub_major == 53 || sub_major == 83 || sub_major == 93 || sub_major == 54 ||
                      sub_major == 22 || sub_major == 32;
  v.set_night_shifts(r.Chance(shifts ? 0.25 : (sub_major == 51 ? 0.10 : 0.03)));
  v.set_flexible_hours(r.Chance(major <= 4 ? 0.45 : 0.15));

  // Work demands typical of the occupation.
  if (v.night_shifts()) AddDemand(v, v1::NIGHT_WORK, true);
  if (sub_major == 91) {
    AddDemand(v, v1::PROLONGED_STANDING, true);
    AddDemand(v, v1::PROLONGED_WALKING, r.Chance(0.5));
  }
  if (sub_major == 93 || sub_major == 71 || sub_major == 72 || isco == 9621) {
    AddDemand(v, v1::HEAVY_LIFTING, r.Chance(0.7));
  }
  if (sub_major == 71 || sub_major == 92 || sub_major == 61 || isco == 9313 || isco == 9214) {
    AddDemand(v, v1::OUTDOOR_WORK, true);
  }
  if (major == 7 || major == 8) AddDemand(v, v1::NOISY_ENVIRONMENT, r.Chance(0.4));
  if (sub_major == 83 || isco == 9621) AddDemand(v, v1::DRIVING, true);
  if (sub_major == 53) {
    AddDemand(v, v1::HEAVY_LIFTING, r.Chance(0.4));  // moving people
    AddDemand(v, v1::CUSTOMER_CONTACT, true);
  }
  if (sub_major == 51 || sub_major == 52 || sub_major == 94) {
    AddDemand(v, v1::PROLONGED_STANDING, true);
    AddDemand(v, v1::HIGH_PACE, r.Chance(0.5));
  }
  if (sub_major == 52 || sub_major == 42 || sub_major == 51) AddDemand(v, v1::CUSTOMER_CONTACT, true);
  if (sub_major == 82 || sub_major == 73 || sub_major == 75) AddDemand(v, v1::FINE_HAND_USE, true);
  if (major == 4 || sub_major == 25 || sub_major == 24 || sub_major == 33) {
    AddDemand(v, v1::EXTENDED_SCREEN_WORK, r.Chance(0.6));
  }

  // Accommodations: 40% leave them to the employer's defaults.
  if (!r.Chance(0.4)) {
    Offers(r, 1.0, manual, [&](v1::Accommodation a, v1::AccommodationStatus status) {
      auto* acc = v.add_accommodations();
      acc->set_accommodation(a);
      acc->set_status(status);
    });
  }

  // Requirements.
  if (isco == 8322 || (isco == 5322 && r.Chance(0.5)) || (isco == 9621 && r.Chance(0.5))) {
    v.add_required_licences(v1::LICENCE_B);
  }
  if (isco == 8332) v.add_required_licences(r.Chance(0.5) ? v1::LICENCE_C : v1::LICENCE_CE);
  if (isco == 8331) v.add_required_licences(v1::LICENCE_D);
  if (isco == 8344 || (isco == 9333 && r.Chance(0.3))) v.add_required_licences(v1::LICENCE_FORKLIFT);
  if (r.Chance(major <= 4 ? 0.6 : 0.3)) {
    auto* da = v.add_required_languages();
    da->set_code("da");
    da->set_level(major <= 2 && r.Chance(0.4) ? v1::CEFR_C1 : v1::CEFR_B2);
  }
  if (major <= 3 && r.Chance(0.4)) {
    auto* en = v.add_required_languages();
    en->set_code("en");
    en->set_level(v1::CEFR_B2);
  }
  int education = 0;
  if (major == 2) education = r.Chance(0.6) ? 6 : 7;
  if (major == 1 && r.Chance(0.4)) education = 6;
  if (major == 3) education = r.Chance(0.4) ? 0 : (r.Chance(0.5) ? 3 : 5);
  if (major == 7 && r.Chance(0.4)) education = 3;
  if (kind == v1::APPRENTICESHIP) education = std::min(education, 2);
  v.set_min_education_level(education);

  const bool bulk = isco == 9333 || isco == 9112 || isco == 5223 || isco == 8332 || isco == 5322;
  int openings = 1;
  if (r.Chance(bulk ? 0.25 : 0.12)) openings = bulk ? r.Between(2, 8) : r.Between(2, 4);
  v.set_openings(openings);
  v.set_valid_until_micros(absl::ToUnixMicros(options.now) + r.Between(7, 60) * kMicrosPerDay);
  v.set_status(v1::OPEN);
}

void Generator::Vacancies(const std::function<void(const v1::Vacancy&)>& fn) const {
  Random r(StreamSeed(impl_->options.seed, kVacancyStream));
  v1::Vacancy v;
  for (size_t i = 0; i < impl_->options.vacancies; ++i) {
    v.Clear();
    impl_->MakeVacancy(r, i, v);
    fn(v);
  }
}

absl::StatusOr<GeneratedData> Generate(const GeneratorOptions& options,
                                       const matcher::Taxonomy& taxonomy,
                                       const matcher::Geography& geography,
                                       const MunicipalPopulation& population) {
  auto generator = Generator::Create(options, taxonomy, geography, population);
  if (!generator.ok()) return generator.status();
  GeneratedData data;
  data.employers.reserve((*generator)->employer_count());
  data.seekers.reserve(options.seekers);
  data.vacancies.reserve(options.vacancies);
  (*generator)->Employers([&](const v1::Employer& e) { data.employers.push_back(e); });
  (*generator)->Seekers([&](const v1::Seeker& s) { data.seekers.push_back(s); });
  (*generator)->Vacancies([&](const v1::Vacancy& v) { data.vacancies.push_back(v); });
  return data;
}

}  // namespace jobmatch::datagen
