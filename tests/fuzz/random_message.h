// Random and mutated protobuf messages for the request fuzz driver, built by
// reflection from any message type, so a field or RPC added to the API is
// fuzzed without changes here. Deterministic: the same seed gives the same
// sequence of messages (std::mt19937_64, libstdc++'s distributions).
#ifndef JOBMATCH_TESTS_FUZZ_RANDOM_MESSAGE_H_
#define JOBMATCH_TESTS_FUZZ_RANDOM_MESSAGE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jobmatch::fuzz {

// Values the generator draws strings from besides random ones: ids of
// records that exist (so queries reach real data), valid codes and URIs (so
// mutated records get past the first validation rules).
struct Dictionary {
  std::vector<std::string> strings;
  std::vector<int64_t> integers;
};

// Produces a valid instance of a message type (e.g. a Seeker) for the
// mutation strategies; types without a producer are generated at random.
using ValidProducer = std::function<void(std::mt19937_64& rng, google::protobuf::Message* out)>;

class RandomMessages {
 public:
  RandomMessages(uint64_t seed, Dictionary dictionary,
                 std::map<std::string, ValidProducer> valid_producers);

  std::mt19937_64& rng() { return rng_; }
  uint64_t Uniform(uint64_t n) { return n == 0 ? 0 : std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }

  // Sets a random subset of `message`'s fields to random values (huge and
  // negative numbers, NaN, unknown enum values, long, odd and invalid UTF-8
  // strings, random repeated counts), recursing into sub-messages up to
  // `depth` levels.
  void FillRandom(google::protobuf::Message* message, int depth = 4);

  // A plausible instance: every sub-message of a type with a valid producer
  // is set to a valid instance; other fields are drawn from the dictionary.
  void FillPlausible(google::protobuf::Message* message);

  // Applies 1..n random edits to a message in place: set a field anywhere in
  // the tree to a random value, clear it, add, remove or duplicate repeated
  // elements.
  void Mutate(google::protobuf::Message* message, int edits);

  // Byte-level mutation of a serialized message: flipped, inserted, deleted
  // and duplicated bytes. The result may not parse.
  std::string MutateBytes(std::string bytes);

  // Random bytes of a random length up to `max_size`.
  std::string RandomBytes(size_t max_size);

  std::string RandomString();
  int64_t RandomInteger();
  double RandomDouble();

 private:
  void SetRandomValue(google::protobuf::Message* message, const google::protobuf::FieldDescriptor* field,
                      int depth);
  void AddRandomValue(google::protobuf::Message* message, const google::protobuf::FieldDescriptor* field,
                      int depth);
  void SetPlausibleField(google::protobuf::Message* message,
                         const google::protobuf::FieldDescriptor* field);
  int RandomEnumNumber(const google::protobuf::EnumDescriptor* type);
  // Collects every present sub-message (including `message`) for Mutate.
  void CollectMessages(google::protobuf::Message* message,
                       std::vector<google::protobuf::Message*>* out);

  std::mt19937_64 rng_;
  const Dictionary dictionary_;
  const std::map<std::string, ValidProducer> valid_producers_;
};

}  // namespace jobmatch::fuzz

#endif  // JOBMATCH_TESTS_FUZZ_RANDOM_MESSAGE_H_
