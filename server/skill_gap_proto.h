// Conversion between the skill-gap analysis (matcher/skill_gap.h) and its API
// messages, shared by UpskillingService and the nightly report's section.
#ifndef JOBMATCH_SERVER_SKILL_GAP_PROTO_H_
#define JOBMATCH_SERVER_SKILL_GAP_PROTO_H_

#include <string>

#include "absl/status/statusor.h"
#include "jobmatch/v1/upskilling_service.pb.h"
#include "matcher/course_catalogue.h"
#include "matcher/skill_gap.h"
#include "matcher/taxonomy.h"

namespace jobmatch {

// The settings with defaults for zero values; InvalidArgument naming
// `field` (e.g. "settings") and the rule for a value out of range.
absl::StatusOr<matcher::SkillGapOptions> ToSkillGapOptions(const v1::SkillGapSettings& settings,
                                                           const std::string& field);
// The settings in force, defaults filled in.
v1::SkillGapSettings ToProto(const matcher::SkillGapOptions& options);

// `courses` may be null (no catalogue).
v1::SkillUnlock ToProto(const matcher::SkillUnlock& unlock, const matcher::Taxonomy& taxonomy,
                        const matcher::CourseCatalogue* courses);
void AddCourses(matcher::SkillId skill, const matcher::CourseCatalogue* courses,
                google::protobuf::RepeatedPtrField<v1::Course>* out);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SKILL_GAP_PROTO_H_
