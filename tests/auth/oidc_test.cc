// OpenID Connect bearer tokens (server/auth/oidc_authenticator.h) verified
// against keys made in the test (test_idp.h): valid RS256 and ES256 tokens
// give the mapped caller; each rule broken on its own is refused with
// UNAUTHENTICATED naming that rule; a rotated JWKS file is picked up and a
// retired key refused.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "server/auth/jwt.h"
#include "server/auth/oidc_authenticator.h"
#include "test_idp.h"

namespace jobmatch::auth::testing {
namespace {

constexpr char kAudience[] = "jobmatch";

class OidcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/oidc-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    idp_.AddKey("rsa-1", "RS256");
    idp_.AddKey("ec-1", "ES256");
    idp_.WriteJwks(JwksPath());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string JwksPath() const { return dir_ + "/jwks.json"; }

  OidcProviderOptions Provider() const {
    OidcProviderOptions p;
    p.id = "kbh";
    p.issuer = idp_.issuer();
    p.audience = kAudience;
    p.jwks_file = JwksPath();
    p.jwks_check_interval = absl::ZeroDuration();
    p.roles = {{"konsulent", Role::kConsultant, false},
               {"drift", Role::kAdmin, true},
               {"sagssystem", Role::kCaseSystem, false}};
    p.municipalities_claim = "municipalities";
    p.municipalities = {101, 147};
    return p;
  }

  std::unique_ptr<OidcAuthenticator> Make(const OidcProviderOptions& provider) {
    auto made = OidcAuthenticator::Create({provider});
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? *std::move(made) : nullptr;
  }

  // Refused as UNAUTHENTICATED with a message containing `rule`.
  void ExpectRefused(const OidcAuthenticator& oidc, const std::string& token,
                     const std::string& rule) {
    absl::StatusOr<Caller> caller = oidc.Authenticate(token, now_);
    ASSERT_FALSE(caller.ok()) << "accepted a token that breaks: " << rule;
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated) << caller.status();
    EXPECT_NE(caller.status().message().find("bearer token: "), std::string::npos)
        << caller.status();
    EXPECT_NE(caller.status().message().find(rule), std::string::npos)
        << "expected \"" << rule << "\" in: " << caller.status();
  }

  std::string dir_;
  TestIdp idp_;
  absl::Time now_ = absl::FromUnixSeconds(1'790'000'000);
};

TEST_F(OidcTest, ValidRs256AndEs256TokensGiveTheMappedCaller) {
  auto oidc = Make(Provider());
  for (const char* kid : {"rsa-1", "ec-1"}) {
    Claims claims = idp_.ValidClaims(kAudience, now_);
    claims["municipalities"] = R"([101, "147"])";
    const std::string token = idp_.Sign(kid, claims);
    EXPECT_TRUE(LooksLikeJwt(token));
    absl::StatusOr<Caller> caller = oidc->Authenticate(token, now_);
    ASSERT_TRUE(caller.ok()) << kid << ": " << caller.status();
    EXPECT_EQ(caller->id, "kbh/anna.consultant");
    EXPECT_EQ(caller->role, Role::kConsultant);
    EXPECT_EQ(caller->credential, Caller::Credential::kBearerToken);
    EXPECT_EQ(caller->municipalities, (std::vector<int>{101, 147}));
    EXPECT_FALSE(caller->all_municipalities);
    EXPECT_TRUE(caller->MayAccessMunicipality(147));
    EXPECT_FALSE(caller->MayAccessMunicipality(751));
  }
}

TEST_F(OidcTest, RoleMappingGrantsAllMunicipalitiesOrTheProvidersOwn) {
  auto oidc = Make(Provider());
  Claims admin = idp_.ValidClaims(kAudience, now_);
  admin["roles"] = R"(["drift", "unrelated-group"])";
  admin.erase("municipalities");
  absl::StatusOr<Caller> caller = oidc->Authenticate(idp_.Sign("ec-1", admin), now_);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->role, Role::kAdmin);
  EXPECT_TRUE(caller->all_municipalities);

  OidcProviderOptions fixed = Provider();
  fixed.municipalities_claim = "";
  fixed.municipalities = {751};
  auto aarhus = Make(fixed);
  Claims single = idp_.ValidClaims(kAudience, now_);
  single["roles"] = R"("sagssystem")";  // a string, not an array
  caller = aarhus->Authenticate(idp_.Sign("rsa-1", single), now_);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->role, Role::kCaseSystem);
  EXPECT_EQ(caller->municipalities, (std::vector<int>{751}));
}

TEST_F(OidcTest, TimeRulesAllowTheConfiguredSkewOnly) {
  auto oidc = Make(Provider());  // skew 60 s
  Claims claims = idp_.ValidClaims(kAudience, now_);
  claims["exp"] = absl::StrCat(absl::ToUnixSeconds(now_) - 30);  // within the skew
  EXPECT_TRUE(oidc->Authenticate(idp_.Sign("rsa-1", claims), now_).ok());
  claims["exp"] = absl::StrCat(absl::ToUnixSeconds(now_) - 61);
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "expired at");

  claims = idp_.ValidClaims(kAudience, now_);
  claims["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) + 30);  // within the skew
  EXPECT_TRUE(oidc->Authenticate(idp_.Sign("ec-1", claims), now_).ok());
  claims["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) + 3600);
  ExpectRefused(*oidc, idp_.Sign("ec-1", claims), "not valid before");

  claims = idp_.ValidClaims(kAudience, now_);
  claims.erase("exp");
  ExpectRefused(*oidc, idp_.Sign("ec-1", claims), "claim exp is missing");
  claims["exp"] = R"("tomorrow")";
  ExpectRefused(*oidc, idp_.Sign("ec-1", claims), "claim exp must be a number");
}

TEST_F(OidcTest, WrongAudienceOrIssuerIsRefused) {
  auto oidc = Make(Provider());
  Claims claims = idp_.ValidClaims(kAudience, now_);
  claims["aud"] = R"(["another-app"])";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "audience (aud) [another-app]");
  claims["aud"] = R"(["another-app", "jobmatch"])";
  EXPECT_TRUE(oidc->Authenticate(idp_.Sign("rsa-1", claims), now_).ok());

  claims = idp_.ValidClaims(kAudience, now_);
  claims["iss"] = JsonString("https://evil.example");
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims),
                "issuer (iss) \"https://evil.example\" is not a configured identity provider");
}

TEST_F(OidcTest, OnlyRs256AndEs256AreAccepted) {
  auto oidc = Make(Provider());
  const Claims claims = idp_.ValidClaims(kAudience, now_);
  const std::string payload = Base64Url(ClaimsJson(claims));
  ExpectRefused(*oidc, Base64Url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".",
                "header alg \"none\" is not accepted");
  ExpectRefused(*oidc, Base64Url(R"({"alg":"none","kid":"rsa-1"})") + "." + payload + ".c2ln",
                "header alg \"none\" is not accepted");
  // The classic confusion: HMAC keyed with the RSA public key as published.
  ExpectRefused(*oidc, idp_.SignHs256("rsa-1", idp_.PublicKeyPem("rsa-1"), claims),
                "header alg \"HS256\" is not accepted: RS256 or ES256 only");
  // An RS256 header on the EC key's signature, and ES256 on the RSA key's.
  ExpectRefused(*oidc, idp_.SignWithHeader(R"({"alg":"RS256","kid":"ec-1"})", "ec-1", claims),
                "does not match key \"ec-1\" (ES256)");
  ExpectRefused(*oidc, idp_.SignWithHeader(R"({"alg":"ES256","kid":"rsa-1"})", "rsa-1", claims),
                "does not match key \"rsa-1\" (RS256)");
  ExpectRefused(*oidc,
                idp_.SignWithHeader(R"({"alg":"RS256","kid":"rsa-1","crit":["exp"]})", "rsa-1",
                                    claims),
                "crit");
}

TEST_F(OidcTest, UnknownKidTamperedPayloadAndGarbageAreRefused) {
  auto oidc = Make(Provider());
  const Claims claims = idp_.ValidClaims(kAudience, now_);
  ExpectRefused(*oidc, idp_.SignWithHeader(R"({"alg":"RS256","kid":"rsa-9"})", "rsa-1", claims),
                "key id (kid) \"rsa-9\" is not in the JWKS of provider \"kbh\"");
  ExpectRefused(*oidc, idp_.SignWithHeader(R"({"alg":"RS256"})", "rsa-1", claims),
                "header kid is missing");
  // The caller's text reaches logs: no line breaks, and bounded.
  ExpectRefused(*oidc,
                idp_.SignWithHeader(R"({"alg":"RS256","kid":"a
forged log line"})", "rsa-1", claims),
                "key id (kid) \"a?forged log line\"");
  ExpectRefused(*oidc,
                idp_.SignWithHeader(absl::StrCat(R"({"alg":"RS256","kid":")", std::string(500, 'k'), "\"}"),
                                    "rsa-1", claims),
                absl::StrCat("\"", std::string(64, 'k'), "...\" is not in the JWKS"));

  for (const char* kid : {"rsa-1", "ec-1"}) {
    const std::string token = idp_.Sign(kid, claims);
    Claims admin = claims;
    admin["roles"] = R"(["drift"])";
    const size_t first = token.find('.');
    const size_t second = token.find('.', first + 1);
    const std::string tampered = token.substr(0, first + 1) + Base64Url(ClaimsJson(admin)) +
                                 token.substr(second);
    ExpectRefused(*oidc, tampered, "signature does not verify");
    // One flipped bit in the signature.
    std::string flipped = token;
    flipped[second + 5] = flipped[second + 5] == 'A' ? 'B' : 'A';
    ExpectRefused(*oidc, flipped, "signature");
  }
  ExpectRefused(*oidc, "eyJhbGciOiJSUzI1NiJ9.e30", "three base64url parts");
  ExpectRefused(*oidc, "eyJ!!!.e30.e30", "header is not base64url");
  ExpectRefused(*oidc, std::string(20'000, 'a'), "longer than");
}

TEST_F(OidcTest, ClaimsThatMapToNoRoleOrForeignMunicipalitiesAreRefused) {
  auto oidc = Make(Provider());
  Claims claims = idp_.ValidClaims(kAudience, now_);
  claims["roles"] = R"(["borger"])";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "role claim roles [borger] maps to no configured role");
  claims["roles"] = R"(["konsulent", "sagssystem"])";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "maps to more than one role");

  claims = idp_.ValidClaims(kAudience, now_);
  claims["municipalities"] = "[101, 751]";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims),
                "municipality 751 is not one provider \"kbh\" speaks for");
  claims["municipalities"] = "[]";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "missing or empty");
  claims["municipalities"] = "[1.5]";
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "kommunekode within [101, 999]");

  claims = idp_.ValidClaims(kAudience, now_);
  claims["sub"] = JsonString("has space");
  ExpectRefused(*oidc, idp_.Sign("rsa-1", claims), "claim sub must be 1-200 printable");
}

TEST_F(OidcTest, KeyRotationPicksUpTheNewFileAndRefusesTheRetiredKey) {
  auto oidc = Make(Provider());
  const Claims claims = idp_.ValidClaims(kAudience, now_);
  const std::string old_token = idp_.Sign("rsa-1", claims);
  ASSERT_TRUE(oidc->Authenticate(old_token, now_).ok());
  const int loads = oidc->providers()[0]->jwks().loads();

  idp_.AddKey("rsa-2", "RS256");
  idp_.RemoveKey("rsa-1");
  idp_.WriteJwks(JwksPath());
  const std::string new_token = idp_.Sign("rsa-2", claims);
  absl::StatusOr<Caller> caller = oidc->Authenticate(new_token, now_ + absl::Seconds(1));
  EXPECT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(oidc->providers()[0]->jwks().loads(), loads + 1);
  ExpectRefused(*oidc, old_token, "key id (kid) \"rsa-1\" is not in the JWKS");

  // A broken file keeps the keys in force.
  { std::ofstream(JwksPath(), std::ios::trunc) << "{\"keys\": [not json"; }
  EXPECT_TRUE(oidc->Authenticate(new_token, now_ + absl::Seconds(2)).ok());
}

TEST_F(OidcTest, UnknownKidRechecksTheFileEvenBetweenScheduledChecks) {
  OidcProviderOptions provider = Provider();
  provider.jwks_check_interval = absl::Hours(1);
  auto oidc = Make(provider);
  ASSERT_TRUE(oidc->Authenticate(idp_.Sign("ec-1", idp_.ValidClaims(kAudience, now_)), now_).ok());
  idp_.AddKey("ec-2", "ES256");
  idp_.WriteJwks(JwksPath());
  // Next scheduled look in an hour; the unknown kid makes one now.
  const absl::Time later = now_ + absl::Seconds(2);
  absl::StatusOr<Caller> caller =
      oidc->Authenticate(idp_.Sign("ec-2", idp_.ValidClaims(kAudience, later)), later);
  EXPECT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(oidc->providers()[0]->jwks().loads(), 2);
}

TEST_F(OidcTest, ConfigurationErrorsNameTheMember) {
  auto error = [&](OidcProviderOptions p) {
    auto made = OidcAuthenticator::Create({p});
    EXPECT_FALSE(made.ok());
    return std::string(made.status().message());
  };
  OidcProviderOptions p = Provider();
  p.issuer = "";
  EXPECT_EQ(error(p), "config security.oidc_providers[0].issuer: must be set (the tokens' iss)");
  p = Provider();
  p.roles.clear();
  EXPECT_NE(error(p).find("oidc_providers[0].roles:"), std::string::npos);
  p = Provider();
  p.municipalities = {42};
  EXPECT_NE(error(p).find("oidc_providers[0].municipalities[0]: must be within [101, 999]"),
            std::string::npos);
  p = Provider();
  p.jwks_file = dir_ + "/missing.json";
  EXPECT_NE(error(p).find("oidc_providers[0].jwks_file: \"" + dir_ + "/missing.json\": cannot read"),
            std::string::npos);
  { std::ofstream(dir_ + "/short.json") << R"({"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]})"; }
  p.jwks_file = dir_ + "/short.json";
  EXPECT_NE(error(p).find("keys[0].n: RSA keys must have at least 2048 bits"), std::string::npos);
  { std::ofstream(dir_ + "/offcurve.json") << R"({"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":")"
                                             << Base64Url(std::string(32, '\x01')) << R"(","y":")"
                                             << Base64Url(std::string(32, '\x02')) << R"("}]})"; }
  p.jwks_file = dir_ + "/offcurve.json";
  EXPECT_NE(error(p).find("keys[0]:"), std::string::npos) << error(p);
}

}  // namespace
}  // namespace jobmatch::auth::testing
