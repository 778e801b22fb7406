// The configuration file: the shipped example parses; unknown keys and bad
// values are start-up errors naming the key.
#include "server/config.h"

#include <fstream>

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, ShippedExampleParsesAndApplies) {
  ServiceOptions options;
  ASSERT_TRUE(LoadConfigFile(JOBMATCH_EXAMPLE_CONFIG, &options).ok())
      << LoadConfigFile(JOBMATCH_EXAMPLE_CONFIG, &options);
  EXPECT_EQ(options.server.listen_address, "127.0.0.1:50051");
  EXPECT_EQ(options.data_dir, "/var/lib/jobmatch/db");
  EXPECT_EQ(options.metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(options.policy.occupation_breadth, 3);
  EXPECT_EQ(options.record_limits.import_batch, 512u);
  EXPECT_EQ(options.security.tls_cert_file, "/etc/jobmatch/tls/server.pem");
  ASSERT_EQ(options.security.api_keys.size(), 2u);
  EXPECT_EQ(options.security.api_keys[0].role, auth::Role::kCaseSystem);
}

TEST(ConfigTest, AuditRetentionDefaultsToSixMonthsAndRefusesLess) {
  ServiceOptions defaults;
  EXPECT_EQ(defaults.audit_retention, absl::Hours(24 * 183));
  ServiceOptions options;
  ASSERT_TRUE(LoadConfigFile(Write("audit.json", R"({"audit": {"retention_days": 400}})"),
                             &options).ok());
  EXPECT_EQ(options.audit_retention, absl::Hours(24 * 400));
  auto s = LoadConfigFile(Write("audit_short.json", R"({"audit": {"retention_days": 30}})"),
                          &options);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("audit.retention_days"), absl::string_view::npos) << s;
}

TEST(ConfigTest, UnknownKeyIsAnError) {
  ServiceOptions options;
  auto s = LoadConfigFile(Write("unknown.json", R"({"listn": "127.0.0.1:1"})"), &options);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("listn"), std::string::npos) << s;
}

TEST(ConfigTest, OutOfRangeValuesNameTheKey) {
  ServiceOptions options;
  auto s = LoadConfigFile(Write("range.json", R"({"limits": {"max_threads": 1}})"), &options);
  EXPECT_NE(s.message().find("limits.max_threads: must be within [2, 1024]"), std::string::npos) << s;
  s = LoadConfigFile(Write("policy.json", R"({"policy": {"requirements_share": 2}})"), &options);
  EXPECT_NE(s.message().find("policy.requirements_share"), std::string::npos) << s;
  s = LoadConfigFile(Write("type.json", R"({"shutdown_grace_seconds": "soon"})"), &options);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(LoadConfigFile("/nonexistent.json", &options).code(), absl::StatusCode::kNotFound);
}

TEST(ConfigTest, SecuritySectionMapsOntoSecurityOptions) {
  ServiceOptions options;
  const std::string hash(64, 'a');
  auto s = LoadConfigFile(Write("security.json", R"({
    "rematch_threads": 3,
    "security": {
      "tls_cert_file": "/etc/jobmatch/server.pem", "tls_key_file": "/etc/jobmatch/server.key",
      "client_ca_file": "/etc/jobmatch/ca.pem", "require_client_cert": true,
      "rate_limit_per_second": 50, "rate_limit_burst": 80,
      "api_keys": [
        {"id": "aarhus-case", "sha256_hex": ")" + hash + R"(", "role": "CASE_SYSTEM",
         "municipalities": [751, 101]},
        {"id": "ops", "sha256_hex": ")" + std::string(64, 'b') + R"(", "role": "ADMIN",
         "all_municipalities": true}],
      "client_certificates": [{"id": "nightly", "common_name": "rematch.jobmatch.internal",
         "role": "BATCH", "all_municipalities": true}],
      "max_stream_messages": 5000}})"),
                          &options);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(options.rematch_threads, 3);
  const auth::SecurityOptions& sec = options.security;
  EXPECT_EQ(sec.tls_cert_file, "/etc/jobmatch/server.pem");
  EXPECT_EQ(sec.tls_key_file, "/etc/jobmatch/server.key");
  EXPECT_EQ(sec.client_ca_file, "/etc/jobmatch/ca.pem");
  EXPECT_TRUE(sec.require_client_cert);
  EXPECT_FALSE(sec.allow_insecure_non_loopback);
  EXPECT_DOUBLE_EQ(sec.rate_limit_per_second, 50);
  EXPECT_EQ(sec.rate_limit_burst, 80);
  ASSERT_EQ(sec.api_keys.size(), 2u);
  EXPECT_EQ(sec.api_keys[0].id, "aarhus-case");
  EXPECT_EQ(sec.api_keys[0].sha256_hex, hash);
  EXPECT_EQ(sec.api_keys[0].role, auth::Role::kCaseSystem);
  EXPECT_EQ(sec.api_keys[0].municipalities, (std::vector<int>{751, 101}));
  EXPECT_FALSE(sec.api_keys[0].all_municipalities);
  EXPECT_EQ(sec.api_keys[1].role, auth::Role::kAdmin);
  EXPECT_TRUE(sec.api_keys[1].all_municipalities);
  ASSERT_EQ(sec.client_certificates.size(), 1u);
  EXPECT_EQ(sec.client_certificates[0].common_name, "rematch.jobmatch.internal");
  EXPECT_EQ(sec.client_certificates[0].role, auth::Role::kBatch);
  EXPECT_EQ(sec.max_stream_messages, 5000);
}

TEST(ConfigTest, EmployerKeysNameTheirEmployersInsteadOfMunicipalities) {
  ServiceOptions options;
  const std::string hash(64, 'b');
  ASSERT_TRUE(LoadConfigFile(Write("employer.json", R"({"security": {"api_keys": [{"id": "shop",
      "sha256_hex": ")" + hash + R"(", "role": "EMPLOYER", "employer_ids": ["e-1", "e-2"]}]}})"),
                             &options)
                  .ok());
  ASSERT_EQ(options.security.api_keys.size(), 1u);
  EXPECT_EQ(options.security.api_keys[0].role, auth::Role::kEmployer);
  EXPECT_EQ(options.security.api_keys[0].employer_ids, (std::vector<std::string>{"e-1", "e-2"}));
  EXPECT_TRUE(options.security.api_keys[0].municipalities.empty());
  EXPECT_FALSE(options.security.api_keys[0].all_municipalities);
}

TEST(ConfigTest, BadSecurityValuesNameTheKey) {
  const std::string hash(64, 'a');
  const std::pair<std::string, std::string> cases[] = {
      {R"({"security": {"tls_cert_file": "c.pem"}})", "security.tls_cert_file, security.tls_key_file"},
      {R"({"security": {"require_client_cert": true}})", "security.require_client_cert"},
      {R"({"security": {"rate_limit_per_second": 0}})", "security.rate_limit_per_second"},
      {R"({"security": {"rate_limit_burst": 0}})", "security.rate_limit_burst"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": "ABC", "role": "ADMIN",
          "all_municipalities": true}]}})", "security.api_keys[0].sha256_hex"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": ")" + hash +
           R"(", "all_municipalities": true}]}})", "security.api_keys[0].role"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": ")" + hash +
           R"(", "role": "ROOT", "all_municipalities": true}]}})", "ROOT"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": ")" + hash +
           R"(", "role": "ADMIN"}]}})", "security.api_keys[0].municipalities"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": ")" + hash +
           R"(", "role": "ADMIN", "municipalities": [7]}]}})", "security.api_keys[0].municipalities[0]"},
      {R"({"security": {"api_keys": [
          {"id": "k", "sha256_hex": ")" + hash + R"(", "role": "ADMIN", "all_municipalities": true},
          {"id": "k", "sha256_hex": ")" + std::string(64, 'c') + R"(", "role": "BATCH",
           "all_municipalities": true}]}})", "security.api_keys[1].id: \"k\" is used twice"},
      {R"({"security": {"api_keys": [
          {"id": "k", "sha256_hex": ")" + hash + R"(", "role": "ADMIN", "all_municipalities": true},
          {"id": "k2", "sha256_hex": ")" + hash + R"(", "role": "BATCH",
           "all_municipalities": true}]}})", "security.api_keys[1].sha256_hex: the same key"},
      {R"({"security": {"client_certificates": [{"id": "c", "role": "BATCH",
          "all_municipalities": true}]}})", "security.client_certificates[0].common_name"},
      {R"({"security": {"api_keys": [{"id": "ops", "sha256_hex": ")" + hash +
           R"(", "role": "ADMIN", "all_municipalities": true}],
          "client_certificates": [{"id": "ops", "common_name": "ops.example", "role": "BATCH",
           "all_municipalities": true}]}})", "security.client_certificates[0].id: \"ops\" is used twice"},
      {R"({"security": {"api_keys": [{"id": "shop", "sha256_hex": ")" + hash +
           R"(", "role": "EMPLOYER"}]}})", "security.api_keys[0].employer_ids: an EMPLOYER needs"},
      {R"({"security": {"api_keys": [{"id": "shop", "sha256_hex": ")" + hash +
           R"(", "role": "EMPLOYER", "employer_ids": ["e-1"], "all_municipalities": true}]}})",
       "security.api_keys[0].municipalities: an EMPLOYER has no municipality scope"},
      {R"({"security": {"api_keys": [{"id": "k", "sha256_hex": ")" + hash +
           R"(", "role": "BATCH", "employer_ids": ["e-1"], "all_municipalities": true}]}})",
       "security.api_keys[0].employer_ids: only for role EMPLOYER"},
      {R"({"security": {"max_stream_messages": -1}})", "security.max_stream_messages"},
      {R"({"security": {"tls_crt_file": "c.pem"}})", "tls_crt_file"},
      {R"({"rematch_threads": 0})", "rematch_threads: must be within [1, 64]"},
  };
  for (const auto& [json, expected] : cases) {
    ServiceOptions options;
    auto s = LoadConfigFile(Write("bad_security.json", json), &options);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_NE(s.message().find(expected), std::string::npos) << s << "\nexpected: " << expected;
  }
}

TEST(ConfigTest, OverridesWinOverTheFileAndAreValidatedLikeIt) {
  const std::string file = Write("base.json", R"({"listen": "127.0.0.1:7000",
      "policy": {"weight_commute": 2}, "limits": {"max_threads": 16}, "log_requests": true})");
  ServiceOptions options;
  ASSERT_TRUE(LoadConfig(file,
                         {{"listen", "127.0.0.1:7001"},
                          {"policy.weight_commute", "3.5"},
                          {"log_requests", "false"},
                          {"security.tls_cert_file", "/etc/tls/server.pem"},
                          {"security.tls_key_file", "/etc/tls/server.key"}},
                         &options)
                  .ok());
  EXPECT_EQ(options.server.listen_address, "127.0.0.1:7001");
  EXPECT_DOUBLE_EQ(options.policy.weight_commute, 3.5);
  EXPECT_EQ(options.server.max_threads, 16) << "keys not overridden keep the file's value";
  EXPECT_FALSE(options.log_requests);
  EXPECT_EQ(options.security.tls_key_file, "/etc/tls/server.key");

  const std::pair<std::pair<std::string, std::string>, std::string> bad[] = {
      {{"limits.max_threads", "1"}, "limits.max_threads: must be within [2, 1024]"},
      {{"limits.max_threads", "many"}, "limits.max_threads: not an integer"},
      {{"policy.weight_comute", "3"}, "policy.weight_comute: no such key"},
      {{"policy", "3"}, "policy: is a section"},
      {{"security.api_keys", "x"}, "security.api_keys: is a list"},
      {{"security.tls_cert_file", "only-cert.pem"}, "security.tls_cert_file, security.tls_key_file"},
      {{"log_requests", "sometimes"}, "log_requests: not true or false"},
  };
  for (const auto& [override_kv, expected] : bad) {
    ServiceOptions o;
    absl::Status s = LoadConfig(file, {override_kv}, &o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << override_kv.first;
    EXPECT_NE(s.message().find(expected), std::string::npos) << s << "\nexpected: " << expected;
  }
}

TEST(ConfigTest, OverridesAloneNeedNoFile) {
  ServiceOptions options;
  ASSERT_TRUE(LoadConfig("", {{"rematch_threads", "4"}}, &options).ok());
  EXPECT_EQ(options.rematch_threads, 4);
}

TEST(ConfigTest, ReadReplicaKeys) {
  ServiceOptions options;
  ASSERT_TRUE(LoadConfig("", {{"replica_of", "/srv/primary/db"},
                              {"primary_address", "jobmatchd:50051"},
                              {"replica_poll_ms", "250"}},
                         &options)
                  .ok());
  EXPECT_EQ(options.replica_of, "/srv/primary/db");
  EXPECT_EQ(options.primary_address, "jobmatchd:50051");
  EXPECT_EQ(options.replica_poll, absl::Milliseconds(250));
  ServiceOptions primary;
  ASSERT_TRUE(LoadConfig("", {}, &primary).ok());
  EXPECT_TRUE(primary.replica_of.empty());  // a primary by default
  ServiceOptions o;
  absl::Status s = LoadConfig("", {{"primary_address", "jobmatchd:50051"}}, &o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("primary_address"), std::string::npos) << s;
  s = LoadConfig("", {{"replica_of", "/srv/primary/db"}, {"replica_poll_ms", "5"}}, &o);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("replica_poll_ms"), std::string::npos) << s;
}

TEST(ConfigTest, HttpKeepAliveSecondsAndThreads) {
  ServiceOptions defaults;
  ASSERT_TRUE(LoadConfig("", {}, &defaults).ok());
  EXPECT_EQ(defaults.http.keep_alive_seconds, 5);
  EXPECT_EQ(defaults.http.threads, 64);
  ServiceOptions options;
  ASSERT_TRUE(
      LoadConfig("", {{"http_keep_alive_seconds", "30"}, {"http_threads", "200"}}, &options).ok());
  EXPECT_EQ(options.http.keep_alive_seconds, 30);
  EXPECT_EQ(options.http.threads, 200);
  const struct {
    const char* key;
    const char* value;
    const char* rule;
  } kBad[] = {{"http_keep_alive_seconds", "0", "http_keep_alive_seconds: must be within [1, 300]"},
              {"http_keep_alive_seconds", "301", "http_keep_alive_seconds: must be within [1, 300]"},
              {"http_threads", "0", "http_threads: must be within [1, 1024]"},
              {"http_threads", "1025", "http_threads: must be within [1, 1024]"}};
  for (const auto& bad : kBad) {
    ServiceOptions o;
    absl::Status s = LoadConfig("", {{bad.key, bad.value}}, &o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad.key << "=" << bad.value;
    EXPECT_NE(s.message().find(bad.rule), std::string::npos) << s;
    EXPECT_EQ(o.http.keep_alive_seconds, 5);
    EXPECT_EQ(o.http.threads, 64);
  }
}

}  // namespace
}  // namespace jobmatch
