// TLS and mutual TLS over loopback with certificates the test makes itself
// (make_test_certs.sh, openssl CLI): a TLS server refuses plaintext clients;
// with mutual TLS, a verified client certificate is an identity with a role,
// and a client without a certificate, or with one from another CA, cannot
// connect.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "gtest/gtest.h"
#include "test_server.h"

namespace jobmatch::auth::testing {
namespace {

using R = Role;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest -j runs each test of this suite in its own process.
    dir_ = new std::string(::testing::TempDir() + "/jobmatch-auth-certs-" +
                           std::to_string(::getpid()));
    std::filesystem::remove_all(*dir_);
    const std::string command = std::string(JOBMATCH_MAKE_TEST_CERTS) + " " + *dir_;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Pem(const std::string& name) { return *dir_ + "/" + name; }

  static SecurityOptions TlsOptions() {
    SecurityOptions options = OptionsWithTestKeys();
    options.tls_cert_file = Pem("server.pem");
    options.tls_key_file = Pem("server.key");
    return options;
  }

  static SecurityOptions MutualTlsOptions() {
    SecurityOptions options = TlsOptions();
    options.client_ca_file = Pem("ca.pem");
    options.require_client_cert = true;
    ClientCertificateIdentity identity;
    identity.id = "frederiksberg-case-system";
    identity.common_name = "case-system-cert";
    identity.role = R::kCaseSystem;
    identity.municipalities = {147};
    options.client_certificates.push_back(identity);
    return options;
  }

  // A TLS channel trusting the test CA; with a client certificate when
  // `client` names one ("client" or "rogue_client").
  static std::shared_ptr<grpc::Channel> TlsChannel(const TestServer& server,
                                                   const std::string& client = "") {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(Pem("ca.pem"));
    if (!client.empty()) {
      ssl.pem_private_key = ReadFile(Pem(client + ".key"));
      ssl.pem_cert_chain = ReadFile(Pem(client + ".pem"));
    }
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    return grpc::CreateCustomChannel(server.target(), grpc::SslCredentials(ssl), args);
  }

  static std::string* dir_;
};

std::string* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, TlsServerAuthenticatesApiKeysOverTls) {
  auto server = TestServer::Start(TlsOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->security().tls);
  auto channel = TlsChannel(**server);
  grpc::Status allowed =
      CallMethod(channel, "/jobmatch.v1.SeekerService/Get", BearerFor(R::kConsultant));
  EXPECT_TRUE(allowed.ok()) << allowed.error_code() << " " << allowed.error_message();
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.SeekerService/Get", {}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      CallMethod(channel, "/jobmatch.v1.SeekerService/Upsert", BearerFor(R::kVacancyFeed))
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  bool serving = false;
  EXPECT_TRUE(CheckHealth(channel, &serving).ok());
  EXPECT_TRUE(serving);
}

TEST_F(TlsTest, TlsServerRefusesPlaintextClients) {
  auto server = TestServer::Start(TlsOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  grpc::Status status = CallMethod((*server)->InsecureChannel(), "/jobmatch.v1.SeekerService/Get",
                                   BearerFor(R::kAdmin));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  bool serving = true;
  EXPECT_FALSE(CheckHealth((*server)->InsecureChannel(), &serving).ok());
}

TEST_F(TlsTest, ClientCertificateIsAnIdentityWithARoleAndMunicipalities) {
  auto server = TestServer::Start(MutualTlsOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = TlsChannel(**server, "client");
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.SeekerService/Upsert", {}).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);  // reached the handler
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.VacancyService/Upsert", {}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  std::multimap<std::string, std::string> trailers;
  ASSERT_TRUE(CallMethod(channel, "/jobmatch.v1.SeekerService/Get", {}, "", &trailers).ok());
  ASSERT_EQ(trailers.count("caller-id"), 1u);
  EXPECT_EQ(trailers.find("caller-id")->second, "frederiksberg-case-system");
  EXPECT_EQ(trailers.find("may-access-147")->second, "1");
  EXPECT_EQ(trailers.find("may-access-101")->second, "0");
}

TEST_F(TlsTest, ApiKeyTakesPrecedenceOverTheClientCertificate) {
  auto server = TestServer::Start(MutualTlsOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = TlsChannel(**server, "client");
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.VacancyService/Upsert", BearerFor(R::kVacancyFeed))
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallMethod(channel, "/jobmatch.v1.SeekerService/Upsert", BearerFor(R::kVacancyFeed))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(TlsTest, MutualTlsRefusesClientsWithoutACertificateOrFromAnotherCa) {
  auto server = TestServer::Start(MutualTlsOptions());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(CallMethod(TlsChannel(**server), "/jobmatch.v1.SeekerService/Get",
                       BearerFor(R::kAdmin))
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CallMethod(TlsChannel(**server, "rogue_client"), "/jobmatch.v1.SeekerService/Get",
                       BearerFor(R::kAdmin))
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, OptionalClientCertificateStillNeedsCredentials) {
  SecurityOptions options = MutualTlsOptions();
  options.require_client_cert = false;
  auto server = TestServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto no_cert = TlsChannel(**server);
  EXPECT_EQ(CallMethod(no_cert, "/jobmatch.v1.SeekerService/Get", {}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(CallMethod(no_cert, "/jobmatch.v1.SeekerService/Get", BearerFor(R::kAdmin)).ok());
  EXPECT_TRUE(CallMethod(TlsChannel(**server, "client"), "/jobmatch.v1.SeekerService/Get", {})
                  .ok());
  bool serving = false;
  EXPECT_TRUE(CheckHealth(no_cert, &serving).ok());
}

TEST_F(TlsTest, TlsServesOnANonLoopbackAddress) {
  auto server = TestServer::Start(TlsOptions(), "0.0.0.0:0");
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE(
      CallMethod(TlsChannel(**server), "/jobmatch.v1.SeekerService/Get", BearerFor(R::kAdmin))
          .ok());
}

}  // namespace
}  // namespace jobmatch::auth::testing
