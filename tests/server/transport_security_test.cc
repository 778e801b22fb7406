// Transport security: plaintext is refused on non-loopback
// addresses unless explicitly allowed, and the assembled service checks this
// before it touches storage.
#include "server/transport_security.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "server/jobmatch_service.h"

namespace jobmatch {
namespace {

TEST(TransportSecurityTest, PlaintextOnNonLoopbackIsRefusedUnlessAllowed) {
  auth::SecurityOptions config;
  config.auth_disabled_for_local_demo = true;
  auto refused = MakeTransportSecurity(config, "0.0.0.0:50051");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("0.0.0.0:50051"), std::string::npos)
      << refused.status();
  config.allow_insecure_non_loopback = true;
  auto allowed = MakeTransportSecurity(config, "0.0.0.0:50051");
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_NE(allowed->credentials, nullptr);
}

TEST(TransportSecurityTest, ServiceRefusesPlaintextOnPublicAddressBeforeOpeningStorage) {
  ServiceOptions options;
  options.server.listen_address = "0.0.0.0:0";
  options.data_dir = ::testing::TempDir() + "/refused-db";
  std::filesystem::remove_all(options.data_dir);
  auto service = JobmatchService::Start(options);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), absl::StatusCode::kFailedPrecondition) << service.status();
  EXPECT_FALSE(std::filesystem::exists(options.data_dir));
}

}  // namespace
}  // namespace jobmatch
