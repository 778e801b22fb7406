// Store against a real RocksDB in a temporary folder.
#include "storage/store.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::storage {
namespace {

using ::jobmatch::testing::TempDir;

std::unique_ptr<Store> OpenStore(const std::string& path) {
  auto store = Store::Open(StoreOptions{path});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST(StoreTest, RoundTripsEveryRecordKindWithVersions) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  for (RecordKind kind : {RecordKind::kSeeker, RecordKind::kVacancy, RecordKind::kEmployer}) {
    auto first = store->Put(kind, {"id-1", "payload-a", std::nullopt}, now);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(first->version, 1u);
    auto second = store->Put(kind, {"id-1", "payload-b", std::nullopt}, now);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->version, 2u);
    EXPECT_GT(second->sequence, first->sequence);
    auto got = store->Get(kind, "id-1");
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->payload, "payload-b");
    EXPECT_EQ(got->meta.version, 2u);
    EXPECT_EQ(got->meta.sequence, second->sequence);
    EXPECT_EQ(got->meta.update_time_micros, absl::ToUnixMicros(now));
  }
  // Kinds are separate namespaces.
  EXPECT_EQ(store->LastSequence(), 6u);
}

TEST(StoreTest, DataSurvivesReopen) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path());
    ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "x", std::nullopt}, absl::Now()).ok());
  }
  auto store = OpenStore(dir.path());
  auto got = store->Get(RecordKind::kSeeker, "s1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->payload, "x");
  EXPECT_EQ(store->LastSequence(), 1u);
}

TEST(StoreTest, StaleExpectedVersionIsAbortedAndNothingStored) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "v1", std::nullopt}, absl::Now()).ok());
  auto stale = store->Put(RecordKind::kSeeker, {"s1", "v2", 0}, absl::Now());
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(stale.status().message().find("expected version 0"), std::string::npos);
  auto right = store->Put(RecordKind::kSeeker, {"s1", "v2", 1}, absl::Now());
  ASSERT_TRUE(right.ok());
  EXPECT_EQ(right->version, 2u);
  auto create_only = store->Put(RecordKind::kSeeker, {"s2", "new", 0}, absl::Now());
  EXPECT_TRUE(create_only.ok());
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s1")->payload, "v2");
  EXPECT_EQ(store->LastSequence(), 3u);
}

TEST(StoreTest, PutBatchRejectsOnlyConflictingRequests) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kVacancy, {"v1", "a", std::nullopt}, absl::Now()).ok());
  std::vector<PutRequest> batch = {{"v1", "b", 7}, {"v2", "c", std::nullopt},
                                   {"v2", "d", 1}, {"v3", "e", 0}};
  auto results = store->PutBatch(RecordKind::kVacancy, batch, absl::Now());
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(results[1].ok());
  ASSERT_TRUE(results[2].ok()) << results[2].status();  // sees v2 from this batch
  EXPECT_EQ(results[2]->version, 2u);
  EXPECT_TRUE(results[3].ok());
  EXPECT_EQ(store->Get(RecordKind::kVacancy, "v1")->payload, "a");
  EXPECT_EQ(store->Get(RecordKind::kVacancy, "v2")->payload, "d");
}

TEST(StoreTest, ListPagesInIdOrder) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  for (int i = 0; i < 25; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "e%02d", i);
    ASSERT_TRUE(store->Put(RecordKind::kEmployer, {id, "p", std::nullopt}, absl::Now()).ok());
  }
  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    auto page = store->List(RecordKind::kEmployer, after, 10);
    ASSERT_TRUE(page.ok());
    for (const auto& r : page->records) seen.push_back(r.id);
    after = page->next_after_id;
    ++pages;
  } while (!after.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(seen.front(), "e00");
  EXPECT_EQ(seen.back(), "e24");
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST(StoreTest, ChangeLogHasEveryWriteInSequenceOrder) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "a", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kVacancy, {"v1", "b", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  auto changes = store->ReadChangesSince(0, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].sequence, 1u);
  EXPECT_EQ((*changes)[0].id, "s1");
  EXPECT_EQ((*changes)[1].kind, RecordKind::kVacancy);
  EXPECT_EQ((*changes)[2].op, ChangeOp::kDelete);
  EXPECT_EQ((*changes)[2].sequence, 3u);
  auto tail = store->ReadChangesSince(2, 100);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ(tail->front().sequence, 3u);
}

TEST(StoreTest, DeleteOfMissingRecordIsNotFound) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  EXPECT_EQ(store->Delete(RecordKind::kSeeker, "nobody", std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "nobody").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(StoreTest, SecondOpenOfLockedFolderFailsClearly) {
  TempDir dir;
  auto first = OpenStore(dir.path());
  auto second = Store::Open(StoreOptions{dir.path()});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition) << second.status();
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos);
}

TEST(StoreTest, CorruptFolderIsReportedNotCrashed) {
  TempDir dir;
  { OpenStore(dir.path()); }
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind("MANIFEST", 0) == 0) {
      std::ofstream(entry.path(), std::ios::trunc) << "garbage";
    }
  }
  auto reopened = Store::Open(StoreOptions{dir.path()});
  ASSERT_FALSE(reopened.ok());
  EXPECT_TRUE(reopened.status().code() == absl::StatusCode::kDataLoss ||
              reopened.status().code() == absl::StatusCode::kInternal)
      << reopened.status();
}

// Reads every file under `dir` and reports whether `needle` occurs in any.
bool AnyFileContains(const std::string& dir, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(StoreTest, ErasureRemovesCanaryFromEveryFile) {
  TempDir dir;
  const std::string canary = "CANARY-7f3a9c-personal-data";
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-erase", "first " + canary, std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-erase", "second " + canary, std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-keep", "kept-record", std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->AuxPut(AuxTable::kMatches,
                            Store::MatchKeyPrefix(RecordKind::kSeeker, "s-erase") + "run1",
                            "match " + canary).ok());
  ASSERT_TRUE(store->AuxPut(AuxTable::kMatches,
                            Store::MatchKeyPrefix(RecordKind::kSeeker, "s-keep") + "run1",
                            "kept-match").ok());
  ASSERT_TRUE(store->AuxPut(AuxTable::kFeedback,
                            Store::MatchKeyPrefix(RecordKind::kSeeker, "s-erase") + "v1",
                            "feedback " + canary).ok());
  // Positive control: the canary is on disk (WAL) before erasure.
  ASSERT_TRUE(AnyFileContains(dir.path(), canary));

  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s-erase", std::nullopt).ok());
  EXPECT_FALSE(AnyFileContains(dir.path(), canary));
  // Other data is untouched, also after reopening.
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_FALSE(AnyFileContains(dir.path(), canary));
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-keep")->payload, "kept-record");
  EXPECT_EQ(*store->AuxGet(AuxTable::kMatches,
                           Store::MatchKeyPrefix(RecordKind::kSeeker, "s-keep") + "run1"),
            "kept-match");
  EXPECT_EQ(store->AuxGet(AuxTable::kMatches,
                          Store::MatchKeyPrefix(RecordKind::kSeeker, "s-erase") + "run1")
                .status().code(),
            absl::StatusCode::kNotFound);
}

// A scan holds an iterator, which pins the files it reads: an erasure during
// the scan cannot remove those files yet. They become obsolete when the scan
// ends and must be gone then (no explicit snapshots are ever taken, so the
// forced compaction already wrote clean files).
TEST(StoreTest, ErasureDuringALongScanIsCompleteWhenTheScanEnds) {
  TempDir dir;
  const std::string canary = "CANARY-scan-41b7-personal-data";
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-erase", "profile " + canary, std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-other", "other", std::nullopt},
                         absl::Now()).ok());
  // Erasing an unrelated record flushes, so the canary now sits in an SST file.
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s-other", std::nullopt).ok());
  ASSERT_TRUE(AnyFileContains(dir.path(), canary));

  bool present_during_scan = false;
  int visited = 0;
  ASSERT_TRUE(store
                  ->ForEach(RecordKind::kSeeker,
                            [&](const StoredRecord&) {
                              ++visited;
                              EXPECT_TRUE(
                                  store->Delete(RecordKind::kSeeker, "s-erase", std::nullopt).ok());
                              present_during_scan = AnyFileContains(dir.path(), canary);
                              return false;
                            })
                  .ok());
  EXPECT_EQ(visited, 1);
  // The harness sees the pinned bytes while the scan is open...
  EXPECT_TRUE(present_during_scan);
  // ...and they are gone as soon as it ends, without another write.
  EXPECT_FALSE(AnyFileContains(dir.path(), canary));
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-erase").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(StoreTest, CheckpointIsAnOpenableCopy) {
  TempDir dir;
  TempDir backup_parent;
  const std::string backup = backup_parent.path() + "/backup";
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s1", "x", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(store->Checkpoint(backup).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s2", "after", std::nullopt}, absl::Now()).ok());
  auto copy = OpenStore(backup);
  EXPECT_EQ(copy->Get(RecordKind::kSeeker, "s1")->payload, "x");
  EXPECT_EQ(copy->Get(RecordKind::kSeeker, "s2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(copy->LastSequence(), 1u);
}


// The audit entry of a write is part of the write's batch: both or neither.
TEST(StoreTest, AuditEntryCommitsWithTheWriteOrNothingIsWritten) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  std::vector<uint64_t> versions_seen;
  AuditEntryFn audit = [&](uint64_t seq, const std::vector<absl::StatusOr<WriteResult>>& results)
      -> absl::StatusOr<std::string> {
    for (const auto& r : results) versions_seen.push_back(r.ok() ? r->version : 0);
    return "entry " + std::to_string(seq);
  };
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-1", "p", std::nullopt}, now, audit).ok());
  EXPECT_EQ(store->LastAuditSequence(), 1u);
  EXPECT_EQ(versions_seen, std::vector<uint64_t>{1});

  AuditEntryFn failing = [](uint64_t, const std::vector<absl::StatusOr<WriteResult>>&)
      -> absl::StatusOr<std::string> { return absl::DataLossError("chain broken"); };
  auto refused = store->Put(RecordKind::kSeeker, {"s-1", "q", std::nullopt}, now, failing);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-1")->meta.version, 1u);
  EXPECT_EQ(store->LastSequence(), 1u);
  EXPECT_TRUE(absl::IsDataLoss(store->Delete(RecordKind::kSeeker, "s-1", std::nullopt, failing).status()));
  EXPECT_TRUE(store->Get(RecordKind::kSeeker, "s-1").ok());

  // A refused erasure is still audited, on its own.
  EXPECT_TRUE(absl::IsNotFound(store->Delete(RecordKind::kSeeker, "nobody", std::nullopt, audit).status()));
  EXPECT_EQ(store->LastAuditSequence(), 2u);
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s-1", std::nullopt, audit).ok());
  EXPECT_EQ(store->LastAuditSequence(), 3u);

  std::vector<std::string> values;
  ASSERT_TRUE(store->ScanAudit(0, [&](uint64_t seq, std::string_view v) {
                values.push_back(std::to_string(seq) + ":" + std::string(v));
                return true;
              }).ok());
  EXPECT_EQ(values, (std::vector<std::string>{"1:entry 1", "2:entry 2", "3:entry 3"}));
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(store->LastAuditSequence(), 3u);
  EXPECT_EQ(*store->AppendAudit(audit), 4u);
}

TEST(StoreTest, PruneAuditRemovesTheRangeAndKeepsTheAnchor) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  const std::string canary = "CANARY-audit-entry-5d2e";
  AuditEntryFn audit = [&](uint64_t seq, const std::vector<absl::StatusOr<WriteResult>>&)
      -> absl::StatusOr<std::string> { return canary + std::to_string(seq); };
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store->AppendAudit(audit).ok());
  EXPECT_TRUE(absl::IsNotFound(store->AuditAnchor().status()));
  ASSERT_TRUE(store->PruneAudit(3, "anchor-3").ok());
  EXPECT_EQ(*store->AuditAnchor(), "anchor-3");
  std::vector<uint64_t> left;
  ASSERT_TRUE(store->ScanAudit(0, [&](uint64_t seq, std::string_view) {
                left.push_back(seq);
                return true;
              }).ok());
  EXPECT_EQ(left, std::vector<uint64_t>{4});
  EXPECT_FALSE(AnyFileContains(dir.path(), canary + "1"));
  EXPECT_EQ(*store->AppendAudit(audit), 5u);
}

}  // namespace
}  // namespace jobmatch::storage

namespace jobmatch::storage {
namespace {

TEST(StoreTest, AuxWritePutsAndDeletesTogether) {
  jobmatch::testing::TempDir dir;
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->AuxPut(AuxTable::kMeta, "marker", "in progress").ok());
  ASSERT_TRUE(store->AuxWrite(AuxTable::kMeta, {{"record", "done"}, {"current", "r1"}},
                              {"marker", "never-written"})
                  .ok());
  EXPECT_EQ(store->AuxGet(AuxTable::kMeta, "marker").status().code(), absl::StatusCode::kNotFound);
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(*store->AuxGet(AuxTable::kMeta, "record"), "done");
  EXPECT_EQ(*store->AuxGet(AuxTable::kMeta, "current"), "r1");
  EXPECT_EQ(store->AuxGet(AuxTable::kMeta, "marker").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobmatch::storage
