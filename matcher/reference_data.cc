#include "matcher/reference_data.h"

#include "absl/strings/str_cat.h"
#include "matcher/matrix_commute.h"

namespace jobmatch::matcher {

absl::StatusOr<std::unique_ptr<ReferenceData>> ReferenceData::Load(
    const std::string& data_dir, const std::string& travel_time_matrix) {
  auto data = std::make_unique<ReferenceData>();
  auto taxonomy = Taxonomy::Load(data_dir);
  if (!taxonomy.ok()) return taxonomy.status();
  data->taxonomy = std::move(*taxonomy);
  auto geography = Geography::Load(data_dir);
  if (!geography.ok()) return geography.status();
  data->geography = std::move(*geography);
  auto schemes = Schemes::Load(data_dir);
  if (!schemes.ok()) return schemes.status();
  data->schemes = std::move(*schemes);
  auto commute = ModelCommute::Load(data_dir);
  if (!commute.ok()) return commute.status();
  data->commute = std::move(*commute);
  if (!travel_time_matrix.empty()) {
    auto matrix = MatrixCommute::Load(travel_time_matrix, data->geography.get(),
                                      std::move(data->commute));
    if (!matrix.ok()) return matrix.status();
    data->commute = std::move(*matrix);
  }
  return data;
}

std::string ReferenceData::version() const {
  return absl::StrCat(taxonomy->version(), "/schemes-", schemes->version(), "/placements-",
                      schemes->placement_rules().version(), "/", commute->version());
}

}  // namespace jobmatch::matcher
