// SnapshotStore against a real RocksDB in a temporary folder: what a reader
// can see of a run at each step of its life, a crash mid-run, pruning, and
// erasure of a record while a run is being written.
#include "storage/snapshot_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
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

v1::RematchRun MakeRun(const std::string& id, int64_t started_micros, const std::string& state) {
  v1::RematchRun run;
  run.set_run_id(id);
  run.set_started_micros(started_micros);
  run.set_state(state);
  return run;
}

v1::RematchMatches List(const std::string& run_id, std::vector<std::string> ids) {
  v1::RematchMatches list;
  list.set_run_id(run_id);
  for (size_t i = 0; i < ids.size(); ++i) {
    v1::RankedId* m = list.add_matches();
    m->set_id(ids[i]);
    m->set_rank(static_cast<int32_t>(i + 1));
  }
  return list;
}

void PutSeekers(Store* store, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    ASSERT_TRUE(store->Put(RecordKind::kSeeker, {id, "profile", std::nullopt}, absl::Now()).ok());
  }
}

// Begins, fills (one list per seeker, one vacancy list naming them all) and
// commits run `id`.
void CommitRun(Store* store, const std::string& id, int64_t started,
               const std::vector<std::string>& seekers) {
  ASSERT_TRUE(store->snapshots().BeginRun(MakeRun(id, started, "RUNNING")).ok());
  std::vector<std::pair<std::string, v1::RematchMatches>> lists;
  for (const auto& s : seekers) lists.emplace_back(s, List(id, {"v1"}));
  ASSERT_TRUE(store->snapshots().PutLists(id, RecordKind::kSeeker, lists).ok());
  ASSERT_TRUE(store->snapshots().PutLists(id, RecordKind::kVacancy, {{"v1", List(id, seekers)}}).ok());
  v1::RematchReport report;
  report.set_run_id(id);
  ASSERT_TRUE(store->snapshots().Commit(MakeRun(id, started, "DONE"), report).ok());
}

TEST(SnapshotStoreTest, ARunIsReadableOnlyOnceCommitted) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1", "s2"});
  SnapshotStore& snapshots = store->snapshots();
  EXPECT_TRUE(absl::IsNotFound(snapshots.Current().status()));
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r1", 1, "RUNNING")).ok());
  ASSERT_TRUE(snapshots.PutLists("r1", RecordKind::kSeeker, {{"s1", List("r1", {"v1", "v2"})}}).ok());
  // Written, not committed: invisible.
  EXPECT_EQ(snapshots.ReadList("r1", RecordKind::kSeeker, "s1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(snapshots.ReadReport("r1").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::IsNotFound(snapshots.Current().status()));
  // One run at a time.
  EXPECT_EQ(snapshots.BeginRun(MakeRun("r2", 2, "RUNNING")).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::RematchReport report;
  report.set_run_id("r1");
  EXPECT_EQ(snapshots.Commit(MakeRun("r1", 1, "RUNNING"), report).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(snapshots.Commit(MakeRun("r1", 1, "DONE"), report).ok());
  EXPECT_EQ(*snapshots.Current(), "r1");
  auto list = snapshots.ReadList("r1", RecordKind::kSeeker, "s1");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->matches_size(), 2);
  EXPECT_EQ(list->matches(1).id(), "v2");
  EXPECT_EQ(snapshots.ReadReport("r1")->run_id(), "r1");
  EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList("r1", RecordKind::kSeeker, "s2").status()));
  EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList("r9", RecordKind::kSeeker, "s1").status()));
  EXPECT_FALSE(snapshots.InProgress()->has_value());
  // A committed run takes no more lists.
  EXPECT_EQ(snapshots.PutLists("r1", RecordKind::kSeeker, {{"s2", List("r1", {})}}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SnapshotStoreTest, AnAbandonedRunIsNeverVisibleAndLeavesNoLists) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1", "s2"});
  CommitRun(store.get(), "r1", 1, {"s1", "s2"});
  SnapshotStore& snapshots = store->snapshots();
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r2", 2, "RUNNING")).ok());
  ASSERT_TRUE(snapshots.PutLists("r2", RecordKind::kSeeker, {{"s1", List("r2", {"v9"})}}).ok());
  EXPECT_EQ(snapshots.Abandon(MakeRun("r2", 2, "DONE")).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto deleted = snapshots.Abandon(MakeRun("r2", 2, "CANCELLED"));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1u);

  EXPECT_EQ(*snapshots.Current(), "r1");
  EXPECT_EQ(snapshots.GetRun("r2")->state(), "CANCELLED");
  EXPECT_EQ(snapshots.ReadList("r2", RecordKind::kSeeker, "s1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(snapshots.ReadList("r1", RecordKind::kSeeker, "s1")->matches(0).id(), "v1");
  EXPECT_FALSE(snapshots.InProgress()->has_value());
  auto counts = snapshots.ListCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->count("r2"), 0u);
  EXPECT_EQ(counts->at("r1"), 3u);
  // The current run cannot be abandoned; the next run can begin.
  EXPECT_EQ(snapshots.Abandon(MakeRun("r1", 1, "FAILED")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(snapshots.BeginRun(MakeRun("r3", 3, "RUNNING")).ok());
}

// A process that dies mid-run (no destructor, no flush: _exit) leaves the
// previous committed run current; the interrupted run is found in progress,
// is never readable, takes no more lists and cannot be committed; abandoning
// it removes its lists.
TEST(SnapshotStoreTest, ACrashMidRunLeavesThePreviousRunCurrent) {
  TempDir dir;
  {
    auto store = OpenStore(dir.path());
    PutSeekers(store.get(), {"s1", "s2"});
    CommitRun(store.get(), "r1", 1, {"s1", "s2"});
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = Store::Open(StoreOptions{dir.path()});
    if (!store.ok()) _exit(2);
    if (!(*store)->snapshots().BeginRun(MakeRun("r2", 2, "RUNNING")).ok()) _exit(3);
    if (!(*store)->snapshots()
             .PutLists("r2", RecordKind::kSeeker,
                       {{"s1", List("r2", {"v7"})}, {"s2", List("r2", {"v8"})}})
             .ok()) {
      _exit(4);
    }
    _exit(0);  // killed mid-run: the store is never closed
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  auto store = OpenStore(dir.path());
  SnapshotStore& snapshots = store->snapshots();
  EXPECT_EQ(*snapshots.Current(), "r1");
  EXPECT_EQ(snapshots.ReadList("r1", RecordKind::kSeeker, "s1")->matches(0).id(), "v1");
  auto interrupted = snapshots.InProgress();
  ASSERT_TRUE(interrupted.ok() && interrupted->has_value());
  EXPECT_EQ((*interrupted)->run_id(), "r2");
  EXPECT_EQ((*interrupted)->state(), "RUNNING");
  EXPECT_EQ(snapshots.ListCounts()->at("r2"), 2u);
  EXPECT_EQ(snapshots.ReadList("r2", RecordKind::kSeeker, "s1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(snapshots.PutLists("r2", RecordKind::kSeeker, {{"s1", List("r2", {})}}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(snapshots.Commit(MakeRun("r2", 2, "DONE"), v1::RematchReport()).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(snapshots.BeginRun(MakeRun("r3", 3, "RUNNING")).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::RematchRun failed = **interrupted;
  failed.set_state("FAILED");
  EXPECT_EQ(*snapshots.Abandon(failed), 2u);
  EXPECT_EQ(snapshots.ListCounts()->count("r2"), 0u);
  EXPECT_FALSE(snapshots.InProgress()->has_value());
  EXPECT_EQ(*snapshots.Current(), "r1");
}

TEST(SnapshotStoreTest, PruneKeepsTheNewestCompleteRuns) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1"});
  SnapshotStore& snapshots = store->snapshots();
  // Ids in the opposite order of their start times: Prune goes by time.
  CommitRun(store.get(), "r5", 10, {"s1"});
  CommitRun(store.get(), "r4", 20, {"s1"});
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("f3", 25, "RUNNING")).ok());
  ASSERT_TRUE(snapshots.Abandon(MakeRun("f3", 25, "FAILED")).ok());
  CommitRun(store.get(), "r3", 30, {"s1"});
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("f2", 35, "RUNNING")).ok());
  ASSERT_TRUE(snapshots.Abandon(MakeRun("f2", 35, "FAILED")).ok());
  CommitRun(store.get(), "r2", 40, {"s1"});
  CommitRun(store.get(), "r1", 50, {"s1"});
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("running", 60, "RUNNING")).ok());

  EXPECT_EQ(snapshots.Prune(0).status().code(), absl::StatusCode::kInvalidArgument);
  auto pruned = snapshots.Prune(2);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  // Kept: r1 and r2 (started 50 and 40). Gone: the older complete runs r3,
  // r4, r5, and the failed runs older than r2 (f2 at 35, f3 at 25). The
  // running run stays.
  EXPECT_EQ(*pruned, 5u);
  for (const char* gone : {"r3", "r4", "r5", "f2", "f3"}) {
    EXPECT_TRUE(absl::IsNotFound(snapshots.GetRun(gone).status())) << gone;
    EXPECT_TRUE(absl::IsNotFound(snapshots.ReadReport(gone).status())) << gone;
  }
  for (const char* kept : {"r1", "r2"}) {
    EXPECT_EQ(snapshots.ReadList(kept, RecordKind::kSeeker, "s1")->run_id(), kept);
  }
  EXPECT_EQ(snapshots.GetRun("running")->state(), "RUNNING");
  auto counts = snapshots.ListCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->size(), 2u);
  EXPECT_EQ(*snapshots.Current(), "r1");
  EXPECT_EQ(*snapshots.Prune(2), 0u);
}

// A record erased while a run is being written: its list is never written
// afterwards, and a vacancy's list written afterwards does not name it. (The
// untyped table wrote whatever it was given: the erased seeker's list was
// stored after the erasure and served from the committed run.)
TEST(SnapshotStoreTest, NoListOfARecordErasedSinceTheRunBegan) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1", "s2"});
  SnapshotStore& snapshots = store->snapshots();
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r1", 1, "RUNNING")).ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  ASSERT_TRUE(snapshots
                  .PutLists("r1", RecordKind::kSeeker,
                            {{"s1", List("r1", {"v1"})}, {"s2", List("r1", {"v1"})}})
                  .ok());
  ASSERT_TRUE(snapshots.PutLists("r1", RecordKind::kVacancy, {{"v1", List("r1", {"s1", "s2"})}}).ok());
  ASSERT_TRUE(snapshots.Commit(MakeRun("r1", 1, "DONE"), v1::RematchReport()).ok());

  EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList("r1", RecordKind::kSeeker, "s1").status()));
  EXPECT_TRUE(snapshots.ReadList("r1", RecordKind::kSeeker, "s2").ok());
  auto vacancy = snapshots.ReadList("r1", RecordKind::kVacancy, "v1");
  ASSERT_TRUE(vacancy.ok()) << vacancy.status();
  ASSERT_EQ(vacancy->matches_size(), 1);
  EXPECT_EQ(vacancy->matches(0).id(), "s2");
  EXPECT_EQ(snapshots.ListCounts()->at("r1"), 2u);
}

// Erasing a record erases its lists in every run, and only its own: not
// those of a record whose id it is a prefix of ("s1" / "s10"), nor, at the
// storage level, of an id that extends it past a '/' ("a" / "a/b"), which
// the untyped "seeker/<id>/" prefix covered.
TEST(SnapshotStoreTest, ErasureTakesTheRecordsListsAndOnlyThose) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1", "s10", "a", "a/b"});
  CommitRun(store.get(), "r1", 1, {"s1", "s10", "a", "a/b"});
  CommitRun(store.get(), "r2", 2, {"s1", "s10", "a", "a/b"});
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "a", std::nullopt).ok());
  SnapshotStore& snapshots = store->snapshots();
  for (const char* run : {"r1", "r2"}) {
    EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList(run, RecordKind::kSeeker, "s1").status()));
    EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList(run, RecordKind::kSeeker, "a").status()));
    EXPECT_TRUE(snapshots.ReadList(run, RecordKind::kSeeker, "s10").ok()) << run;
    EXPECT_TRUE(snapshots.ReadList(run, RecordKind::kSeeker, "a/b").ok()) << run;
  }
}

// A seeker's needs-blind list (docs/security.md §3) lives beside its list:
// read in that order where stored, else the list as ranked; erased with the
// seeker, also when the seeker is erased while the run is written; pruned
// with its run; never a vacancy's.
TEST(SnapshotStoreTest, ANeedsBlindListLivesAndDiesWithItsSeekersList) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  PutSeekers(store.get(), {"s1", "s2", "s3"});
  SnapshotStore& snapshots = store->snapshots();
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r1", 1, "RUNNING")).ok());
  ASSERT_TRUE(snapshots
                  .PutLists("r1", RecordKind::kSeeker,
                            {{"s1", List("r1", {"v1", "v2"})},
                             {"s2", List("r1", {"v1"})},
                             {"s3", List("r1", {"v1", "v2"})}})
                  .ok());
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s3", std::nullopt).ok());
  SnapshotStore::ListBatch blind(RecordKind::kSeeker, ListOrder::kNeedsBlind);
  blind.Add("s1", List("r1", {"v2", "v1"}));
  blind.Add("s3", List("r1", {"v2", "v1"}));  // erased since the run began: left out
  ASSERT_TRUE(snapshots.PutLists("r1", blind).ok());
  SnapshotStore::ListBatch vacancy_blind(RecordKind::kVacancy, ListOrder::kNeedsBlind);
  vacancy_blind.Add("v1", List("r1", {"s1"}));
  EXPECT_EQ(snapshots.PutLists("r1", vacancy_blind).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(snapshots.PutLists("r1", RecordKind::kVacancy, {{"v1", List("r1", {"s1", "s2"})}}).ok());
  ASSERT_TRUE(snapshots.Commit(MakeRun("r1", 1, "DONE"), v1::RematchReport()).ok());

  auto order = [&](const std::string& id, ListOrder o) {
    std::vector<std::string> ids;
    auto list = snapshots.ReadList("r1", RecordKind::kSeeker, id, o);
    EXPECT_TRUE(list.ok()) << id << ": " << list.status();
    if (list.ok()) {
      for (const auto& m : list->matches()) ids.push_back(m.id());
    }
    return ids;
  };
  EXPECT_EQ(order("s1", ListOrder::kAsRanked), (std::vector<std::string>{"v1", "v2"}));
  EXPECT_EQ(order("s1", ListOrder::kNeedsBlind), (std::vector<std::string>{"v2", "v1"}));
  EXPECT_EQ(order("s2", ListOrder::kNeedsBlind), (std::vector<std::string>{"v1"}));  // the same
  EXPECT_TRUE(absl::IsNotFound(
      snapshots.ReadList("r1", RecordKind::kSeeker, "s3", ListOrder::kNeedsBlind).status()));
  EXPECT_EQ(snapshots.ReadList("r1", RecordKind::kVacancy, "v1", ListOrder::kNeedsBlind)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(snapshots.ListCounts()->at("r1"), 3u);  // s1, s2, v1
  EXPECT_EQ(snapshots.NeedsBlindListCounts()->at("r1"), 1u);

  // Erasure takes both orders.
  ASSERT_TRUE(store->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  for (ListOrder o : {ListOrder::kAsRanked, ListOrder::kNeedsBlind}) {
    EXPECT_TRUE(absl::IsNotFound(snapshots.ReadList("r1", RecordKind::kSeeker, "s1", o).status()));
  }
  EXPECT_TRUE(snapshots.NeedsBlindListCounts()->empty());

  // Pruning takes a run's needs-blind lists with it.
  PutSeekers(store.get(), {"s4"});
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r2", 2, "RUNNING")).ok());
  ASSERT_TRUE(snapshots.PutLists("r2", RecordKind::kSeeker, {{"s4", List("r2", {"v1", "v2"})}}).ok());
  SnapshotStore::ListBatch blind2(RecordKind::kSeeker, ListOrder::kNeedsBlind);
  blind2.Add("s4", List("r2", {"v2", "v1"}));
  ASSERT_TRUE(snapshots.PutLists("r2", blind2).ok());
  ASSERT_TRUE(snapshots.Commit(MakeRun("r2", 2, "DONE"), v1::RematchReport()).ok());
  CommitRun(store.get(), "r3", 3, {"s4"});
  EXPECT_EQ(snapshots.NeedsBlindListCounts()->at("r2"), 1u);
  ASSERT_EQ(*snapshots.Prune(1), 2u);
  EXPECT_TRUE(snapshots.NeedsBlindListCounts()->empty());
}

TEST(SnapshotStoreTest, BadArgumentsAreRefusedAndNothingIsStored) {
  TempDir dir;
  auto store = OpenStore(dir.path());
  SnapshotStore& snapshots = store->snapshots();
  EXPECT_EQ(snapshots.BeginRun(MakeRun("", 1, "RUNNING")).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(snapshots.BeginRun(MakeRun("a/b", 1, "RUNNING")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(snapshots.BeginRun(MakeRun("r1", 1, "DONE")).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(snapshots.InProgress()->has_value());
  ASSERT_TRUE(snapshots.BeginRun(MakeRun("r1", 1, "RUNNING")).ok());
  EXPECT_EQ(snapshots.PutLists("r1", RecordKind::kEmployer, {{"e1", List("r1", {})}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(snapshots.ListCounts()->empty());
}

}  // namespace
}  // namespace jobmatch::storage
