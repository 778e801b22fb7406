// The change feed (MatchService.WatchChanges, server/change_feed.h) is
// audited like every RPC, through the call's context: its opening, and every
// batch of changes it sends, naming each record the batch names, before the
// batch is sent (docs/security.md §7). Against a real jobmatchd.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "jobmatch/v1/audit_service.pb.h"
#include "server/change_feed.h"
#include "tests/e2e/security_fixture.h"

namespace jobmatch::testing {
namespace {

using auth::Role;

constexpr char kWatch[] = "/jobmatch.v1.MatchService/WatchChanges";

class ChangeFeedTest : public SecurityFixture {
 protected:
  // The feed read to its end as `secret`, with `request_id`.
  fuzz::RawCallResult Watch(const std::string& secret, const v1::WatchChangesRequest& request,
                            const std::string& request_id) {
    fuzz::RawCallOptions options;
    options.metadata = {{"authorization", "Bearer " + secret}, {"x-request-id", request_id}};
    options.max_responses = 100000;
    options.read_idle = absl::Seconds(5);
    return fuzz::RawCall(secure_, kWatch, {request.SerializeAsString()}, options);
  }
  std::vector<v1::AuditEntry> EntriesOf(const std::string& request_id) {
    std::vector<v1::AuditEntry> entries;
    for (const v1::AuditEntry& e : AuditEntries()) {
      if (e.method() == kWatch && e.request_id() == request_id) entries.push_back(e);
    }
    return entries;
  }
};

using Named = std::tuple<std::string, std::string, uint64_t>;  // kind, id, version

TEST_F(ChangeFeedTest, EveryBatchTheFeedSendsIsAuditedWithTheRecordsItNames) {
  // More than two batches of changes, an erasure among them.
  const int kSeekers = static_cast<int>(2 * kChangeFeedBatch) + 40;
  for (int i = 0; i < kSeekers; ++i) Put(ValidSeeker("feed-" + std::to_string(i)));
  Put(ValidVacancy("feed-v"));
  Put(ValidSeeker("feed-0"));  // version 2
  v1::DeleteSeekerRequest erase;
  erase.set_id("feed-1");
  fuzz::RawCallOptions slow;  // an erasure flushes and compacts
  slow.metadata = {{"authorization", "Bearer " + SecretOf(Role::kAdmin)}};
  slow.read_idle = absl::Seconds(10);
  const auto erased = fuzz::RawCall(secure_, "/jobmatch.v1.SeekerService/Delete",
                                    {erase.SerializeAsString()}, slow);
  ASSERT_TRUE(erased.status.ok()) << erased.status.error_message();

  v1::WatchChangesRequest request;
  request.set_stop_at_end(true);
  const fuzz::RawCallResult all = Watch(SecretOf(Role::kBatch), request, "feed-all");
  ASSERT_TRUE(all.status.ok()) << all.status.error_message();
  std::vector<Named> sent;
  v1::Change last;
  for (const std::string& bytes : all.responses) {
    ASSERT_TRUE(last.ParseFromString(bytes));
    sent.emplace_back(last.kind(), last.id(), last.version());
  }
  ASSERT_EQ(sent.size(), static_cast<size_t>(kSeekers + 3));
  EXPECT_EQ(last.id(), "feed-1");  // the erasure
  EXPECT_EQ(last.op(), "DELETE");

  // The opening (no records) and one entry per batch, naming in order
  // exactly what was sent, each by version, with the call's caller.
  const std::vector<v1::AuditEntry> entries = EntriesOf("feed-all");
  ASSERT_EQ(entries.size(), 1 + (sent.size() + kChangeFeedBatch - 1) / kChangeFeedBatch);
  EXPECT_EQ(entries[0].records_size(), 0);
  std::vector<Named> named;
  for (const v1::AuditEntry& e : entries) {
    EXPECT_EQ(e.caller_role(), "BATCH");
    EXPECT_EQ(e.caller_id(), "BATCH-key");
    EXPECT_EQ(e.status_code(), "OK");
    EXPECT_LE(e.records_size(), static_cast<int>(kChangeFeedBatch));
    for (const v1::AuditRecordRef& r : e.records()) {
      EXPECT_EQ(r.use(), "RETURNED");
      EXPECT_TRUE(r.content_sha256().empty()) << "the feed sends no content";
      named.emplace_back(r.kind(), r.id(), r.version());
    }
  }
  EXPECT_EQ(named, sent);

  // max_changes: the entries name what is sent, not the rest of the batch.
  request.set_max_changes(10);
  request.set_after_sequence(5);
  const fuzz::RawCallResult ten = Watch(SecretOf(Role::kBatch), request, "feed-ten");
  ASSERT_TRUE(ten.status.ok()) << ten.status.error_message();
  ASSERT_EQ(ten.responses.size(), 10u);
  const std::vector<v1::AuditEntry> ten_entries = EntriesOf("feed-ten");
  ASSERT_EQ(ten_entries.size(), 2u);
  ASSERT_EQ(ten_entries[1].records_size(), 10);
  v1::Change first;
  ASSERT_TRUE(first.ParseFromString(ten.responses[0]));
  EXPECT_EQ(ten_entries[1].records(0).id(), first.id());

  // Nothing new: the opening only, no empty batch entries.
  request.set_max_changes(0);
  request.set_after_sequence(1'000'000);
  ASSERT_TRUE(Watch(SecretOf(Role::kBatch), request, "feed-none").status.ok());
  EXPECT_EQ(EntriesOf("feed-none").size(), 1u);

  // The per-person access log finds the feed naming a seeker.
  v1::ListSeekerAccessRequest access;
  access.set_seeker_id("feed-300");
  auto listed = As(Role::kAdmin, "/jobmatch.v1.AuditService/ListSeekerAccess", access);
  ASSERT_TRUE(listed.status.ok()) << listed.status.error_message();
  v1::ListSeekerAccessResponse found;
  ASSERT_TRUE(found.ParseFromString(listed.responses.at(0)));
  int by_feed = 0;
  for (const v1::AuditEntry& e : found.entries()) {
    by_feed += e.method() == kWatch && e.request_id() == "feed-all";
  }
  EXPECT_EQ(by_feed, 1);
}

TEST_F(ChangeFeedTest, AScopedCallerIsRefusedAndTheRefusalIsAuditedWithoutRecords) {
  Put(ValidSeeker("feed-a"));
  v1::WatchChangesRequest request;
  request.set_stop_at_end(true);
  const fuzz::RawCallResult refused = Watch(ScopedSecretOf(Role::kBatch), request, "feed-scoped");
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(refused.responses.empty());
  const std::vector<v1::AuditEntry> entries = EntriesOf("feed-scoped");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].status_code(), "PERMISSION_DENIED");
  EXPECT_EQ(entries[0].records_size(), 0);
}

}  // namespace
}  // namespace jobmatch::testing
