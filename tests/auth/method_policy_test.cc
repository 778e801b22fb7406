#include "server/auth/method_policy.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace jobmatch::auth {
namespace {

TEST(MethodPolicyTest, EveryJobmatchRpcHasAPolicyEntry) {
  MethodPolicy policy = MethodPolicy::Default();
  // Five services, 26 RPCs when this was written; more may come.
  EXPECT_GE(policy.EnumeratedMethods().size(), 26u);
  EXPECT_EQ(policy.MethodsWithoutEntry(), std::vector<std::string>())
      << "RPCs without an entry in MethodPolicy::Default() are denied to every caller";
  EXPECT_EQ(policy.EntriesWithoutMethod(), std::vector<std::string>())
      << "policy entries naming no RPC of jobmatch.v1";
}

TEST(MethodPolicyTest, EnumerationFindsEveryServiceOfThePackage) {
  std::vector<std::string> methods = EnumerateRpcs("jobmatch.v1");
  for (const char* expected :
       {"/jobmatch.v1.SeekerService/Upsert", "/jobmatch.v1.VacancyService/Import",
        "/jobmatch.v1.EmployerService/List", "/jobmatch.v1.MatchService/WatchChanges",
        "/jobmatch.v1.RematchService/StartRematch"}) {
    EXPECT_TRUE(std::binary_search(methods.begin(), methods.end(), std::string(expected)))
        << expected;
  }
  EXPECT_TRUE(EnumerateRpcs("no.such.package").empty());
}

TEST(MethodPolicyTest, AnRpcWithoutAnEntryIsDeniedToEveryRoleAndReported) {
  // A table that forgot one RPC, as if it had just been added to the API.
  const std::string forgotten = "/jobmatch.v1.RematchService/StartRematch";
  std::vector<std::pair<std::string, RoleSet>> table;
  for (const std::string& method : EnumerateRpcs("jobmatch.v1")) {
    if (method != forgotten) table.emplace_back(method, RoleSet{Role::kAdmin});
  }
  MethodPolicy policy = MethodPolicy::FromTable(table, "jobmatch.v1", "test");
  EXPECT_EQ(policy.MethodsWithoutEntry(), std::vector<std::string>{forgotten});
  for (Role role : kAllRoles) {
    EXPECT_EQ(policy.Check(forgotten, role), MethodPolicy::Access::kUnknownMethod);
  }
  EXPECT_EQ(policy.Check("/jobmatch.v1.SeekerService/Get", Role::kAdmin),
            MethodPolicy::Access::kAllowed);
  EXPECT_EQ(policy.Check("/jobmatch.v1.SeekerService/Get", Role::kBatch),
            MethodPolicy::Access::kDenied);
}

TEST(MethodPolicyTest, HealthIsOpenReflectionNeedsAnyRoleAndLookalikesAreNot) {
  MethodPolicy policy = MethodPolicy::Default();
  EXPECT_EQ(policy.Check("/grpc.health.v1.Health/Check", Role::kBatch),
            MethodPolicy::Access::kOpen);
  EXPECT_EQ(policy.Check("/grpc.health.v1.Health/Watch", Role::kBatch),
            MethodPolicy::Access::kOpen);
  // Reflection also serves the internal configuration schema: credentials
  // needed, any role.
  EXPECT_FALSE(MethodPolicy::IsOpen(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));
  for (Role role : kAllRoles) {
    EXPECT_EQ(policy.Check("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", role),
              MethodPolicy::Access::kAllowed);
  }
  EXPECT_FALSE(MethodPolicy::IsOpen("/grpc.health.v1.HealthX/Check"));
  EXPECT_FALSE(MethodPolicy::IsOpen("/jobmatch.v1.SeekerService/Get"));
  EXPECT_FALSE(MethodPolicy::IsOpen("grpc.health.v1.Health/Check"));
}

TEST(MethodPolicyTest, AdminMayCallEveryRpcAndUnknownMethodsAreDenied) {
  MethodPolicy policy = MethodPolicy::Default();
  for (const std::string& method : policy.EnumeratedMethods()) {
    EXPECT_EQ(policy.Check(method, Role::kAdmin), MethodPolicy::Access::kAllowed) << method;
  }
  EXPECT_EQ(policy.Check("/jobmatch.v1.SeekerService/Truncate", Role::kAdmin),
            MethodPolicy::Access::kUnknownMethod);
  EXPECT_FALSE(policy.version().empty());
}

}  // namespace
}  // namespace jobmatch::auth
