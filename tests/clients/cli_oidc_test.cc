// The jobmatch CLI signing in with an OpenID Connect bearer token against a
// real jobmatchd whose identity provider's keys the test makes
// (tests/auth/test_idp.h): the token comes from --bearer_token_file,
// $JOBMATCH_BEARER_TOKEN_FILE or $JOBMATCH_BEARER_TOKEN, never the command
// line; the caller is scoped to the municipalities in the token; a refused
// token is explained without printing it.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/auth/test_idp.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

using auth::testing::Claims;
using auth::testing::TestIdp;

bool Has(const CliRun& run, const std::string& text) { return run.out.find(text) != std::string::npos; }

class CliOidcTest : public ServiceFixture {
 protected:
  void SetUp() override {
    idp_.AddKey("es-1", "ES256");
    idp_.WriteJwks(dir_.path() + "/jwks.json");
    auth::OidcProviderOptions provider;
    provider.id = "aarhus";
    provider.issuer = idp_.issuer();
    provider.audience = "jobmatch";
    provider.jwks_file = dir_.path() + "/jwks.json";
    provider.roles = {{"konsulent", auth::Role::kConsultant, false},
                      {"sagssystem", auth::Role::kCaseSystem, true}};
    provider.municipalities_claim = "municipalities";
    provider.municipalities = {751, 746};
    options_.security.oidc_providers.push_back(provider);
    // Tokens are the only credential: no API key, no certificate. On
    // loopback that must still not be the unauthenticated local demo.
    Start();
    Claims loader = idp_.ValidClaims("jobmatch", absl::Now());
    loader["roles"] = R"(["sagssystem"])";
    const std::string loader_token = idp_.Sign("es-1", loader);
    for (auto [id, postal_code] : {std::pair<const char*, int>{"aarhus-1", 8200}, {"skanderborg-1", 8660}}) {
      v1::UpsertSeekerRequest request;
      *request.mutable_seeker() = ValidSeeker(id, postal_code);
      auto context = Context();
      context->AddMetadata("authorization", "Bearer " + loader_token);
      v1::WriteResult result;
      grpc::Status status = seekers_->Upsert(context.get(), request, &result);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  std::string Address() const { return "--address=127.0.0.1:" + std::to_string(service_->port()); }
  std::string TokenFile(const Claims& claims) {
    const std::string path = dir_.path() + "/token-" + std::to_string(++tokens_);
    std::ofstream(path) << idp_.Sign("es-1", claims) << "\n";
    return path;
  }
  CliRun Run(const std::string& env, const std::string& args) {
    return RunCli("--timeout=5s " + Address() + " " + args, env);
  }

  TestIdp idp_;
  int tokens_ = 0;
};

TEST_F(CliOidcTest, TokenFromAFileOrTheEnvironmentSignsIn) {
  Claims claims = idp_.ValidClaims("jobmatch", absl::Now());
  claims["municipalities"] = "[751]";
  const std::string file = TokenFile(claims);

  CliRun own = Run("", "--bearer_token_file=" + file + " get seeker aarhus-1");
  EXPECT_EQ(own.exit_code, 0) << own.out;
  EXPECT_TRUE(Has(own, "aarhus-1")) << own.out;

  // Skanderborg (746) is one of the provider's municipalities, but not in
  // this token: out of the caller's scope.
  CliRun other = Run("", "--bearer_token_file=" + file + " get seeker skanderborg-1");
  EXPECT_NE(other.exit_code, 0) << other.out;
  EXPECT_FALSE(Has(other, "8660")) << other.out;

  CliRun file_env = Run("JOBMATCH_BEARER_TOKEN_FILE=" + file, "policy");
  EXPECT_EQ(file_env.exit_code, 0) << file_env.out;

  std::ifstream in(file);
  std::string token;
  std::getline(in, token);
  CliRun env = Run("JOBMATCH_BEARER_TOKEN=" + token, "get seeker aarhus-1");
  EXPECT_EQ(env.exit_code, 0) << env.out;
}

TEST_F(CliOidcTest, ARefusedTokenIsExplainedWithoutPrintingIt) {
  Claims expired = idp_.ValidClaims("jobmatch", absl::Now());
  expired["exp"] = absl::StrCat(absl::ToUnixSeconds(absl::Now()) - 3600);
  const std::string file = TokenFile(expired);
  std::ifstream in(file);
  std::string token;
  std::getline(in, token);

  CliRun run = Run("", "--bearer_token_file=" + file + " policy");
  EXPECT_EQ(run.exit_code, 4) << run.out;
  EXPECT_TRUE(Has(run, "the bearer token was not accepted")) << run.out;
  EXPECT_TRUE(Has(run, "bearer token: expired at")) << "the server's rule: " << run.out;
  EXPECT_TRUE(Has(run, "--bearer_token_file=" + file)) << "where it came from: " << run.out;
  EXPECT_TRUE(Has(run, "sign in to your identity provider again")) << run.out;
  EXPECT_FALSE(Has(run, token)) << "never prints the token: " << run.out;

  CliRun missing = Run("", "policy");
  EXPECT_EQ(missing.exit_code, 4) << "a server with tokens only still needs one: " << missing.out;
  EXPECT_TRUE(Has(missing, "--bearer_token_file")) << missing.out;
  CliRun anonymous = Run("", "get seeker aarhus-1");
  EXPECT_EQ(anonymous.exit_code, 4) << anonymous.out;
  EXPECT_FALSE(Has(anonymous, "8200")) << anonymous.out;
}

TEST_F(CliOidcTest, AKeyAndATokenTogetherOrAnEmptyTokenFileAreUsageErrors) {
  const std::string file = TokenFile(idp_.ValidClaims("jobmatch", absl::Now()));
  CliRun both = Run("JOBMATCH_API_KEY=case-key", "--bearer_token_file=" + file + " policy");
  EXPECT_EQ(both.exit_code, 64) << both.out;
  EXPECT_TRUE(Has(both, "give an API key or a bearer token, not both")) << both.out;

  const std::string empty = dir_.path() + "/empty-token";
  std::ofstream(empty) << "\n";
  CliRun blank = Run("", "--bearer_token_file=" + empty + " policy");
  EXPECT_EQ(blank.exit_code, 64) << blank.out;
  EXPECT_TRUE(Has(blank, "--bearer_token_file: " + empty + " is empty")) << blank.out;

  CliRun no_flag = Run("", "--bearer_token=abc policy");
  EXPECT_NE(no_flag.exit_code, 0) << "there is no flag that takes the token itself: " << no_flag.out;
}

}  // namespace
}  // namespace jobmatch::testing
