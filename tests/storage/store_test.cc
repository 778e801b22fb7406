// Store against a real RocksDB in a temporary folder.
#include "storage/store.h"

#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iterator>
#include <map>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "storage/audit_table.h"
#include "storage/feedback_store.h"
#include "storage/snapshot_store.h"
#include "tests/storage/data_folder_dump.h"
#include "tests/storage/full_disk_file_system.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::storage {
namespace {

using ::jobmatch::testing::DumpDataFolder;
using ::jobmatch::testing::FullDiskFileSystem;
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

// Whether RocksDB reads `needle` back from any table file or log of `dir`
// (tests/storage/data_folder_dump.h). Fails the test if the folder cannot be
// read.
bool RocksDbSees(const std::string& dir, const std::string& needle) {
  auto dump = DumpDataFolder(dir);
  EXPECT_TRUE(dump.ok()) << dump.status();
  return dump.ok() && dump->Holds(needle);
}

// Reads every file under `dir` as raw bytes (the old check, kept only to show
// what it misses).
bool RawBytesContain(const std::string& dir, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content.find(needle) != std::string::npos) return true;
  }
  return false;
}

// A payload that compresses well, as real profiles do: the canary is in it
// once, followed by repetitive text.
std::string Compressible(const std::string& canary) {
  std::string payload = canary;
  for (int i = 0; i < 400; ++i) payload += " skill:http://data.europa.eu/esco/skill/" + std::to_string(i % 7);
  return payload;
}

TEST(StoreTest, ErasureRemovesCanaryFromEveryFile) {
  TempDir dir;
  const std::string canary = "CANARY-7f3a9c-personal-data";
  const std::string kept = "KEPT-b51e-control";
  auto store = OpenStore(dir.path());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-erase", "first " + canary, std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-erase", "second " + canary, std::nullopt},
                         absl::Now()).ok());
  ASSERT_TRUE(store->Put(RecordKind::kSeeker, {"s-keep", Compressible(kept), std::nullopt},
                         absl::Now()).ok());
  // Data derived from the seeker: a rematch list and feedback.
  v1::RematchRun run;
  run.set_run_id("run1");
  run.set_state("RUNNING");
  ASSERT_TRUE(store->snapshots().BeginRun(run).ok());
  v1::RematchMatches erased_list, kept_list;
  erased_list.add_matches()->set_id("match " + canary);
  kept_list.add_matches()->set_id("kept-match");
  ASSERT_TRUE(store->snapshots()
                  .PutLists("run1", RecordKind::kSeeker,
                            {{"s-erase", erased_list}, {"s-keep", kept_list}})
                  .ok());
  run.set_state("DONE");
  ASSERT_TRUE(store->snapshots().Commit(run, v1::RematchReport()).ok());
  v1::Feedback feedback;
  feedback.set_seeker_id("s-erase");
  feedback.set_vacancy_id("v1");
  feedback.set_decision_id("feedback " + canary);
  ASSERT_TRUE(store->feedback().Put(feedback).ok());
  // Positive control: the check sees the canary in the write-ahead log before
  // the erasure.
  ASSERT_TRUE(RocksDbSees(dir.path(), canary));

  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s-erase", std::nullopt).ok());
  EXPECT_FALSE(RocksDbSees(dir.path(), canary));
  // Positive control after the erasure: the kept record now lives in a
  // compressed (ZSTD, bottommost) table block, and the check still reads it.
  EXPECT_TRUE(RocksDbSees(dir.path(), kept));
  std::printf("raw byte search %s the kept record inside the compressed table\n",
              RawBytesContain(dir.path(), kept) ? "still finds" : "cannot find");
  // Other data is untouched, also after reopening.
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(store->ErasuresFinishedAtOpen(), 0u) << "the erasure had finished";
  EXPECT_FALSE(RocksDbSees(dir.path(), canary));
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-keep")->payload, Compressible(kept));
  EXPECT_EQ(store->snapshots().ReadList("run1", RecordKind::kSeeker, "s-keep")->matches(0).id(),
            "kept-match");
  EXPECT_EQ(store->snapshots().ReadList("run1", RecordKind::kSeeker, "s-erase").status().code(),
            absl::StatusCode::kNotFound);
}

// An erasure committed but not yet made physical (here: no new table can be
// made, so the flush fails, as if the process died before it) stays
// pending; the next Open finishes it before serving anything.
TEST(StoreTest, ErasureInterruptedAfterItsCommitIsFinishedAtOpen) {
  TempDir dir;
  const std::string canary = "CANARY-open-91c4-personal-data";
  auto fs = std::make_shared<FullDiskFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  {
    StoreOptions options{dir.path()};
    options.env = env.get();
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Put(RecordKind::kSeeker, {"s-1", Compressible(canary), std::nullopt},
                              absl::Now()).ok());
    ASSERT_TRUE((*store)->Delete(RecordKind::kSeeker, "s-0", std::nullopt).status().code() ==
                absl::StatusCode::kNotFound);  // (flushes nothing: nothing to erase)
    fs->SetRefuseNewTables(true);
    auto erased = (*store)->Delete(RecordKind::kSeeker, "s-1", std::nullopt);
    ASSERT_FALSE(erased.ok());
    EXPECT_EQ(erased.status().code(), absl::StatusCode::kResourceExhausted) << erased.status();
    EXPECT_NE(erased.status().message().find("erased, but removing its bytes"), std::string::npos)
        << erased.status();
    EXPECT_EQ((*store)->Get(RecordKind::kSeeker, "s-1").status().code(),
              absl::StatusCode::kNotFound);
    // Without the pending marker this is where erasure would stop: the bytes
    // are still there.
    EXPECT_TRUE(RocksDbSees(dir.path(), canary));
    fs->SetRefuseNewTables(false);
  }
  auto store = OpenStore(dir.path());
  EXPECT_EQ(store->ErasuresFinishedAtOpen(), 1u);
  EXPECT_FALSE(RocksDbSees(dir.path(), canary));
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-1").status().code(), absl::StatusCode::kNotFound);
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(store->ErasuresFinishedAtOpen(), 0u) << "the marker was removed";
}

// A retried Delete of an erased id still answers NOT_FOUND, but first
// completes a clean-up that was left pending.
TEST(StoreTest, RetriedDeleteCompletesAPendingErasureAndStillAnswersNotFound) {
  TempDir dir;
  const std::string canary = "CANARY-retry-0a7d-personal-data";
  auto fs = std::make_shared<FullDiskFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  StoreOptions options{dir.path()};
  options.env = env.get();
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Put(RecordKind::kSeeker, {"s-1", Compressible(canary), std::nullopt},
                            absl::Now()).ok());
  fs->SetRefuseNewTables(true);
  ASSERT_FALSE((*store)->Delete(RecordKind::kSeeker, "s-1", std::nullopt).ok());
  // Still no space: the retry cannot finish either, and says so.
  auto retried = (*store)->Delete(RecordKind::kSeeker, "s-1", std::nullopt);
  EXPECT_EQ(retried.status().code(), absl::StatusCode::kResourceExhausted) << retried.status();
  EXPECT_TRUE(RocksDbSees(dir.path(), canary));
  fs->SetRefuseNewTables(false);
  // Space is back. RocksDB resumes within seconds (its own recovery, or the
  // store's on the next write); until then a retry is still refused.
  for (int attempt = 0; attempt < 150; ++attempt) {
    retried = (*store)->Delete(RecordKind::kSeeker, "s-1", std::nullopt);
    if (retried.status().code() != absl::StatusCode::kResourceExhausted) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(retried.status().code(), absl::StatusCode::kNotFound) << retried.status();
  EXPECT_FALSE(RocksDbSees(dir.path(), canary));
  // Once clean, a further retry is a plain NOT_FOUND.
  EXPECT_EQ((*store)->Delete(RecordKind::kSeeker, "s-1", std::nullopt).status().code(),
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
  ASSERT_TRUE(RocksDbSees(dir.path(), canary));

  bool present_during_scan = false;
  int visited = 0;
  ASSERT_TRUE(store
                  ->ForEach(RecordKind::kSeeker,
                            [&](const StoredRecord&) {
                              ++visited;
                              EXPECT_TRUE(
                                  store->Delete(RecordKind::kSeeker, "s-erase", std::nullopt).ok());
                              present_during_scan = RocksDbSees(dir.path(), canary);
                              return false;
                            })
                  .ok());
  EXPECT_EQ(visited, 1);
  // The harness sees the pinned bytes while the scan is open...
  EXPECT_TRUE(present_during_scan);
  // ...and they are gone as soon as it ends, without another write.
  EXPECT_FALSE(RocksDbSees(dir.path(), canary));
  EXPECT_EQ(store->Get(RecordKind::kSeeker, "s-erase").status().code(),
            absl::StatusCode::kNotFound);
}

// A full disk: the write that finds no space is refused with
// RESOURCE_EXHAUSTED naming the cause, nothing acknowledged is lost, reads
// keep working throughout, and writes work again once space returns - in the
// same process, and after a restart.
TEST(StoreTest, FullDiskRefusesWritesKeepsReadsAndRecovers) {
  TempDir dir;
  auto fs = std::make_shared<FullDiskFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  StoreOptions options{dir.path()};
  options.env = env.get();
  std::map<std::string, std::string> acknowledged;
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 20; ++i) {
        const std::string id = "r" + std::to_string(round) + "-" + std::to_string(i);
        auto put = (*store)->Put(RecordKind::kSeeker, {id, "v-" + id, std::nullopt}, absl::Now());
        ASSERT_TRUE(put.ok()) << put.status();
        acknowledged[id] = "v-" + id;
      }
      fs->SetFull(true);
      for (int attempt = 0; attempt < 3; ++attempt) {
        auto refused = (*store)->Put(RecordKind::kSeeker,
                                     {"refused-" + std::to_string(round), "x", std::nullopt},
                                     absl::Now());
        ASSERT_FALSE(refused.ok()) << "a write on a full disk was acknowledged";
        EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted)
            << refused.status();
        EXPECT_NE(refused.status().message().find("disk is full"), std::string::npos)
            << refused.status();
        auto batch = (*store)->PutBatch(
            RecordKind::kSeeker, {{"b1", "x", std::nullopt}, {"b2", "y", std::nullopt}},
            absl::Now());
        for (const auto& r : batch) {
          EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted) << r.status();
        }
        v1::Feedback feedback;
        feedback.set_seeker_id(acknowledged.begin()->first);
        feedback.set_vacancy_id("v");
        EXPECT_EQ((*store)->feedback().Put(feedback).code(), absl::StatusCode::kResourceExhausted);
        // Reads keep working.
        for (const auto& [id, value] : acknowledged) {
          auto got = (*store)->Get(RecordKind::kSeeker, id);
          ASSERT_TRUE(got.ok()) << id << ": " << got.status();
          EXPECT_EQ(got->payload, value);
        }
        auto page = (*store)->List(RecordKind::kSeeker, "", 1000);
        ASSERT_TRUE(page.ok()) << page.status();
        EXPECT_EQ(page->records.size(), acknowledged.size());
      }
      EXPECT_GT(fs->refused(), 0);
      fs->SetFull(false);
      // Space is back: writes work again without a restart (RocksDB's own
      // recovery polls the free space, so a few attempts may still be
      // refused).
      const std::string id = "after-" + std::to_string(round);
      absl::StatusOr<WriteResult> put = absl::UnknownError("not tried");
      for (int attempt = 0; attempt < 50 && !put.ok(); ++attempt) {
        put = (*store)->Put(RecordKind::kSeeker, {id, "v-" + id, std::nullopt}, absl::Now());
        if (!put.ok()) absl::SleepFor(absl::Milliseconds(100));
      }
      ASSERT_TRUE(put.ok()) << put.status();
      acknowledged[id] = "v-" + id;
    }
  }
  auto store = OpenStore(dir.path());
  auto page = store->List(RecordKind::kSeeker, "", 1000);
  ASSERT_TRUE(page.ok());
  std::map<std::string, std::string> stored;
  for (const auto& r : page->records) stored[r.id] = r.payload;
  EXPECT_EQ(stored, acknowledged) << "exactly the acknowledged writes, nothing refused";
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
  EXPECT_EQ(store->audit().LastSequence(), 1u);
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
  EXPECT_EQ(store->audit().LastSequence(), 2u);
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s-1", std::nullopt, audit).ok());
  EXPECT_EQ(store->audit().LastSequence(), 3u);

  std::vector<std::string> values;
  ASSERT_TRUE(store->audit().Scan(0, [&](uint64_t seq, std::string_view v) {
                values.push_back(std::to_string(seq) + ":" + std::string(v));
                return true;
              }).ok());
  EXPECT_EQ(values, (std::vector<std::string>{"1:entry 1", "2:entry 2", "3:entry 3"}));
  store.reset();
  store = OpenStore(dir.path());
  EXPECT_EQ(store->audit().LastSequence(), 3u);
  EXPECT_EQ(*store->audit().Append(audit), 4u);
}

TEST(StoreTest, PruneAuditRemovesTheRangeAndKeepsTheAnchor) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  const std::string canary = "CANARY-audit-entry-5d2e";
  AuditEntryFn audit = [&](uint64_t seq, const std::vector<absl::StatusOr<WriteResult>>&)
      -> absl::StatusOr<std::string> { return canary + std::to_string(seq); };
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store->audit().Append(audit).ok());
  EXPECT_TRUE(absl::IsNotFound(store->audit().Anchor().status()));
  ASSERT_TRUE(store->audit().Prune(3, "anchor-3").ok());
  EXPECT_EQ(*store->audit().Anchor(), "anchor-3");
  std::vector<uint64_t> left;
  ASSERT_TRUE(store->audit().Scan(0, [&](uint64_t seq, std::string_view) {
                left.push_back(seq);
                return true;
              }).ok());
  EXPECT_EQ(left, std::vector<uint64_t>{4});
  EXPECT_FALSE(RocksDbSees(dir.path(), canary + "1"));
  EXPECT_EQ(*store->audit().Append(audit), 5u);
}

}  // namespace
}  // namespace jobmatch::storage
