// ReferenceData: everything the matcher loads at start-up from a data folder
// (taxonomy, geography, schemes, the default commute model), loaded once and
// immutable afterwards. Fails with a message naming the missing or malformed
// file.
#ifndef JOBMATCH_MATCHER_REFERENCE_DATA_H_
#define JOBMATCH_MATCHER_REFERENCE_DATA_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "matcher/commute_model.h"
#include "matcher/geography.h"
#include "matcher/schemes.h"
#include "matcher/taxonomy.h"

namespace jobmatch::matcher {

struct ReferenceData {
  std::unique_ptr<Taxonomy> taxonomy;
  std::unique_ptr<Geography> geography;
  std::unique_ptr<Schemes> schemes;
  std::unique_ptr<CommuteModel> commute;

  // With `travel_time_matrix` set, commute estimates come from that matrix
  // file (matrix_commute.h) where it has the pair, else from the model.
  static absl::StatusOr<std::unique_ptr<ReferenceData>> Load(
      const std::string& data_dir, const std::string& travel_time_matrix = "");
  // The data folder of the source tree this binary was built from.
  static std::string SourceTreeDataDir() { return JOBMATCH_SOURCE_DATA_DIR; }
  // "esco-1.1.1/schemes-2026-11/placements-2026-12/model-2026-11": recorded with every decision.
  std::string version() const;
};

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_REFERENCE_DATA_H_
