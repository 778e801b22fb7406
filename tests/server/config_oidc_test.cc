// The configuration's security.oidc_providers: every key reaches
// auth::OidcProviderOptions, defaults apply when a key is left out, and bad
// values are start-up errors naming the key.
#include <fstream>

#include "gtest/gtest.h"
#include "server/config.h"

namespace jobmatch {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigOidcTest, ProvidersMapOntoSecurityOptions) {
  ServiceOptions options;
  absl::Status s = LoadConfigFile(Write("oidc.json", R"({
    "security": {"oidc_providers": [
      {"id": "kbh", "issuer": "https://login.kk.dk/realms/jobcenter", "audience": "jobmatch",
       "jwks_file": "/etc/jobmatch/oidc/kbh-jwks.json", "jwks_check_seconds": 30,
       "clock_skew_seconds": 120, "subject_claim": "preferred_username", "role_claim": "groups",
       "roles": [{"claim_value": "jobcenter-konsulent", "role": "CONSULTANT"},
                 {"claim_value": "jobmatch-drift", "role": "ADMIN", "all_municipalities": true}],
       "municipalities_claim": "kommunekoder", "municipalities": [101, 147]},
      {"id": "aarhus", "issuer": "https://idp.aarhus.dk", "audience": "jobmatch",
       "jwks_uri": "https://idp.aarhus.dk/protocol/openid-connect/certs",
       "jwks_ca_file": "/etc/jobmatch/oidc/aarhus-ca.pem", "jwks_refresh_seconds": 600,
       "jwks_timeout_ms": 2000, "jwks_max_bytes": 65536,
       "roles": [{"claim_value": "konsulent", "role": "CONSULTANT"}], "municipalities": [751]}
    ]}})"),
                                  &options);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(options.security.oidc_providers.size(), 2u);
  const auth::OidcProviderOptions& kbh = options.security.oidc_providers[0];
  EXPECT_EQ(kbh.id, "kbh");
  EXPECT_EQ(kbh.issuer, "https://login.kk.dk/realms/jobcenter");
  EXPECT_EQ(kbh.audience, "jobmatch");
  EXPECT_EQ(kbh.jwks_file, "/etc/jobmatch/oidc/kbh-jwks.json");
  EXPECT_EQ(kbh.jwks_check_interval, absl::Seconds(30));
  EXPECT_EQ(kbh.clock_skew, absl::Seconds(120));
  EXPECT_EQ(kbh.subject_claim, "preferred_username");
  EXPECT_EQ(kbh.role_claim, "groups");
  ASSERT_EQ(kbh.roles.size(), 2u);
  EXPECT_EQ(kbh.roles[0].claim_value, "jobcenter-konsulent");
  EXPECT_EQ(kbh.roles[0].role, auth::Role::kConsultant);
  EXPECT_FALSE(kbh.roles[0].all_municipalities);
  EXPECT_EQ(kbh.roles[1].role, auth::Role::kAdmin);
  EXPECT_TRUE(kbh.roles[1].all_municipalities);
  EXPECT_EQ(kbh.municipalities_claim, "kommunekoder");
  EXPECT_EQ(kbh.municipalities, (std::vector<int>{101, 147}));
  const auth::OidcProviderOptions& aarhus = options.security.oidc_providers[1];
  EXPECT_EQ(aarhus.jwks_check_interval, absl::Seconds(1));
  EXPECT_EQ(aarhus.jwks_file, "");
  EXPECT_EQ(aarhus.jwks_uri, "https://idp.aarhus.dk/protocol/openid-connect/certs");
  EXPECT_EQ(aarhus.jwks_ca_file, "/etc/jobmatch/oidc/aarhus-ca.pem");
  EXPECT_EQ(aarhus.jwks_refresh, absl::Seconds(600));
  EXPECT_EQ(aarhus.jwks_timeout, absl::Milliseconds(2000));
  EXPECT_EQ(aarhus.jwks_max_bytes, 65536u);
  EXPECT_FALSE(aarhus.jwks_allow_loopback_http);
  EXPECT_EQ(kbh.jwks_refresh, absl::Minutes(5));
  EXPECT_EQ(aarhus.clock_skew, absl::Seconds(60));
  EXPECT_EQ(aarhus.subject_claim, "sub");
  EXPECT_EQ(aarhus.role_claim, "roles");
  EXPECT_EQ(aarhus.municipalities_claim, "");
}

TEST(ConfigOidcTest, BadValuesNameTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"security": {"oidc_providers": [{"clock_skew_seconds": 301}]}})",
       "security.oidc_providers[0].clock_skew_seconds: must be within [0, 300], got 301"},
      {R"({"security": {"oidc_providers": [{"jwks_check_seconds": -1}]}})",
       "security.oidc_providers[0].jwks_check_seconds"},
      {R"({"security": {"oidc_providers": [{"roles": [{"claim_value": "x"}]}]}})",
       "security.oidc_providers[0].roles[0].role: must be CASE_SYSTEM"},
      {R"({"security": {"oidc_providers": [{"jwks_url": "https://idp/jwks"}]}})", "jwks_url"},
  };
  for (const auto& [json, expected] : cases) {
    ServiceOptions options;
    absl::Status s = LoadConfigFile(Write("bad_oidc.json", json), &options);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_NE(s.message().find(expected), std::string::npos) << "expected \"" << expected
                                                              << "\" in: " << s;
  }
}

}  // namespace
}  // namespace jobmatch
