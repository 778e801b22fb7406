// RecordStamps over a real store: a stamp is the record's version and the
// SHA-256 of its stored bytes, remembered between lookups and forgotten
// when the change log names a write or erasure of the record, including
// writes made while other threads look up.
#include "server/audit/record_stamps.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_log.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::audit {
namespace {

using storage::RecordKind;
using storage::Store;

class RecordStampsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(storage::StoreOptions{dir_.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  uint64_t Put(RecordKind kind, const std::string& id, const std::string& bytes) {
    auto written = store_->Put(kind, storage::PutRequest{id, bytes, std::nullopt}, absl::Now());
    EXPECT_TRUE(written.ok()) << written.status();
    return written.ok() ? written->version : 0;
  }
  // What AddStoredRecord named before stamps were remembered.
  RecordStamp Truth(RecordKind kind, const std::string& id) {
    RecordStamp stamp;
    auto stored = store_->Get(kind, id);
    if (stored.ok()) {
      stamp.version = stored->meta.version;
      stamp.content_sha256 = ContentSha256(stored->payload);
    }
    return stamp;
  }

  jobmatch::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

void ExpectSame(const RecordStamp& a, const RecordStamp& b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.content_sha256, b.content_sha256);
}

TEST_F(RecordStampsTest, StampIsVersionAndHashOfStoredBytesAndIsRemembered) {
  Put(RecordKind::kSeeker, "s1", "first");
  RecordStamps stamps(store_.get());
  RecordStamp stamp = stamps.Get(RecordKind::kSeeker, "s1");
  EXPECT_EQ(stamp.version, 1u);
  EXPECT_EQ(stamp.content_sha256, ContentSha256("first"));
  EXPECT_EQ(stamps.misses(), 1u);
  ExpectSame(stamps.Get(RecordKind::kSeeker, "s1"), stamp);
  EXPECT_EQ(stamps.hits(), 1u);
  // Same id, other kind: another record.
  Put(RecordKind::kVacancy, "s1", "a vacancy");
  EXPECT_EQ(stamps.Get(RecordKind::kVacancy, "s1").content_sha256, ContentSha256("a vacancy"));
}

TEST_F(RecordStampsTest, AbsentRecordHasNoVersionNorHash) {
  RecordStamps stamps(store_.get());
  RecordStamp stamp = stamps.Get(RecordKind::kSeeker, "nobody");
  EXPECT_EQ(stamp.version, 0u);
  EXPECT_TRUE(stamp.content_sha256.empty());
  // Written afterwards: named as written.
  Put(RecordKind::kSeeker, "nobody", "now here");
  ExpectSame(stamps.Get(RecordKind::kSeeker, "nobody"), Truth(RecordKind::kSeeker, "nobody"));
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "nobody").version, 1u);
}

TEST_F(RecordStampsTest, WriteAndErasureAreSeenAtTheNextLookup) {
  Put(RecordKind::kSeeker, "s1", "v1");
  Put(RecordKind::kSeeker, "s2", "other");
  RecordStamps stamps(store_.get());
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "s1").version, 1u);
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "s2").version, 1u);
  Put(RecordKind::kSeeker, "s1", "v2");
  RecordStamp after = stamps.Get(RecordKind::kSeeker, "s1");
  EXPECT_EQ(after.version, 2u);
  EXPECT_EQ(after.content_sha256, ContentSha256("v2"));
  // The record not written stays remembered.
  const uint64_t hits = stamps.hits();
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "s2").version, 1u);
  EXPECT_EQ(stamps.hits(), hits + 1);
  ASSERT_TRUE(store_->Delete(RecordKind::kSeeker, "s1", std::nullopt).ok());
  RecordStamp erased = stamps.Get(RecordKind::kSeeker, "s1");
  EXPECT_EQ(erased.version, 0u);
  EXPECT_TRUE(erased.content_sha256.empty());
}

// Written through: a stamp handed over as a write is sealed is remembered
// once the write's change-log entry (same version and sequence) is read, so
// the next lookup is a hit, exactly as stored; one for a write that did not
// commit as handed over is not.
TEST_F(RecordStampsTest, StampHandedOverByACommittedWriteIsAHitAndExact) {
  Put(RecordKind::kVacancy, "other", "x");
  RecordStamps stamps(store_.get());
  stamps.Get(RecordKind::kVacancy, "other");  // caught up: later writes are read from the log
  // As the Auditor does: handed over before the write commits.
  uint64_t next = store_->LastSequence() + 1;
  stamps.Written(RecordKind::kVacancy, "v1", 1, next, ContentSha256("first"));
  ASSERT_EQ(Put(RecordKind::kVacancy, "v1", "first"), 1u);
  uint64_t misses = stamps.misses();
  ExpectSame(stamps.Get(RecordKind::kVacancy, "v1"), Truth(RecordKind::kVacancy, "v1"));
  EXPECT_EQ(stamps.misses(), misses);  // a hit
  // A write that does not hand over forgets it, as before.
  Put(RecordKind::kVacancy, "v1", "second");
  ExpectSame(stamps.Get(RecordKind::kVacancy, "v1"), Truth(RecordKind::kVacancy, "v1"));
  EXPECT_EQ(stamps.misses(), misses + 1);
  // Handed over for a write that did not commit as handed over (another
  // version, or another sequence): not remembered, the lookup reads the store.
  next = store_->LastSequence() + 1;
  stamps.Written(RecordKind::kVacancy, "v1", 7, next, ContentSha256("never stored"));
  stamps.Written(RecordKind::kVacancy, "v2", 1, next + 5, ContentSha256("never stored"));
  Put(RecordKind::kVacancy, "v1", "third");
  Put(RecordKind::kVacancy, "v2", "stored");
  misses = stamps.misses();
  RecordStamp v1 = stamps.Get(RecordKind::kVacancy, "v1");
  RecordStamp v2 = stamps.Get(RecordKind::kVacancy, "v2");
  EXPECT_EQ(stamps.misses(), misses + 2);
  ExpectSame(v1, Truth(RecordKind::kVacancy, "v1"));
  ExpectSame(v2, Truth(RecordKind::kVacancy, "v2"));
  EXPECT_EQ(v1.content_sha256, ContentSha256("third"));
  // Handed over, committed, then erased before the next lookup: absent.
  next = store_->LastSequence() + 1;
  stamps.Written(RecordKind::kVacancy, "v3", 1, next, ContentSha256("brief"));
  Put(RecordKind::kVacancy, "v3", "brief");
  ASSERT_TRUE(store_->Delete(RecordKind::kVacancy, "v3", std::nullopt).ok());
  RecordStamp v3 = stamps.Get(RecordKind::kVacancy, "v3");
  EXPECT_EQ(v3.version, 0u);
  EXPECT_TRUE(v3.content_sha256.empty());
}

TEST_F(RecordStampsTest, ManyWritesBetweenLookupsAreAllSeen) {
  RecordStamps stamps(store_.get());
  for (int i = 0; i < 10; ++i) Put(RecordKind::kSeeker, absl::StrCat("s", i), "old");
  for (int i = 0; i < 10; ++i) stamps.Get(RecordKind::kSeeker, absl::StrCat("s", i));
  // More changes than one page of the change log.
  for (int round = 0; round < 120; ++round) {
    for (int i = 0; i < 10; ++i) Put(RecordKind::kSeeker, absl::StrCat("s", i), absl::StrCat("new", round));
  }
  for (int i = 0; i < 10; ++i) {
    const std::string id = absl::StrCat("s", i);
    ExpectSame(stamps.Get(RecordKind::kSeeker, id), Truth(RecordKind::kSeeker, id));
    EXPECT_EQ(stamps.Get(RecordKind::kSeeker, id).version, 121u);
  }
}

TEST_F(RecordStampsTest, FullCapacityStillNamesEveryRecordExactly) {
  RecordStamps stamps(store_.get(), /*capacity=*/2);
  for (int i = 0; i < 5; ++i) Put(RecordKind::kVacancy, absl::StrCat("v", i), absl::StrCat("bytes", i));
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < 5; ++i) {
      const std::string id = absl::StrCat("v", i);
      ExpectSame(stamps.Get(RecordKind::kVacancy, id), Truth(RecordKind::kVacancy, id));
    }
  }
}

// Readers never see a record go back to an older version, and once the
// writer stops every stamp is the stored truth.
TEST_F(RecordStampsTest, LookupsRacingWritesNeverNameAnOlderVersion) {
  constexpr int kRecords = 8;
  for (int i = 0; i < kRecords; ++i) Put(RecordKind::kSeeker, absl::StrCat("s", i), "0");
  RecordStamps stamps(store_.get());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int round = 1; round <= 150; ++round) {
      for (int i = 0; i < kRecords; ++i) {
        Put(RecordKind::kSeeker, absl::StrCat("s", i), absl::StrCat(round));
      }
    }
    stop = true;
  });
  std::atomic<int> backwards{0}, wrong_hash{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::vector<uint64_t> seen(kRecords, 0);
      for (int n = 0; !stop; ++n) {
        const int i = (n + t) % kRecords;
        // Before the lookup began, the store held at least this version.
        auto before = store_->Get(RecordKind::kSeeker, absl::StrCat("s", i));
        RecordStamp stamp = stamps.Get(RecordKind::kSeeker, absl::StrCat("s", i));
        if (stamp.version < seen[i] || (before.ok() && stamp.version < before->meta.version)) {
          ++backwards;
        }
        // Version v holds the bytes of round v - 1.
        if (stamp.content_sha256 != ContentSha256(absl::StrCat(stamp.version - 1))) ++wrong_hash;
        seen[i] = stamp.version;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(wrong_hash.load(), 0);
  for (int i = 0; i < kRecords; ++i) {
    const std::string id = absl::StrCat("s", i);
    ExpectSame(stamps.Get(RecordKind::kSeeker, id), Truth(RecordKind::kSeeker, id));
    EXPECT_EQ(stamps.Get(RecordKind::kSeeker, id).version, 151u);
  }
}

// GetAll reads the store's sequence once for all its records: each record
// is still named at least at the version it had when the lookup began, and
// never older than what the same reader saw before.
TEST_F(RecordStampsTest, BatchLookupsRacingWritesNeverNameAnOlderVersion) {
  constexpr int kRecords = 8;
  std::vector<std::string> ids;
  for (int i = 0; i < kRecords; ++i) {
    ids.push_back(absl::StrCat("s", i));
    Put(RecordKind::kSeeker, ids.back(), "0");
  }
  std::vector<RecordStamps::Lookup> all;
  for (const std::string& id : ids) all.push_back({RecordKind::kSeeker, id});
  RecordStamps stamps(store_.get());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int round = 1; round <= 150; ++round) {
      // Records in turn, so a batch meets records at different rounds.
      for (int i = 0; i < kRecords; ++i) Put(RecordKind::kSeeker, ids[i], absl::StrCat(round));
    }
    stop = true;
  });
  std::atomic<int> backwards{0}, wrong_hash{0}, batches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      std::vector<uint64_t> seen(kRecords, 0);
      while (!stop) {
        std::vector<uint64_t> before(kRecords, 0);
        for (int i = 0; i < kRecords; ++i) {
          auto stored = store_->Get(RecordKind::kSeeker, ids[i]);
          if (stored.ok()) before[i] = stored->meta.version;
        }
        std::vector<RecordStamp> got = stamps.GetAll(all);
        ++batches;
        for (int i = 0; i < kRecords; ++i) {
          if (got[i].version < seen[i] || got[i].version < before[i]) ++backwards;
          if (got[i].content_sha256 != ContentSha256(absl::StrCat(got[i].version - 1))) {
            ++wrong_hash;
          }
          seen[i] = got[i].version;
        }
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_GT(batches.load(), 0);
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(wrong_hash.load(), 0);
  std::vector<RecordStamp> last = stamps.GetAll(all);
  for (int i = 0; i < kRecords; ++i) {
    ExpectSame(last[i], Truth(RecordKind::kSeeker, ids[i]));
    EXPECT_EQ(last[i].version, 151u);
  }
}

TEST_F(RecordStampsTest, BatchLookupCountsEachRecordOnceAndRepeatsAreHits) {
  Put(RecordKind::kSeeker, "s1", "a");
  Put(RecordKind::kVacancy, "v1", "b");
  RecordStamps stamps(store_.get());
  std::vector<RecordStamps::Lookup> asked = {{RecordKind::kSeeker, "s1"},
                                             {RecordKind::kVacancy, "v1"},
                                             {RecordKind::kVacancy, "absent"}};
  std::vector<RecordStamp> first = stamps.GetAll(asked);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].content_sha256, ContentSha256("a"));
  EXPECT_EQ(first[1].content_sha256, ContentSha256("b"));
  EXPECT_EQ(first[2].version, 0u);
  EXPECT_EQ(stamps.misses(), 3u);
  std::vector<RecordStamp> again = stamps.GetAll(asked);
  for (int i = 0; i < 3; ++i) ExpectSame(again[i], first[i]);
  EXPECT_EQ(stamps.hits(), 3u);
}

// Seeding as the start-up rebuild does it: the store's sequence is read,
// then one pass over the store hands each record to Seed().
void SeedFromStore(RecordStamps& stamps, const Store& store, std::optional<uint64_t> token) {
  ASSERT_TRUE(token.has_value());
  for (RecordKind kind : {RecordKind::kSeeker, RecordKind::kVacancy}) {
    ASSERT_TRUE(store
                    .ForEach(kind,
                             [&](const storage::StoredRecord& r) {
                               stamps.Seed(*token, kind, r.id, r.meta.version, r.payload);
                               return true;
                             })
                    .ok());
  }
}

TEST_F(RecordStampsTest, SeededStampsAreHitsAndExact) {
  for (int i = 0; i < 50; ++i) Put(RecordKind::kSeeker, absl::StrCat("s", i), absl::StrCat("seeker ", i));
  Put(RecordKind::kSeeker, "s7", "seeker 7, updated");
  Put(RecordKind::kVacancy, "v1", "a vacancy");
  // A capacity smaller than what is seeded: it grows rather than forgetting.
  RecordStamps stamps(store_.get(), /*capacity=*/8);
  SeedFromStore(stamps, *store_, stamps.BeginSeeding(store_->LastSequence()));
  EXPECT_EQ(stamps.size(), 51u);
  std::vector<RecordStamps::Lookup> asked;
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(absl::StrCat("s", i));
  for (const std::string& id : ids) asked.push_back({RecordKind::kSeeker, id});
  asked.push_back({RecordKind::kVacancy, "v1"});
  std::vector<RecordStamp> got = stamps.GetAll(asked);
  EXPECT_EQ(stamps.misses(), 0u);
  EXPECT_EQ(stamps.hits(), 51u);
  for (size_t i = 0; i < asked.size(); ++i) {
    ExpectSame(got[i], Truth(asked[i].kind, std::string(asked[i].id)));
  }
  EXPECT_EQ(got[7].version, 2u);
  // A bulk import of more records than one page of the change log, and a
  // write of a seeded one: the other seeded stamps stay (still hits), the
  // written one is named as written.
  std::vector<storage::PutRequest> batch;
  for (int i = 0; i < 5000; ++i) batch.push_back({absl::StrCat("imported", i), "v", std::nullopt});
  for (const auto& r : store_->PutBatch(RecordKind::kVacancy, std::move(batch), absl::Now())) {
    ASSERT_TRUE(r.ok()) << r.status();
  }
  Put(RecordKind::kSeeker, "s3", "seeker 3, updated");
  got = stamps.GetAll(asked);
  EXPECT_EQ(stamps.misses(), 1u);  // s3 only
  for (size_t i = 0; i < asked.size(); ++i) {
    ExpectSame(got[i], Truth(asked[i].kind, std::string(asked[i].id)));
  }
  EXPECT_EQ(got[3].content_sha256, ContentSha256("seeker 3, updated"));
}

TEST_F(RecordStampsTest, WritesAfterTheSeedingSequenceAreNotNamedFromTheSeed) {
  Put(RecordKind::kSeeker, "s1", "old");
  Put(RecordKind::kSeeker, "s2", "old");
  RecordStamps stamps(store_.get());
  const uint64_t as_of = store_->LastSequence();
  std::optional<uint64_t> token = stamps.BeginSeeding(as_of);
  ASSERT_TRUE(token.has_value());
  // Read by the pass before the write: the seeded stamp is the old record...
  auto s1 = store_->Get(RecordKind::kSeeker, "s1");
  ASSERT_TRUE(s1.ok());
  Put(RecordKind::kSeeker, "s1", "new");
  stamps.Seed(*token, RecordKind::kSeeker, "s1", s1->meta.version, s1->payload);
  // ...and the first lookup catches up from `as_of`, forgetting it.
  ExpectSame(stamps.Get(RecordKind::kSeeker, "s1"), Truth(RecordKind::kSeeker, "s1"));
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "s1").content_sha256, ContentSha256("new"));
  // A stamp seeded after that catch-up is not kept (the record may be newer).
  auto s2 = store_->Get(RecordKind::kSeeker, "s2");
  Put(RecordKind::kSeeker, "s2", "new");
  stamps.Get(RecordKind::kVacancy, "anything");  // a lookup catches up
  stamps.Seed(*token, RecordKind::kSeeker, "s2", s2->meta.version, s2->payload);
  EXPECT_EQ(stamps.Get(RecordKind::kSeeker, "s2").content_sha256, ContentSha256("new"));
}

TEST_F(RecordStampsTest, SeedingIsRefusedOnceCaughtUpPastItsSequence) {
  Put(RecordKind::kSeeker, "s1", "old");
  const uint64_t as_of = store_->LastSequence();
  RecordStamps stamps(store_.get());
  Put(RecordKind::kSeeker, "s1", "new");
  stamps.Get(RecordKind::kSeeker, "s2");  // caught up past `as_of`
  EXPECT_FALSE(stamps.BeginSeeding(as_of).has_value());
}

}  // namespace
}  // namespace jobmatch::audit
