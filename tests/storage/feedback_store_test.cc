// FeedbackStore against a real RocksDB in a temporary folder: feedback lives
// and dies with its seeker, read back through the store and through RocksDB's
// own iteration of the data folder; and the bytes on disk are the layout
// every earlier data folder has.
#include "storage/feedback_store.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/snapshot_store.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::storage {
namespace {

using ::jobmatch::testing::TempDir;

std::unique_ptr<Store> OpenStore(const std::string& path) {
  auto store = Store::Open(StoreOptions{path});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

v1::Feedback Made(const std::string& seeker, const std::string& vacancy, int64_t time) {
  v1::Feedback f;
  f.set_seeker_id(seeker);
  f.set_vacancy_id(vacancy);
  f.set_outcome(v1::SHORTLISTED);
  f.set_time_micros(time);
  return f;
}

// "seeker@vacancy" of each entry Scan(seeker_id) yields, in order.
std::vector<std::string> Scanned(const Store& store, const std::string& seeker_id) {
  std::vector<std::string> out;
  absl::Status s = store.feedback().Scan(seeker_id, [&](const v1::Feedback& f) {
    out.push_back(f.seeker_id() + "@" + f.vacancy_id());
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// Every key and value of the column families, read with RocksDB itself (a
// read-only instance over the closed data folder): not a search of raw file
// bytes, which compression could hide.
std::map<std::string, std::map<std::string, std::string>> ReadFolder(const std::string& path) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors, &handles, &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::map<std::string, std::map<std::string, std::string>> out;
  if (!s.ok()) return out;
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < handles.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out[names[i]][it->key().ToString()] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok());
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return out;
}

TEST(FeedbackStoreTest, FeedbackIsStoredOnlyOnAStoredSeeker) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  EXPECT_TRUE(absl::IsNotFound(store->feedback().Put(Made("s1", "v1", 1))));
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "profile", std::nullopt}, absl::Now()).ok());
  EXPECT_TRUE(store->feedback().Put(Made("s1", "v1", 2)).ok());
  EXPECT_EQ(store->feedback().Put(Made("", "v1", 3)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->feedback().Put(Made("s1", "", 3)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Scanned(*store, ""), std::vector<std::string>{"s1@v1"});
}

// Feedback recorded after its seeker's erasure (a RecordFeedback that
// checked the seeker just before a DeleteSeeker committed) is refused: the
// untyped table stored it, under a prefix no erasure would ever visit again.
TEST(FeedbackStoreTest, FeedbackAfterTheSeekersErasureIsRefused) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "profile", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  absl::Status late = store->feedback().Put(Made("s1", "v1", 5));
  EXPECT_TRUE(absl::IsNotFound(late)) << late;
  EXPECT_NE(late.message().find("seeker s1 not found"), std::string::npos) << late;
  EXPECT_TRUE(Scanned(*store, "").empty());
  store.reset();
  EXPECT_TRUE(ReadFolder(dir.path())["feedback"].empty());
}

// PutAll (the placement-history import): one status per entry as Put would
// give it; entries on a missing seeker are not written, the others are, and
// they go with their seeker's erasure.
TEST(FeedbackStoreTest, PutAllStoresTheEntriesOfStoredSeekersOnly) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "profile", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s2", "profile", std::nullopt}, absl::Now()).ok());
  const auto results = store->feedback().PutAll(
      {Made("s1", "v1", 10), Made("gone", "v1", 11), Made("s2", "v1", 12), Made("s1", "", 13),
       Made("s1", "v2", 14)});
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(absl::IsNotFound(results[1])) << results[1];
  EXPECT_NE(results[1].message().find("seeker gone not found"), std::string::npos);
  EXPECT_TRUE(results[2].ok()) << results[2];
  EXPECT_EQ(results[3].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(results[4].ok()) << results[4];
  EXPECT_EQ(Scanned(*store, ""), (std::vector<std::string>{"s1@v1", "s1@v2", "s2@v1"}));
  EXPECT_TRUE(store->feedback().PutAll({}).empty());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  EXPECT_EQ(Scanned(*store, ""), std::vector<std::string>{"s2@v1"});
  store.reset();
  EXPECT_EQ(ReadFolder(dir.path())["feedback"].size(), 1u);
}

TEST(FeedbackStoreTest, ScanBySeekerIsExactAndInTimeOrder) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (const char* id : {"s1", "s10", "s2"}) {
    ASSERT_TRUE(store->Put(RecordKind::kSeeker, {id, "profile", std::nullopt}, absl::Now()).ok());
  }
  ASSERT_TRUE(store->feedback().Put(Made("s1", "late", 300)).ok());
  ASSERT_TRUE(store->feedback().Put(Made("s1", "early", 20)).ok());
  ASSERT_TRUE(store->feedback().Put(Made("s10", "v", 100)).ok());
  ASSERT_TRUE(store->feedback().Put(Made("s2", "v", 100)).ok());
  EXPECT_EQ(Scanned(*store, "s1"), (std::vector<std::string>{"s1@early", "s1@late"}));
  EXPECT_EQ(Scanned(*store, "s10"), std::vector<std::string>{"s10@v"});
  EXPECT_EQ(Scanned(*store, ""),
            (std::vector<std::string>{"s1@early", "s1@late", "s10@v", "s2@v"}));
  EXPECT_TRUE(Scanned(*store, "s").empty());
  // Stop early.
  int calls = 0;
  ASSERT_TRUE(store->feedback().Scan("", [&](const v1::Feedback&) { return ++calls < 2; }).ok());
  EXPECT_EQ(calls, 2);
}

// Erasing a seeker erases its feedback and only its own: RocksDB's iteration
// of the closed folder finds no key of the erased seeker, and every key of
// the others, "s10" and (at the storage level) "a/b" included.
TEST(FeedbackStoreTest, AnErasedSeekersFeedbackIsGoneFromTheDataFolder) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (const char* id : {"a", "a/b", "s1", "s10"}) {
    ASSERT_TRUE(store->Put(RecordKind::kSeeker, {id, "profile", std::nullopt}, absl::Now()).ok());
    ASSERT_TRUE(store->feedback().Put(Made(id, "v1", 7)).ok());
  }
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "a", std::nullopt).ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  EXPECT_EQ(Scanned(*store, ""), (std::vector<std::string>{"a/b@v1", "s10@v1"}));
  EXPECT_EQ(Scanned(*store, "a/b"), std::vector<std::string>{"a/b@v1"});
  store.reset();
  std::vector<std::string> seekers;
  for (const auto& [key, value] : ReadFolder(dir.path())["feedback"]) {
    v1::Feedback f;
    ASSERT_TRUE(f.ParseFromString(value)) << key;
    seekers.push_back(f.seeker_id());
  }
  EXPECT_EQ(seekers, (std::vector<std::string>{"a/b", "s10"}));
}

// The typed stores write the bytes the untyped table wrote (an existing data
// folder reads the same, and a new one can be read by an older jobmatchd).
TEST(FeedbackStoreTest, DerivedDataKeepsItsOnDiskLayout) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "profile", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->feedback().Put(Made("s1", "v1", 42)).ok());
  v1::RematchRun run;
  run.set_run_id("20261203T090000-ab12");
  run.set_state("RUNNING");
  ASSERT_TRUE(store->snapshots().BeginRun(run).ok());
  v1::RematchMatches list;
  list.add_matches()->set_id("v1");
  ASSERT_TRUE(store->snapshots().PutLists(run.run_id(), RecordKind::kSeeker, {{"s1", list}}).ok());
  ASSERT_TRUE(store->snapshots().PutLists(run.run_id(), RecordKind::kVacancy, {{"v1", list}}).ok());
  run.set_state("DONE");
  v1::RematchReport report;
  report.set_run_id(run.run_id());
  ASSERT_TRUE(store->snapshots().Commit(run, report).ok());
  store.reset();

  auto folder = ReadFolder(dir.path());
  EXPECT_EQ(folder["feedback"]["seeker/s1/00000000000000000042/v1"],
            Made("s1", "v1", 42).SerializeAsString());
  EXPECT_EQ(folder["matches"]["seeker/s1/20261203T090000-ab12"], list.SerializeAsString());
  EXPECT_EQ(folder["matches"]["vacancy/v1/20261203T090000-ab12"], list.SerializeAsString());
  EXPECT_EQ(folder["matches"].size(), 2u);
  EXPECT_EQ(folder["meta"]["rematch/run/20261203T090000-ab12"], run.SerializeAsString());
  EXPECT_EQ(folder["meta"]["rematch/report/20261203T090000-ab12"], report.SerializeAsString());
  EXPECT_EQ(folder["meta"]["rematch/current"], "20261203T090000-ab12");
  EXPECT_EQ(folder["meta"].count("rematch/in_progress"), 0u);
}

}  // namespace
}  // namespace jobmatch::storage
