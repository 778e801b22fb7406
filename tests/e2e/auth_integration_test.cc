// jobmatchd built with server/auth/: API keys from the configuration's
// security section authenticate calls, and the caller's municipalities scope
// what the seeker handlers show.
#include "server/auth/api_key_hash.h"
#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

class AuthenticatedServiceFixture : public ServiceFixture {
 protected:
  void SetUp() override {
    aarhus_ = LocationOf(8200).municipality();
    options_.security.api_keys.push_back(
        {"aarhus-case", auth::Sha256Hex("aarhus-secret"), auth::Role::kCaseSystem, {aarhus_}, false, {}});
    options_.security.api_keys.push_back(
        {"ops", auth::Sha256Hex("ops-secret"), auth::Role::kAdmin, {}, true, {}});
    Start();
    // Plaintext with authentication is loopback-only (local credentials).
    channel_ = grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(service_->port()),
        grpc::experimental::LocalCredentials(LOCAL_TCP));
    seekers_ = v1::SeekerService::NewStub(channel_);
  }
  std::unique_ptr<grpc::ClientContext> WithKey(const std::string& key) {
    auto context = Context();
    if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }
  grpc::Status Put(const std::string& key, const v1::Seeker& seeker, std::string* id = nullptr) {
    v1::UpsertSeekerRequest request;
    *request.mutable_seeker() = seeker;
    v1::WriteResult result;
    grpc::Status status = seekers_->Upsert(WithKey(key).get(), request, &result);
    if (id != nullptr) *id = result.id();
    return status;
  }
  int aarhus_ = 0;
};

TEST_F(AuthenticatedServiceFixture, ApiKeyAuthenticatesAndItsMunicipalitiesScopeSeekers) {
  EXPECT_EQ(Put("", ValidSeeker("anonymous", 8200)).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Put("wrong-secret", ValidSeeker("guess", 8200)).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A scoped caller creates seekers without an id (the server issues it).
  std::string in_aarhus;
  EXPECT_TRUE(Put("aarhus-secret", ValidSeeker("", 8200), &in_aarhus).ok());
  EXPECT_EQ(Put("aarhus-secret", ValidSeeker("", 8660)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Put("aarhus-secret", ValidSeeker("chosen", 8200)).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Put("ops-secret", ValidSeeker("in-skanderborg", 8660)).ok());

  v1::GetSeekerRequest get;
  v1::GetSeekerResponse got;
  get.set_id("in-skanderborg");
  EXPECT_EQ(seekers_->Get(WithKey("aarhus-secret").get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(seekers_->Get(WithKey("ops-secret").get(), get, &got).ok());
  get.set_id(in_aarhus);
  EXPECT_TRUE(seekers_->Get(WithKey("aarhus-secret").get(), get, &got).ok());
}

}  // namespace
}  // namespace jobmatch::testing
