#include "server/reference_upgrade.h"

#include "absl/strings/str_cat.h"

namespace jobmatch {

matcher::SkillId ResolveSkill(const matcher::Taxonomy& taxonomy, std::string_view uri) {
  matcher::SkillId id = taxonomy.FindSkill(uri);
  if (id != matcher::kNoSkill) return id;
  const std::string_view replacement = taxonomy.ReplacementOf(uri);
  return replacement.empty() ? matcher::kNoSkill : taxonomy.FindSkill(replacement);
}

matcher::OccupationId ResolveOccupation(const matcher::Taxonomy& taxonomy, std::string_view uri) {
  matcher::OccupationId id = taxonomy.FindOccupation(uri);
  if (id != matcher::kNoOccupation) return id;
  const std::string_view replacement = taxonomy.ReplacementOf(uri);
  return replacement.empty() ? matcher::kNoOccupation : taxonomy.FindOccupation(replacement);
}

namespace {

// Records a change if `uri` is not a current concept of the expected kind.
void CheckConcept(const matcher::Taxonomy& taxonomy, bool is_skill, const std::string& record,
                  std::string field, const std::string& uri, const std::string& written_under,
                  ReferenceUpgradeReport* report, bool* affected) {
  if (uri.empty()) return;
  const bool known = is_skill ? taxonomy.FindSkill(uri) != matcher::kNoSkill
                              : taxonomy.FindOccupation(uri) != matcher::kNoOccupation;
  if (known) return;
  const bool resolved = is_skill ? ResolveSkill(taxonomy, uri) != matcher::kNoSkill
                                 : ResolveOccupation(taxonomy, uri) != matcher::kNoOccupation;
  report->changes.push_back({record, std::move(field), uri,
                             resolved ? std::string(taxonomy.ReplacementOf(uri)) : std::string(),
                             written_under});
  *affected = true;
}

}  // namespace

void ReferenceUpgradeReport::Check(const v1::Seeker& s, const matcher::Taxonomy& taxonomy) {
  if (s.taxonomy_version() == taxonomy.version()) return;  // validated against this version
  ++records_checked;
  const std::string record = absl::StrCat("seeker ", s.id());
  bool affected = false;
  for (int i = 0; i < s.occupations_size(); ++i) {
    CheckConcept(taxonomy, false, record, absl::StrCat("seeker.occupations[", i, "].esco_uri"),
                 s.occupations(i).esco_uri(), s.taxonomy_version(), this, &affected);
  }
  for (int i = 0; i < s.skills_size(); ++i) {
    CheckConcept(taxonomy, true, record, absl::StrCat("seeker.skills[", i, "].esco_uri"),
                 s.skills(i).esco_uri(), s.taxonomy_version(), this, &affected);
  }
  if (affected) affected_records.push_back(record);
}

void ReferenceUpgradeReport::Check(const v1::Vacancy& v, const matcher::Taxonomy& taxonomy) {
  if (v.taxonomy_version() == taxonomy.version()) return;
  ++records_checked;
  const std::string record = absl::StrCat("vacancy ", v.id());
  bool affected = false;
  CheckConcept(taxonomy, false, record, "vacancy.esco_occupation_uri", v.esco_occupation_uri(),
               v.taxonomy_version(), this, &affected);
  for (int i = 0; i < v.essential_skills_size(); ++i) {
    CheckConcept(taxonomy, true, record, absl::StrCat("vacancy.essential_skills[", i, "]"),
                 v.essential_skills(i), v.taxonomy_version(), this, &affected);
  }
  for (int i = 0; i < v.optional_skills_size(); ++i) {
    CheckConcept(taxonomy, true, record, absl::StrCat("vacancy.optional_skills[", i, "]"),
                 v.optional_skills(i), v.taxonomy_version(), this, &affected);
  }
  if (affected) affected_records.push_back(record);
}

std::string ReferenceUpgradeReport::ToText() const {
  std::string text;
  for (const ConceptChange& c : changes) {
    absl::StrAppend(&text, c.record, " (written under ",
                    c.written_under.empty() ? "an unrecorded version" : c.written_under, "): ",
                    c.field, " ", c.uri, " is not in ", taxonomy_version, ": ",
                    c.replacement.empty()
                        ? "unknown; kept in the record, it scores nothing"
                        : absl::StrCat("mapped to its replacement ", c.replacement),
                    "\n");
  }
  absl::StrAppend(&text, "reference data ", taxonomy_version, ": ", records_checked,
                  " records written under another version checked, ", affected_records.size(),
                  " affected, ", changes.size(), " concepts changed\n");
  return text;
}

absl::StatusOr<ReferenceUpgradeReport> CheckStoredRecords(const storage::Store& store,
                                                          const matcher::Taxonomy& taxonomy) {
  ReferenceUpgradeReport report;
  report.taxonomy_version = taxonomy.version();
  absl::Status failure;
  absl::Status s = store.ForEach(storage::RecordKind::kSeeker, [&](const auto& stored) {
    v1::Seeker seeker;
    if (!seeker.ParseFromString(stored.payload)) {
      failure = absl::DataLossError(absl::StrCat("stored seeker ", stored.id, " does not parse"));
      return false;
    }
    report.Check(seeker, taxonomy);
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  s = store.ForEach(storage::RecordKind::kVacancy, [&](const auto& stored) {
    v1::Vacancy vacancy;
    if (!vacancy.ParseFromString(stored.payload)) {
      failure = absl::DataLossError(absl::StrCat("stored vacancy ", stored.id, " does not parse"));
      return false;
    }
    report.Check(vacancy, taxonomy);
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return report;
}

}  // namespace jobmatch
