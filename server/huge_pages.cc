#include "server/huge_pages.h"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace jobmatch {
namespace {

constexpr absl::string_view kTunable = "glibc.malloc.hugetlb";

bool IsOurs(absl::string_view item) { return absl::StartsWith(item, absl::StrCat(kTunable, "=")); }

}  // namespace

bool MallocHugePagesAsked(const char* tunables) {
  if (tunables == nullptr) return false;
  bool asked = false;
  for (absl::string_view item : absl::StrSplit(tunables, ':')) {
    // The last setting counts, as glibc reads them.
    if (IsOurs(item)) asked = item.substr(kTunable.size() + 1) == "1" ||
                              item.substr(kTunable.size() + 1) == "2";
  }
  return asked;
}

std::string WithMallocHugePages(const char* tunables, bool on) {
  std::vector<absl::string_view> kept;
  if (tunables != nullptr) {
    for (absl::string_view item : absl::StrSplit(tunables, ':', absl::SkipEmpty())) {
      if (!IsOurs(item)) kept.push_back(item);
    }
  }
  const std::string ours = absl::StrCat(kTunable, "=1");
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
