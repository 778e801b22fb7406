// An identity provider's JWKS fetched from its jwks_uri (server/auth/
// jwks_url.h, https_get.h) from a local HTTPS server started here (OpenSSL,
// on 127.0.0.1 port 0, with a certificate the test makes for localhost and
// 127.0.0.1): keys are fetched over verified TLS, a rotated-in key is
// picked up when a token names it, a retired one is refused after the next
// refresh, and a failing endpoint (500, not JSON, too large, too slow)
// keeps the last good keys. Plain http:// and an untrusted certificate are
// refused.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "openssl/ssl.h"
#include "server/auth/https_get.h"
#include "server/auth/jwks_url.h"
#include "server/auth/oidc_authenticator.h"
#include "test_idp.h"

namespace jobmatch::auth::testing {
namespace {

// Answers every GET with what `reply` says, over TLS with the test's
// certificate (or plain TCP when `tls` is false).
class TestHttpsServer {
 public:
  enum class Mode { kServe, kFail, kNotJson, kHuge, kSlow };

  TestHttpsServer(const std::string& cert, const std::string& key, bool tls = true) : tls_(tls) {
    if (tls_) {
      ctx_ = SSL_CTX_new(TLS_server_method());
      EXPECT_EQ(SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()), 1);
      EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM), 1);
    }
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(fd_, 16), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestHttpsServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }
  int port() const { return port_; }
  void Set(Mode mode, std::string body = "") {
    absl::MutexLock lock(&mu_);
    mode_ = mode;
    if (!body.empty()) body_ = std::move(body);
  }
  int requests() const { return requests_; }

 private:
  void Serve() {
    // Bounded: stops with the test, and each connection is served at once.
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      timeval tv{2, 0};
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      Answer(client);
      close(client);
    }
  }
  void Answer(int client) {
    SSL* ssl = nullptr;
    if (tls_) {
      ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, client);
      if (SSL_accept(ssl) != 1) {  // e.g. a client that refused our certificate
        SSL_free(ssl);
        return;
      }
    }
    auto read = [&](char* b, int n) { return ssl ? SSL_read(ssl, b, n) : static_cast<int>(recv(client, b, n, 0)); };
    auto write = [&](const std::string& s) {
      if (ssl) {
        SSL_write(ssl, s.data(), static_cast<int>(s.size()));
      } else {
        send(client, s.data(), s.size(), MSG_NOSIGNAL);
      }
    };
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const int n = read(buffer, sizeof(buffer));
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    ++requests_;
    Mode mode;
    std::string body;
    {
      absl::MutexLock lock(&mu_);
      mode = mode_;
      body = body_;
    }
    auto ok = [](const std::string& b) {
      return absl::StrCat("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ",
                          b.size(), "\r\nConnection: close\r\n\r\n", b);
    };
    switch (mode) {
      case Mode::kServe: write(ok(body)); break;
      case Mode::kFail: write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"); break;
      case Mode::kNotJson: write(ok("<html>maintenance</html>")); break;
      case Mode::kHuge: write(ok(std::string(64 * 1024, ' ') + body)); break;
      case Mode::kSlow: absl::SleepFor(absl::Milliseconds(800)); write(ok(body)); break;
    }
    if (ssl) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
  }

  const bool tls_;
  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  absl::Mutex mu_;
  Mode mode_ ABSL_GUARDED_BY(mu_) = Mode::kServe;
  std::string body_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

class JwksUrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The test server writes to clients that may have given up (too large,
    // too slow): its writes fail instead.
    signal(SIGPIPE, SIG_IGN);
    dir_ = ::testing::TempDir() + "/jwks-url-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(std::system(absl::StrCat("bash ", JOBMATCH_MAKE_TEST_CERTS, " ", dir_,
                                       " >/dev/null 2>&1").c_str()),
              0);
    idp_.AddKey("k1", "ES256");
    server_ = std::make_unique<TestHttpsServer>(dir_ + "/server.pem", dir_ + "/server.key");
    server_->Set(TestHttpsServer::Mode::kServe, idp_.JwksJson());
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Uri(const std::string& host = "127.0.0.1") const {
    return absl::StrCat("https://", host, ":", server_->port(), "/.well-known/jwks.json");
  }
  JwksUrlOptions Options() const {
    JwksUrlOptions o;
    o.uri = Uri();
    o.get.ca_file = dir_ + "/ca.pem";
    o.get.timeout = absl::Milliseconds(400);
    o.get.max_bytes = 16 * 1024;
    o.refresh = absl::Milliseconds(300);
    o.min_refetch = absl::Milliseconds(50);
    return o;
  }
  // Polls `done` for up to 10 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 200; ++i) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return done();
  }

  std::string dir_;
  TestIdp idp_;
  std::unique_ptr<TestHttpsServer> server_;
};

TEST_F(JwksUrlTest, KeysAreFetchedOverVerifiedTlsAndFollowRotation) {
  auto jwks = JwksUrl::Open(Options());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  JwksUrl& source = **jwks;
  EXPECT_NE(source.Find("k1", absl::Now()), nullptr);
  EXPECT_EQ(source.loads(), 1);

  // A key rotated in: the first token naming it starts a fetch.
  idp_.AddKey("k2", "RS256");
  server_->Set(TestHttpsServer::Mode::kServe, idp_.JwksJson());
  EXPECT_TRUE(Eventually([&] { return source.Find("k2", absl::Now()) != nullptr; }));
  // A retired key is gone after the next refresh.
  idp_.RemoveKey("k1");
  server_->Set(TestHttpsServer::Mode::kServe, idp_.JwksJson());
  EXPECT_TRUE(Eventually([&] { return source.Find("k1", absl::Now()) == nullptr; }));
  EXPECT_NE(source.Find("k2", absl::Now()), nullptr);
  EXPECT_EQ(source.failures(), 0);

  // By DNS name too: the certificate names localhost.
  HttpsGetOptions get = Options().get;
  auto by_name = HttpsGet(Uri("localhost"), get);
  EXPECT_TRUE(by_name.ok()) << by_name.status();
}

TEST_F(JwksUrlTest, AFailingEndpointKeepsTheLastGoodKeys) {
  auto jwks = JwksUrl::Open(Options());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  JwksUrl& source = **jwks;
  ASSERT_EQ(source.loads(), 1);
  int failures = 0;
  for (auto mode : {TestHttpsServer::Mode::kFail, TestHttpsServer::Mode::kNotJson,
                    TestHttpsServer::Mode::kHuge, TestHttpsServer::Mode::kSlow}) {
    server_->Set(mode);
    EXPECT_TRUE(Eventually([&] { return source.failures() >= failures + 2; }))
        << "mode " << static_cast<int>(mode);
    failures = source.failures();
    EXPECT_NE(source.Find("k1", absl::Now()), nullptr) << "mode " << static_cast<int>(mode);
    EXPECT_EQ(source.key_count(), 1u);
  }
  EXPECT_EQ(source.loads(), 1);
  server_->Set(TestHttpsServer::Mode::kServe);
  EXPECT_TRUE(Eventually([&] { return source.loads() >= 2; }));

  // Each failure says what failed.
  HttpsGetOptions get = Options().get;
  server_->Set(TestHttpsServer::Mode::kFail);
  auto failed = HttpsGet(Uri(), get);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(failed.status().message().find("HTTP 500"), std::string::npos) << failed.status();
  server_->Set(TestHttpsServer::Mode::kHuge);
  auto huge = HttpsGet(Uri(), get);
  EXPECT_NE(huge.status().message().find("response larger than 16384 bytes"), std::string::npos)
      << huge.status();
  server_->Set(TestHttpsServer::Mode::kSlow);
  const absl::Time start = absl::Now();
  auto slow = HttpsGet(Uri(), get);
  EXPECT_EQ(slow.status().code(), absl::StatusCode::kUnavailable) << slow.status();
  EXPECT_NE(slow.status().message().find("timed out"), std::string::npos) << slow.status();
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(750));
}

TEST_F(JwksUrlTest, AnIdpDownAtStartUpIsRetriedAndNoTokenPassesMeanwhile) {
  server_->Set(TestHttpsServer::Mode::kFail);
  auto jwks = JwksUrl::Open(Options());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  EXPECT_EQ((*jwks)->loads(), 0);
  EXPECT_EQ((*jwks)->Find("k1", absl::Now()), nullptr);
  server_->Set(TestHttpsServer::Mode::kServe);
  EXPECT_TRUE(Eventually([&] { return (*jwks)->Find("k1", absl::Now()) != nullptr; }));
}

TEST_F(JwksUrlTest, PlainHttpAndUntrustedCertificatesAreRefused) {
  EXPECT_EQ(ParseHttpsUrl("http://idp.kommune.test/jwks", false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseHttpsUrl("http://idp.kommune.test/jwks", true).ok())
      << "http is for loopback hosts in tests only";
  EXPECT_FALSE(ParseHttpsUrl("http://127.0.0.1:8080/jwks", false).ok());
  EXPECT_TRUE(ParseHttpsUrl("http://127.0.0.1:8080/jwks", true).ok());
  EXPECT_FALSE(ParseHttpsUrl("ftp://idp/jwks", false).ok());
  EXPECT_FALSE(ParseHttpsUrl("https://user@idp/jwks", false).ok());
  EXPECT_FALSE(ParseHttpsUrl("https://idp:99999/jwks", false).ok());
  auto parsed = ParseHttpsUrl("https://[::1]:8443/a?b=c", false);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 8443);
  EXPECT_EQ(parsed->path, "/a?b=c");

  JwksUrlOptions plain = Options();
  plain.uri = absl::StrCat("http://127.0.0.1:", server_->port(), "/jwks");
  EXPECT_EQ(JwksUrl::Open(plain).status().code(), absl::StatusCode::kInvalidArgument);

  // A certificate from a CA we do not trust, and one for another name.
  HttpsGetOptions get = Options().get;
  get.ca_file = dir_ + "/rogue_ca.pem";
  auto rogue = HttpsGet(Uri(), get);
  EXPECT_EQ(rogue.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(rogue.status().message().find("certificate"), std::string::npos) << rogue.status();
  get = Options().get;
  auto other_ip = HttpsGet(Uri("127.0.0.2"), get);
  EXPECT_FALSE(other_ip.ok()) << "the certificate names 127.0.0.1 and localhost only";
  // The system's CA store does not trust the test CA.
  get.ca_file.clear();
  EXPECT_EQ(HttpsGet(Uri(), get).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(JwksUrlTest, AProviderWithAJwksUriAuthenticatesTokens) {
  OidcProviderOptions p;
  p.id = "kbh";
  p.issuer = idp_.issuer();
  p.audience = "jobmatch";
  p.jwks_uri = Uri();
  p.jwks_ca_file = dir_ + "/ca.pem";
  p.roles = {{"konsulent", Role::kConsultant, false}};
  p.municipalities = {101};
  auto oidc = OidcAuthenticator::Create({p});
  ASSERT_TRUE(oidc.ok()) << oidc.status();
  const absl::Time now = absl::Now();
  absl::StatusOr<Caller> caller = (*oidc)->Authenticate(idp_.Sign("k1", idp_.ValidClaims("jobmatch", now)), now);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->id.substr(0, 4), "kbh/") << caller->id;

  // Both sources, or neither, are a configuration error naming the member.
  p.jwks_file = dir_ + "/jwks.json";
  EXPECT_NE(OidcAuthenticator::Create({p}).status().message().find("exactly one of jwks_file and jwks_uri"),
            std::string::npos);
  p.jwks_file.clear();
  p.jwks_uri = "http://idp.kommune.test/jwks";
  EXPECT_NE(OidcAuthenticator::Create({p}).status().message().find("jwks_uri"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::auth::testing
