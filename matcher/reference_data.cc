#include "matcher/reference_data.h"

#include "absl/strings/str_cat.h"

namespace jobmatch::matcher {

absl::StatusOr<std::unique_ptr<ReferenceData>> ReferenceData::Load(const std::string& data_dir) {
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
  return data;
}

std::string ReferenceData::version() const {
  return absl::StrCat(taxonomy->version(), "/schemes-", schemes->version(), "/",
                      commute->version());
}

}  // namespace jobmatch::matcher
