// The labour-market figures behind the synthetic data: which occupations
// job-centre seekers and vacancies have, where jobs concentrate, which
// occupations are mostly public-sector, and what the work demands. Every
// figure is stated, with its source or reasoning, in docs/data-generator.md.
#ifndef JOBMATCH_CLIENTS_DATAGEN_LABOUR_MARKET_H_
#define JOBMATCH_CLIENTS_DATAGEN_LABOUR_MARKET_H_

#include <array>
#include <vector>

#include "clients/datagen/random.h"
#include "matcher/taxonomy.h"

namespace jobmatch::datagen {

// Share of seekers / vacancies by ISCO-08 major group (index = first digit;
// 0, armed forces, is not drawn). Each sums to 1.
using MajorGroupShares = std::array<double, 10>;
extern const MajorGroupShares kSeekerMajorGroups;
extern const MajorGroupShares kVacancyMajorGroups;

// Unit groups common at job centres (cleaners, warehouse workers, care
// assistants, shop sales, kitchen helpers, drivers, building trades, office
// clerks, ...) with a relative weight within their major group.
struct UnitGroupWeight {
  int isco;
  double weight;
};
const std::vector<UnitGroupWeight>& CommonUnitGroups();
// The part of a major group's share that goes to its common unit groups; the
// rest is spread evenly over all of its unit groups that ESCO has occupations for.
inline constexpr double kCommonShareOfMajorGroup = 0.75;

// A distribution over the ISCO unit groups that have ESCO occupations:
// major group by `shares`, then as described above.
class OccupationMix {
 public:
  OccupationMix(const matcher::Taxonomy& taxonomy, const MajorGroupShares& shares);
  int Draw(Random& random) const { return unit_groups_[table_.Draw(random)]; }
  // The probability of drawing `isco` (0 for a unit group not in the mix).
  double Probability(int isco) const;
  bool empty() const { return unit_groups_.empty(); }

 private:
  std::vector<int> unit_groups_;  // ascending
  std::vector<double> probability_;
  AliasTable table_;
};

// Vacancies per inhabitant relative to the country: > 1 in the big labour
// markets (Copenhagen, Aarhus, Odense, Aalborg, Trekantområdet).
double JobDensity(int municipality);

// The probability that a vacancy in unit group `isco` is with a public
// employer (municipality, region or state).
double PublicSectorShare(int isco);

// The share of public vacancies in health occupations that are with a region
// (hospitals) rather than a municipality.
double RegionShareOfPublic(int isco);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_LABOUR_MARKET_H_
