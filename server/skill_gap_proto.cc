#include "server/skill_gap_proto.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jobmatch {

absl::StatusOr<matcher::SkillGapOptions> ToSkillGapOptions(const v1::SkillGapSettings& s,
                                                           const std::string& field) {
  matcher::SkillGapOptions o;
  if (!(s.good_score() >= 0 && s.good_score() <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".good_score: must be within [0, 1]"));
  }
  if (s.list_size() < 0 || s.list_size() > 100) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".list_size: must be within [0, 100]"));
  }
  if (!(s.near_miss_margin() >= 0 && s.near_miss_margin() <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".near_miss_margin: must be within [0, 1]"));
  }
  if (s.max_missing_skills() < 0 || s.max_missing_skills() > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".max_missing_skills: must be within [0, 3]"));
  }
  if (s.good_score() > 0) o.good_score = s.good_score();
  if (s.list_size() > 0) o.list_size = static_cast<size_t>(s.list_size());
  if (s.near_miss_margin() > 0) o.near_miss_margin = s.near_miss_margin();
  if (s.max_missing_skills() > 0) o.max_missing = static_cast<size_t>(s.max_missing_skills());
  return o;
}

v1::SkillGapSettings ToProto(const matcher::SkillGapOptions& o) {
  v1::SkillGapSettings s;
  s.set_good_score(o.good_score);
  s.set_list_size(static_cast<int32_t>(o.list_size));
  s.set_near_miss_margin(o.near_miss_margin);
  s.set_max_missing_skills(static_cast<int32_t>(o.max_missing));
  return s;
}

void AddCourses(matcher::SkillId skill, const matcher::CourseCatalogue* courses,
                google::protobuf::RepeatedPtrField<v1::Course>* out) {
  if (courses == nullptr) return;
  for (const matcher::Course* c : courses->CoursesFor(skill)) {
    v1::Course* course = out->Add();
    course->set_code(c->code);
    course->set_title(c->title);
    course->set_provider(c->provider);
    course->set_hours(c->hours);
  }
}

v1::SkillUnlock ToProto(const matcher::SkillUnlock& u, const matcher::Taxonomy& taxonomy,
                        const matcher::CourseCatalogue* courses) {
  v1::SkillUnlock out;
  out.mutable_skill()->set_esco_uri(taxonomy.skill(u.skill).uri);
  out.mutable_skill()->set_label(taxonomy.skill(u.skill).label);
  out.set_pairs_alone(static_cast<uint32_t>(u.pairs_alone));
  out.set_pairs_with_others(static_cast<uint32_t>(u.pairs_with_others));
  out.set_seekers(static_cast<uint32_t>(u.seekers));
  out.set_seekers_alone(static_cast<uint32_t>(u.seekers_alone));
  out.set_vacancies(static_cast<uint32_t>(u.vacancies));
  out.set_vacancies_alone(static_cast<uint32_t>(u.vacancies_alone));
  for (const matcher::GroupUnlock& g : u.groups) {
    v1::OccupationGroupUnlock* group = out.add_groups();
    group->set_isco_group(absl::StrFormat("%03d", g.isco_minor_group));
    if (const std::string* label = taxonomy.IscoLabel(group->isco_group())) {
      group->set_label(*label);
    }
    group->set_pairs(static_cast<uint32_t>(g.pairs));
    group->set_seekers(static_cast<uint32_t>(g.seekers));
    group->set_vacancies(static_cast<uint32_t>(g.vacancies));
  }
  AddCourses(u.skill, courses, out.mutable_courses());
  return out;
}

}  // namespace jobmatch
