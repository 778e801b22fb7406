#include "bench/quality/relevance.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace jobmatch::quality {

int TruthGrade(const datagen::SeekerTruth& truth, matcher::OccupationId vacancy_occupation,
               const matcher::Taxonomy& taxonomy) {
  const matcher::Occupation& o = taxonomy.occupation(vacancy_occupation);
  size_t required = 0, held = 0;
  for (matcher::SkillId k : o.essential) {
    if (taxonomy.skill(k).is_group) continue;
    ++required;
    held += std::binary_search(truth.skills.begin(), truth.skills.end(), k) ? 1 : 0;
  }
  bool worked_exact = false, worked_unit_group = false;
  for (const auto& job : truth.history) {
    if (job.years < 1) continue;
    worked_exact |= job.occupation == vacancy_occupation;
    worked_unit_group |= taxonomy.occupation(job.occupation).isco == o.isco;
  }
  // An occupation without essential skills: experience alone decides.
  const double coverage =
      required == 0 ? (worked_unit_group ? 1.0 : 0.0) : static_cast<double>(held) / required;
  if (worked_exact && coverage >= 0.75) return 3;
  if (coverage >= 0.75 || (worked_unit_group && coverage >= 0.5)) return 2;
  if (coverage >= 0.5) return 1;
  return 0;
}

double SubsetRecall(const std::vector<int>& grades, const std::vector<bool>& in_subset, size_t k) {
  size_t fits = 0, hits = 0;
  for (size_t i = 0; i < grades.size(); ++i) {
    if (grades[i] < kFitGrade || !in_subset[i]) continue;
    ++fits;
    if (i < k) ++hits;
  }
  return fits == 0 ? -1 : static_cast<double>(hits) / static_cast<double>(std::min(k, fits));
}

ListMetrics EvaluateList(const std::vector<int>& grades, size_t k) {
  ListMetrics m;
  auto gain = [](int g) { return std::pow(2.0, g) - 1.0; };
  auto discount = [](size_t rank0) { return 1.0 / std::log2(static_cast<double>(rank0) + 2.0); };
  size_t hits = 0;
  double dcg = 0;
  for (size_t i = 0; i < grades.size(); ++i) {
    if (grades[i] >= kFitGrade) {
      ++m.fits;
      if (i < k) ++hits;
    }
    if (i < k) dcg += gain(grades[i]) * discount(i);
  }
  m.has_fit = m.fits > 0;
  if (!m.has_fit) return m;
  m.recall = static_cast<double>(hits) / static_cast<double>(std::min(k, m.fits));
  std::vector<int> ideal = grades;
  const size_t top = std::min(k, ideal.size());
  std::partial_sort(ideal.begin(), ideal.begin() + static_cast<std::ptrdiff_t>(top), ideal.end(),
                    std::greater<int>());
  double idcg = 0;
  for (size_t i = 0; i < top; ++i) idcg += gain(ideal[i]) * discount(i);
  m.ndcg = idcg > 0 ? dcg / idcg : 0;
  return m;
}

}  // namespace jobmatch::quality
