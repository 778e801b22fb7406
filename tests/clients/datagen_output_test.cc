// The generator's outputs: JSON Lines files that are byte-identical for a
// seed and parse back to the records, and a RocksDB data folder that holds
// every record as jobmatchd stores it.
#include "clients/datagen/output.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/clients/reference_data.h"

namespace jobmatch::datagen {
namespace {

using testing::Data;

std::unique_ptr<Generator> Make(uint64_t seed, size_t seekers, size_t vacancies) {
  GeneratorOptions options;
  options.seed = seed;
  options.seekers = seekers;
  options.vacancies = vacancies;
  auto g = Generator::Create(&Data(), matcher::ReferenceData::SourceTreeDataDir(), options);
  EXPECT_TRUE(g.ok()) << g.status();
  return std::move(*g);
}

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               (name + "_" + std::to_string(::getpid())))
                  .string()) {
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return lines;
}

TEST(DatagenOutputTest, JsonLinesAreByteIdenticalForASeed) {
  TempDir a("datagen_a"), b("datagen_b"), c("datagen_c");
  for (const auto* dir : {&a, &b}) {
    OutputOptions options;
    options.out_dir = dir->path() + "/nested";
    auto counts = WriteDataSet(*Make(1, 400, 150), options);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->seekers, 400u);
    EXPECT_EQ(counts->vacancies, 150u);
  }
  OutputOptions other;
  other.out_dir = c.path();
  ASSERT_TRUE(WriteDataSet(*Make(2, 400, 150), other).ok());
  for (const char* file : {"seekers.jsonl", "vacancies.jsonl", "employers.jsonl"}) {
    const std::string x = Slurp(a.path() + "/nested/" + file);
    ASSERT_FALSE(x.empty()) << file;
    EXPECT_EQ(x, Slurp(b.path() + "/nested/" + file)) << file;
  }
  EXPECT_NE(Slurp(a.path() + "/nested/seekers.jsonl"), Slurp(c.path() + "/seekers.jsonl"));
  EXPECT_NE(Slurp(a.path() + "/nested/vacancies.jsonl"), Slurp(c.path() + "/vacancies.jsonl"));
}

TEST(DatagenOutputTest, EachLineParsesBackToTheGeneratedRecord) {
  TempDir dir("datagen_parse");
  auto generator = Make(3, 200, 80);
  OutputOptions options;
  options.out_dir = dir.path();
  ASSERT_TRUE(WriteDataSet(*generator, options).ok());
  const auto lines = Lines(Slurp(dir.path() + "/seekers.jsonl"));
  ASSERT_EQ(lines.size(), 200u);
  size_t i = 0;
  generator->Seekers([&](const v1::Seeker& expected) {
    v1::Seeker parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[i], &parsed).ok()) << lines[i];
    EXPECT_EQ(parsed.SerializeAsString(), expected.SerializeAsString()) << lines[i];
    ++i;
  });
  EXPECT_EQ(Lines(Slurp(dir.path() + "/vacancies.jsonl")).size(), 80u);
  EXPECT_EQ(Lines(Slurp(dir.path() + "/employers.jsonl")).size(), generator->employer_count());
}

TEST(DatagenOutputTest, UnwritableFolderIsAnError) {
  OutputOptions options;
  options.out_dir = "/proc/jobmatch-datagen-cannot-write-here";
  EXPECT_FALSE(WriteDataSet(*Make(1, 5, 5), options).ok());
}

TEST(DatagenOutputTest, DataFolderHoldsEveryRecord) {
  TempDir dir("datagen_store");
  auto generator = Make(4, 1000, 300);
  {
    storage::StoreOptions store_options;
    store_options.path = dir.path();
    auto store = storage::Store::Open(store_options);
    ASSERT_TRUE(store.ok()) << store.status();
    OutputOptions options;
    options.store = store->get();
    options.batch_size = 128;  // several batches
    auto counts = WriteDataSet(*generator, options);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->seekers, 1000u);
  }
  // Reopened: everything is there, parsable as the API records.
  storage::StoreOptions store_options;
  store_options.path = dir.path();
  auto store = storage::Store::Open(store_options);
  ASSERT_TRUE(store.ok()) << store.status();
  size_t seekers = 0, vacancies = 0, employers = 0;
  ASSERT_TRUE((*store)
                  ->ForEach(storage::RecordKind::kSeeker,
                            [&](const storage::StoredRecord& r) {
                              v1::Seeker s;
                              EXPECT_TRUE(s.ParseFromString(r.payload));
                              EXPECT_EQ(s.id(), r.id);
                              ++seekers;
                              return true;
                            })
                  .ok());
  ASSERT_TRUE((*store)
                  ->ForEach(storage::RecordKind::kVacancy,
                            [&](const storage::StoredRecord&) { return ++vacancies, true; })
                  .ok());
  ASSERT_TRUE((*store)
                  ->ForEach(storage::RecordKind::kEmployer,
                            [&](const storage::StoredRecord&) { return ++employers, true; })
                  .ok());
  EXPECT_EQ(seekers, 1000u);
  EXPECT_EQ(vacancies, 300u);
  EXPECT_EQ(employers, generator->employer_count());
  auto one = (*store)->Get(storage::RecordKind::kSeeker, "s0000042");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->meta.version, 1u);
}

}  // namespace
}  // namespace jobmatch::datagen
