// AuditLog over a real store: the chain, its verification against removed,
// altered and truncated entries, and retention pruning with an anchor.
#include "server/audit/audit_log.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "storage/audit_table.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::audit {
namespace {

using storage::Store;
using storage::StoreOptions;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    log_.reset();
    store_.reset();
    auto store = Store::Open(StoreOptions{dir_.path() + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    AuditLogOptions options;
    options.retention = absl::Hours(24 * 183);
    options.clock = [this] { return now_; };
    log_ = std::make_unique<AuditLog>(store_.get(), options);
  }
  uint64_t AppendCall(const std::string& method) {
    v1::AuditEntry entry;
    entry.set_caller_id("ops");
    entry.set_method(method);
    auto seq = log_->Append(entry);
    EXPECT_TRUE(seq.ok()) << seq.status();
    return seq.ok() ? *seq : 0;
  }
  v1::VerifyAuditChainResponse Verify() {
    auto report = log_->Verify();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::VerifyAuditChainResponse();
  }
  std::string RawEntry(uint64_t sequence) {
    std::string value;
    EXPECT_TRUE(store_->audit().Scan(sequence - 1, [&](uint64_t, std::string_view v) {
                        value.assign(v.data(), v.size());
                        return false;
                      }).ok());
    return value;
  }

  jobmatch::testing::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1'790'000'000);
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, EntriesGetGapFreeSequencesAndTheChainVerifies) {
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(AppendCall("m" + std::to_string(i)), uint64_t(i));
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.entries_checked(), 5u);
  EXPECT_EQ(report.last_sequence(), 5u);
  EXPECT_EQ(report.head_sha256().size(), 64u);
  auto third = log_->Get(3);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->method(), "m3");
  EXPECT_EQ(third->build_id(), BuildId());
}

// Concurrent appends share synced batches (group commit) and still form one
// gap-free chain.
TEST_F(AuditLogTest, ConcurrentAppendsFormOneGapFreeChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 50; ++i) AppendCall("thread-" + std::to_string(t));
    });
  }
  for (auto& thread : threads) thread.join();
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.entries_checked(), 400u);
  EXPECT_EQ(store_->audit().LastSequence(), 400u);
}

TEST_F(AuditLogTest, ChainContinuesAcrossReopen) {
  AppendCall("before");
  Open();
  EXPECT_EQ(AppendCall("after"), 2u);
  EXPECT_TRUE(Verify().intact()) << Verify().problem();
}

TEST_F(AuditLogTest, AlteredEntryIsNamed) {
  for (int i = 0; i < 4; ++i) AppendCall("call");
  v1::AuditLink link;
  ASSERT_TRUE(link.ParseFromString(RawEntry(3)));
  v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(link.entry()));
  entry.set_caller_id("somebody-else");
  link.set_entry(entry.SerializeAsString());
  ASSERT_TRUE(store_->audit().TamperForTest(3, link.SerializeAsString()).ok());
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_FALSE(report.intact());
  EXPECT_EQ(report.first_broken_sequence(), 3u);
  EXPECT_NE(report.problem().find("altered"), std::string::npos) << report.problem();
}

TEST_F(AuditLogTest, AlteredEntryWithRecomputedHashBreaksTheNextLink) {
  for (int i = 0; i < 4; ++i) AppendCall("call");
  v1::AuditLink link;
  ASSERT_TRUE(link.ParseFromString(RawEntry(2)));
  v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(link.entry()));
  entry.set_method("innocent");
  link.set_entry(entry.SerializeAsString());
  // A forger who recomputes the entry's own hash still breaks entry 3.
  link.set_hash(absl::HexStringToBytes(ContentSha256(link.previous_hash() + link.entry())));
  ASSERT_TRUE(store_->audit().TamperForTest(2, link.SerializeAsString()).ok());
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_FALSE(report.intact());
  EXPECT_EQ(report.first_broken_sequence(), 3u) << report.problem();
  EXPECT_NE(report.problem().find("does not follow entry 2"), std::string::npos)
      << report.problem();
}

TEST_F(AuditLogTest, RemovedEntryIsNamed) {
  for (int i = 0; i < 5; ++i) AppendCall("call");
  ASSERT_TRUE(store_->audit().TamperForTest(2, std::nullopt).ok());
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_FALSE(report.intact());
  EXPECT_EQ(report.first_broken_sequence(), 2u);
  EXPECT_NE(report.problem().find("missing"), std::string::npos) << report.problem();
}

TEST_F(AuditLogTest, RemovedLastEntryIsDetected) {
  for (int i = 0; i < 3; ++i) AppendCall("call");
  ASSERT_TRUE(store_->audit().TamperForTest(3, std::nullopt).ok());
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_FALSE(report.intact());
  EXPECT_EQ(report.first_broken_sequence(), 3u) << report.problem();
}

TEST_F(AuditLogTest, PruningRemovesOldEntriesAndTheRestStillVerifies) {
  for (int i = 0; i < 3; ++i) AppendCall("old");
  now_ += absl::Hours(24 * 100);
  for (int i = 0; i < 2; ++i) AppendCall("recent");
  now_ += absl::Hours(24 * 100);  // the first three are now 200 days old
  auto removed = log_->Prune();
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3u);
  EXPECT_TRUE(absl::IsNotFound(log_->Get(1).status()));
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.anchor_sequence(), 3u);
  EXPECT_EQ(report.entries_checked(), 2u);
  // The chain goes on from the anchor, also after a reopen.
  Open();
  EXPECT_EQ(AppendCall("next"), 6u);
  EXPECT_TRUE(Verify().intact()) << Verify().problem();
  // Removing the first retained entry is still caught.
  ASSERT_TRUE(store_->audit().TamperForTest(4, std::nullopt).ok());
  EXPECT_EQ(Verify().first_broken_sequence(), 4u);
}

TEST_F(AuditLogTest, PruningEverythingKeepsTheAnchorToChainFrom) {
  for (int i = 0; i < 3; ++i) AppendCall("old");
  now_ += absl::Hours(24 * 200);
  ASSERT_EQ(*log_->Prune(), 3u);
  Open();  // no cached head: the next entry chains from the anchor
  EXPECT_EQ(AppendCall("next"), 4u);
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.anchor_sequence(), 3u);
}

TEST_F(AuditLogTest, EntryFailsWhenItsPredecessorIsMissing) {
  for (int i = 0; i < 2; ++i) AppendCall("call");
  ASSERT_TRUE(store_->audit().TamperForTest(2, std::nullopt).ok());
  Open();  // no cached head
  v1::AuditEntry entry;
  entry.set_method("next");
  auto appended = log_->Append(entry);
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kDataLoss) << appended.status();
}

}  // namespace
}  // namespace jobmatch::audit
