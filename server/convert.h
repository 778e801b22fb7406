// Conversion between the jobmatch.v1 API messages and the matcher's plain
// structs, in one place. Inputs must have passed validation.
#ifndef JOBMATCH_SERVER_CONVERT_H_
#define JOBMATCH_SERVER_CONVERT_H_

#include <string>

#include "jobmatch/v1/employer.pb.h"
#include "jobmatch/v1/match_service.pb.h"
#include "jobmatch/v1/seeker.pb.h"
#include "jobmatch/v1/vacancy.pb.h"
#include "matcher/match_index.h"
#include "matcher/reference_data.h"

namespace jobmatch {

matcher::SeekerProfile ToProfile(const v1::Seeker& seeker, const matcher::ReferenceData& data);
// `employer` (may be null) supplies default accommodations and the public flag.
matcher::VacancyProfile ToProfile(const v1::Vacancy& vacancy, const v1::Employer* employer,
                                  const matcher::ReferenceData& data);

// `show_needs`: the caller may see the seeker's functional needs (consent
// and need to know); otherwise they are redacted.
// `brief` leaves out the per-skill lists.
v1::Explanation ToExplanation(const matcher::Score& score, const matcher::Taxonomy& taxonomy,
                              bool show_needs, bool brief = false);
// The same, built in `explanation` (on its arena, if it has one).
void ToExplanation(const matcher::Score& score, const matcher::Taxonomy& taxonomy, bool show_needs,
                   bool brief, v1::Explanation* explanation);
// The same, moving the parts' texts out of `score` instead of copying them.
void ToExplanation(matcher::Score&& score, const matcher::Taxonomy& taxonomy, bool show_needs,
                   bool brief, v1::Explanation* explanation);
// True if `score` says anything about the seeker's functional needs (what
// ToExplanation redacts without consent): consent need only be looked up then.
bool MentionsNeeds(const matcher::Score& score);
// The blocker's detail as the caller may see it: an unmet hard need is not
// named without `show_needs`.
std::string VisibleBlockerDetail(const matcher::Score& score, bool show_needs);
// The skill's ESCO URI and label (empty for kNoSkill).
v1::SkillRef ToSkillRef(matcher::SkillId id, const matcher::Taxonomy& taxonomy);
// A row of data/placements/placement_rules.tsv, as explanations name it.
void ToProto(const matcher::PlacementRule& rule, v1::PlacementRuleRef* out);
matcher::MatchFilters ToFilters(const v1::MatchFilters& filters);
v1::Policy ToProto(const matcher::Policy& policy);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CONVERT_H_
