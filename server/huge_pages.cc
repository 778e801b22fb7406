#include "server/huge_pages.h"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jobmatch {
namespace {

constexpr absl::string_view kOurs = "glibc.malloc.hugetlb=";

}  // namespace

bool MallocHugePagesAsked(const char* tunables) {
  if (tunables == nullptr) return false;
  bool asked = false;
  for (absl::string_view item : absl::StrSplit(tunables, ':')) {
    // The last setting counts, as glibc reads them.
    if (absl::ConsumePrefix(&item, kOurs)) asked = item == "1" || item == "2";
  }
  return asked;
}

std::string WithMallocHugePages(const char* tunables, bool on) {
  std::vector<absl::string_view> kept;
  if (tunables != nullptr) {
    for (absl::string_view item : absl::StrSplit(tunables, ':', absl::SkipEmpty())) {
      if (!absl::StartsWith(item, kOurs)) kept.push_back(item);
    }
  }
  const std::string ours = absl::StrCat(kOurs, "1");
  if (on) kept.push_back(ours);
  return absl::StrJoin(kept, ":");
}

std::string MallocHugePagesState() {
  if (!MallocHugePagesAsked(std::getenv("GLIBC_TUNABLES"))) {
    return "no (GLIBC_TUNABLES=glibc.malloc.hugetlb=1 is not set)";
  }
  std::string mode;
  std::getline(std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled"), mode);
  if (absl::StrContains(mode, "[never]")) return "no (the kernel's are off)";
  return "yes";
}

}  // namespace jobmatch
