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

}  // namespace
}  // namespace jobmatch
