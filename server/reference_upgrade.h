// Reference-data upgrades: how the ESCO concepts of stored records resolve
// against the taxonomy loaded now. A newer ESCO deprecates and removes
// concepts; a stored record must never stop the service. A concept the
// loaded version lacks is mapped through the data's replacement relation
// (Taxonomy::ReplacementOf) where there is one; otherwise it is kept in the
// stored record, marked unknown here, and scores nothing (the record stays
// served). Every affected record is named in the report jobmatchd prints at
// start-up and `jobmatchd --check_reference_data=DIR` prints before one.
#ifndef JOBMATCH_SERVER_REFERENCE_UPGRADE_H_
#define JOBMATCH_SERVER_REFERENCE_UPGRADE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/taxonomy.h"
#include "storage/store.h"

namespace jobmatch {

// kNoSkill / kNoOccupation when the concept is unknown to `taxonomy` and has
// no known replacement.
matcher::SkillId ResolveSkill(const matcher::Taxonomy& taxonomy, std::string_view uri);
matcher::OccupationId ResolveOccupation(const matcher::Taxonomy& taxonomy, std::string_view uri);

// One concept of one stored record that the loaded taxonomy lacks.
struct ConceptChange {
  std::string record;         // "seeker s-1", "vacancy v-7"
  std::string field;          // "seeker.skills[2].esco_uri"
  std::string uri;            // as stored
  std::string replacement;    // the concept it maps to; "" = unknown, kept, scores nothing
  std::string written_under;  // the record's taxonomy_version ("" if written before it was kept)
};

struct ReferenceUpgradeReport {
  std::string taxonomy_version;  // loaded now
  size_t records_checked = 0;    // records written under another (or no) version
  std::vector<ConceptChange> changes;
  std::vector<std::string> affected_records;  // in scan order, each once

  void Check(const v1::Seeker& seeker, const matcher::Taxonomy& taxonomy);
  void Check(const v1::Vacancy& vacancy, const matcher::Taxonomy& taxonomy);
  // One line per change, then a summary line.
  std::string ToText() const;
};

// Checks every stored seeker and vacancy against `taxonomy` (read-only).
absl::StatusOr<ReferenceUpgradeReport> CheckStoredRecords(const storage::Store& store,
                                                          const matcher::Taxonomy& taxonomy);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_REFERENCE_UPGRADE_H_
