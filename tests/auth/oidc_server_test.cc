// OpenID Connect bearer tokens end to end: a real gRPC server on loopback
// (test_server.h) configured with an identity provider whose keys the test
// makes (test_idp.h) and with API keys beside it. A token reaches the
// handler as the mapped caller; refusals arrive as UNAUTHENTICATED naming
// the rule; the role a token maps to is authorised like any other.
#include <unistd.h>

#include <filesystem>

#include "gtest/gtest.h"
#include "test_idp.h"
#include "test_server.h"

namespace jobmatch::auth::testing {
namespace {

constexpr char kGet[] = "/jobmatch.v1.SeekerService/Get";
constexpr char kStartRematch[] = "/jobmatch.v1.RematchService/StartRematch";

class OidcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/oidc-server-test-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    idp_.AddKey("rsa-1", "RS256");
    idp_.AddKey("ec-1", "ES256");
    idp_.WriteJwks(dir_ + "/jwks.json");
    SecurityOptions options = OptionsWithTestKeys();
    OidcProviderOptions provider;
    provider.id = "kbh";
    provider.issuer = idp_.issuer();
    provider.audience = "jobmatch";
    provider.jwks_file = dir_ + "/jwks.json";
    provider.jwks_check_interval = absl::ZeroDuration();
    provider.roles = {{"konsulent", Role::kConsultant, false}, {"drift", Role::kAdmin, true}};
    provider.municipalities_claim = "municipalities";
    provider.municipalities = {101, 147};
    options.oidc_providers.push_back(provider);
    auto server = TestServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = server_->InsecureChannel();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Metadata Bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }

  std::string dir_;
  TestIdp idp_;
  std::unique_ptr<TestServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(OidcServerTest, TokensReachTheHandlerAsTheMappedCaller) {
  for (const char* kid : {"rsa-1", "ec-1"}) {
    std::multimap<std::string, std::string> trailers;
    grpc::Status status = CallMethod(channel_, kGet,
                                     Bearer(idp_.Sign(kid, idp_.ValidClaims("jobmatch", absl::Now()))),
                                     "", &trailers);
    ASSERT_TRUE(status.ok()) << kid << ": " << status.error_message();
    auto value = [&trailers](const std::string& key) {
      auto it = trailers.find(key);
      return it == trailers.end() ? std::string("<missing>") : it->second;
    };
    EXPECT_EQ(value("caller-id"), "kbh/anna.consultant");
    EXPECT_EQ(value("caller-role"), "CONSULTANT");
    EXPECT_EQ(value("may-access-101"), "1");
    EXPECT_EQ(value("may-access-147"), "0");  // only 101 was claimed
  }
  // API keys keep working beside tokens.
  EXPECT_TRUE(CallMethod(channel_, kGet, BearerFor(Role::kConsultant)).ok());
}

TEST_F(OidcServerTest, RefusedTokensAreUnauthenticatedNamingTheRule) {
  const absl::Time now = absl::Now();
  Claims expired = idp_.ValidClaims("jobmatch", now);
  expired["exp"] = absl::StrCat(absl::ToUnixSeconds(now) - 3600);
  Claims early = idp_.ValidClaims("jobmatch", now);
  early["nbf"] = absl::StrCat(absl::ToUnixSeconds(now) + 3600);
  Claims audience = idp_.ValidClaims("jobmatch", now);
  audience["aud"] = JsonString("someone-else");
  Claims issuer = idp_.ValidClaims("jobmatch", now);
  issuer["iss"] = JsonString("https://idp.other.test");
  const Claims valid = idp_.ValidClaims("jobmatch", now);
  const std::pair<std::string, std::string> cases[] = {
      {idp_.Sign("rsa-1", expired), "expired at"},
      {idp_.Sign("ec-1", early), "not valid before"},
      {idp_.Sign("rsa-1", audience), "audience (aud)"},
      {idp_.Sign("rsa-1", issuer), "is not a configured identity provider"},
      {Base64Url(R"({"alg":"none"})") + "." + Base64Url(ClaimsJson(valid)) + ".",
       "alg \"none\" is not accepted"},
      {idp_.SignHs256("rsa-1", idp_.PublicKeyPem("rsa-1"), valid), "alg \"HS256\" is not accepted"},
      {idp_.SignWithHeader(R"({"alg":"ES256","kid":"ec-7"})", "ec-1", valid), "kid) \"ec-7\""},
  };
  for (const auto& [token, rule] : cases) {
    grpc::Status status = CallMethod(channel_, kGet, Bearer(token));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << rule;
    EXPECT_NE(status.error_message().find("bearer token: "), std::string::npos)
        << status.error_message();
    EXPECT_NE(status.error_message().find(rule), std::string::npos)
        << "expected \"" << rule << "\" in " << status.error_message();
  }
  EXPECT_EQ(server_->seekers().get_calls(), 0) << "a refused token reached the handler";
}

TEST_F(OidcServerTest, TheMappedRoleIsAuthorisedLikeAnyOther) {
  const std::string consultant = idp_.Sign("ec-1", idp_.ValidClaims("jobmatch", absl::Now()));
  grpc::Status denied = CallMethod(channel_, kStartRematch, Bearer(consultant));
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("role CONSULTANT may not call"), std::string::npos);

  Claims operators = idp_.ValidClaims("jobmatch", absl::Now());
  operators["roles"] = R"(["drift"])";
  grpc::Status allowed = CallMethod(channel_, kStartRematch, Bearer(idp_.Sign("rsa-1", operators)));
  EXPECT_EQ(allowed.error_code(), grpc::StatusCode::UNIMPLEMENTED) << "reached the handler";
}

TEST_F(OidcServerTest, RotatedKeysApplyWithoutARestart) {
  const Claims claims = idp_.ValidClaims("jobmatch", absl::Now());
  const std::string old_token = idp_.Sign("rsa-1", claims);
  ASSERT_TRUE(CallMethod(channel_, kGet, Bearer(old_token)).ok());
  idp_.AddKey("rsa-2", "RS256");
  idp_.RemoveKey("rsa-1");
  idp_.WriteJwks(dir_ + "/jwks.json");
  grpc::Status fresh = CallMethod(channel_, kGet, Bearer(idp_.Sign("rsa-2", claims)));
  EXPECT_TRUE(fresh.ok()) << fresh.error_message();
  grpc::Status retired = CallMethod(channel_, kGet, Bearer(old_token));
  EXPECT_EQ(retired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(retired.error_message().find("kid) \"rsa-1\" is not in the JWKS"), std::string::npos)
      << retired.error_message();
}

}  // namespace
}  // namespace jobmatch::auth::testing
