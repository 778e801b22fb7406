// AccessScope: which municipalities a caller may see, and how a requested
// municipality filter is narrowed to them.
#include "server/access_scope.h"

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

TEST(AccessScopeTest, ScopedCallerMayAccessOnlyItsMunicipalities) {
  AccessScope scope;
  scope.municipalities = {751, 746};
  EXPECT_TRUE(scope.MayAccess(751));
  EXPECT_TRUE(scope.MayAccess(746));
  EXPECT_FALSE(scope.MayAccess(101));
  scope.all_municipalities = true;
  EXPECT_TRUE(scope.MayAccess(101));
}

TEST(AccessScopeTest, FilterIsNarrowedToTheScope) {
  AccessScope scope;
  scope.municipalities = {751, 746};
  bool none_left = true;
  EXPECT_EQ(scope.Narrow({}, &none_left), (std::vector<int>{751, 746})) << "all = the scope";
  EXPECT_FALSE(none_left);
  EXPECT_EQ(scope.Narrow({101, 746}, &none_left), (std::vector<int>{746}));
  EXPECT_FALSE(none_left);
  EXPECT_TRUE(scope.Narrow({101}, &none_left).empty());
  EXPECT_TRUE(none_left) << "an empty result must not read as 'all municipalities'";
  scope.all_municipalities = true;
  EXPECT_TRUE(scope.Narrow({}, &none_left).empty());
  EXPECT_FALSE(none_left);
}

}  // namespace
}  // namespace jobmatch
