// What the request fuzz driver draws from: valid records built with the
// end-to-end fixture's helpers (tests/e2e/api_fixture.h), the ids of the
// records it plants, and the iteration count and seed from the environment.
#ifndef JOBMATCH_TESTS_FUZZ_FUZZ_INPUTS_H_
#define JOBMATCH_TESTS_FUZZ_FUZZ_INPUTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/fuzz/random_message.h"

namespace jobmatch::fuzz {

// Seekers planted in Aarhus (municipality 751), outside the scope of the
// driver's scoped callers (København, 101): their ids must never appear in
// a reply to those callers unless the request itself named them.
inline const std::vector<std::string>& PrivateSeekerIds() {
  static const auto* ids = new std::vector<std::string>{"private-aarhus-1", "private-aarhus-2",
                                                        "private-aarhus-3"};
  return *ids;
}
// Records the fuzzer never names (not in the dictionary); checked at the end.
inline constexpr char kSentinelSeeker[] = "sentinel-seeker";
inline constexpr char kSentinelVacancy[] = "sentinel-vacancy";

// Strings and numbers for the generator: record ids in use, ESCO URIs, codes.
Dictionary FuzzDictionary();

// Valid Seeker, Vacancy, Employer and Location producers (ids from the
// dictionary's pools; postal codes in København, Frederiksberg and Aarhus).
std::map<std::string, ValidProducer> ValidRecordProducers();

// $name as a positive integer, or `fallback`.
int64_t EnvInt(const char* name, int64_t fallback);

}  // namespace jobmatch::fuzz

#endif  // JOBMATCH_TESTS_FUZZ_FUZZ_INPUTS_H_
