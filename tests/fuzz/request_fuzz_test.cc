// Randomized-message fuzz driver for request handling (issue #7). Every RPC
// of package jobmatch.v1, enumerated from the generated descriptor pool (so a
// new RPC is fuzzed without changes here), gets random, mutated and raw-byte
// requests from random callers against a real jobmatchd (RocksDB in a temp
// dir, gRPC on 127.0.0.1, API keys). The driver asserts:
//   - the server never crashes and every status is an allowed one (never
//     INTERNAL or UNKNOWN); gRPC itself answers bytes that do not parse as
//     the request type, before any handler runs, with UNIMPLEMENTED (the
//     callback API) and no message, which is counted apart;
//   - replies to callers scoped to København never name the seekers planted
//     in Aarhus (error messages may echo an id the request named);
//   - every OK reply parses as the method's response type;
//   - afterwards the server is SERVING, answers a valid query, and the
//     planted seekers are unchanged.
// The validation functions get the same kinds of records in-process, which
// is much faster. Deterministic from a seed. Environment:
//   JOBMATCH_FUZZ_ITERATIONS  RPC inputs (validation gets 10 times as many)
//   JOBMATCH_FUZZ_SEED        seed (default 1)
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpc_health/health.pb.h"
#include "server/auth/api_key_hash.h"
#include "server/auth/method_policy.h"
#include "server/validation.h"
#include "tests/e2e/api_fixture.h"
#include "tests/fuzz/fuzz_inputs.h"
#include "tests/fuzz/random_message.h"
#include "tests/fuzz/raw_call.h"

#ifndef JOBMATCH_FUZZ_DEFAULT_ITERATIONS
#define JOBMATCH_FUZZ_DEFAULT_ITERATIONS 3000
#endif

namespace jobmatch::fuzz {
namespace {

namespace pb = google::protobuf;
using testing::ServiceFixture;

constexpr int kMaxReportedFailures = 20;

// Counts and drops protobuf's log lines (serializing invalid UTF-8 on
// purpose logs an error per message).
class QuietProtobufLog {
 public:
  QuietProtobufLog() { previous_ = pb::SetLogHandler(&Count); }
  ~QuietProtobufLog() { pb::SetLogHandler(previous_); }
  static int64_t count() { return count_; }

 private:
  static void Count(pb::LogLevel, const char*, int, const std::string&) { ++count_; }
  static inline int64_t count_ = 0;
  pb::LogHandler* previous_;
};

struct Rpc {
  std::string name;  // "/jobmatch.v1.SeekerService/Upsert"
  const pb::MethodDescriptor* method;
};

std::vector<Rpc> JobmatchRpcs() {
  std::vector<Rpc> rpcs;
  for (const std::string& name : auth::EnumerateRpcs("jobmatch.v1")) {
    // "/pkg.Service/Method" -> "pkg.Service.Method"
    const std::string full = absl::StrReplaceAll(name.substr(1), {{"/", "."}});
    rpcs.push_back({name, pb::DescriptorPool::generated_pool()->FindMethodByName(full)});
  }
  return rpcs;
}

struct Caller {
  std::string name;
  std::vector<std::pair<std::string, std::string>> metadata;
  // Sees København (101) only, or nothing: replies must not name Aarhus's
  // planted seekers.
  bool scoped;
  // The role of a valid credential; none for calls that fail authentication.
  std::optional<auth::Role> role;
};

std::vector<Caller> Callers() {
  auto bearer = [](const std::string& key) {
    return std::vector<std::pair<std::string, std::string>>{{"authorization", "Bearer " + key}};
  };
  return {
      {"case-101", bearer("fz-case-secret"), true, auth::Role::kCaseSystem},
      {"consultant-101", bearer("fz-consultant-secret"), true, auth::Role::kConsultant},
      {"consultant-101 (x-api-key)", {{"x-api-key", "fz-consultant-secret"}}, true,
       auth::Role::kConsultant},
      {"vacancy-feed", bearer("fz-feed-secret"), true, auth::Role::kVacancyFeed},
      {"batch", bearer("fz-batch-secret"), false, auth::Role::kBatch},
      {"admin", bearer("fz-admin-secret"), false, auth::Role::kAdmin},
      {"no credentials", {}, true, std::nullopt},
      {"unknown key", bearer("not-a-configured-key"), true, std::nullopt},
      {"malformed authorization", {{"authorization", "Basic Zm9vOmJhcg=="}}, true, std::nullopt},
      {"empty bearer", {{"authorization", "Bearer "}}, true, std::nullopt},
      {"two keys", {{"authorization", "Bearer fz-admin-secret"}, {"x-api-key", "fz-case-secret"}},
       true, std::nullopt},
  };
}

bool IsAllowed(grpc::StatusCode code) {
  using C = grpc::StatusCode;
  switch (code) {
    case C::OK:
    case C::INVALID_ARGUMENT:
    case C::NOT_FOUND:
    case C::FAILED_PRECONDITION:
    case C::ABORTED:
    case C::OUT_OF_RANGE:
    case C::ALREADY_EXISTS:
    case C::RESOURCE_EXHAUSTED:
    case C::PERMISSION_DENIED:
    case C::UNAUTHENTICATED:
    case C::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string Printable(const std::string& bytes, size_t max = 300) {
  std::string out;
  for (char c : bytes.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 32 && u < 127) ? std::string(1, c) : absl::StrCat("\\x", absl::Hex(u, absl::kZeroPad2));
  }
  if (bytes.size() > max) absl::StrAppend(&out, "... (", bytes.size(), " bytes)");
  return out;
}

bool ContainsPrivateId(const std::string& bytes) {
  for (const std::string& id : PrivateSeekerIds()) {
    if (bytes.find(id) != std::string::npos) return true;
  }
  return false;
}

// A planted seeker's id in `reply` that the requests did not name (a reply
// may repeat an id it was given, as Import's outcomes do), or "".
std::string UnaskedPrivateId(const std::string& reply, const std::vector<std::string>& requests) {
  for (const std::string& id : PrivateSeekerIds()) {
    if (reply.find(id) == std::string::npos) continue;
    bool asked = false;
    for (const std::string& r : requests) asked = asked || r.find(id) != std::string::npos;
    if (!asked) return id;
  }
  return "";
}

// True when `request` is for a method whose OK reply shows the seeker it
// names (Get, the seeker-side match queries) and that seeker is a planted one.
bool AsksAboutAPlantedSeeker(const Rpc& rpc, const std::string& request) {
  const char* field = nullptr;
  if (rpc.name == "/jobmatch.v1.SeekerService/Get") field = "id";
  if (rpc.name == "/jobmatch.v1.MatchService/TopVacanciesForSeeker" ||
      rpc.name == "/jobmatch.v1.MatchService/Explain" || rpc.name == "/jobmatch.v1.MatchService/WhyNot") {
    field = "seeker_id";
  }
  if (field == nullptr) return false;
  std::unique_ptr<pb::Message> m(
      pb::MessageFactory::generated_factory()->GetPrototype(rpc.method->input_type())->New());
  if (!m->ParseFromString(request)) return false;
  const pb::FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(field);
  if (f == nullptr) return false;
  const std::string value = m->GetReflection()->GetString(*m, f);
  for (const std::string& id : PrivateSeekerIds()) {
    if (value == id) return true;
  }
  return false;
}

// One request for `type`, by one of four strategies.
std::string MakeRequest(RandomMessages& gen, const pb::Descriptor* type, int* strategy) {
  std::unique_ptr<pb::Message> m(pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
  const uint64_t pick = gen.Uniform(20);
  if (pick < 6) {
    *strategy = 0;
    gen.FillRandom(m.get());
    return m->SerializeAsString();
  }
  if (pick < 14) {
    *strategy = 1;
    gen.FillPlausible(m.get());
    if (!gen.OneIn(4)) gen.Mutate(m.get(), 1 + static_cast<int>(gen.Uniform(4)));
    return m->SerializeAsString();
  }
  if (pick < 17) {
    *strategy = 2;
    gen.FillPlausible(m.get());
    return gen.MutateBytes(m->SerializeAsString());
  }
  *strategy = 3;
  return gen.RandomBytes(gen.OneIn(10) ? 4000 : 120);
}

class RequestFuzzTest : public ServiceFixture {
 protected:
  void SetUp() override {
    auto key = [this](const char* id, const char* secret, auth::Role role, std::vector<int> m,
                      bool all) {
      options_.security.api_keys.push_back({id, auth::Sha256Hex(secret), role, std::move(m), all, {}});
    };
    key("fz-case", "fz-case-secret", auth::Role::kCaseSystem, {101}, false);
    key("fz-consultant", "fz-consultant-secret", auth::Role::kConsultant, {101}, false);
    key("fz-feed", "fz-feed-secret", auth::Role::kVacancyFeed, {101}, false);
    key("fz-batch", "fz-batch-secret", auth::Role::kBatch, {}, true);
    key("fz-admin", "fz-admin-secret", auth::Role::kAdmin, {}, true);
    // The driver measures request handling, not the rate limiter.
    options_.security.rate_limit_per_second = 1e9;
    options_.security.rate_limit_burst = 1 << 30;
    Start();
    // Plaintext with authentication is loopback-only (local credentials).
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                   grpc::experimental::LocalCredentials(LOCAL_TCP));
  }

  RawCallResult AsAdmin(const std::string& method, const pb::Message& request) {
    RawCallOptions options;
    options.metadata = {{"authorization", "Bearer fz-admin-secret"}};
    return RawCall(channel_, method, {request.SerializeAsString()}, options);
  }

  void Plant() {
    for (const std::string& id : PrivateSeekerIds()) {
      v1::UpsertSeekerRequest put;
      *put.mutable_seeker() = testing::ValidSeeker(id, 8200);
      ASSERT_TRUE(AsAdmin("/jobmatch.v1.SeekerService/Upsert", put).status.ok());
      planted_.push_back(put.seeker());
    }
    v1::UpsertSeekerRequest seeker;
    *seeker.mutable_seeker() = testing::ValidSeeker(kSentinelSeeker, 2100);
    ASSERT_TRUE(AsAdmin("/jobmatch.v1.SeekerService/Upsert", seeker).status.ok());
    v1::UpsertVacancyRequest vacancy;
    *vacancy.mutable_vacancy() = testing::ValidVacancy(kSentinelVacancy, 2100);
    ASSERT_TRUE(AsAdmin("/jobmatch.v1.VacancyService/Upsert", vacancy).status.ok());
  }

  std::vector<v1::Seeker> planted_;
};

TEST_F(RequestFuzzTest, EveryRpcAnswersRandomRequestsWithAnAllowedStatusAndLeaksNothing) {
  ASSERT_NO_FATAL_FAILURE(Plant());
  const std::vector<Rpc> rpcs = JobmatchRpcs();
  ASSERT_GE(rpcs.size(), 26u) << "the descriptor pool lacks jobmatch.v1 services";
  for (const Rpc& rpc : rpcs) ASSERT_NE(rpc.method, nullptr) << rpc.name;
  const std::vector<Caller> callers = Callers();
  const auth::MethodPolicy policy = auth::MethodPolicy::Default();
  const int64_t iterations = EnvInt("JOBMATCH_FUZZ_ITERATIONS", JOBMATCH_FUZZ_DEFAULT_ITERATIONS);
  const uint64_t seed = static_cast<uint64_t>(EnvInt("JOBMATCH_FUZZ_SEED", 1));
  RandomMessages gen(seed, FuzzDictionary(), ValidRecordProducers());
  QuietProtobufLog quiet;

  std::map<std::string, std::map<std::string, int64_t>> statuses;  // method -> code -> count
  int64_t unparseable = 0, refused_unparseable = 0, messages_sent = 0;
  int64_t deadline_parseable = 0, deadline_unparseable = 0, status_withheld = 0, skipped = 0;
  int failures = 0;
  auto fail = [&](int64_t i, const Rpc& rpc, const Caller& caller, int strategy,
                  const std::vector<std::string>& requests, const std::string& what) {
    ++failures;
    if (failures > kMaxReportedFailures) return;
    ADD_FAILURE() << "seed " << seed << " iteration " << i << ": " << rpc.name << " as " << caller.name
                  << " (strategy " << strategy << "): " << what << "\n  first request: "
                  << (requests.empty() ? "(none)" : Printable(requests[0]));
  };
  const absl::Time start = absl::Now();
  for (int64_t i = 0; i < iterations; ++i) {
    gen.rng().seed(seed * 1000003 + static_cast<uint64_t>(i));
    const Rpc& rpc = rpcs[gen.Uniform(rpcs.size())];
    // Mostly a caller the method policy admits, so requests reach handlers.
    Caller caller = callers[gen.Uniform(callers.size())];
    if (!gen.OneIn(5)) {
      std::vector<const Caller*> admitted;
      for (const Caller& c : callers) {
        if (c.role && policy.Check(rpc.name, *c.role) == auth::MethodPolicy::Access::kAllowed) {
          admitted.push_back(&c);
        }
      }
      if (!admitted.empty()) caller = *admitted[gen.Uniform(admitted.size())];
    }
    const pb::Descriptor* input = rpc.method->input_type();
    const pb::Message* input_prototype = pb::MessageFactory::generated_factory()->GetPrototype(input);
    const int count = rpc.method->client_streaming() ? static_cast<int>(gen.Uniform(6)) : 1;
    std::vector<std::string> requests;
    bool all_parse = true, names_private = false;
    int strategy = 0;
    for (int n = 0; n < count; ++n) {
      requests.push_back(MakeRequest(gen, input, &strategy));
      std::unique_ptr<pb::Message> parsed(input_prototype->New());
      all_parse = all_parse && parsed->ParseFromString(requests.back());
      names_private = names_private || ContainsPrivateId(requests.back());
    }
    // Callers who may write anywhere leave the planted seekers alone, so the
    // end state can be checked; a scoped caller asks instead. No vacancy or
    // employer takes a planted seeker's id, so that id in a reply means the
    // seeker.
    if (!caller.scoped && names_private) caller = callers[1];
    if (names_private && (absl::StartsWith(rpc.name, "/jobmatch.v1.VacancyService/") ||
                          absl::StartsWith(rpc.name, "/jobmatch.v1.EmployerService/")) &&
        (absl::EndsWith(rpc.name, "/Upsert") || absl::EndsWith(rpc.name, "/Import"))) {
      ++skipped;
      continue;
    }
    messages_sent += count;
    if (!all_parse) ++unparseable;

    RawCallOptions options;
    options.metadata = caller.metadata;
    // Handlers answer in milliseconds; see docs/security.md on the streams
    // that wait for their deadline.
    options.deadline = absl::Seconds(2);
    const RawCallResult result = RawCall(channel_, rpc.name, requests, options);
    const grpc::StatusCode code = result.status.error_code();
    ++statuses[rpc.name][CodeName(code)];
    if (code == grpc::StatusCode::DEADLINE_EXCEEDED) {
      ++(all_parse ? deadline_parseable : deadline_unparseable);

    }

    // gRPC refuses bytes that do not parse before any handler runs: the
    // callback API answers UNIMPLEMENTED with no message, the sync API
    // INTERNAL.
    const bool refused_by_grpc = !all_parse && result.status.error_message().empty() &&
                                 (code == grpc::StatusCode::UNIMPLEMENTED ||
                                  code == grpc::StatusCode::INTERNAL);
    if (refused_by_grpc) ++refused_unparseable;
    const bool allowed = IsAllowed(code) || refused_by_grpc ||
                         (code == grpc::StatusCode::CANCELLED && result.cancelled_by_client);
    if (!allowed) {
      fail(i, rpc, caller, strategy, requests,
           absl::StrCat("status ", CodeName(code), ": ", result.status.error_message()));
    }
    if (caller.scoped) {
      for (const std::string& response : result.responses) {
        if (const std::string id = UnaskedPrivateId(response, requests); !id.empty()) {
          fail(i, rpc, caller, strategy, requests,
               "a reply names " + id + ", a seeker outside the caller's municipalities: " +
                   Printable(response));
        }
      }
      if (const std::string id = UnaskedPrivateId(result.status.error_message(), requests);
          !id.empty()) {
        fail(i, rpc, caller, strategy, requests,
             "the error names " + id + ", a seeker outside the caller's municipalities: " +
                 result.status.error_message());
      }
      if (code == grpc::StatusCode::OK && !requests.empty() &&
          AsksAboutAPlantedSeeker(rpc, requests[0])) {
        fail(i, rpc, caller, strategy, requests,
             "answered OK about a seeker outside the caller's municipalities");
      }
    }
    const pb::Message* output_prototype =
        pb::MessageFactory::generated_factory()->GetPrototype(rpc.method->output_type());
    for (const std::string& response : result.responses) {
      std::unique_ptr<pb::Message> parsed(output_prototype->New());
      if (!parsed->ParseFromString(response)) fail(i, rpc, caller, strategy, requests, "reply does not parse");
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  std::printf("request fuzz: seed %lu, %ld inputs (%ld messages, %ld not parseable as the request "
              "type, %ld of them refused by gRPC) over %zu RPCs in %.1f s; %d failures\n",
              static_cast<unsigned long>(seed), static_cast<long>(iterations),
              static_cast<long>(messages_sent), static_cast<long>(unparseable),
              static_cast<long>(refused_unparseable), rpcs.size(), seconds,
              failures);
  for (const auto& [method, codes] : statuses) {
    std::string line;
    for (const auto& [code, n] : codes) absl::StrAppend(&line, " ", code, "=", n);
    std::printf("  %-48s%s\n", method.c_str(), line.c_str());
  }
  std::printf("  skipped: %ld vacancy or employer writes naming a planted seeker's id\n",
              static_cast<long>(skipped));
  std::printf("  deadline exceeded: %ld calls whose messages all parsed, %ld with an unparseable "
              "one; %ld client streams ended by the server early whose status gRPC withheld\n",
              static_cast<long>(deadline_parseable), static_cast<long>(deadline_unparseable),
              static_cast<long>(status_withheld));
  EXPECT_EQ(failures, 0);

  // Still serving, still answering a valid query, planted records intact.
  grpc::health::v1::HealthCheckRequest health;
  RawCallResult checked = RawCall(channel_, "/grpc.health.v1.Health/Check",
                                  {health.SerializeAsString()}, RawCallOptions());
  ASSERT_TRUE(checked.status.ok()) << checked.status.error_message();
  ASSERT_EQ(checked.responses.size(), 1u);
  grpc::health::v1::HealthCheckResponse serving;
  ASSERT_TRUE(serving.ParseFromString(checked.responses[0]));
  EXPECT_EQ(serving.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // A long run creates many seekers as good as the sentinel (ids the
  // generator made up), so the ranking may not show it: the pair is checked
  // with Explain.
  v1::TopSeekersRequest query;
  query.set_vacancy_id(kSentinelVacancy);
  query.set_limit(100);
  RawCallResult answered = AsAdmin("/jobmatch.v1.MatchService/TopSeekersForVacancy", query);
  ASSERT_TRUE(answered.status.ok()) << answered.status.error_message();
  v1::MatchResponse matches;
  ASSERT_TRUE(matches.ParseFromString(answered.responses.at(0)));
  EXPECT_GT(matches.matches_size(), 0);
  v1::ExplainRequest explain;
  explain.set_seeker_id(kSentinelSeeker);
  explain.set_vacancy_id(kSentinelVacancy);
  RawCallResult explained = AsAdmin("/jobmatch.v1.MatchService/Explain", explain);
  ASSERT_TRUE(explained.status.ok()) << explained.status.error_message();
  v1::ExplainResponse explanation;
  ASSERT_TRUE(explanation.ParseFromString(explained.responses.at(0)));
  EXPECT_GT(explanation.explanation().total(), 0) << explanation.ShortDebugString();

  for (const v1::Seeker& seeker : planted_) {
    v1::GetSeekerRequest get;
    get.set_id(seeker.id());
    RawCallResult got = AsAdmin("/jobmatch.v1.SeekerService/Get", get);
    ASSERT_TRUE(got.status.ok()) << seeker.id() << ": " << got.status.error_message();
    v1::GetSeekerResponse response;
    ASSERT_TRUE(response.ParseFromString(got.responses.at(0)));
    // The server records the taxonomy version it validated against.
    v1::Seeker stored = response.seeker();
    EXPECT_EQ(stored.taxonomy_version(), "esco-1.1.1") << seeker.id();
    stored.clear_taxonomy_version();
    v1::Seeker sent = seeker;
    sent.clear_taxonomy_version();
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(stored, sent)) << seeker.id();
  }
}

// The validation functions on the same kinds of records, in-process: each
// is accepted or rejected with InvalidArgument "<kind>.<field>: <rule>", the
// same way twice.
TEST(ValidationFuzzTest, RandomRecordsAreAcceptedOrRejectedNamingTheField) {
  const int64_t iterations =
      10 * EnvInt("JOBMATCH_FUZZ_ITERATIONS", JOBMATCH_FUZZ_DEFAULT_ITERATIONS);
  const uint64_t seed = static_cast<uint64_t>(EnvInt("JOBMATCH_FUZZ_SEED", 1));
  RandomMessages gen(seed, FuzzDictionary(), ValidRecordProducers());
  QuietProtobufLog quiet;
  const auto producers = ValidRecordProducers();
  const matcher::ReferenceData& data = testing::RefData();
  struct Kind {
    const char* name;
    const pb::Descriptor* type;
    absl::Status (*validate)(const pb::Message&, const matcher::ReferenceData&);
  };
  const Kind kinds[] = {
      {"seeker", v1::Seeker::descriptor(),
       [](const pb::Message& m, const matcher::ReferenceData& d) {
         return ValidateSeeker(static_cast<const v1::Seeker&>(m), d);
       }},
      {"vacancy", v1::Vacancy::descriptor(),
       [](const pb::Message& m, const matcher::ReferenceData& d) {
         return ValidateVacancy(static_cast<const v1::Vacancy&>(m), d);
       }},
      {"employer", v1::Employer::descriptor(),
       [](const pb::Message& m, const matcher::ReferenceData& d) {
         return ValidateEmployer(static_cast<const v1::Employer&>(m), d);
       }},
  };
  std::map<std::string, std::pair<int64_t, int64_t>> accepted_rejected;
  int failures = 0;
  for (int64_t i = 0; i < iterations && failures < kMaxReportedFailures; ++i) {
    gen.rng().seed(seed * 7919 + static_cast<uint64_t>(i));
    const Kind& kind = kinds[gen.Uniform(std::size(kinds))];
    std::unique_ptr<pb::Message> m(pb::MessageFactory::generated_factory()->GetPrototype(kind.type)->New());
    switch (gen.Uniform(3)) {
      case 0:
        gen.FillRandom(m.get());
        break;
      case 1:
        producers.at(kind.type->full_name())(gen.rng(), m.get());
        gen.Mutate(m.get(), 1 + static_cast<int>(gen.Uniform(4)));
        break;
      default: {
        producers.at(kind.type->full_name())(gen.rng(), m.get());
        std::unique_ptr<pb::Message> parsed(m->New());
        if (parsed->ParseFromString(gen.MutateBytes(m->SerializeAsString()))) m = std::move(parsed);
      }
    }
    const absl::Status first = kind.validate(*m, data);
    const absl::Status second = kind.validate(*m, data);
    auto& counts = accepted_rejected[kind.name];
    (first.ok() ? counts.first : counts.second)++;
    const std::string where = absl::StrCat("seed ", seed, " iteration ", i, " ", kind.name, ": ",
                                           m->ShortDebugString().substr(0, 400));
    if (first != second) {
      ++failures;
      ADD_FAILURE() << where << ": not deterministic: " << first << " then " << second;
    }
    if (first.ok()) continue;
    if (first.code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(first.message(), absl::StrCat(kind.name, ".")) ||
        !absl::StrContains(first.message(), ": ")) {
      ++failures;
      ADD_FAILURE() << where << ": rejected without InvalidArgument \"" << kind.name
                    << ".<field>: <rule>\": " << first;
    }
    // Ids on their own.
    const std::string id = gen.RandomString();
    const absl::Status id_status = ValidateId(id, "x.id");
    if (!id_status.ok() && (id_status.code() != absl::StatusCode::kInvalidArgument ||
                            !absl::StartsWith(id_status.message(), "x.id: "))) {
      ++failures;
      ADD_FAILURE() << "ValidateId(" << Printable(id) << "): " << id_status;
    }
  }
  std::printf("validation fuzz: seed %lu, %ld records\n", static_cast<unsigned long>(seed),
              static_cast<long>(iterations));
  for (const auto& [kind, counts] : accepted_rejected) {
    std::printf("  %-10s accepted %ld, rejected %ld\n", kind.c_str(), static_cast<long>(counts.first),
                static_cast<long>(counts.second));
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace jobmatch::fuzz
