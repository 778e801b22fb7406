// Test helper for CrashRecoveryTest: writes records "<prefix>-<i>" to the
// store at argv[1] one synced Put at a time and prints each index to stdout
// after the write is acknowledged, until killed.
#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "storage/store.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: crash_writer DATA_DIR PREFIX\n");
    return 64;
  }
  auto store = jobmatch::storage::Store::Open({argv[1]});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  const std::string prefix = argv[2];
  for (long i = 0;; ++i) {
    const std::string id = prefix + "-" + std::to_string(i);
    auto result = (*store)->Put(jobmatch::storage::RecordKind::kSeeker,
                                {id, "payload-of-" + id, std::nullopt}, absl::Now());
    if (!result.ok()) {
      std::fprintf(stderr, "put: %s\n", result.status().ToString().c_str());
      return 1;
    }
    std::printf("%ld\n", i);
    std::fflush(stdout);
  }
}
