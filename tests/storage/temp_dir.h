// A temporary folder for a test, removed with its contents at destruction.
#ifndef JOBMATCH_TESTS_STORAGE_TEMP_DIR_H_
#define JOBMATCH_TESTS_STORAGE_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace jobmatch::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "/jobmatch_test_XXXXXX";
    path_ = mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_STORAGE_TEMP_DIR_H_
