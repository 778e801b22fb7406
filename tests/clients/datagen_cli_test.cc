// The jobmatch-datagen command: flags, exit codes, and the files it writes.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <iterator>
#include <string>

#include "gtest/gtest.h"
#include "storage/store.h"

namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult Datagen(const std::string& args) {
  CommandResult run;
  const std::string command = std::string(JOBMATCH_DATAGEN_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

size_t CountLines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

std::string TempPath(const std::string& name) {
  const auto path =
      std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  return path.string();
}

TEST(DatagenCliTest, WritesJsonLinesAndADataFolder) {
  const std::string out = TempPath("datagen_cli_out"), db = TempPath("datagen_cli_db");
  const CommandResult run = Datagen("--seed=3 --scale=0.001 --out_dir=" + out + " --data_dir=" + db);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("250 seekers, 60 vacancies"), std::string::npos) << run.output;
  EXPECT_EQ(CountLines(out + "/seekers.jsonl"), 250u);
  EXPECT_EQ(CountLines(out + "/vacancies.jsonl"), 60u);
  EXPECT_EQ(CountLines(out + "/employers.jsonl"), 103u + 10u);
  jobmatch::storage::StoreOptions options;
  options.path = db;
  auto store = jobmatch::storage::Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  auto page = (*store)->List(jobmatch::storage::RecordKind::kVacancy, "", 1000);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->records.size(), 60u);
  store->reset();
  std::filesystem::remove_all(out);
  std::filesystem::remove_all(db);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(DatagenCliTest, TwoRunsWithASeedWriteTheSameBytes) {
  const std::string a = TempPath("datagen_cli_a"), b = TempPath("datagen_cli_b");
  ASSERT_EQ(Datagen("--seed=11 --scale=0.001 --out_dir=" + a).exit_code, 0);
  ASSERT_EQ(Datagen("--seed=11 --scale=0.001 --out_dir=" + b).exit_code, 0);
  for (const char* file : {"/seekers.jsonl", "/vacancies.jsonl", "/employers.jsonl"}) {
    const std::string bytes = Slurp(a + file);
    EXPECT_FALSE(bytes.empty()) << file;
    EXPECT_EQ(bytes, Slurp(b + file)) << file;
  }
  // --today moves the dates (validity, availability, employers' contact
  // dates), not the employers otherwise.
  ASSERT_EQ(Datagen("--seed=11 --scale=0.001 --today=2027-01-01 --out_dir=" + b).exit_code, 0);
  const std::regex date("\"date_micros\":\"[0-9]+\"");
  EXPECT_EQ(std::regex_replace(Slurp(a + "/employers.jsonl"), date, ""),
            std::regex_replace(Slurp(b + "/employers.jsonl"), date, ""));
  EXPECT_NE(Slurp(a + "/employers.jsonl"), Slurp(b + "/employers.jsonl"));
  EXPECT_NE(Slurp(a + "/vacancies.jsonl"), Slurp(b + "/vacancies.jsonl"));
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
}

TEST(DatagenCliTest, BadScaleIsAUsageError) {
  const CommandResult run = Datagen("--scale=galactic --out_dir=" + TempPath("datagen_cli_bad"));
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_NE(run.output.find("scale"), std::string::npos) << run.output;
}

TEST(DatagenCliTest, NoDestinationIsAUsageError) {
  const CommandResult run = Datagen("--scale=0.001");
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_NE(run.output.find("--out_dir"), std::string::npos) << run.output;
}

TEST(DatagenCliTest, MissingReferenceDataFails) {
  const CommandResult run = Datagen("--scale=0.001 --reference_data=/nonexistent --out_dir=" +
                          TempPath("datagen_cli_ref"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("/nonexistent"), std::string::npos) << run.output;
}

}  // namespace
