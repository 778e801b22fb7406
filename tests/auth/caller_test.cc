#include "server/auth/caller.h"

#include "gtest/gtest.h"
#include "server/auth/api_key_hash.h"

namespace jobmatch::auth {
namespace {

TEST(CallerTest, MunicipalityScopeIsTheConfiguredListOrAll) {
  Caller consultant;
  consultant.role = Role::kConsultant;
  consultant.municipalities = {101, 147};
  EXPECT_TRUE(consultant.MayAccessMunicipality(101));
  EXPECT_TRUE(consultant.MayAccessMunicipality(147));
  EXPECT_FALSE(consultant.MayAccessMunicipality(751));
  Caller admin;
  admin.role = Role::kAdmin;
  admin.all_municipalities = true;
  EXPECT_TRUE(admin.MayAccessMunicipality(751));
  Caller nowhere;
  EXPECT_FALSE(nowhere.MayAccessMunicipality(101));
}

TEST(CallerTest, OnlyRolesWithANeedToKnowSeeFunctionalNeeds) {
  Caller caller;
  for (Role role : kAllRoles) {
    caller.role = role;
    const bool expected =
        role == Role::kCaseSystem || role == Role::kConsultant || role == Role::kAdmin;
    EXPECT_EQ(caller.MaySeeFunctionalNeeds(), expected) << RoleName(role);
  }
}

TEST(RoleTest, NamesRoundTripAndUnknownNamesAreRejected) {
  for (Role role : kAllRoles) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(ParseRole("consultant").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRole("ROOT").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ApiKeyHashTest, Sha256HexMatchesTheKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace jobmatch::auth
