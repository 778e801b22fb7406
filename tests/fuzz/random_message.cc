#include "tests/fuzz/random_message.h"

#include <cmath>
#include <iterator>
#include <limits>
#include <utility>

#include "google/protobuf/reflection.h"

namespace jobmatch::fuzz {
namespace {

namespace pb = google::protobuf;

constexpr int kMaxRepeated = 6;
constexpr int kMaxLongRepeated = 300;
constexpr size_t kMaxLongString = 70000;

}  // namespace

RandomMessages::RandomMessages(uint64_t seed, Dictionary dictionary,
                               std::map<std::string, ValidProducer> valid_producers)
    : rng_(seed), dictionary_(std::move(dictionary)), valid_producers_(std::move(valid_producers)) {}

int64_t RandomMessages::RandomInteger() {
  static constexpr int64_t kEdges[] = {0,
                                       1,
                                       -1,
                                       2,
                                       7,
                                       37,
                                       100,
                                       1000,
                                       1 << 20,
                                       std::numeric_limits<int32_t>::max(),
                                       std::numeric_limits<int32_t>::min(),
                                       std::numeric_limits<uint32_t>::max(),
                                       std::numeric_limits<int64_t>::max(),
                                       std::numeric_limits<int64_t>::min(),
                                       std::numeric_limits<int64_t>::max() - 1,
                                       -1000000};
  switch (Uniform(5)) {
    case 0:
      return kEdges[Uniform(std::size(kEdges))];
    case 1:
      if (!dictionary_.integers.empty()) return dictionary_.integers[Uniform(dictionary_.integers.size())];
      return 0;
    case 2:
      return static_cast<int64_t>(Uniform(200)) - 50;
    case 3:
      return static_cast<int64_t>(rng_());
    default:
      return static_cast<int64_t>(Uniform(10000));
  }
}

double RandomMessages::RandomDouble() {
  static constexpr double kEdges[] = {0.0,
                                      -0.0,
                                      1.0,
                                      -1.0,
                                      0.5,
                                      std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::lowest(),
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::epsilon(),
                                      1e18,
                                      -1e18};
  switch (Uniform(4)) {
    case 0:
      return kEdges[Uniform(std::size(kEdges))];
    case 1:  // inside Denmark: latitudes and longitudes
      return OneIn(2) ? std::uniform_real_distribution<double>(54.4, 57.9)(rng_)
                      : std::uniform_real_distribution<double>(7.9, 15.3)(rng_);
    case 2:
      return std::uniform_real_distribution<double>(-2, 2)(rng_);
    default:
      return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
  }
}

std::string RandomMessages::RandomBytes(size_t max_size) {
  std::string out(Uniform(max_size + 1), '\0');
  for (char& c : out) c = static_cast<char>(Uniform(256));
  return out;
}

std::string RandomMessages::RandomString() {
  static const char* const kOdd[] = {
      "",
      " ",
      "-",
      "0101901234",    // looks like a CPR number
      "010190-1234",
      "../../etc/passwd",
      "%s%s%s%n",
      "'; DROP TABLE seekers; --",
      "\xc3\xa6\xc3\xb8\xc3\xa5 \xc3\x86\xc3\x98\xc3\x85",  // æøå ÆØÅ
      "\xf0\x9f\x98\x80",                                      // an emoji
      "http://data.europa.eu/esco/occupation/",
      "http://data.europa.eu/esco/skill/",
      "9112",
      "da",
      "en",
      "xx",
      "jobparat",
      "aktivitetsparat",
      "RUNNING",
      "\t\r\n",
  };
  switch (Uniform(9)) {
    case 0:
    case 1:
      if (!dictionary_.strings.empty()) return dictionary_.strings[Uniform(dictionary_.strings.size())];
      return "";
    case 2:
      return kOdd[Uniform(std::size(kOdd))];
    case 3: {  // a dictionary word with a random suffix or cut
      if (dictionary_.strings.empty()) return "";
      std::string s = dictionary_.strings[Uniform(dictionary_.strings.size())];
      if (OneIn(2)) return s + RandomString();
      return s.substr(0, Uniform(s.size() + 1));
    }
    case 4: {  // long
      const size_t n = OneIn(4) ? Uniform(kMaxLongString) : Uniform(300);
      return std::string(n, static_cast<char>('a' + Uniform(26)));
    }
    case 5: {  // printable ASCII
      std::string s(Uniform(40), ' ');
      for (char& c : s) c = static_cast<char>(32 + Uniform(95));
      return s;
    }
    case 6: {  // id alphabet
      static constexpr char kIdChars[] = "abcdefghijklmnopqrstuvwxyz0123456789._:-";
      std::string s(Uniform(70), 'x');
      for (char& c : s) c = kIdChars[Uniform(sizeof kIdChars - 1)];
      return s;
    }
    case 7:  // invalid UTF-8 and NUL bytes (proto3 strings must be UTF-8)
      return RandomBytes(24);
    default:
      return std::to_string(RandomInteger());
  }
}

int RandomMessages::RandomEnumNumber(const pb::EnumDescriptor* type) {
  if (OneIn(5)) return static_cast<int>(RandomInteger());  // proto3 enums are open
  return type->value(static_cast<int>(Uniform(type->value_count())))->number();
}

void RandomMessages::SetRandomValue(pb::Message* message, const pb::FieldDescriptor* field, int depth) {
  const pb::Reflection* r = message->GetReflection();
  if (field->is_repeated()) {
    r->ClearField(message, field);
    const int n = OneIn(20) ? static_cast<int>(Uniform(kMaxLongRepeated)) : static_cast<int>(Uniform(kMaxRepeated));
    for (int i = 0; i < n; ++i) AddRandomValue(message, field, depth);
    return;
  }
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(message, field, static_cast<int32_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(message, field, RandomInteger());
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(message, field, static_cast<uint32_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(message, field, static_cast<uint64_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(message, field, RandomDouble());
      break;
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(message, field, static_cast<float>(RandomDouble()));
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      r->SetBool(message, field, OneIn(2));
      break;
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      r->SetEnumValue(message, field, RandomEnumNumber(field->enum_type()));
      break;
    case pb::FieldDescriptor::CPPTYPE_STRING:
      r->SetString(message, field, field->type() == pb::FieldDescriptor::TYPE_BYTES ? RandomBytes(64)
                                                                                     : RandomString());
      break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
      pb::Message* sub = r->MutableMessage(message, field);
      auto it = valid_producers_.find(field->message_type()->full_name());
      if (it != valid_producers_.end() && OneIn(2)) {
        it->second(rng_, sub);
        Mutate(sub, 1 + static_cast<int>(Uniform(3)));
      } else if (depth > 0) {
        FillRandom(sub, depth - 1);
      }
      break;
    }
  }
}

void RandomMessages::AddRandomValue(pb::Message* message, const pb::FieldDescriptor* field, int depth) {
  const pb::Reflection* r = message->GetReflection();
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      r->AddInt32(message, field, static_cast<int32_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      r->AddInt64(message, field, RandomInteger());
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      r->AddUInt32(message, field, static_cast<uint32_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      r->AddUInt64(message, field, static_cast<uint64_t>(RandomInteger()));
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      r->AddDouble(message, field, RandomDouble());
      break;
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      r->AddFloat(message, field, static_cast<float>(RandomDouble()));
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      r->AddBool(message, field, OneIn(2));
      break;
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      r->AddEnumValue(message, field, RandomEnumNumber(field->enum_type()));
      break;
    case pb::FieldDescriptor::CPPTYPE_STRING:
      r->AddString(message, field, field->type() == pb::FieldDescriptor::TYPE_BYTES ? RandomBytes(64)
                                                                                     : RandomString());
      break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
      pb::Message* sub = r->AddMessage(message, field);
      if (depth > 0) FillRandom(sub, depth - 1);
      break;
    }
  }
}

void RandomMessages::FillRandom(pb::Message* message, int depth) {
  const pb::Descriptor* type = message->GetDescriptor();
  const uint64_t density = 1 + Uniform(4);  // each field set with chance density/4
  for (int i = 0; i < type->field_count(); ++i) {
    if (Uniform(4) >= density) continue;
    SetRandomValue(message, type->field(i), depth);
  }
}

void RandomMessages::SetPlausibleField(pb::Message* message, const pb::FieldDescriptor* field) {
  const pb::Reflection* r = message->GetReflection();
  if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
    auto it = valid_producers_.find(field->message_type()->full_name());
    pb::Message* sub = r->MutableMessage(message, field);
    if (it != valid_producers_.end()) {
      it->second(rng_, sub);
    } else {
      FillPlausible(sub);
    }
    return;
  }
  if (field->is_repeated() || OneIn(4)) {
    SetRandomValue(message, field, 1);
    return;
  }
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      if (!dictionary_.strings.empty()) {
        r->SetString(message, field, dictionary_.strings[Uniform(dictionary_.strings.size())]);
      }
      break;
    case pb::FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(message, field, static_cast<int32_t>(Uniform(30)));
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(message, field, static_cast<int64_t>(Uniform(30)));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(message, field, static_cast<uint32_t>(Uniform(30)));
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(message, field, Uniform(30));
      break;
    default:
      SetRandomValue(message, field, 1);
  }
}

void RandomMessages::FillPlausible(pb::Message* message) {
  const pb::Descriptor* type = message->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (OneIn(3)) continue;
    SetPlausibleField(message, type->field(i));
  }
}

void RandomMessages::CollectMessages(pb::Message* message, std::vector<pb::Message*>* out) {
  out->push_back(message);
  const pb::Reflection* r = message->GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(*message, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < r->FieldSize(*message, field); ++i) {
        CollectMessages(r->MutableRepeatedMessage(message, field, i), out);
      }
    } else {
      CollectMessages(r->MutableMessage(message, field), out);
    }
  }
}

void RandomMessages::Mutate(pb::Message* message, int edits) {
  for (int e = 0; e < edits; ++e) {
    std::vector<pb::Message*> messages;
    CollectMessages(message, &messages);
    pb::Message* target = messages[Uniform(messages.size())];
    const pb::Descriptor* type = target->GetDescriptor();
    if (type->field_count() == 0) continue;
    const pb::FieldDescriptor* field = type->field(static_cast<int>(Uniform(type->field_count())));
    const pb::Reflection* r = target->GetReflection();
    switch (Uniform(5)) {
      case 0:
        r->ClearField(target, field);
        break;
      case 1:
        if (field->is_repeated()) {
          AddRandomValue(target, field, 2);
          break;
        }
        [[fallthrough]];
      case 2:
      case 3:
        SetRandomValue(target, field, 2);
        break;
      default:
        if (field->is_repeated() && r->FieldSize(*target, field) > 0) {
          const int n = r->FieldSize(*target, field);
          if (OneIn(2)) {
            r->RemoveLast(target, field);
          } else if (n > 1) {
            r->SwapElements(target, field, static_cast<int>(Uniform(n)), static_cast<int>(Uniform(n)));
          } else if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
            // Duplicate the element (e.g. the same skill twice).
            pb::Message* copy = r->AddMessage(target, field);
            copy->CopyFrom(r->GetRepeatedMessage(*target, field, 0));
          } else {
            AddRandomValue(target, field, 1);
          }
        } else {
          SetRandomValue(target, field, 2);
        }
    }
  }
}

std::string RandomMessages::MutateBytes(std::string bytes) {
  const int edits = 1 + static_cast<int>(Uniform(8));
  for (int e = 0; e < edits; ++e) {
    const size_t at = Uniform(bytes.size() + 1);
    switch (Uniform(5)) {
      case 0:
        if (at < bytes.size()) bytes[at] = static_cast<char>(bytes[at] ^ (1 << Uniform(8)));
        break;
      case 1:
        bytes.insert(at, 1, static_cast<char>(Uniform(256)));
        break;
      case 2:
        if (at < bytes.size()) bytes.erase(at, 1 + Uniform(4));
        break;
      case 3: {  // duplicate a slice (repeats fields, breaks lengths)
        const size_t from = Uniform(bytes.size() + 1);
        const std::string slice = bytes.substr(from, Uniform(16));
        bytes.insert(at, slice);
        break;
      }
      default:  // an interesting byte: a varint continuation or a length
        if (at < bytes.size()) bytes[at] = static_cast<char>(OneIn(2) ? 0xff : 0x7f);
    }
  }
  return bytes;
}

}  // namespace jobmatch::fuzz
