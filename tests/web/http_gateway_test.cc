// The HTTP port of a real jobmatchd (RocksDB in a temp dir, gRPC and HTTP on
// loopback): JSON over HTTP gives the gRPC answers and errors, with the same
// authentication, scope, audit and metrics; /openapi.json covers every RPC
// of jobmatch.v1 as declared in proto/jobmatch/v1/.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/auth/api_key_hash.h"
#include "server/http/http_status.h"
#include "tests/e2e/api_fixture.h"
#include "tests/web/http_client.h"

namespace jobmatch::testing {
namespace {

namespace pb = google::protobuf;

std::string Json(const pb::Message& m) {
  std::string out;
  EXPECT_TRUE(pb::util::MessageToJsonString(m, &out).ok());
  return out;
}

template <typename M>
M Parse(const std::string& json) {
  M m;
  auto status = pb::util::JsonStringToMessage(json, &m);
  EXPECT_TRUE(status.ok()) << status << " in " << json;
  return m;
}

pb::Struct ParseObject(const std::string& json) { return Parse<pb::Struct>(json); }

class HttpGatewayTest : public ServiceFixture {
 protected:
  void SetUp() override {
    options_.http.listen_address = "127.0.0.1:0";
    options_.http.web_root = http::HttpGateway::SourceTreeWebRoot();
    Start();
    port_ = service_->http_port();
    ASSERT_GT(port_, 0);
  }
  HttpResult Post(const std::string& method, const std::string& body,
                  const std::vector<std::string>& headers = {"Content-Type: application/json"}) {
    return HttpRequest(port_, "POST", method, body, headers);
  }
  HttpResult Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return HttpRequest(port_, "GET", path, "", headers);
  }
  int port_ = 0;
};

TEST_F(HttpGatewayTest, UpsertAndGetGiveTheSameRecordAsGrpc) {
  v1::UpsertSeekerRequest upsert;
  *upsert.mutable_seeker() = ValidSeeker("s-http", 8200);
  HttpResult put = Post("/jobmatch.v1.SeekerService/Upsert", Json(upsert));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Parse<v1::WriteResult>(put.body).version(), 1u);
  EXPECT_FALSE(put.headers["x-request-id"].empty());

  v1::GetSeekerRequest get;
  get.set_id("s-http");
  v1::GetSeekerResponse by_grpc;
  ASSERT_TRUE(seekers_->Get(Context().get(), get, &by_grpc).ok());
  HttpResult by_route = Get("/v1/seekers/s-http");
  HttpResult by_post = Post("/jobmatch.v1.SeekerService/Get", "{\"id\":\"s-http\"}");
  ASSERT_EQ(by_route.status, 200) << by_route.body;
  ASSERT_EQ(by_post.status, 200) << by_post.body;
  EXPECT_EQ(Parse<v1::GetSeekerResponse>(by_route.body).SerializeAsString(),
            by_grpc.SerializeAsString());
  EXPECT_EQ(Parse<v1::GetSeekerResponse>(by_post.body).SerializeAsString(),
            by_grpc.SerializeAsString());
}

TEST_F(HttpGatewayTest, MatchesAndExplanationsEqualTheGrpcAnswers) {
  ASSERT_TRUE(PutVacancy(ValidVacancy("v1", 8000)).ok());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(PutSeeker(ValidSeeker("s" + std::to_string(i), i % 2 ? 8200 : 8660)).ok());
  }
  v1::TopSeekersRequest request;
  request.set_vacancy_id("v1");
  request.set_limit(3);
  v1::MatchResponse by_grpc;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &by_grpc).ok());
  ASSERT_GT(by_grpc.matches_size(), 1);

  HttpResult got = Get("/v1/vacancies/v1/matches?limit=3");
  ASSERT_EQ(got.status, 200) << got.body;
  v1::MatchResponse by_http = Parse<v1::MatchResponse>(got.body);
  ASSERT_EQ(by_http.matches_size(), by_grpc.matches_size());
  for (int i = 0; i < by_grpc.matches_size(); ++i) {
    EXPECT_EQ(by_http.matches(i).id(), by_grpc.matches(i).id());
    EXPECT_EQ(by_http.matches(i).explanation().SerializeAsString(),
              by_grpc.matches(i).explanation().SerializeAsString());
  }
  // Filters through query parameters: a minimum score above every total
  // leaves nothing.
  HttpResult none = Get("/v1/vacancies/v1/matches?filters.min_score=0.999&limit=3");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(Parse<v1::MatchResponse>(none.body).matches_size(), 0);

  const std::string seeker = by_grpc.matches(0).id();
  HttpResult explained = Get("/v1/seekers/" + seeker + "/vacancies/v1/explanation");
  ASSERT_EQ(explained.status, 200) << explained.body;
  EXPECT_EQ(Parse<v1::ExplainResponse>(explained.body).explanation().total(),
            by_grpc.matches(0).explanation().total());
}

TEST_F(HttpGatewayTest, CurlWithJsonGetsTheSameAnswersAsTheCli) {
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-cli", 8000)).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(PutSeeker(ValidSeeker("c" + std::to_string(i), 8200)).ok());
  const std::string command =
      absl::StrCat(JOBMATCH_CLI_PATH, " --address=127.0.0.1:", service_->port(),
                   " --json match-vacancy v-cli --limit=3 --min_score=0.1 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0) << out;
  v1::MatchResponse by_cli = Parse<v1::MatchResponse>(out);
  HttpResult got = Get("/v1/vacancies/v-cli/matches?limit=3&filters.min_score=0.1");
  ASSERT_EQ(got.status, 200) << got.body;
  v1::MatchResponse by_http = Parse<v1::MatchResponse>(got.body);
  ASSERT_EQ(by_cli.matches_size(), 3);
  // The decision id and time are per call; everything the consultant reads is equal.
  by_cli.clear_trace();
  by_http.clear_trace();
  EXPECT_EQ(by_http.SerializeAsString(), by_cli.SerializeAsString());
}

TEST_F(HttpGatewayTest, ErrorsCarryTheGrpcCodeAsHttpStatusAndTheSameMessage) {
  v1::Seeker homeless = ValidSeeker("no-home");
  homeless.clear_home();
  v1::UpsertSeekerRequest upsert;
  *upsert.mutable_seeker() = homeless;
  v1::WriteResult ignored;
  grpc::Status by_grpc = seekers_->Upsert(Context().get(), upsert, &ignored);
  ASSERT_EQ(by_grpc.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  HttpResult bad = Post("/jobmatch.v1.SeekerService/Upsert", Json(upsert));
  EXPECT_EQ(bad.status, 400);
  pb::Struct error = ParseObject(bad.body);
  EXPECT_EQ(error.fields().at("code").string_value(), "invalid_argument");
  EXPECT_EQ(error.fields().at("message").string_value(), by_grpc.error_message());
  // Nothing stored.
  EXPECT_EQ(Get("/v1/seekers/no-home").status, 404);

  HttpResult missing = Get("/v1/vacancies/nowhere");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ParseObject(missing.body).fields().at("code").string_value(), "not_found");

  HttpResult unknown_field = Post("/jobmatch.v1.SeekerService/Get", "{\"identity\":\"x\"}");
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.body.find("identity"), std::string::npos) << unknown_field.body;

  HttpResult bad_param = Get("/v1/vacancies/v1/matches?filters.min_score=high");
  EXPECT_EQ(bad_param.status, 400);
  EXPECT_NE(bad_param.body.find("filters.min_score"), std::string::npos) << bad_param.body;
  HttpResult unknown_param = Get("/v1/vacancies/v1/matches?colour=red");
  EXPECT_EQ(unknown_param.status, 400);
  EXPECT_NE(unknown_param.body.find("colour"), std::string::npos) << unknown_param.body;

  EXPECT_EQ(Post("/jobmatch.v1.SeekerService/Fly", "{}").status, 501);
  EXPECT_EQ(Get("/jobmatch.v1.SeekerService/Get").status, 501);
  EXPECT_EQ(Post("/jobmatch.v1.SeekerService/Get", "\x08\x01", {"Content-Type: application/proto"})
                .status,
            415);
  EXPECT_EQ(Get("/v1/nothing-here").status, 404);
}

TEST_F(HttpGatewayTest, StatusMappingFollowsTheApiDesignGuide) {
  using grpc::StatusCode;
  const std::vector<std::pair<StatusCode, int>> expected = {
      {StatusCode::OK, 200},
      {StatusCode::INVALID_ARGUMENT, 400},
      {StatusCode::FAILED_PRECONDITION, 400},
      {StatusCode::OUT_OF_RANGE, 400},
      {StatusCode::UNAUTHENTICATED, 401},
      {StatusCode::PERMISSION_DENIED, 403},
      {StatusCode::NOT_FOUND, 404},
      {StatusCode::ABORTED, 409},
      {StatusCode::ALREADY_EXISTS, 409},
      {StatusCode::RESOURCE_EXHAUSTED, 429},
      {StatusCode::CANCELLED, 499},
      {StatusCode::DATA_LOSS, 500},
      {StatusCode::UNKNOWN, 500},
      {StatusCode::INTERNAL, 500},
      {StatusCode::UNIMPLEMENTED, 501},
      {StatusCode::UNAVAILABLE, 503},
      {StatusCode::DEADLINE_EXCEEDED, 504}};
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(http::HttpStatusOf(code), status) << http::CodeNameOf(code);
  }
}

TEST_F(HttpGatewayTest, StreamingMethodsTakeAndGiveNewlineDelimitedJson) {
  v1::ImportSeekerRequest a, b;
  *a.mutable_seeker() = ValidSeeker("imp-a");
  *b.mutable_seeker() = ValidSeeker("imp-b");
  HttpResult imported = Post("/jobmatch.v1.SeekerService/Import", Json(a) + "\n" + Json(b) + "\n",
                             {"Content-Type: application/x-ndjson"});
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(Parse<v1::ImportResponse>(imported.body).accepted(), 2u) << imported.body;
  EXPECT_EQ(Get("/v1/seekers/imp-b").status, 200);

  HttpResult bad_line = Post("/jobmatch.v1.SeekerService/Import", Json(a) + "\n{\"seeker\":7}\n");
  EXPECT_EQ(bad_line.status, 400);
  EXPECT_NE(bad_line.body.find("line 2"), std::string::npos) << bad_line.body;

  HttpResult changes = Post("/jobmatch.v1.MatchService/WatchChanges", "{\"stopAtEnd\":true}");
  ASSERT_EQ(changes.status, 200) << changes.body;
  EXPECT_EQ(changes.headers["content-type"], "application/x-ndjson");
  std::vector<std::string> lines = absl::StrSplit(changes.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << changes.body;
  EXPECT_EQ(Parse<v1::Change>(lines[1]).id(), "imp-b");
}

TEST_F(HttpGatewayTest, OpenApiCoversEveryRpcDeclaredInTheProtos) {
  HttpResult got = Get("/openapi.json");
  ASSERT_EQ(got.status, 200);
  pb::Struct doc = ParseObject(got.body);
  EXPECT_EQ(doc.fields().at("openapi").string_value().substr(0, 2), "3.");
  const auto& paths = doc.fields().at("paths").struct_value().fields();
  const auto& schemas =
      doc.fields().at("components").struct_value().fields().at("schemas").struct_value().fields();
  // The RPCs as the .proto files declare them (read here, independently of
  // the descriptors the server walks).
  const std::regex service_re(R"(^\s*service\s+(\w+))"), rpc_re(R"(^\s*rpc\s+(\w+)\s*\()");
  int rpcs = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(JOBMATCH_SOURCE_DIR "/proto/jobmatch/v1")) {
    std::ifstream in(entry.path());
    std::string line, service;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, service_re)) service = m[1];
      if (!std::regex_search(line, m, rpc_re)) continue;
      ++rpcs;
      const std::string path = "/jobmatch.v1." + service + "/" + std::string(m[1]);
      auto it = paths.find(path);
      ASSERT_NE(it, paths.end()) << path << " missing from /openapi.json";
      const auto& post = it->second.struct_value().fields().at("post").struct_value().fields();
      EXPECT_TRUE(post.count("requestBody")) << path;
      EXPECT_TRUE(post.at("responses").struct_value().fields().count("200")) << path;
    }
  }
  EXPECT_GT(rpcs, 30);
  // Every referenced schema is defined.
  std::smatch m;
  const std::regex ref_re(R"re("\$ref":"#/components/schemas/([^"]+)")re");
  for (auto it = std::sregex_iterator(got.body.begin(), got.body.end(), ref_re);
       it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(schemas.count((*it)[1])) << (*it)[1];
  }
  EXPECT_TRUE(paths.count("/v1/vacancies/{vacancy_id}/matches"));
  EXPECT_TRUE(schemas.count("jobmatch.v1.MatchResponse"));
}

class HttpAuthTest : public HttpGatewayTest {
 protected:
  void SetUp() override {
    aarhus_ = LocationOf(8200).municipality();
    options_.security.api_keys.push_back(
        {"aarhus-case", auth::Sha256Hex("aarhus-secret"), auth::Role::kCaseSystem, {aarhus_}, false, {}});
    options_.security.api_keys.push_back(
        {"consultant", auth::Sha256Hex("consultant-secret"), auth::Role::kConsultant, {aarhus_}, false, {}});
    options_.security.api_keys.push_back(
        {"ops", auth::Sha256Hex("ops-secret"), auth::Role::kAdmin, {}, true, {}});
    HttpGatewayTest::SetUp();
  }
  int aarhus_ = 0;
};

TEST_F(HttpAuthTest, SameAuthenticationRolesScopeAuditAndMetricsAsGrpc) {
  v1::UpsertSeekerRequest upsert;
  // A scoped case system creates seekers without an id (the server issues it).
  *upsert.mutable_seeker() = ValidSeeker("", 8200);
  const std::string body = Json(upsert);
  const std::string upsert_path = "/jobmatch.v1.SeekerService/Upsert";

  HttpResult anonymous = Post(upsert_path, body);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(ParseObject(anonymous.body).fields().at("code").string_value(), "unauthenticated");
  EXPECT_EQ(Post(upsert_path, body, {"X-Api-Key: wrong"}).status, 401);
  // A header cannot claim a client certificate's identity.
  EXPECT_EQ(Post(upsert_path, body, {"X-SSL-Client-CN: ops", "X-Client-Cert: ops"}).status, 401);
  // Role: a consultant may not write seekers.
  EXPECT_EQ(Post(upsert_path, body, {"X-Api-Key: consultant-secret"}).status, 403);
  HttpResult written =
      Post(upsert_path, body, {"X-Api-Key: aarhus-secret", "X-Request-Id: http-test-1"});
  ASSERT_EQ(written.status, 200) << written.body;
  EXPECT_EQ(written.headers["x-request-id"], "http-test-1");
  const std::string in_aarhus = ParseObject(written.body).fields().at("id").string_value();
  EXPECT_EQ(in_aarhus.substr(0, 2), "s-") << written.body;

  // Scope: a seeker outside the caller's municipalities.
  *upsert.mutable_seeker() = ValidSeeker("", 8660);
  EXPECT_EQ(Post(upsert_path, Json(upsert), {"X-Api-Key: aarhus-secret"}).status, 403);
  *upsert.mutable_seeker() = ValidSeeker("in-skanderborg", 8660);
  EXPECT_EQ(Post(upsert_path, Json(upsert), {"X-Api-Key: aarhus-secret"}).status, 404);
  ASSERT_EQ(Post(upsert_path, Json(upsert), {"Authorization: Bearer ops-secret"}).status, 200);
  EXPECT_EQ(Post(upsert_path, Json(upsert), {"X-Api-Key: aarhus-secret"}).status, 404);
  EXPECT_EQ(Get("/v1/seekers/in-skanderborg", {"X-Api-Key: aarhus-secret"}).status, 404);
  EXPECT_EQ(Get("/v1/seekers/in-skanderborg", {"Authorization: Bearer ops-secret"}).status, 200);
  EXPECT_EQ(Get("/v1/seekers/" + in_aarhus, {"Authorization: Bearer aarhus-secret"}).status, 200);

  // The audit log names the HTTP caller and its request id, as for gRPC.
  bool audited = false;
  ASSERT_TRUE(service_->audit_log()
                  .Scan(0,
                        [&](const v1::AuditEntry& e) {
                          if (e.request_id() == "http-test-1") {
                            audited = e.caller_id() == "aarhus-case" &&
                                      e.method() == upsert_path && e.status_code() == "OK";
                          }
                          return true;
                        })
                  .ok());
  EXPECT_TRUE(audited);
  // The metrics count the HTTP calls under the gRPC method.
  EXPECT_NE(service_->metrics().Scrape().find("/jobmatch.v1.SeekerService/Get"), std::string::npos);
}

class HttpRateLimitTest : public HttpAuthTest {
 protected:
  void SetUp() override {
    options_.security.rate_limit_per_second = 0.001;
    options_.security.rate_limit_burst = 3;
    HttpAuthTest::SetUp();
  }
};

TEST_F(HttpRateLimitTest, HttpCallsSpendTheCallersRateLimitOnceEach) {
  // Exactly the burst: each HTTP call is decided once (not again inside the
  // in-process channel), and the fourth is refused as over gRPC.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Get("/v1/policy", {"X-Api-Key: consultant-secret"}).status, 200) << i;
  }
  HttpResult refused = Get("/v1/policy", {"X-Api-Key: consultant-secret"});
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(ParseObject(refused.body).fields().at("code").string_value(), "resource_exhausted");
  // Another caller has its own bucket.
  EXPECT_EQ(Get("/v1/policy", {"X-Api-Key: ops-secret"}).status, 200);
}

TEST(HttpGatewayStart, RefusesANonLoopbackAddressForPlainHttp) {
  TempDir dir;
  ServiceOptions options;
  options.server.listen_address = "127.0.0.1:0";
  options.http.listen_address = "0.0.0.0:0";
  options.data_dir = dir.path() + "/db";
  options.reference_data_dir = matcher::ReferenceData::SourceTreeDataDir();
  auto service = JobmatchService::Start(options);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(service.status().message().find("http_listen"), std::string::npos) << service.status();
}

TEST_F(HttpGatewayTest, ServesTheWorkspacePage) {
  HttpResult page = Get("/");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<html lang=\"da\""), std::string::npos);
  EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(Get("/../../etc/passwd").status, 404);
  // Static files (CivetWeb's own replies) and API replies alike tell a
  // pooling client how long an idle connection stays open.
  EXPECT_EQ(page.headers["keep-alive"], "timeout=5");
  EXPECT_EQ(Get("/openapi.json").headers["keep-alive"], "timeout=5");
  EXPECT_EQ(Post("/jobmatch.v1.SeekerService/Get", "{\"id\":\"none\"}").headers["keep-alive"],
            "timeout=5");
}

// Kept-alive connections, as a pooling client (Node's fetch, other systems'
// HTTP libraries) holds them; each test starts jobmatchd with its own
// http_keep_alive_seconds.
class HttpConnectionTest : public ServiceFixture {
 protected:
  void SetUp() override {}
  void StartWithKeepAlive(int seconds) {
    options_.http.listen_address = "127.0.0.1:0";
    options_.http.keep_alive_seconds = seconds;
    Start();
    port_ = service_->http_port();
    ASSERT_GT(port_, 0);
  }
  int port_ = 0;
};

// A pooling client sends its next request on a connection that has been
// idle for a while. CivetWeb's default closed it after 0.5 s, so a request
// sent just then met the close ("other side closed"). The connection now
// stays open for http_keep_alive_seconds, and every reply says so.
TEST_F(HttpConnectionTest, AnIdleConnectionStaysOpenAsLongAsTheRepliesSay) {
  StartWithKeepAlive(2);
  KeptAliveConnection connection(port_);
  HttpResult first = connection.Get("/openapi.json");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.headers["keep-alive"], "timeout=2");
  // Idle for 1.2 s (more than CivetWeb's default 0.5 s), then the next
  // request on the same connection is answered.
  EXPECT_FALSE(connection.ClosedByServerWithin(1200));
  HttpResult second = connection.Get("/v1/seekers/none");
  EXPECT_EQ(second.status, 404) << second.body;
  EXPECT_NE(second.body.find("none"), std::string::npos) << second.body;
  // And it is closed once idle for longer than the replies said.
  EXPECT_TRUE(connection.ClosedByServerWithin(4000));
}

// CivetWeb gives each open connection a thread, idle or not, and a
// connection beyond them waits until one closes. With a long keep-alive,
// some browsers' idle connections must not shut others out: 40 connections
// kept open (about seven browsers' worth) and one more are all answered at
// once (the old 16 threads held the 17th for the whole keep-alive, 30 s).
TEST_F(HttpConnectionTest, IdleConnectionsDoNotShutOutANewClient) {
  StartWithKeepAlive(30);
  std::vector<std::unique_ptr<KeptAliveConnection>> idle;
  for (int i = 0; i < 40; ++i) {
    idle.push_back(std::make_unique<KeptAliveConnection>(port_, /*timeout_ms=*/10000));
    ASSERT_EQ(idle.back()->Get("/v1/policy").status, 200) << "connection " << i;
  }
  KeptAliveConnection another(port_, /*timeout_ms=*/10000);
  EXPECT_EQ(another.Get("/v1/policy").status, 200);
  // The first of them is still open and answers again.
  EXPECT_EQ(idle.front()->Get("/v1/policy").status, 200);
}

}  // namespace
}  // namespace jobmatch::testing
