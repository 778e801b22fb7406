// The jobmatch CLI's connection options against a real jobmatchd with TLS
// and API keys, certificates made by the test (tests/auth/make_test_certs.sh):
// flags and environment reach the server; a wrong key, a missing key, a
// forbidden command, an untrusted server certificate, a missing client
// certificate and an unreachable address each get their own message and
// exit code.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "server/auth/api_key_hash.h"
#include "tests/clients/cli_runner.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

// With `env` (VAR=value ...) and a short timeout.
CliRun RunCliIn(const std::string& env, const std::string& args) {
  return RunCli("--timeout=5s " + args, env);
}

bool Has(const CliRun& run, const std::string& text) { return run.out.find(text) != std::string::npos; }

class CliConnectionTest : public ServiceFixture {
 protected:
  static void SetUpTestSuite() {
    certs_ = new std::string(::testing::TempDir() + "/jobmatch-cli-certs-" + std::to_string(::getpid()));
    std::filesystem::remove_all(*certs_);
    const std::string command = std::string(JOBMATCH_MAKE_TEST_CERTS) + " " + *certs_;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*certs_);
    delete certs_;
  }
  static std::string Pem(const std::string& name) { return *certs_ + "/" + name; }

  void SetUp() override {
    options_.security.tls_cert_file = Pem("server.pem");
    options_.security.tls_key_file = Pem("server.key");
    options_.security.api_keys.push_back(
        {"kbh-consultant", auth::Sha256Hex("consultant-key"), auth::Role::kConsultant, {101}, false, {}});
    options_.security.api_keys.push_back(
        {"ops", auth::Sha256Hex("admin-key"), auth::Role::kAdmin, {}, true, {}});
    Start();
    key_file_ = dir_.path() + "/api-key";
    std::ofstream(key_file_) << "admin-key\n";
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(service_->port()); }
  std::string TlsFlags() const {
    return "--address=" + Address() + " --tls_ca_file=" + Pem("ca.pem");
  }

  static std::string* certs_;
  std::string key_file_;
};

std::string* CliConnectionTest::certs_ = nullptr;

TEST_F(CliConnectionTest, TlsAndAnApiKeyFromFlagsOrEnvironmentReachTheServer) {
  CliRun flags = RunCliIn("", TlsFlags() + " --tls_server_name=localhost --api_key_file=" + key_file_ +
                                " policy");
  EXPECT_EQ(flags.exit_code, 0) << flags.out;
  EXPECT_TRUE(Has(flags, "\"version\"")) << flags.out;

  CliRun env = RunCliIn("JOBMATCH_ADDRESS=" + Address() + " JOBMATCH_TLS_CA_FILE=" + Pem("ca.pem") +
                          " JOBMATCH_API_KEY=admin-key",
                      "list seeker");
  EXPECT_EQ(env.exit_code, 0) << env.out;

  CliRun key_file_env = RunCliIn("JOBMATCH_API_KEY_FILE=" + key_file_, TlsFlags() + " policy");
  EXPECT_EQ(key_file_env.exit_code, 0) << key_file_env.out;
}

TEST_F(CliConnectionTest, WrongOrMissingApiKeyGetsAClearMessage) {
  CliRun wrong = RunCliIn("JOBMATCH_API_KEY=not-the-key", TlsFlags() + " policy");
  EXPECT_EQ(wrong.exit_code, 4) << wrong.out;
  EXPECT_TRUE(Has(wrong, "the API key was not accepted")) << wrong.out;
  EXPECT_TRUE(Has(wrong, "JOBMATCH_API_KEY")) << "names where the key came from: " << wrong.out;
  EXPECT_FALSE(Has(wrong, "not-the-key")) << "never prints the key: " << wrong.out;

  CliRun missing = RunCliIn("", TlsFlags() + " policy");
  EXPECT_EQ(missing.exit_code, 4) << missing.out;
  EXPECT_TRUE(Has(missing, "requires credentials")) << missing.out;
  EXPECT_TRUE(Has(missing, "--api_key_file")) << missing.out;
}

TEST_F(CliConnectionTest, PermissionDeniedNamesTheRole) {
  CliRun run = RunCliIn("JOBMATCH_API_KEY=consultant-key", TlsFlags() + " rematch-start");
  EXPECT_EQ(run.exit_code, 4) << run.out;
  EXPECT_TRUE(Has(run, "permission denied")) << run.out;
  EXPECT_TRUE(Has(run, "CONSULTANT")) << run.out;
}

TEST_F(CliConnectionTest, UntrustedServerCertificateIsATlsFailure) {
  CliRun rogue = RunCliIn("JOBMATCH_API_KEY=admin-key",
                        "--address=" + Address() + " --tls_ca_file=" + Pem("rogue_ca.pem") + " policy");
  EXPECT_EQ(rogue.exit_code, 3) << rogue.out;
  EXPECT_TRUE(Has(rogue, "TLS handshake with " + Address() + " failed")) << rogue.out;

  CliRun plaintext = RunCliIn("JOBMATCH_API_KEY=admin-key", "--address=" + Address() + " policy");
  EXPECT_EQ(plaintext.exit_code, 3) << plaintext.out;
  EXPECT_TRUE(Has(plaintext, "--tls_ca_file")) << "suggests TLS: " << plaintext.out;
}

TEST_F(CliConnectionTest, MutualTlsClientCertificateIsTheCredential) {
  options_.security.client_ca_file = Pem("ca.pem");
  options_.security.require_client_cert = true;
  options_.security.client_certificates.push_back(
      {"frederiksberg-case-system", "case-system-cert", auth::Role::kCaseSystem, {147}, false, {}});
  Restart();
  CliRun with_cert = RunCliIn("", TlsFlags() + " --tls_cert_file=" + Pem("client.pem") +
                                    " --tls_key_file=" + Pem("client.key") + " list seeker");
  EXPECT_EQ(with_cert.exit_code, 0) << with_cert.out;

  CliRun without = RunCliIn("JOBMATCH_API_KEY=admin-key", TlsFlags() + " list seeker");
  EXPECT_EQ(without.exit_code, 3) << without.out;

  CliRun half = RunCliIn("", TlsFlags() + " --tls_cert_file=" + Pem("client.pem") + " list seeker");
  EXPECT_EQ(half.exit_code, 64) << half.out;
  EXPECT_TRUE(Has(half, "--tls_key_file")) << half.out;
}

TEST(CliConnectionUnreachableTest, UnreachableAddressIsNamedWithAHint) {
  CliRun run = RunCliIn("JOBMATCH_ADDRESS=127.0.0.1:1", "health");
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_TRUE(Has(run, "cannot reach the server at 127.0.0.1:1")) << run.out;
  EXPECT_TRUE(Has(run, "Is jobmatchd running?")) << run.out;

  CliRun unreadable = RunCliIn("", "--api_key_file=/nonexistent/key health");
  EXPECT_EQ(unreadable.exit_code, 64) << unreadable.out;
  EXPECT_TRUE(Has(unreadable, "--api_key_file: cannot read /nonexistent/key")) << unreadable.out;
}

}  // namespace
}  // namespace jobmatch::testing
