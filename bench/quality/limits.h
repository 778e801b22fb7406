// What counts as a functional need or a health-based limit of a seeker, and
// the seeker's "twin" without it: the counterfactual the invariants compare
// with (docs/quality.md). Written against the API record (jobmatch.v1.Seeker),
// not the matcher's profile struct, so that a restructure of the scorer
// does not touch it; every field these checks read or change is here.
#ifndef JOBMATCH_BENCH_QUALITY_LIMITS_H_
#define JOBMATCH_BENCH_QUALITY_LIMITS_H_

#include <optional>
#include <string>

#include "clients/datagen/ground_truth.h"
#include "jobmatch/v1/seeker.pb.h"

namespace jobmatch::quality {

enum class Limit {
  kFunctionalNeeds = 0,  // needs and the work demands they exclude
  kHealthCommute = 1,    // a commute limit lowered for health reasons
  kHourCaps = 2,         // weekly or daily hour caps set for health reasons
  kFleksjobHours = 3,    // the hours a fleksjob approval allows
};
inline constexpr int kLimitCount = 4;
const char* LimitName(Limit limit);     // e.g. "functional needs"
const char* LimitSuffix(Limit limit);   // for twin ids, e.g. "needs"

// The seeker's record without `limit` (same id), or nullopt if the seeker
// does not have it. `truth` supplies what the record cannot: the commute
// limit before the health reason, whether hour caps are health-based.
std::optional<v1::Seeker> WithoutLimit(const v1::Seeker& seeker, const datagen::SeekerTruth& truth,
                                       Limit limit);

// The twin's id: "<seeker id>~<suffix>". Sorts right after the seeker's.
std::string TwinId(const std::string& seeker_id, Limit limit);

bool HasFunctionalNeeds(const v1::Seeker& seeker);

// What the case file alone says, in the truth's terms: the record's skills,
// and its ESCO occupations with the years it states (0 when not stated).
// Grading with it instead of the truth tells the fits the record shows from
// those only the hidden truth knows.
datagen::SeekerTruth CaseFileView(const v1::Seeker& seeker, const matcher::Taxonomy& taxonomy);

}  // namespace jobmatch::quality

#endif  // JOBMATCH_BENCH_QUALITY_LIMITS_H_
