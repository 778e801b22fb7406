// Which configurations MakeServerSecurity accepts, and which it refuses with
// a message naming the `security.` key.
#include "server/auth/server_security.h"

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "server/auth/api_key_hash.h"

namespace jobmatch::auth {
namespace {

SecurityOptions WithOneKey() {
  SecurityOptions options;
  ApiKey key;
  key.id = "consultant";
  key.sha256_hex = Sha256Hex("secret");
  key.role = Role::kConsultant;
  options.api_keys.push_back(key);
  return options;
}

void ExpectRefused(const SecurityOptions& options, const std::string& address,
                   absl::StatusCode code, const std::string& mention) {
  auto security = MakeServerSecurity(options, address);
  ASSERT_FALSE(security.ok());
  EXPECT_EQ(security.status().code(), code) << security.status();
  EXPECT_NE(security.status().message().find(mention), std::string::npos) << security.status();
}

TEST(ServerSecurityTest, LoopbackAddressesAreRecognised) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.8.9.1:0"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.7:50051"));
  EXPECT_FALSE(IsLoopbackAddress("localhost.example.org:50051"));
}

TEST(ServerSecurityTest, PlaintextOnLoopbackIsServedWithAuthentication) {
  auto security = MakeServerSecurity(WithOneKey(), "127.0.0.1:0");
  ASSERT_TRUE(security.ok()) << security.status();
  EXPECT_FALSE(security->tls);
  EXPECT_NE(security->credentials, nullptr);
  EXPECT_NE(security->authenticator, nullptr);
  EXPECT_EQ(security->interceptor_factories.size(), 1u);
}

TEST(ServerSecurityTest, PlaintextOnNonLoopbackIsRefused) {
  ExpectRefused(WithOneKey(), "0.0.0.0:50051", absl::StatusCode::kFailedPrecondition,
                "0.0.0.0:50051");
  SecurityOptions demo;
  demo.auth_disabled_for_local_demo = true;
  ExpectRefused(demo, "10.1.2.3:50051", absl::StatusCode::kFailedPrecondition, "plaintext");
}

TEST(ServerSecurityTest, OverrideAllowsPlaintextOnNonLoopbackOnlyWithoutAuthentication) {
  SecurityOptions options = WithOneKey();
  options.allow_insecure_non_loopback = true;
  ExpectRefused(options, "0.0.0.0:50051", absl::StatusCode::kFailedPrecondition,
                "clear text");
  SecurityOptions demo;
  demo.auth_disabled_for_local_demo = true;
  demo.allow_insecure_non_loopback = true;
  auto security = MakeServerSecurity(demo, "0.0.0.0:50051");
  ASSERT_TRUE(security.ok()) << security.status();
  EXPECT_EQ(security->authenticator, nullptr);
}

TEST(ServerSecurityTest, InconsistentTlsSettingsNameTheKey) {
  SecurityOptions options = WithOneKey();
  options.tls_cert_file = "/nonexistent/server.pem";
  ExpectRefused(options, "127.0.0.1:0", absl::StatusCode::kInvalidArgument, "tls_key_file");
  options.tls_key_file = "/nonexistent/server.key";
  ExpectRefused(options, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "security.tls_cert_file: cannot read");
  SecurityOptions ca_only = WithOneKey();
  ca_only.client_ca_file = "/nonexistent/ca.pem";
  ExpectRefused(ca_only, "127.0.0.1:0", absl::StatusCode::kInvalidArgument, "client_ca_file");
  SecurityOptions require = WithOneKey();
  require.tls_cert_file = "a";
  require.tls_key_file = "b";
  require.require_client_cert = true;
  ExpectRefused(require, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "require_client_cert");
  SecurityOptions unverifiable = WithOneKey();
  unverifiable.client_certificates.push_back({"cert", "cn", Role::kAdmin, {}, true, {}});
  ExpectRefused(unverifiable, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "security.client_certificates: needs security.client_ca_file");
}

TEST(ServerSecurityTest, CredentialConfigurationErrorsNameTheEntry) {
  ExpectRefused(SecurityOptions(), "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "security.api_keys");
  SecurityOptions bad_digest = WithOneKey();
  bad_digest.api_keys[0].sha256_hex = "secret";
  ExpectRefused(bad_digest, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "api_keys[0].sha256_hex");
  SecurityOptions duplicate = WithOneKey();
  duplicate.api_keys.push_back(duplicate.api_keys[0]);
  ExpectRefused(duplicate, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "api_keys[1].id: duplicate");
  SecurityOptions same_key = WithOneKey();
  same_key.api_keys.push_back(same_key.api_keys[0]);
  same_key.api_keys[1].id = "other";
  same_key.api_keys[1].sha256_hex = absl::AsciiStrToUpper(same_key.api_keys[0].sha256_hex);
  ExpectRefused(same_key, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "configured twice");
  SecurityOptions cert = WithOneKey();
  cert.tls_cert_file = "/nonexistent/server.pem";
  cert.tls_key_file = "/nonexistent/server.key";
  cert.client_ca_file = "/nonexistent/ca.pem";
  cert.client_certificates.push_back({"consultant", "cn", Role::kAdmin, {}, true, {}});
  ExpectRefused(cert, "127.0.0.1:0", absl::StatusCode::kInvalidArgument,
                "client_certificates[0].id: duplicate");
}

}  // namespace
}  // namespace jobmatch::auth
