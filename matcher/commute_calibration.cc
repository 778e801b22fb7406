#include "matcher/commute_calibration.h"

#include <algorithm>
#include <cmath>

#include "matcher/matrix_commute.h"

namespace jobmatch::matcher {
namespace {

// Loading a matrix needs a fallback; the calibration never asks it.
class NoFallback : public CommuteModel {
 public:
  std::optional<CommuteEstimate> Estimate(const Place&, const Place&,
                                          TransportMode) const override {
    return std::nullopt;
  }
  double MaxReachMetres(uint8_t, int) const override { return 0; }
  std::string version() const override { return "none"; }
};

}  // namespace

absl::StatusOr<std::vector<CalibrationRow>> CalibrateCommute(const CommuteModel& model,
                                                             const Geography& geography,
                                                             const std::string& reference_path) {
  auto reference =
      MatrixCommute::Load(reference_path, &geography, std::make_unique<NoFallback>());
  if (!reference.ok()) return reference.status();
  std::vector<std::vector<double>> ratios(kTransportModeCount);
  std::vector<CalibrationRow> rows(kTransportModeCount);
  (*reference)->ForEachEntry([&](int from, int to, TransportMode mode, double minutes) {
    const PostalCode* a = geography.FindPostalCode(from);
    const PostalCode* b = geography.FindPostalCode(to);
    if (a == nullptr || b == nullptr || !a->geographic || !b->geographic) return;
    CalibrationRow& row = rows[static_cast<int>(mode)];
    ++row.pairs;
    auto e = model.Estimate(MakePlace(a->lat, a->lon, from, a->municipality),
                            MakePlace(b->lat, b->lon, to, b->municipality), mode);
    if (!e) {
      ++row.model_cannot;
      return;
    }
    const double ratio = e->minutes / minutes;
    ratios[static_cast<int>(mode)].push_back(ratio);
    row.mean_abs_error_minutes += std::abs(e->minutes - minutes);
    row.share_within_20_percent += std::abs(ratio - 1) <= 0.2 ? 1 : 0;
  });
  std::vector<CalibrationRow> out;
  for (int m = 1; m < kTransportModeCount; ++m) {
    CalibrationRow row = rows[m];
    if (row.pairs == 0) continue;
    row.mode = static_cast<TransportMode>(m);
    auto& r = ratios[m];
    if (!r.empty()) {
      std::sort(r.begin(), r.end());
      row.median_ratio = r[r.size() / 2];
      row.mean_abs_error_minutes /= static_cast<double>(r.size());
      row.share_within_20_percent /= static_cast<double>(r.size());
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace jobmatch::matcher
