// Reading and writing GLIBC_TUNABLES for glibc's malloc on huge pages.
#include "server/huge_pages.h"

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

TEST(HugePagesTest, AskedOnlyByTheTunableSetToOneOrTwo) {
  EXPECT_FALSE(MallocHugePagesAsked(nullptr));
  EXPECT_FALSE(MallocHugePagesAsked(""));
  EXPECT_TRUE(MallocHugePagesAsked("glibc.malloc.hugetlb=1"));
  EXPECT_TRUE(MallocHugePagesAsked("glibc.malloc.hugetlb=2"));
  EXPECT_FALSE(MallocHugePagesAsked("glibc.malloc.hugetlb=0"));
  EXPECT_TRUE(MallocHugePagesAsked("glibc.malloc.tcache_count=16:glibc.malloc.hugetlb=1"));
  // A different tunable with the same start, and the last setting counting.
  EXPECT_FALSE(MallocHugePagesAsked("glibc.malloc.hugetlbx=1"));
  EXPECT_FALSE(MallocHugePagesAsked("glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0"));
}

TEST(HugePagesTest, WrittenWithTheOtherTunablesKept) {
  EXPECT_EQ(WithMallocHugePages(nullptr, true), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(WithMallocHugePages(nullptr, false), "");
  EXPECT_EQ(WithMallocHugePages("glibc.malloc.tcache_count=16", true),
            "glibc.malloc.tcache_count=16:glibc.malloc.hugetlb=1");
  EXPECT_EQ(WithMallocHugePages("glibc.malloc.hugetlb=1:glibc.malloc.mxfast=0", false),
            "glibc.malloc.mxfast=0");
  EXPECT_EQ(WithMallocHugePages("glibc.malloc.hugetlb=0", true), "glibc.malloc.hugetlb=1");
  for (const char* start : {"", "glibc.malloc.hugetlb=2", "a=1:glibc.malloc.hugetlb=0:b=2"}) {
    EXPECT_TRUE(MallocHugePagesAsked(WithMallocHugePages(start, true).c_str())) << start;
    EXPECT_FALSE(MallocHugePagesAsked(WithMallocHugePages(start, false).c_str())) << start;
  }
}

}  // namespace
}  // namespace jobmatch
