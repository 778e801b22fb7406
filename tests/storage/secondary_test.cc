// A store opened as a RocksDB secondary over another store's data folder
// (StoreOptions::secondary_of, the read replica's storage): sees the
// primary's state at open, catches up on demand, reads the change log, never
// writes, and keeps reading after the primary closed.
#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "storage/feedback_store.h"
#include "storage/snapshot_store.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::storage {
namespace {

using ::jobmatch::testing::TempDir;

TEST(SecondaryStoreTest, FollowsThePrimaryOnCatchUpAndNeverWrites) {
  TempDir dir;
  auto primary = Store::Open({dir.path() + "/primary"});
  ASSERT_TRUE(primary.ok()) << primary.status();
  ASSERT_TRUE((*primary)->Put(RecordKind::kSeeker, {"s1", "one", std::nullopt}, absl::Now()).ok());

  StoreOptions options{dir.path() + "/secondary"};
  options.secondary_of = dir.path() + "/primary";
  auto secondary = Store::Open(options);
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  EXPECT_TRUE((*secondary)->is_secondary());
  EXPECT_FALSE((*primary)->is_secondary());
  EXPECT_EQ((*secondary)->LastSequence(), 1u);
  EXPECT_EQ((*secondary)->Get(RecordKind::kSeeker, "s1")->payload, "one");

  // Later writes appear only after a catch-up.
  ASSERT_TRUE((*primary)->Put(RecordKind::kSeeker, {"s2", "two", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE((*primary)->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  EXPECT_EQ((*secondary)->LastSequence(), 1u);
  EXPECT_TRUE(absl::IsNotFound((*secondary)->Get(RecordKind::kSeeker, "s2").status()));
  auto caught_up = (*secondary)->CatchUpWithPrimary();
  ASSERT_TRUE(caught_up.ok()) << caught_up.status();
  EXPECT_EQ((*secondary)->Get(RecordKind::kSeeker, "s2")->payload, "two");
  // The erasure flushed and compacted on the primary before the secondary
  // read its log: RocksDB 7.8 may still serve s1 from the secondary's
  // memtable (facebook/rocksdb #15051). A reopen reads the files afresh.
  auto reopened = (*secondary)->ReopenSecondary();
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*reopened, 3u);
  EXPECT_EQ((*secondary)->LastSequence(), 3u);
  EXPECT_EQ((*secondary)->Get(RecordKind::kSeeker, "s2")->payload, "two");
  EXPECT_TRUE(absl::IsNotFound((*secondary)->Get(RecordKind::kSeeker, "s1").status()));
  auto changes = (*secondary)->ReadChangesSince(1, 10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].id, "s2");
  EXPECT_EQ((*changes)[1].op, ChangeOp::kDelete);

  // Every write fails, and the primary's state is unchanged by the attempt.
  auto put = (*secondary)->Put(RecordKind::kSeeker, {"s3", "three", std::nullopt}, absl::Now());
  EXPECT_EQ(put.status().code(), absl::StatusCode::kFailedPrecondition) << put.status();
  v1::Feedback feedback;
  feedback.set_seeker_id("s2");
  feedback.set_vacancy_id("v");
  EXPECT_EQ((*secondary)->feedback().Put(feedback).code(), absl::StatusCode::kFailedPrecondition);
  v1::RematchRun run;
  run.set_run_id("r1");
  run.set_state("RUNNING");
  EXPECT_EQ((*secondary)->snapshots().BeginRun(run).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::IsNotFound((*primary)->Get(RecordKind::kSeeker, "s3").status()));
  EXPECT_EQ((*primary)->LastSequence(), 3u);
  // A primary store cannot "catch up".
  EXPECT_EQ((*primary)->CatchUpWithPrimary().status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*primary)->ReopenSecondary().status().code(), absl::StatusCode::kFailedPrecondition);

  // After a flush and compaction on the primary (its files change under the
  // secondary) and its close, the secondary still reads and catches up.
  ASSERT_TRUE((*primary)->Put(RecordKind::kSeeker, {"s4", "four", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE((*primary)->Checkpoint(dir.path() + "/checkpoint").ok());  // flushes
  primary->reset();
  caught_up = (*secondary)->CatchUpWithPrimary();
  ASSERT_TRUE(caught_up.ok()) << caught_up.status();
  EXPECT_EQ(*caught_up, 4u);
  EXPECT_EQ((*secondary)->Get(RecordKind::kSeeker, "s4")->payload, "four");
  EXPECT_EQ((*secondary)->Get(RecordKind::kSeeker, "s2")->payload, "two");
}

// ReplicaFollower's check of derived data: the seeker record is in a table
// file when the secondary opens, its feedback and its rematch list only in
// the write-ahead log; the primary then erases the seeker (flush,
// compaction). The caught-up secondary reads the record right but may serve
// the derived data (RocksDB 7.8, #15051); HasDerivedData sees what readers
// would be served, and a reopen clears it.
TEST(SecondaryStoreTest, HasDerivedDataSeesAStaleReadOfAnErasedSeekersData) {
  TempDir dir;
  auto primary = Store::Open({dir.path() + "/primary"});
  ASSERT_TRUE(primary.ok()) << primary.status();
  Store& p = **primary;
  ASSERT_TRUE(p.Put(RecordKind::kSeeker, {"s1", "one", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(p.Put(RecordKind::kSeeker, {"tmp", "x", std::nullopt}, absl::Now()).ok());
  ASSERT_TRUE(p.Delete(RecordKind::kSeeker, "tmp", std::nullopt).ok());  // flushes s1
  v1::Feedback feedback;
  feedback.set_seeker_id("s1");
  feedback.set_vacancy_id("v1");
  feedback.set_time_micros(1);
  ASSERT_TRUE(p.feedback().Put(feedback).ok());
  v1::RematchRun run;
  run.set_run_id("r1");
  run.set_state("RUNNING");
  ASSERT_TRUE(p.snapshots().BeginRun(run).ok());
  v1::RematchMatches list;
  list.add_matches()->set_id("v1");
  ASSERT_TRUE(p.snapshots().PutLists("r1", RecordKind::kSeeker, {{"s1", list}}).ok());
  run.set_state("DONE");
  ASSERT_TRUE(p.snapshots().Commit(run, v1::RematchReport()).ok());

  StoreOptions options{dir.path() + "/secondary"};
  options.secondary_of = dir.path() + "/primary";
  auto secondary = Store::Open(options);
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  Store& s = **secondary;
  ASSERT_TRUE(s.snapshots().ReadList("r1", RecordKind::kSeeker, "s1").ok());

  ASSERT_TRUE(p.Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  ASSERT_TRUE(s.CatchUpWithPrimary().ok());
  const bool record = s.Get(RecordKind::kSeeker, "s1").ok();
  const bool listed = s.snapshots().ReadList("r1", RecordKind::kSeeker, "s1").ok();
  int scanned = 0;
  ASSERT_TRUE(s.feedback().Scan("s1", [&](const v1::Feedback&) { return ++scanned > 0; }).ok());
  auto remains = s.HasDerivedData(RecordKind::kSeeker, "s1");
  ASSERT_TRUE(remains.ok()) << remains.status();
  // On RocksDB 7.8 (#15051) this prints "record 0, list 1, feedback 1": the
  // record reads right, its derived data does not.
  std::printf("after catch-up: record %d, list %d, feedback %d, detected %d\n", record, listed,
              scanned, *remains);
  EXPECT_FALSE(record);
  // The check ReplicaFollower makes sees exactly what readers would serve.
  EXPECT_EQ(*remains, listed || scanned > 0);
  ASSERT_TRUE(s.ReopenSecondary().ok());
  EXPECT_FALSE(s.Get(RecordKind::kSeeker, "s1").ok());
  EXPECT_FALSE(s.snapshots().ReadList("r1", RecordKind::kSeeker, "s1").ok());
  scanned = 0;
  ASSERT_TRUE(s.feedback().Scan("s1", [&](const v1::Feedback&) { return ++scanned > 0; }).ok());
  EXPECT_EQ(scanned, 0);
  EXPECT_FALSE(*s.HasDerivedData(RecordKind::kSeeker, "s1"));
}

TEST(SecondaryStoreTest, RefusesAFolderWithoutAStore) {
  TempDir dir;
  StoreOptions options{dir.path() + "/secondary"};
  options.secondary_of = dir.path() + "/nothing-here";
  auto secondary = Store::Open(options);
  ASSERT_FALSE(secondary.ok());
  EXPECT_NE(secondary.status().message().find("nothing-here"), std::string::npos)
      << secondary.status();
}

}  // namespace
}  // namespace jobmatch::storage
