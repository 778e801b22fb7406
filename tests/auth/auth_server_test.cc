// Authentication, authorisation and rate limits through a real gRPC server
// on loopback (plaintext: local credentials). The authorisation table is
// enumerated from the jobmatch.v1 service descriptors, so an RPC added to the
// API cannot escape it.
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "server/auth/api_key_hash.h"
#include "server/auth/method_policy.h"
#include "test_server.h"

namespace jobmatch::auth::testing {
namespace {

using R = Role;

// Who may call what, restated from the specification (docs/security.md)
// independently of MethodPolicy::Default(). nullopt for an RPC this test
// does not know: then the test fails and the new RPC needs a decision.
std::optional<std::set<Role>> SpecifiedRoles(const std::string& method) {
  std::vector<std::string> parts = absl::StrSplit(method, '/');  // "", service, method
  if (parts.size() != 3) return std::nullopt;
  const std::string& service = parts[1];
  const std::string& rpc = parts[2];
  const bool write = rpc == "Upsert" || rpc == "Delete" || rpc == "Import";
  const bool read = rpc == "Get" || rpc == "List";
  if (service == "jobmatch.v1.SeekerService") {
    if (write) return std::set<Role>{R::kCaseSystem, R::kAdmin};
    if (read) return std::set<Role>{R::kCaseSystem, R::kConsultant, R::kBatch, R::kAdmin};
  }
  if (service == "jobmatch.v1.VacancyService" || service == "jobmatch.v1.EmployerService") {
    if (write) return std::set<Role>{R::kVacancyFeed, R::kAdmin};
    if (read) return std::set<Role>{R::kVacancyFeed, R::kConsultant, R::kBatch, R::kAdmin};
  }
  if (service == "jobmatch.v1.MatchService") {
    static const std::set<std::string> kQueries = {
        "TopVacanciesForSeeker", "TopSeekersForVacancy", "Explain", "WhyNot", "GetPolicy",
        "RecordFeedback",        "ListFeedback"};
    if (kQueries.count(rpc) > 0) return std::set<Role>{R::kConsultant, R::kAdmin};
    if (rpc == "WatchChanges") return std::set<Role>{R::kBatch, R::kAdmin};
  }
  if (service == "jobmatch.v1.AuditService") {
    static const std::set<std::string> kAudit = {"ListAuditEntries", "ListSeekerAccess",
                                                 "VerifyAuditChain", "Replay"};
    if (kAudit.count(rpc) > 0) return std::set<Role>{R::kAdmin};
  }
  if (service == "jobmatch.v1.RematchService") {
    if (rpc == "StartRematch") return std::set<Role>{R::kBatch, R::kAdmin};
    if (rpc == "GetRematchRun" || rpc == "GetRematchMatches" || rpc == "GetRematchReport" ||
        rpc == "WatchRematchRun") {
      return std::set<Role>{R::kBatch, R::kConsultant, R::kAdmin};
    }
  }
  if (service == "jobmatch.v1.PlacementHistoryService" && rpc == "Import") {
    return std::set<Role>{R::kBatch, R::kAdmin};
  }
  if (service == "jobmatch.v1.CandidateService" && rpc == "ListShortlistedCandidates") {
    return std::set<Role>{R::kEmployer, R::kAdmin};
  }
  if (service == "jobmatch.v1.UpskillingService" &&
      (rpc == "SkillGaps" || rpc == "UpskillingPlan")) {
    return std::set<Role>{R::kConsultant, R::kAdmin};
  }
  if (service == "jobmatch.v1.EmployerBridgeService" && rpc == "Bridge") {
    return std::set<Role>{R::kConsultant, R::kAdmin};
  }
  if (service == "jobmatch.v1.AdminService" && rpc == "CreateBackup") {
    return std::set<Role>{R::kAdmin};
  }
  return std::nullopt;
}

// A call that got past authentication and authorisation reaches the
// handler: the generated default answers UNIMPLEMENTED, the introspecting
// SeekerService.Get answers OK.
bool ReachedHandler(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNIMPLEMENTED || status.ok();
}

class AuthServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = TestServer::Start(OptionsWithTestKeys());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = server_->InsecureChannel();
  }

  std::unique_ptr<TestServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AuthServerTest, EveryRpcTimesEveryRoleIsAllowedOrDeniedAsSpecified) {
  const std::vector<std::string> methods = EnumerateRpcs("jobmatch.v1");
  ASSERT_GE(methods.size(), 26u) << "the descriptor pool lacks jobmatch.v1 services";
  int allowed = 0, denied = 0;
  for (const std::string& method : methods) {
    std::optional<std::set<Role>> roles = SpecifiedRoles(method);
    ASSERT_TRUE(roles.has_value())
        << method << " is not in the specified access table: decide who may call it "
        << "(MethodPolicy::Default, docs/security.md) and add it to this test";
    grpc::Status anonymous = CallMethod(channel_, method, {});
    EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED) << method;
    for (Role role : kAllRoles) {
      grpc::Status status = CallMethod(channel_, method, BearerFor(role));
      if (roles->count(role) > 0) {
        EXPECT_TRUE(ReachedHandler(status))
            << RoleName(role) << " should be allowed " << method << ", got "
            << status.error_code() << " " << status.error_message();
        ++allowed;
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << RoleName(role) << " should be denied " << method;
        ++denied;
      }
    }
  }
  // Admin is allowed everything; every other role is denied something.
  EXPECT_GE(allowed, static_cast<int>(methods.size()));
  EXPECT_GT(denied, 0);
}

TEST_F(AuthServerTest, MissingOrWrongCredentialsAreUnauthenticated) {
  const std::string method = "/jobmatch.v1.SeekerService/Get";
  EXPECT_EQ(CallMethod(channel_, method, {}).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CallMethod(channel_, method, {{"authorization", "Bearer not-a-key"}}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CallMethod(channel_, method, {{"authorization", "Basic YWRtaW4="}}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The configured digest itself is not a key.
  EXPECT_EQ(CallMethod(channel_, method,
                       {{"x-api-key", Sha256Hex(KeyOf(R::kConsultant))}})
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Two keys (even two valid ones) are refused rather than picking one.
  EXPECT_EQ(CallMethod(channel_, method,
                       {{"authorization", std::string("Bearer ") + KeyOf(R::kConsultant)},
                        {"x-api-key", KeyOf(R::kAdmin)}})
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthServerTest, WrongRoleIsPermissionDenied) {
  grpc::Status status =
      CallMethod(channel_, "/jobmatch.v1.SeekerService/Upsert", BearerFor(R::kConsultant));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("CONSULTANT"), std::string::npos)
      << status.error_message();
}

TEST_F(AuthServerTest, RefusedCallsNeverReachTheHandler) {
  const std::string method = "/jobmatch.v1.SeekerService/Get";
  ASSERT_EQ(CallMethod(channel_, method, {}).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(CallMethod(channel_, method, {{"x-api-key", "guess"}}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(CallMethod(channel_, method, BearerFor(R::kVacancyFeed)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_->seekers().get_calls(), 0);
  ASSERT_TRUE(CallMethod(channel_, method, BearerFor(R::kConsultant)).ok());
  EXPECT_EQ(server_->seekers().get_calls(), 1);
}

TEST_F(AuthServerTest, ApiKeyHeaderAndLowerCaseBearerAreAccepted) {
  EXPECT_TRUE(CallMethod(channel_, "/jobmatch.v1.SeekerService/Get",
                         {{"x-api-key", KeyOf(R::kConsultant)}})
                  .ok());
  EXPECT_TRUE(CallMethod(channel_, "/jobmatch.v1.SeekerService/Get",
                         {{"authorization", std::string("bearer ") + KeyOf(R::kConsultant)}})
                  .ok());
}

TEST_F(AuthServerTest, UnknownMethodsAreDeniedEvenToAdmin) {
  EXPECT_EQ(
      CallMethod(channel_, "/jobmatch.v1.SeekerService/NoSuchRpc", BearerFor(R::kAdmin))
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallMethod(channel_, "/other.v1.Service/Call", BearerFor(R::kAdmin)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CallMethod(channel_, "/other.v1.Service/Call", {}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthServerTest, HealthIsOpenWithoutCredentials) {
  bool serving = false;
  grpc::Status status = CheckHealth(channel_, &serving);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(serving);
}

TEST_F(AuthServerTest, HandlerSeesTheCallerAndItsMunicipalityScope) {
  std::multimap<std::string, std::string> trailers;
  ASSERT_TRUE(CallMethod(channel_, "/jobmatch.v1.SeekerService/Get", BearerFor(R::kConsultant),
                         "", &trailers)
                  .ok());
  auto value = [&trailers](const std::string& key) {
    auto it = trailers.find(key);
    return it == trailers.end() ? std::string("<missing>") : it->second;
  };
  EXPECT_EQ(value("caller-id"), "CONSULTANT-key");
  EXPECT_EQ(value("caller-role"), "CONSULTANT");
  EXPECT_EQ(value("may-access-101"), "1");
  EXPECT_EQ(value("may-access-147"), "0");  // Frederiksberg: another municipality
  EXPECT_EQ(value("may-see-needs"), "1");

  trailers.clear();
  ASSERT_TRUE(CallMethod(channel_, "/jobmatch.v1.SeekerService/Get", BearerFor(R::kBatch), "",
                         &trailers)
                  .ok());
  EXPECT_EQ(value("caller-id"), "BATCH-key");
  EXPECT_EQ(value("may-access-147"), "1");  // all municipalities
  EXPECT_EQ(value("may-see-needs"), "0");   // no need to know
}

TEST_F(AuthServerTest, CallersOnOneConnectionDoNotSeeEachOthersIdentity) {
  // gRPC shares the connection's AuthContext among its calls; the caller
  // must come from each call's own credentials.
  for (int i = 0; i < 3; ++i) {
    for (Role role : {R::kConsultant, R::kAdmin, R::kCaseSystem}) {
      std::multimap<std::string, std::string> trailers;
      ASSERT_TRUE(CallMethod(channel_, "/jobmatch.v1.SeekerService/Get", BearerFor(role), "",
                             &trailers)
                      .ok());
      ASSERT_EQ(trailers.count("caller-id"), 1u);
      EXPECT_EQ(trailers.find("caller-id")->second, std::string(RoleName(role)) + "-key");
    }
  }
}

TEST(AuthRateLimitTest, BurstThenResourceExhaustedPerCallerWhileHealthStaysOpen) {
  SecurityOptions options = OptionsWithTestKeys();
  options.rate_limit_burst = 5;
  options.rate_limit_per_second = 0.01;  // no refill within the test
  auto server = TestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = (*server)->InsecureChannel();
  const std::string method = "/jobmatch.v1.SeekerService/Get";
  for (int i = 0; i < 5; ++i) {
    grpc::Status status = CallMethod(channel, method, BearerFor(R::kConsultant));
    ASSERT_TRUE(status.ok()) << "call " << i << ": " << status.error_message();
  }
  grpc::Status exhausted = CallMethod(channel, method, BearerFor(R::kConsultant));
  EXPECT_EQ(exhausted.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Denied calls count too: the limit is per identity, before authorisation.
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.SeekerService/Upsert", BearerFor(R::kConsultant))
                .error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Another caller has its own bucket.
  EXPECT_TRUE(CallMethod(channel, method, BearerFor(R::kAdmin)).ok());
  for (int i = 0; i < 20; ++i) {
    bool serving = false;
    ASSERT_TRUE(CheckHealth(channel, &serving).ok()) << "health call " << i;
    EXPECT_TRUE(serving);
  }
}

TEST(AuthStreamLimitTest, ClientStreamBeyondTheLimitIsCancelled) {
  SecurityOptions options = OptionsWithTestKeys();
  options.max_stream_messages = 3;
  auto server = TestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = jobmatch::v1::SeekerService::NewStub((*server)->InsecureChannel());
  auto import = [&stub](int messages, jobmatch::v1::ImportResponse* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", std::string("Bearer ") + KeyOf(R::kCaseSystem));
    auto writer = stub->Import(&context, response);
    jobmatch::v1::ImportSeekerRequest request;
    request.mutable_seeker()->set_id("s");
    for (int i = 0; i < messages; ++i) {
      if (!writer->Write(request)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  };
  jobmatch::v1::ImportResponse response;
  grpc::Status within = import(3, &response);
  ASSERT_TRUE(within.ok()) << within.error_message();
  EXPECT_EQ(response.accepted(), 3u);
  grpc::Status beyond = import(50, &response);
  EXPECT_EQ(beyond.error_code(), grpc::StatusCode::CANCELLED) << beyond.error_message();
}

TEST(AuthLoopbackTest, PlaintextWithAuthenticationServesIpv6Loopback) {
  auto server = TestServer::Start(OptionsWithTestKeys(), "[::1]:0");
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << server.status();
  auto channel = grpc::CreateChannel("[::1]:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  EXPECT_TRUE(CallMethod(channel, "/jobmatch.v1.SeekerService/Get", BearerFor(R::kAdmin)).ok());
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.SeekerService/Get", {}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(AuthDisabledTest, LocalDemoServesEveryCallWithoutCredentials) {
  SecurityOptions options;
  options.auth_disabled_for_local_demo = true;
  auto server = TestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->security().authenticator, nullptr);
  EXPECT_EQ(CallMethod((*server)->InsecureChannel(), "/jobmatch.v1.SeekerService/Upsert", {})
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace jobmatch::auth::testing
