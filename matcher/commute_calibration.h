// Calibration of a commute model against reference travel times: trips timed
// by a road or transit router, or measured, in the travel-time matrix file
// format (matrix_commute.h). Model estimates stay labelled unvalidated
// (confidence 0.6, "model estimate, not yet validated") until a comparison
// like this one has been made and the model's constants adjusted to it.
#ifndef JOBMATCH_MATCHER_COMMUTE_CALIBRATION_H_
#define JOBMATCH_MATCHER_COMMUTE_CALIBRATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/commute_model.h"
#include "matcher/geography.h"

namespace jobmatch::matcher {

// How the model compares with the reference for one transport mode.
struct CalibrationRow {
  TransportMode mode = TransportMode::kCar;
  size_t pairs = 0;           // reference entries between known geographic postal codes
  size_t model_cannot = 0;    // of those, trips the model says the mode cannot make
  double median_ratio = 0;    // median of model minutes / reference minutes
  double mean_abs_error_minutes = 0;
  double share_within_20_percent = 0;  // |model/reference - 1| <= 0.2
};

// Compares `model` with every entry of the reference file at `reference_path`
// (read with its checksum; a corrupt file is an error naming it). Places are
// the postal codes' points from `geography`. Rows for modes with entries, in
// TransportMode order.
absl::StatusOr<std::vector<CalibrationRow>> CalibrateCommute(const CommuteModel& model,
                                                             const Geography& geography,
                                                             const std::string& reference_path);

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_COMMUTE_CALIBRATION_H_
