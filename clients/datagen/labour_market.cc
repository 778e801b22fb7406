#include "clients/datagen/labour_market.h"

#include <algorithm>
#include <set>

#include "absl/container/flat_hash_map.h"

namespace jobmatch::datagen {

//                                    0     1     2     3     4     5     6     7     8     9
const MajorGroupShares kSeekerMajorGroups = {0.00, 0.02, 0.12, 0.09, 0.09, 0.24, 0.02, 0.10, 0.09, 0.23};
const MajorGroupShares kVacancyMajorGroups = {0.00, 0.03, 0.20, 0.12, 0.08, 0.24, 0.02, 0.11, 0.07, 0.13};

const std::vector<UnitGroupWeight>& CommonUnitGroups() {
  static const auto* const kGroups = new std::vector<UnitGroupWeight>{
      // 1 Managers
      {1412, 1}, {1420, 1}, {1324, 1},
      // 2 Professionals
      {2221, 3}, {2341, 2}, {2342, 3}, {2512, 2}, {2411, 1}, {2635, 2}, {2431, 1}, {2421, 1},
      // 3 Technicians and associate professionals
      {3221, 2}, {3412, 2}, {3341, 1}, {3343, 2}, {3322, 2}, {3122, 1},
      // 4 Clerical support workers
      {4110, 4}, {4321, 3}, {4311, 2}, {4222, 2}, {4120, 1}, {4226, 1},
      // 5 Service and sales workers
      {5223, 8}, {5322, 7}, {5321, 5}, {5311, 3}, {5120, 4}, {5131, 3}, {5230, 2}, {5141, 1},
      // 6 Skilled agricultural workers
      {6113, 2}, {6121, 1}, {6111, 1},
      // 7 Craft and related trades workers
      {7115, 3}, {7112, 2}, {7411, 3}, {7126, 2}, {7231, 2}, {7212, 1}, {7223, 1}, {7512, 1},
      {7131, 1},
      // 8 Plant and machine operators, and assemblers
      {8332, 4}, {8322, 3}, {8331, 2}, {8344, 3}, {8219, 2}, {8160, 1}, {8121, 1},
      // 9 Elementary occupations
      {9112, 8}, {9333, 7}, {9412, 4}, {9111, 3}, {9329, 3}, {9313, 2}, {9214, 1}, {9621, 2},
      {9622, 1}, {9121, 1}};
  return *kGroups;
}

OccupationMix::OccupationMix(const matcher::Taxonomy& taxonomy, const MajorGroupShares& shares) {
  std::set<int> groups;
  for (size_t i = 0; i < taxonomy.occupation_count(); ++i) {
    const int isco = taxonomy.occupation(static_cast<matcher::OccupationId>(i)).isco;
    if (isco >= 1000 && isco <= 9999) groups.insert(isco);
  }
  std::array<int, 10> group_count{};
  for (int g : groups) ++group_count[g / 1000];
  std::array<double, 10> common_total{};
  absl::flat_hash_map<int, double> common;
  for (const UnitGroupWeight& c : CommonUnitGroups()) {
    if (groups.count(c.isco) == 0) continue;
    common[c.isco] += c.weight;
    common_total[c.isco / 1000] += c.weight;
  }
  for (int g : groups) {
    const int major = g / 1000;
    const double even = 1.0 / group_count[major];
    double within = even;
    if (common_total[major] > 0) {
      const auto it = common.find(g);
      within = (1 - kCommonShareOfMajorGroup) * even +
               kCommonShareOfMajorGroup * (it == common.end() ? 0.0 : it->second / common_total[major]);
    }
    const double p = shares[major] * within;
    if (p <= 0) continue;
    unit_groups_.push_back(g);
    probability_.push_back(p);
  }
  double total = 0;
  for (double p : probability_) total += p;
  for (double& p : probability_) p /= total;
  if (!unit_groups_.empty()) table_ = AliasTable(probability_);
}

double OccupationMix::Probability(int isco) const {
  const auto it = std::lower_bound(unit_groups_.begin(), unit_groups_.end(), isco);
  return it != unit_groups_.end() && *it == isco ? probability_[it - unit_groups_.begin()] : 0.0;
}

double JobDensity(int municipality) {
  switch (municipality) {
    case 101:  // København
      return 1.6;
    case 751:  // Aarhus
      return 1.4;
    case 461:  // Odense
    case 851:  // Aalborg
      return 1.3;
    case 530:  // Billund (LEGO, the airport)
      return 1.5;
    case 147:  // Frederiksberg
    case 621:  // Kolding
    case 630:  // Vejle
    case 607:  // Fredericia
    case 410:  // Middelfart
    case 575:  // Vejen
      return 1.2;
    default:
      return 0.85;
  }
}

double PublicSectorShare(int isco) {
  switch (isco) {
    case 2635: case 3412:  // social workers
      return 0.9;
    case 8331:  // bus drivers: mostly private operators on public contracts
      return 0.3;
    case 9412:  // kitchen helpers: institutions and care homes
      return 0.3;
    case 9214: case 6113:  // parks and roads
      return 0.4;
    default:
      break;
  }
  switch (isco / 100) {
    case 22: case 23: case 53:  // health professionals, teachers, care workers
      return 0.85;
    case 32:  // health associate professionals
      return 0.7;
    case 54:  // protective services
      return 0.6;
    case 91:  // cleaners
      return 0.35;
    case 41: case 42: case 43: case 44: case 34:
      return 0.3;
    case 11: case 24: case 33:
      return 0.25;
    case 21: case 25: case 26: case 51:
      return 0.2;
    case 12: case 13: case 14:
      return 0.15;
    default:
      return 0.05;
  }
}

double RegionShareOfPublic(int isco) {
  switch (isco / 100) {
    case 22: case 32:  // hospitals
      return 0.6;
    default:
      return 0.05;
  }
}

}  // namespace jobmatch::datagen
