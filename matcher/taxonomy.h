// Taxonomy: ESCO occupations and skills with the ISCO-08 / DISCO-08 hierarchy,
// loaded from the shipped files in data/esco/. Immutable after loading, so it
// is safe to share between threads.
//
// Ids are dense: SkillId and OccupationId index the loaded tables.
#ifndef JOBMATCH_MATCHER_TAXONOMY_H_
#define JOBMATCH_MATCHER_TAXONOMY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace jobmatch::matcher {

using SkillId = uint32_t;
using OccupationId = uint32_t;
inline constexpr OccupationId kNoOccupation = UINT32_MAX;
inline constexpr SkillId kNoSkill = UINT32_MAX;

// An occupation that can substitute for another: a worker of one could do
// the other's job with the skills they have (see Taxonomy::Substitutes).
struct Substitute {
  uint32_t occupation;  // OccupationId
  float similarity;     // Jaccard overlap of the essential skills, in (0, 1]
};

struct Occupation {
  std::string uri;
  int isco = 0;  // 4-digit ISCO-08 unit group
  std::string label;
  std::vector<SkillId> essential;  // sorted
  std::vector<SkillId> optional;   // sorted
  // Sorted by occupation id; symmetric (b is in a's list iff a is in b's).
  std::vector<Substitute> substitutes;
};

struct Skill {
  std::string uri;
  std::string label;
  bool is_group = false;          // an ESCO skill group, not a skill
  std::vector<SkillId> broader;   // sorted
};

class Taxonomy {
 public:
  // Loads data_dir/esco/*.tsv.gz. Errors name the file and line. The version
  // is skills.tsv.gz's "# version<TAB>X" line, else "esco-1.1.1" (the shipped
  // files).
  static absl::StatusOr<std::unique_ptr<Taxonomy>> Load(const std::string& data_dir);

  // Lookups by URI; kNoSkill / kNoOccupation when unknown. Group concepts are
  // not skills a person can hold: FindSkill returns kNoSkill for them.
  SkillId FindSkill(std::string_view uri) const;
  OccupationId FindOccupation(std::string_view uri) const;
  // True for a known ISCO-08 group code of any level ("5", "53", "532", "5322").
  bool IsIscoGroup(std::string_view code) const;
  bool IsIscoUnitGroup(int code) const;
  const std::string* IscoLabel(std::string_view code) const;

  const Skill& skill(SkillId id) const { return skills_[id]; }
  // skill(id).broader in one flat array: the scoring hot path reads it for
  // every required skill, and the Skill records are large.
  const SkillId* BroaderBegin(SkillId id) const { return broader_flat_.data() + broader_offset_[id]; }
  const SkillId* BroaderEnd(SkillId id) const { return broader_flat_.data() + broader_offset_[id + 1]; }
  // The inverse: skills (and groups) whose broader concepts include `id`.
  const SkillId* NarrowerBegin(SkillId id) const { return narrower_flat_.data() + narrower_offset_[id]; }
  const SkillId* NarrowerEnd(SkillId id) const { return narrower_flat_.data() + narrower_offset_[id + 1]; }
  const Occupation& occupation(OccupationId id) const { return occupations_[id]; }
  size_t skill_count() const { return skills_.size(); }
  size_t occupation_count() const { return occupations_.size(); }
  // The substitutability relation between ESCO occupations, derived at load
  // from the occupation->essential-skill relations: b substitutes for a if
  // the Jaccard overlap of their essential skills is at least
  // kSubstituteMinSimilarity and b is among a's kSubstitutesPerOccupation
  // most similar occupations (or a among b's: the relation is symmetric).
  // It links occupations across ISCO groups (cook 5120 - pizzaiolo 9411,
  // bus driver 8331 - private chauffeur 8322). Deterministic.
  static constexpr float kSubstituteMinSimilarity = 0.4f;
  static constexpr size_t kSubstitutesPerOccupation = 5;
  // a's substitutes, sorted by id; empty for kNoOccupation.
  const std::vector<Substitute>& Substitutes(OccupationId a) const;
  // Similarity of b as a substitute for a, or 0 if it is none.
  float SubstituteSimilarity(OccupationId a, OccupationId b) const;

  // ESCO's replacement relation for concepts a newer version deprecated or
  // removed: the optional file data/esco/replacements.tsv.gz (or .tsv), lines
  // obsolete_uri<TAB>replacement_uri. The current concept (skill or
  // occupation) that replaces `uri`, following chains; "" if none is known.
  // Used when stored records written under an older version are loaded.
  std::string_view ReplacementOf(std::string_view uri) const;

  // All occupations in an ISCO unit group.
  const std::vector<OccupationId>& OccupationsInUnitGroup(int isco) const;
  const std::string& version() const { return version_; }

 private:
  Taxonomy() = default;
  void DeriveSubstitutes();
  std::vector<Skill> skills_;
  std::vector<uint32_t> broader_offset_;  // skill_count() + 1 entries
  std::vector<SkillId> broader_flat_;
  std::vector<uint32_t> narrower_offset_;  // skill_count() + 1 entries
  std::vector<SkillId> narrower_flat_;
  std::vector<Occupation> occupations_;
  absl::flat_hash_map<std::string, SkillId> skill_by_uri_;
  absl::flat_hash_map<std::string, OccupationId> occupation_by_uri_;
  absl::flat_hash_map<std::string, std::string> isco_labels_;
  absl::flat_hash_map<int, std::vector<OccupationId>> by_unit_group_;
  absl::flat_hash_map<std::string, std::string> replaced_by_;
  std::string version_;
};

// How closely two ISCO-08 unit groups are related, by the length of their
// shared code prefix: 4 = same unit group, 3 = same minor group, 2 = same
// sub-major group, 1 = same major group, 0 = unrelated.
inline int IscoSharedDigits(int a, int b) {
  if (a == b) return 4;
  if (a / 10 == b / 10) return 3;
  if (a / 100 == b / 100) return 2;
  if (a / 1000 == b / 1000) return 1;
  return 0;
}

}  // namespace jobmatch::matcher

#endif  // JOBMATCH_MATCHER_TAXONOMY_H_
