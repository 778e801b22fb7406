// jobmatchd with one API key per role (all municipalities; the employer owns
// "employer-1") and one more per role but the employer's scoped to Aarhus
// (ScopedSecretOf, and kScopedConsultant), reached over
// local credentials, and raw calls of any method by name: for the tests of
// the edge (per-call context, views, refusals; docs/security.md).
#ifndef JOBMATCH_TESTS_E2E_SECURITY_FIXTURE_H_
#define JOBMATCH_TESTS_E2E_SECURITY_FIXTURE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "server/auth/api_key_hash.h"
#include "server/auth/role.h"
#include "tests/e2e/api_fixture.h"
#include "tests/fuzz/raw_call.h"

namespace jobmatch::testing {

class SecurityFixture : public ServiceFixture {
 protected:
  static std::string SecretOf(auth::Role role) {
    return std::string(auth::RoleName(role)) + "-secret";
  }
  static constexpr char kScopedConsultant[] = "scoped-consultant-secret";
  // A key of `role` scoped to Aarhus (not for EMPLOYER).
  static std::string ScopedSecretOf(auth::Role role) {
    return "scoped-" + std::string(auth::RoleName(role)) + "-secret";
  }

  void SetUp() override {
    aarhus_ = LocationOf(8200).municipality();
    for (auth::Role role : auth::kAllRoles) {
      auth::ApiKey key;
      key.id = std::string(auth::RoleName(role)) + "-key";
      key.sha256_hex = auth::Sha256Hex(SecretOf(role));
      key.role = role;
      if (role == auth::Role::kEmployer) {
        key.employer_ids = {"employer-1"};
      } else {
        key.all_municipalities = true;
      }
      options_.security.api_keys.push_back(key);
    }
    auth::ApiKey scoped;
    scoped.id = "scoped-consultant";
    scoped.sha256_hex = auth::Sha256Hex(kScopedConsultant);
    scoped.role = auth::Role::kConsultant;
    scoped.municipalities = {aarhus_};
    options_.security.api_keys.push_back(scoped);
    // Every role but the employer's (which has no municipality scope) also
    // once scoped to Aarhus.
    for (auth::Role role : auth::kAllRoles) {
      if (role == auth::Role::kEmployer) continue;
      auth::ApiKey key;
      key.id = "scoped-" + std::string(auth::RoleName(role));
      key.sha256_hex = auth::Sha256Hex(ScopedSecretOf(role));
      key.role = role;
      key.municipalities = {aarhus_};
      options_.security.api_keys.push_back(key);
    }
    options_.security.rate_limit_per_second = 100000;
    options_.security.rate_limit_burst = 100000;
    Start();
    secure_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                  grpc::experimental::LocalCredentials(LOCAL_TCP));
  }

  // One call of `method` with `secret` (none if empty) and raw requests.
  fuzz::RawCallResult Raw(const std::string& method, const std::string& secret,
                          const std::vector<std::string>& requests,
                          std::vector<std::pair<std::string, std::string>> metadata = {}) {
    fuzz::RawCallOptions options;
    options.metadata = std::move(metadata);
    if (!secret.empty()) options.metadata.emplace_back("authorization", "Bearer " + secret);
    return fuzz::RawCall(secure_, method, requests, options);
  }
  fuzz::RawCallResult As(auth::Role role, const std::string& method,
                         const google::protobuf::Message& request) {
    return Raw(method, SecretOf(role), {request.SerializeAsString()});
  }

  // A nightly run started as ADMIN through the raw API, polled until it is
  // done (fails the test if it is not DONE within 10 s).
  void RunRematchAsAdmin() {
    auto started =
        As(auth::Role::kAdmin, "/jobmatch.v1.RematchService/StartRematch", v1::StartRematchRequest());
    ASSERT_TRUE(started.status.ok()) << started.status.error_message();
    v1::RematchRun run;
    ASSERT_TRUE(run.ParseFromString(started.responses.at(0)));
    for (int i = 0; i < 200 && run.state() == "RUNNING"; ++i) {
      absl::SleepFor(absl::Milliseconds(50));
      v1::GetRematchRunRequest get;
      get.set_run_id(run.run_id());
      auto polled = As(auth::Role::kAdmin, "/jobmatch.v1.RematchService/GetRematchRun", get);
      ASSERT_TRUE(polled.status.ok());
      ASSERT_TRUE(run.ParseFromString(polled.responses.at(0)));
    }
    ASSERT_EQ(run.state(), "DONE");
  }

  // Every audit entry so far.
  std::vector<v1::AuditEntry> AuditEntries() {
    std::vector<v1::AuditEntry> entries;
    EXPECT_TRUE(service_->audit_log()
                    .Scan(0, [&](const v1::AuditEntry& e) {
                      entries.push_back(e);
                      return true;
                    })
                    .ok());
    return entries;
  }

  // `bytes` as field 1 (length-delimited) of a message: a request around a
  // hand-made record.
  static std::string Field1(const std::string& bytes) {
    std::string out;
    google::protobuf::io::StringOutputStream stream(&out);
    {
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.WriteTag((1 << 3) | 2);
      coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
      coded.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
    }
    return out;
  }

  // Writes as admin through the authenticated channel.
  void Put(const google::protobuf::Message& record) {
    const std::string kind = record.GetDescriptor()->name();  // Seeker, Vacancy, Employer
    const std::string method = "/jobmatch.v1." + kind + "Service/Upsert";
    std::string request;
    // Upsert<Kind>Request { <kind> = 1 }: a length-delimited field 1.
    google::protobuf::io::StringOutputStream out(&request);
    {
      google::protobuf::io::CodedOutputStream coded(&out);
      coded.WriteTag((1 << 3) | 2);
      coded.WriteVarint32(static_cast<uint32_t>(record.ByteSizeLong()));
      record.SerializeToCodedStream(&coded);
    }
    // A unary call: no stream to give up on (a synced write on a busy
    // machine can take longer than Raw's idle limit).
    fuzz::RawCallOptions options;
    options.metadata = {{"authorization", "Bearer " + SecretOf(auth::Role::kAdmin)}};
    options.read_idle = absl::Seconds(10);
    auto result = fuzz::RawCall(secure_, method, {request}, options);
    ASSERT_TRUE(result.status.ok()) << method << ": " << result.status.error_message();
  }

  int aarhus_ = 0;
  std::shared_ptr<grpc::Channel> secure_;
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_E2E_SECURITY_FIXTURE_H_
