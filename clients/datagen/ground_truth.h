// The hidden ground truth of a generated seeker: what the person can really
// do, of which the API record (the case file) holds only a part. The matcher
// never sees it; bench/quality grades its rankings against it
// (docs/quality.md, docs/data-generator.md "Ground truth").
//
// Drawn from its own random stream per seeker, so drawing it (or not) never
// changes a byte of the generated records.
#ifndef JOBMATCH_CLIENTS_DATAGEN_GROUND_TRUTH_H_
#define JOBMATCH_CLIENTS_DATAGEN_GROUND_TRUTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "clients/datagen/labour_market.h"
#include "clients/datagen/random.h"
#include "matcher/taxonomy.h"

namespace jobmatch::datagen {

struct SeekerTruth {
  struct Job {
    matcher::OccupationId occupation = matcher::kNoOccupation;  // ESCO
    int years = 0;         // of experience in it; 0 = trained or wished, never worked
    bool in_case_file = false;  // the record names this ESCO occupation
  };
  // True occupation history: the primary occupation first, then the further
  // wanted occupations the person has worked in, then past occupations the
  // case file does not mention.
  std::vector<Job> history;
  // Every skill the person holds, sorted: the recorded ones and those the
  // case file misses.
  std::vector<matcher::SkillId> skills;
  size_t skills_not_in_case_file = 0;
  // The commute limit the availability rule gave before a health or care
  // reason lowered it (equal to the record's limit when there is no such reason).
  int standard_commute_minutes = 0;
  // The weekly or daily hour caps of the record exist for health reasons
  // (sick leave, fleksjob, ressourceforløb, jobafklaring, or a daily cap).
  bool health_limited_hours = false;
};

// What the generator knows when it has made a seeker's record: the inputs
// of the truth.
struct SeekerFacts {
  size_t index = 0;  // the seeker's position in the stream
  matcher::OccupationId primary = matcher::kNoOccupation;  // also when the record gives only ISCO
  bool primary_in_case_file = false;
  int stated_years = 0;  // the record's years of experience (0 = not stated)
  // Further wanted occupations: ISCO unit group and the ESCO occupation the
  // record names (kNoOccupation if only ISCO).
  std::vector<std::pair<int, matcher::OccupationId>> further;
  std::vector<matcher::SkillId> recorded_skills;  // sorted
  int standard_commute_minutes = 0;
  bool health_limited_hours = false;
};

// The figures of the truth model (docs/data-generator.md states them).
struct TruthModel {
  // Each essential skill of the primary occupation that the case file lacks
  // is held with a per-person probability uniform in this range.
  double hidden_essential_min = 0.3, hidden_essential_max = 0.8;
  // A further wanted occupation was worked in with this probability; its
  // essential skills are then held with a per-occupation probability in
  // [experienced_skill_min, experienced_skill_max] (none are recorded).
  double further_worked = 0.5;
  double experienced_skill_min = 0.5, experienced_skill_max = 0.9;
  // A past occupation the case file does not mention (half of them in the
  // primary's ISCO sub-major group).
  double unrecorded_past = 0.3;
};

// Draws the truth for one seeker from its own stream (seed, facts.index).
SeekerTruth DrawSeekerTruth(uint64_t seed, const SeekerFacts& facts,
                            const matcher::Taxonomy& taxonomy, const OccupationMix& mix,
                            const TruthModel& model = TruthModel());

// One line of the truth side file (JSON, no newline): id, history with ESCO
// URIs, ISCO codes and years, the skills' URIs.
std::string TruthJsonLine(const std::string& seeker_id, const SeekerTruth& truth,
                          const matcher::Taxonomy& taxonomy);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_GROUND_TRUTH_H_
