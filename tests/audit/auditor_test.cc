// Auditor::NameStored over a real store: records named by AddSubject /
// AddReturned are stamped when the call's entry is completed, all with one
// look at the store, each in the place it was named among the records
// named directly.
#include "server/audit/auditor.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_log.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::audit {
namespace {

using storage::RecordKind;
using storage::Store;

class AuditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(storage::StoreOptions{dir_.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    log_ = std::make_unique<AuditLog>(store_.get(), AuditLogOptions{});
    auditor_ = std::make_unique<Auditor>(log_.get(), store_.get());
  }
  void Put(RecordKind kind, const std::string& id, const std::string& bytes) {
    auto written = store_->Put(kind, storage::PutRequest{id, bytes, std::nullopt}, absl::Now());
    ASSERT_TRUE(written.ok()) << written.status();
  }

  jobmatch::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuditLog> log_;
  std::unique_ptr<Auditor> auditor_;
};

TEST_F(AuditorTest, NamesKeepTheirPlaceAmongRecordsNamedDirectly) {
  Put(RecordKind::kSeeker, "s1", "seeker");
  Put(RecordKind::kVacancy, "v1", "one");
  Put(RecordKind::kVacancy, "v2", "two");
  v1::AuditEntry entry;
  std::vector<Auditor::StoredName> names;
  // SUBJECT s1, then a record named directly, then v1 and v2 RETURNED, then
  // another named directly.
  names.push_back({RecordKind::kSeeker, "s1", "SUBJECT", entry.records_size()});
  Auditor::AddRecord(RecordKind::kEmployer, "e1", 0, "", "SUBJECT", &entry);
  names.push_back({RecordKind::kVacancy, "v1", "RETURNED", entry.records_size()});
  names.push_back({RecordKind::kVacancy, "v2", "RETURNED", entry.records_size()});
  Auditor::AddRecord(RecordKind::kEmployer, "e2", 0, "", "READ", &entry);
  auditor_->NameStored(&names, &entry);
  EXPECT_TRUE(names.empty());
  ASSERT_EQ(entry.records_size(), 5);
  const std::vector<std::string> order = {"s1", "e1", "v1", "v2", "e2"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(entry.records(i).id(), order[i]) << i;
  EXPECT_EQ(entry.records(0).use(), "SUBJECT");
  EXPECT_EQ(entry.records(0).kind(), "seeker");
  EXPECT_EQ(entry.records(0).version(), 1u);
  EXPECT_EQ(entry.records(0).content_sha256(), ContentSha256("seeker"));
  EXPECT_EQ(entry.records(3).use(), "RETURNED");
  EXPECT_EQ(entry.records(3).content_sha256(), ContentSha256("two"));
}

TEST_F(AuditorTest, RecordWrittenAfterItWasNamedIsStampedAsStoredAtCompletion) {
  Put(RecordKind::kVacancy, "v1", "old");
  v1::AuditEntry entry;
  std::vector<Auditor::StoredName> names;
  names.push_back({RecordKind::kVacancy, "v1", "RETURNED", 0});
  names.push_back({RecordKind::kVacancy, "gone", "RETURNED", 0});
  // Remembered at the old version by an earlier call...
  std::vector<Auditor::StoredName> earlier = {{RecordKind::kVacancy, "v1", "RETURNED", 0}};
  v1::AuditEntry earlier_entry;
  auditor_->NameStored(&earlier, &earlier_entry);
  ASSERT_EQ(earlier_entry.records(0).version(), 1u);
  // ...then written while this call was running.
  Put(RecordKind::kVacancy, "v1", "new");
  auditor_->NameStored(&names, &entry);
  ASSERT_EQ(entry.records_size(), 2);
  EXPECT_EQ(entry.records(0).version(), 2u);
  EXPECT_EQ(entry.records(0).content_sha256(), ContentSha256("new"));
  EXPECT_EQ(entry.records(1).version(), 0u);  // absent: no version, no hash
  EXPECT_TRUE(entry.records(1).content_sha256().empty());
}

// A write through the Auditor hands its stamp over: the record it wrote is
// named at its next lookup without reading the store, with the version and
// hash a read of the store gives.
TEST_F(AuditorTest, RecordWrittenThroughTheAuditorIsNamedWithoutAStoreRead) {
  Put(RecordKind::kVacancy, "before", "b");
  std::vector<Auditor::StoredName> prime = {{RecordKind::kVacancy, "before", "RETURNED", 0}};
  v1::AuditEntry primed;
  auditor_->NameStored(&prime, &primed);
  v1::AuditEntry write_entry;
  write_entry.set_method("/jobmatch.v1.VacancyService/Import");
  auto results = store_->PutBatch(
      RecordKind::kVacancy,
      {{"v1", "one", std::nullopt}, {"v2", "two", std::nullopt}, {"v1", "one again", std::nullopt}},
      absl::Now(),
      auditor_->ForWrite(write_entry, RecordKind::kVacancy,
                         {{"v1", "one"}, {"v2", "two"}, {"v1", "one again"}}));
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.status();
  const uint64_t misses = auditor_->stamps().misses();
  std::vector<Auditor::StoredName> names = {{RecordKind::kVacancy, "v1", "RETURNED", 0},
                                            {RecordKind::kVacancy, "v2", "RETURNED", 0}};
  v1::AuditEntry entry;
  auditor_->NameStored(&names, &entry);
  EXPECT_EQ(auditor_->stamps().misses(), misses);
  ASSERT_EQ(entry.records_size(), 2);
  EXPECT_EQ(entry.records(0).version(), 2u);
  EXPECT_EQ(entry.records(0).content_sha256(), ContentSha256("one again"));
  EXPECT_EQ(entry.records(1).version(), 1u);
  EXPECT_EQ(entry.records(1).content_sha256(), ContentSha256("two"));
}

}  // namespace
}  // namespace jobmatch::audit
