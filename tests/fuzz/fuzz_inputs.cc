#include "tests/fuzz/fuzz_inputs.h"

#include <cstdlib>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::fuzz {
namespace {

namespace pb = google::protobuf;

// København Ø (101), Frederiksberg (147), Aarhus N and C (751), Odense (461).
constexpr int kPostalCodes[] = {2100, 2000, 8200, 8000, 5000};
constexpr int kSeekerPool = 12;
constexpr int kVacancyPool = 12;
constexpr int kEmployerPool = 4;

const std::vector<int>& UsableIsco() {
  static const auto* codes = [] {
    auto* out = new std::vector<int>;
    for (int isco : {9112, 2512, 5120, 4110, 8322, 5223, 2221, 7411}) {
      if (!testing::RefData().taxonomy->OccupationsInUnitGroup(isco).empty()) out->push_back(isco);
    }
    return out;
  }();
  return *codes;
}

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

int PickPostal(std::mt19937_64& rng) {
  return kPostalCodes[std::uniform_int_distribution<size_t>(0, std::size(kPostalCodes) - 1)(rng)];
}

std::string PoolId(std::mt19937_64& rng, const char* prefix, int pool) {
  return absl::StrCat(prefix, std::uniform_int_distribution<int>(0, pool - 1)(rng));
}

}  // namespace

Dictionary FuzzDictionary() {
  Dictionary d;
  for (int i = 0; i < kSeekerPool; ++i) d.strings.push_back(absl::StrCat("fz-s", i));
  for (int i = 0; i < kVacancyPool; ++i) d.strings.push_back(absl::StrCat("fz-v", i));
  for (int i = 0; i < kEmployerPool; ++i) d.strings.push_back(absl::StrCat("fz-e", i));
  d.strings.push_back("employer-1");
  for (const std::string& id : PrivateSeekerIds()) d.strings.push_back(id);
  for (int isco : UsableIsco()) {
    d.strings.push_back(std::to_string(isco));
    const v1::Seeker s = testing::ValidSeeker("x", 2100, isco);
    d.strings.push_back(s.occupations(0).esco_uri());
    for (const auto& skill : s.skills()) d.strings.push_back(skill.esco_uri());
  }
  for (const char* code : {"da", "en", "de", "sv", "B", "C", "CE"}) d.strings.push_back(code);
  d.integers = {2100, 2000, 8200, 8000, 5000, 9999, 101, 147, 751, 461, 0, 1, 2, 3, 10, 37, 100, 240, 241};
  return d;
}

std::map<std::string, ValidProducer> ValidRecordProducers() {
  std::map<std::string, ValidProducer> p;
  p["jobmatch.v1.Seeker"] = [](std::mt19937_64& rng, pb::Message* out) {
    out->CopyFrom(testing::ValidSeeker(PoolId(rng, "fz-s", kSeekerPool), PickPostal(rng),
                                       Pick(rng, UsableIsco())));
  };
  p["jobmatch.v1.Vacancy"] = [](std::mt19937_64& rng, pb::Message* out) {
    v1::Vacancy v = testing::ValidVacancy(PoolId(rng, "fz-v", kVacancyPool), PickPostal(rng),
                                          Pick(rng, UsableIsco()));
    v.set_employer_id(PoolId(rng, "fz-e", kEmployerPool));
    out->CopyFrom(v);
  };
  p["jobmatch.v1.Employer"] = [](std::mt19937_64& rng, pb::Message* out) {
    out->CopyFrom(testing::ValidEmployer(PoolId(rng, "fz-e", kEmployerPool)));
  };
  p["jobmatch.v1.Location"] = [](std::mt19937_64& rng, pb::Message* out) {
    out->CopyFrom(testing::LocationOf(PickPostal(rng)));
  };
  return p;
}

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  int64_t parsed = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &parsed) || parsed <= 0) return fallback;
  return parsed;
}

}  // namespace jobmatch::fuzz
