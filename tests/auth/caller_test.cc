#include "server/auth/caller.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST(ApiKeyHashTest, CachedDigestIsTheDigestOfTheKeyAskedFor) {
  // Alternating keys, keys of equal length differing in one byte, a key
  // longer than what is remembered, on several threads at once.
  const std::string longer(300, 'k');
  const std::vector<std::string> keys = {"key-one", "key-two", "key-one", "", "key-onf",
                                         longer,    longer,    "abc",     "abc"};
  auto check = [&] {
    for (int round = 0; round < 200; ++round) {
      for (const std::string& key : keys) {
        const std::string& cached = CachedSha256Hex(key);
        if (cached != Sha256Hex(key)) return false;
      }
    }
    return true;
  };
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { wrong += !check(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(CachedSha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace jobmatch::auth
