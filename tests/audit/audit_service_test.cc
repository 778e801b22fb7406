// The audit log of a real jobmatchd (RocksDB in a temp dir, gRPC on
// loopback, API keys per role): completeness of a scripted session, caller
// ids, per-person access, tamper detection through the RPC, replay, retention
// at start-up, failure when an entry cannot be written, admin-only access, and
// erasure of a seeker's personal fields from every file of the data folder.
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_join.h"
#include "jobmatch/v1/admin_service.grpc.pb.h"
#include "jobmatch/v1/audit_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "server/auth/api_key_hash.h"
#include "storage/audit_table.h"
#include "tests/e2e/api_fixture.h"
#include "tests/storage/data_folder_dump.h"

namespace jobmatch::testing {
namespace {

constexpr char kCase[] = "case-secret";
constexpr char kFeed[] = "feed-secret";
constexpr char kConsultant[] = "consultant-secret";
constexpr char kBatch[] = "batch-secret";
constexpr char kAdmin[] = "ops-secret";

// Whether RocksDB reads `needle` back from any table file or log of `dir`
// (sst_dump / ldb: tests/storage/data_folder_dump.h).
bool AnyFileContains(const std::string& dir, const std::string& needle) {
  auto dump = DumpDataFolder(dir);
  EXPECT_TRUE(dump.ok()) << dump.status();
  return dump.ok() && dump->Holds(needle);
}

std::string BytesOf(double value) {
  std::string bytes(sizeof value, '\0');
  std::memcpy(bytes.data(), &value, sizeof value);
  return bytes;
}

class AuditedServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    aarhus_ = LocationOf(8200).municipality();
    auto key = [](const char* id, const char* secret, auth::Role role, std::vector<int> m) {
      return auth::ApiKey{id, auth::Sha256Hex(secret), role, m, m.empty(), {}};
    };
    using auth::Role;
    options_.security.api_keys = {key("aarhus-case", kCase, Role::kCaseSystem, {}),
                                  key("jobnet-feed", kFeed, Role::kVacancyFeed, {}),
                                  key("aarhus-consultant", kConsultant, Role::kConsultant, {aarhus_}),
                                  key("nightly", kBatch, Role::kBatch, {}),
                                  key("ops", kAdmin, Role::kAdmin, {})};
    options_.audit_clock = [this] { return now_; };
    StartAuthenticated();
  }
  void StartAuthenticated() {
    Start();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                   grpc::experimental::LocalCredentials(LOCAL_TCP));
    seekers_ = v1::SeekerService::NewStub(channel_);
    vacancies_ = v1::VacancyService::NewStub(channel_);
    match_ = v1::MatchService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
  }
  void RestartAuthenticated() {
    audit_.reset();
    Restart();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                   grpc::experimental::LocalCredentials(LOCAL_TCP));
    seekers_ = v1::SeekerService::NewStub(channel_);
    vacancies_ = v1::VacancyService::NewStub(channel_);
    match_ = v1::MatchService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
  }
  static std::unique_ptr<grpc::ClientContext> As(const char* key) {
    auto context = Context();
    context->AddMetadata("authorization", std::string("Bearer ") + key);
    return context;
  }
  grpc::Status Upsert(const char* key, const v1::Seeker& s) {
    v1::UpsertSeekerRequest request;
    *request.mutable_seeker() = s;
    v1::WriteResult ignored;
    return seekers_->Upsert(As(key).get(), request, &ignored);
  }
  grpc::Status Upsert(const char* key, const v1::Vacancy& v) {
    v1::UpsertVacancyRequest request;
    *request.mutable_vacancy() = v;
    v1::WriteResult ignored;
    return vacancies_->Upsert(As(key).get(), request, &ignored);
  }
  grpc::Status Get(const char* key, const std::string& id, v1::GetSeekerResponse* out = nullptr) {
    v1::GetSeekerRequest request;
    request.set_id(id);
    v1::GetSeekerResponse ignored;
    return seekers_->Get(As(key).get(), request, out ? out : &ignored);
  }
  grpc::Status Delete(const char* key, const std::string& id) {
    v1::DeleteSeekerRequest request;
    request.set_id(id);
    v1::DeleteResponse ignored;
    return seekers_->Delete(As(key).get(), request, &ignored);
  }
  v1::MatchResponse TopVacancies(const std::string& seeker_id) {
    v1::TopVacanciesRequest request;
    request.set_seeker_id(seeker_id);
    v1::MatchResponse response;
    grpc::Status s = match_->TopVacanciesForSeeker(As(kConsultant).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  std::vector<v1::AuditEntry> Entries(uint64_t after = 0) {
    v1::ListAuditEntriesRequest request;
    request.set_after_sequence(after);
    request.set_page_size(1000);
    v1::ListAuditEntriesResponse response;
    grpc::Status s = audit_->ListAuditEntries(As(kAdmin).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.entries().begin(), response.entries().end()};
  }
  v1::VerifyAuditChainResponse Verify() {
    v1::VerifyAuditChainResponse response;
    grpc::Status s = audit_->VerifyAuditChain(As(kAdmin).get(), {}, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }
  grpc::Status Replay(uint64_t sequence, v1::ReplayResponse* response) {
    v1::ReplayRequest request;
    request.set_sequence(sequence);
    return audit_->Replay(As(kAdmin).get(), request, response);
  }
  // The sequence of the last entry of `method` (short name) so far.
  uint64_t LastOf(const std::string& method) {
    uint64_t found = 0;
    for (const auto& e : Entries()) {
      if (e.method().size() >= method.size() &&
          e.method().compare(e.method().size() - method.size(), method.size(), method) == 0) {
        found = e.sequence();
      }
    }
    return found;
  }

  int aarhus_ = 0;
  absl::Time now_ = absl::Now();
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

// A seeker who consented to share needs: the consultant then sees the
// seeker-side scores that the entries log (without consent they are withheld).
v1::Seeker ConsentingSeeker(const std::string& id, int postal_code) {
  v1::Seeker s = ValidSeeker(id, postal_code);
  s.set_consent_share_needs_with_employers(true);
  return s;
}

TEST_F(AuditedServiceTest, ScriptedSessionLeavesExactlyTheExpectedEntriesInOrder) {
  ASSERT_TRUE(Upsert(kCase, ConsentingSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-1", 8000)).ok());
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-2", 8000)).ok());
  v1::GetSeekerResponse got;
  ASSERT_TRUE(Get(kConsultant, "s-1", &got).ok());
  const v1::MatchResponse matches = TopVacancies("s-1");
  ASSERT_EQ(matches.matches_size(), 2);
  v1::ExplainRequest explain;
  explain.set_seeker_id("s-1");
  explain.set_vacancy_id("v-1");
  v1::ExplainResponse explained;
  ASSERT_TRUE(match_->Explain(As(kConsultant).get(), explain, &explained).ok());
  ASSERT_TRUE(Delete(kCase, "s-1").ok());

  const std::vector<v1::AuditEntry> entries = Entries();
  struct Expected {
    const char* method;
    const char* caller;
    const char* role;
  };
  const std::vector<Expected> expected = {
      {"/jobmatch.v1.SeekerService/Upsert", "aarhus-case", "CASE_SYSTEM"},
      {"/jobmatch.v1.VacancyService/Upsert", "jobnet-feed", "VACANCY_FEED"},
      {"/jobmatch.v1.VacancyService/Upsert", "jobnet-feed", "VACANCY_FEED"},
      {"/jobmatch.v1.SeekerService/Get", "aarhus-consultant", "CONSULTANT"},
      {"/jobmatch.v1.MatchService/TopVacanciesForSeeker", "aarhus-consultant", "CONSULTANT"},
      {"/jobmatch.v1.MatchService/Explain", "aarhus-consultant", "CONSULTANT"},
      {"/jobmatch.v1.SeekerService/Delete", "aarhus-case", "CASE_SYSTEM"},
  };
  ASSERT_EQ(entries.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(entries[i].sequence(), i + 1);
    EXPECT_EQ(entries[i].method(), expected[i].method);
    EXPECT_EQ(entries[i].caller_id(), expected[i].caller);
    EXPECT_EQ(entries[i].caller_role(), expected[i].role);
    EXPECT_EQ(entries[i].status_code(), "OK");
    EXPECT_FALSE(entries[i].build_id().empty());
    if (i > 0) {
      EXPECT_GE(entries[i].time_micros(), entries[i - 1].time_micros());
    }
  }
  // The write and the read name the same version and content hash.
  ASSERT_EQ(entries[0].records_size(), 1);
  ASSERT_EQ(entries[3].records_size(), 1);
  EXPECT_EQ(entries[0].records(0).use(), "WRITTEN");
  EXPECT_EQ(entries[3].records(0).use(), "READ");
  EXPECT_EQ(entries[0].records(0).version(), 1u);
  EXPECT_EQ(entries[3].records(0).version(), 1u);
  EXPECT_EQ(entries[0].records(0).content_sha256().size(), 64u);
  EXPECT_EQ(entries[0].records(0).content_sha256(), entries[3].records(0).content_sha256());
  // The match query: its trace, stage counts, ranking and the records used.
  const v1::AuditDecision& d = entries[4].decision();
  EXPECT_EQ(d.query(), "TOP_VACANCIES_FOR_SEEKER");
  EXPECT_EQ(d.decision_id(), matches.trace().decision_id());
  EXPECT_EQ(d.policy_version(), matches.trace().policy_version());
  EXPECT_EQ(d.reference_data_version(), matches.trace().reference_data_version());
  EXPECT_EQ(d.data_sequence(), matches.trace().data_sequence());
  EXPECT_EQ(d.candidates(), matches.candidates());
  EXPECT_EQ(d.feasible(), matches.feasible());
  ASSERT_EQ(d.ranking_size(), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(d.ranking(i).id(), matches.matches(i).id());
    EXPECT_EQ(d.ranking(i).score(), matches.matches(i).explanation().seeker_view_total());
  }
  ASSERT_EQ(entries[4].records_size(), 3);
  EXPECT_EQ(entries[4].records(0).use(), "SUBJECT");
  EXPECT_EQ(entries[4].records(0).id(), "s-1");
  EXPECT_EQ(entries[4].records(1).use(), "RETURNED");
  EXPECT_EQ(entries[6].records(0).use(), "ERASED");
  EXPECT_EQ(entries[6].records(0).version(), 1u);
  EXPECT_TRUE(entries[6].records(0).content_sha256().empty());
  // No personal field of the seeker appears in any entry.
  for (const auto& e : entries) {
    EXPECT_EQ(e.SerializeAsString().find(BytesOf(got.seeker().home().lat())), std::string::npos);
  }
}

TEST_F(AuditedServiceTest, RefusedAndFailedCallsAreAuditedWithTheirOutcome) {
  v1::Seeker elsewhere = ValidSeeker("s-far", 8660);  // Skanderborg: outside the consultant's scope
  ASSERT_TRUE(Upsert(kCase, elsewhere).ok());
  EXPECT_EQ(Get(kConsultant, "s-far").error_code(), grpc::StatusCode::NOT_FOUND);
  v1::Seeker invalid = ValidSeeker("s-bad");
  invalid.set_max_commute_minutes(0);
  EXPECT_EQ(Upsert(kCase, invalid).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Delete(kCase, "nobody").error_code(), grpc::StatusCode::NOT_FOUND);
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1].status_code(), "NOT_FOUND");
  EXPECT_EQ(entries[1].records(0).id(), "s-far");
  EXPECT_EQ(entries[2].status_code(), "INVALID_ARGUMENT");
  EXPECT_EQ(entries[2].records_size(), 0);
  EXPECT_EQ(entries[3].method(), "/jobmatch.v1.SeekerService/Delete");
  EXPECT_EQ(entries[3].status_code(), "NOT_FOUND");
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditedServiceTest, EntriesAreListedByTimeRangeInPages) {
  const absl::Time start = now_;
  for (int hour = 0; hour < 4; ++hour) {
    ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-" + std::to_string(hour), 8200)).ok());
    now_ += absl::Hours(1);
  }
  v1::ListAuditEntriesRequest request;
  request.set_from_time_micros(absl::ToUnixMicros(start + absl::Hours(1)));
  request.set_to_time_micros(absl::ToUnixMicros(start + absl::Hours(3)));
  request.set_page_size(1);
  v1::ListAuditEntriesResponse page;
  ASSERT_TRUE(audit_->ListAuditEntries(As(kAdmin).get(), request, &page).ok());
  ASSERT_EQ(page.entries_size(), 1);
  EXPECT_EQ(page.entries(0).sequence(), 2u);
  EXPECT_EQ(page.next_after_sequence(), 2u);
  request.set_after_sequence(page.next_after_sequence());
  ASSERT_TRUE(audit_->ListAuditEntries(As(kAdmin).get(), request, &page).ok());
  ASSERT_EQ(page.entries_size(), 1);
  EXPECT_EQ(page.entries(0).sequence(), 3u);
  EXPECT_EQ(page.next_after_sequence(), 0u);  // the next entry is past to_time
  request.set_page_size(1001);
  EXPECT_EQ(audit_->ListAuditEntries(As(kAdmin).get(), request, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AuditedServiceTest, ImportLeavesOneEntryPerGroupCommitNamingTheRecordsWritten) {
  v1::ImportResponse response;
  auto context = As(kCase);
  auto writer = seekers_->Import(context.get(), &response);
  v1::ImportSeekerRequest request;
  *request.mutable_seeker() = ValidSeeker("s-1", 8200);
  ASSERT_TRUE(writer->Write(request));
  request.mutable_seeker()->set_max_commute_minutes(0);  // invalid: not written
  request.mutable_seeker()->set_id("s-bad");
  ASSERT_TRUE(writer->Write(request));
  *request.mutable_seeker() = ValidSeeker("s-2", 8200);
  ASSERT_TRUE(writer->Write(request));
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_TRUE(writer->Finish().ok());
  ASSERT_EQ(response.accepted(), 2u);
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), "/jobmatch.v1.SeekerService/Import");
  EXPECT_EQ(entries[0].caller_id(), "aarhus-case");
  ASSERT_EQ(entries[0].records_size(), 2);
  EXPECT_EQ(entries[0].records(0).id(), "s-1");
  EXPECT_EQ(entries[0].records(1).id(), "s-2");
  EXPECT_EQ(entries[0].records(1).use(), "WRITTEN");
}

TEST_F(AuditedServiceTest, AuditServiceIsForAdminsOnly) {
  for (const char* key : {kCase, kFeed, kConsultant, kBatch}) {
    SCOPED_TRACE(key);
    v1::ListAuditEntriesResponse list;
    EXPECT_EQ(audit_->ListAuditEntries(As(key).get(), {}, &list).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ListSeekerAccessRequest access;
    access.set_seeker_id("s-1");
    v1::ListSeekerAccessResponse accessed;
    EXPECT_EQ(audit_->ListSeekerAccess(As(key).get(), access, &accessed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::VerifyAuditChainResponse verified;
    EXPECT_EQ(audit_->VerifyAuditChain(As(key).get(), {}, &verified).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ReplayResponse replayed;
    EXPECT_EQ(audit_->Replay(As(key).get(), {}, &replayed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  v1::ListAuditEntriesResponse list;
  EXPECT_TRUE(audit_->ListAuditEntries(As(kAdmin).get(), {}, &list).ok());
}

TEST_F(AuditedServiceTest, SeekerAccessListsEveryEntryNamingThatSeekerOnly) {
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-a", 8200)).ok());
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-b", 8200)).ok());
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-1", 8000)).ok());
  ASSERT_TRUE(Get(kConsultant, "s-a").ok());
  ASSERT_TRUE(Get(kConsultant, "s-b").ok());
  v1::TopSeekersRequest top;
  top.set_vacancy_id("v-1");
  v1::MatchResponse ranked;
  ASSERT_TRUE(match_->TopSeekersForVacancy(As(kConsultant).get(), top, &ranked).ok());
  ASSERT_EQ(ranked.matches_size(), 2);
  ASSERT_TRUE(Delete(kCase, "s-a").ok());

  v1::ListSeekerAccessRequest request;
  request.set_seeker_id("s-a");
  v1::ListSeekerAccessResponse response;
  ASSERT_TRUE(audit_->ListSeekerAccess(As(kAdmin).get(), request, &response).ok());
  std::vector<std::string> methods;
  for (const auto& e : response.entries()) methods.push_back(e.method());
  EXPECT_EQ(methods, (std::vector<std::string>{"/jobmatch.v1.SeekerService/Upsert",
                                               "/jobmatch.v1.SeekerService/Get",
                                               "/jobmatch.v1.MatchService/TopSeekersForVacancy",
                                               "/jobmatch.v1.SeekerService/Delete"}));
  EXPECT_EQ(response.entries(1).caller_id(), "aarhus-consultant");
  EXPECT_EQ(response.next_after_sequence(), 0u);
  // The listing itself is an access to the person's data, and is logged.
  request.set_seeker_id("s-b");
  ASSERT_TRUE(audit_->ListSeekerAccess(As(kAdmin).get(), request, &response).ok());
  EXPECT_EQ(response.entries_size(), 3);  // upsert, get, ranking
  EXPECT_EQ(Entries().back().method(), "/jobmatch.v1.AuditService/ListSeekerAccess");
}

TEST_F(AuditedServiceTest, VerifyNamesAnAlteredAndARemovedEntry) {
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  v1::VerifyAuditChainResponse intact = Verify();
  EXPECT_TRUE(intact.intact()) << intact.problem();
  EXPECT_EQ(intact.entries_checked(), 4u);

  storage::Store& store = service_->store_for_test();
  std::string raw;
  ASSERT_TRUE(store.audit().Scan(1, [&](uint64_t, std::string_view v) {
                     raw.assign(v.data(), v.size());
                     return false;
                   }).ok());
  v1::AuditLink link;
  ASSERT_TRUE(link.ParseFromString(raw));
  v1::AuditEntry entry;
  ASSERT_TRUE(entry.ParseFromString(link.entry()));
  entry.set_caller_id("nobody-looked");
  link.set_entry(entry.SerializeAsString());
  ASSERT_TRUE(store.audit().TamperForTest(2, link.SerializeAsString()).ok());
  v1::VerifyAuditChainResponse altered = Verify();
  EXPECT_FALSE(altered.intact());
  EXPECT_EQ(altered.first_broken_sequence(), 2u) << altered.problem();

  ASSERT_TRUE(store.audit().TamperForTest(2, raw).ok());  // put it back
  EXPECT_TRUE(Verify().intact());
  ASSERT_TRUE(store.audit().TamperForTest(3, std::nullopt).ok());
  v1::VerifyAuditChainResponse removed = Verify();
  EXPECT_FALSE(removed.intact());
  EXPECT_EQ(removed.first_broken_sequence(), 3u) << removed.problem();
}

TEST_F(AuditedServiceTest, ReplayReproducesBitForBitAndNamesTheRecordThatChanged) {
  ASSERT_TRUE(Upsert(kCase, ConsentingSeeker("s-1", 8200)).ok());
  for (const char* id : {"v-1", "v-2", "v-3"}) ASSERT_TRUE(Upsert(kFeed, ValidVacancy(id, 8000)).ok());
  // Further from home than the others: last in the list whatever the day's
  // tie order among the others.
  v1::Vacancy part_time = ValidVacancy("v-4", 8600);
  part_time.set_hours_per_week(20);
  ASSERT_TRUE(Upsert(kFeed, part_time).ok());
  const v1::MatchResponse matches = TopVacancies("s-1");
  ASSERT_EQ(matches.matches_size(), 4);
  ASSERT_EQ(matches.matches(3).id(), "v-4");
  const uint64_t query = LastOf("TopVacanciesForSeeker");
  v1::WhyNotRequest why;
  why.set_seeker_id("s-1");
  why.set_vacancy_id("v-4");
  why.set_seeker_side(true);
  v1::WhyNotResponse answered;
  ASSERT_TRUE(match_->WhyNot(As(kConsultant).get(), why, &answered).ok());
  ASSERT_EQ(answered.rank(), 4u);
  const uint64_t why_not = LastOf("WhyNot");

  // A vacancy added since would rank among them now; the replay leaves out
  // what changed since the decision and reports it.
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-9", 8000)).ok());
  ASSERT_EQ(TopVacancies("s-1").matches_size(), 5);
  v1::ReplayResponse replayed;
  grpc::Status s = Replay(query, &replayed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(replayed.reproduced());
  EXPECT_EQ(replayed.differences_size(), 0);
  ASSERT_EQ(replayed.replayed().ranking_size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(replayed.replayed().ranking(i).id(), matches.matches(i).id());
    double a = replayed.replayed().ranking(i).score();
    double b = matches.matches(i).explanation().seeker_view_total();
    EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
  }
  EXPECT_EQ(std::vector<std::string>(replayed.changed_since().begin(),
                                     replayed.changed_since().end()),
            std::vector<std::string>{"v-9"});
  // Asked now, v-9 ranks above v-4; the replay counts v-4's rank without it.
  v1::WhyNotResponse now;
  ASSERT_TRUE(match_->WhyNot(As(kConsultant).get(), why, &now).ok());
  EXPECT_EQ(now.rank(), 5u);
  ASSERT_TRUE(Replay(why_not, &replayed).ok());
  EXPECT_TRUE(replayed.reproduced()) << absl::StrJoin(replayed.differences(), "; ");
  EXPECT_EQ(replayed.replayed().why_not_kind(), answered.kind());
  ASSERT_EQ(replayed.replayed().ranking_size(), 1);
  EXPECT_EQ(replayed.replayed().ranking(0).rank(), 4);

  // An entry that is not a decision cannot be replayed.
  EXPECT_EQ(Replay(1, &replayed).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // A record the decision used changes: the replay says which.
  v1::Vacancy changed = ValidVacancy("v-2", 8000);
  changed.set_hours_per_week(30);
  ASSERT_TRUE(Upsert(kFeed, changed).ok());
  s = Replay(query, &replayed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("vacancy v-2: changed since the decision"), std::string::npos)
      << s.error_message();
  // Erasing the seeker ends replays of decisions about them.
  ASSERT_TRUE(Delete(kCase, "s-1").ok());
  s = Replay(why_not, &replayed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("seeker s-1: has been erased"), std::string::npos)
      << s.error_message();
}

TEST_F(AuditedServiceTest, ReplayOfAVacancysWhyNotLeavesOutSeekersWrittenSince) {
  // The mirror of the seeker's why-not above: a vacancy's list of seekers,
  // and a seeker written after the decision who ranks above the one asked
  // about. The replay counts the rank without them and names them.
  ASSERT_TRUE(Upsert(kCase, ConsentingSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(Upsert(kCase, ConsentingSeeker("s-2", 8541)).ok());  // further away
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-1", 8000)).ok());
  v1::WhyNotRequest why;
  why.set_seeker_id("s-2");
  why.set_vacancy_id("v-1");
  why.set_seeker_side(false);
  v1::WhyNotResponse answered;
  ASSERT_TRUE(match_->WhyNot(As(kConsultant).get(), why, &answered).ok());
  ASSERT_EQ(answered.rank(), 2u) << answered.explanation();
  const uint64_t why_not = LastOf("WhyNot");

  ASSERT_TRUE(Upsert(kCase, ConsentingSeeker("s-3", 8000)).ok());  // next to the workplace
  v1::WhyNotResponse now;
  ASSERT_TRUE(match_->WhyNot(As(kConsultant).get(), why, &now).ok());
  ASSERT_EQ(now.rank(), 3u) << now.explanation();
  v1::ReplayResponse replayed;
  ASSERT_TRUE(Replay(why_not, &replayed).ok());
  EXPECT_TRUE(replayed.reproduced()) << absl::StrJoin(replayed.differences(), "; ");
  ASSERT_EQ(replayed.replayed().ranking_size(), 1);
  EXPECT_EQ(replayed.replayed().ranking(0).id(), "s-2");
  EXPECT_EQ(replayed.replayed().ranking(0).rank(), 2);
  EXPECT_EQ(std::vector<std::string>(replayed.changed_since().begin(),
                                     replayed.changed_since().end()),
            std::vector<std::string>{"s-3"});
}

TEST_F(AuditedServiceTest, StartUpPrunesEntriesPastRetentionAndTheChainStillVerifies) {
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  now_ += absl::Hours(24 * 100);
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  now_ += absl::Hours(24 * 100);  // the first two entries are 200 days old
  RestartAuthenticated();
  v1::VerifyAuditChainResponse report = Verify();
  EXPECT_TRUE(report.intact()) << report.problem();
  EXPECT_EQ(report.anchor_sequence(), 2u);
  EXPECT_EQ(report.entries_checked(), 1u);
  const auto entries = Entries();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().sequence(), 3u);
}

TEST_F(AuditedServiceTest, CallFailsWhenItsAuditEntryCannotBeWritten) {
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(Get(kConsultant, "s-1").ok());
  // Remove the last entry behind the server's back: after a restart the next
  // entry has nothing to chain to.
  ASSERT_TRUE(service_->store_for_test().audit().TamperForTest(2, std::nullopt).ok());
  RestartAuthenticated();
  v1::GetSeekerResponse got;
  grpc::Status s = Get(kConsultant, "s-1", &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_FALSE(got.has_seeker());
  v1::Seeker updated = ValidSeeker("s-1", 8200);
  updated.set_max_commute_minutes(30);
  EXPECT_EQ(Upsert(kCase, updated).error_code(), grpc::StatusCode::UNAVAILABLE);
  auto stored = service_->keeper().Get<v1::Seeker>("s-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->meta.version, 1u);  // the write did not happen unlogged
  v1::TopVacanciesRequest query;
  query.set_seeker_id("s-1");
  v1::MatchResponse matches;
  EXPECT_EQ(match_->TopVacanciesForSeeker(As(kConsultant).get(), query, &matches).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(matches.matches_size(), 0);
}

TEST_F(AuditedServiceTest, ErasedSeekersPersonalFieldsAreInNoFileOfTheDataFolder) {
  v1::Seeker seeker = ValidSeeker("s-erase", 8200);
  // Home coordinates no other record has: the canary, as stored (doubles).
  seeker.mutable_home()->set_lat(seeker.home().lat() + 0.000123456789);
  seeker.mutable_home()->set_lon(seeker.home().lon() - 0.000987654321);
  auto* need = seeker.add_needs();
  need->set_accommodation(v1::STEP_FREE_ACCESS);
  need->set_strength(v1::SOFT);
  const std::string lat = BytesOf(seeker.home().lat());
  const std::string lon = BytesOf(seeker.home().lon());
  grpc::Status upserted = Upsert(kCase, seeker);
  ASSERT_TRUE(upserted.ok()) << upserted.error_code() << " " << upserted.error_message();
  const std::string data = dir_.path() + "/db";
  // Positive control: the check finds the canary where it is stored (the
  // write-ahead log here, a compressed table file below).
  ASSERT_TRUE(AnyFileContains(data, lat));
  ASSERT_TRUE(AnyFileContains(data, lon));
  ASSERT_TRUE(Upsert(kFeed, ValidVacancy("v-1", 8000)).ok());
  ASSERT_TRUE(Get(kConsultant, "s-erase").ok());
  TopVacancies("s-erase");
  v1::RecordFeedbackRequest feedback;
  feedback.mutable_feedback()->set_seeker_id("s-erase");
  feedback.mutable_feedback()->set_vacancy_id("v-1");
  feedback.mutable_feedback()->set_outcome(v1::CONTACTED);
  v1::RecordFeedbackResponse recorded;
  ASSERT_TRUE(match_->RecordFeedback(As(kConsultant).get(), feedback, &recorded).ok());
  // Erasing another seeker first flushes everything into table files.
  ASSERT_TRUE(Upsert(kCase, ValidSeeker("s-other", 8200)).ok());
  ASSERT_TRUE(Delete(kCase, "s-other").ok());
  ASSERT_TRUE(AnyFileContains(data, lat));
  ASSERT_TRUE(AnyFileContains(data, lon));

  ASSERT_TRUE(Delete(kCase, "s-erase").ok());
  EXPECT_FALSE(AnyFileContains(data, lat));
  EXPECT_FALSE(AnyFileContains(data, lon));
  RestartAuthenticated();  // closes and reopens RocksDB
  EXPECT_FALSE(AnyFileContains(data, lat));
  EXPECT_FALSE(AnyFileContains(data, lon));
  // What the audit log keeps: that the erasure happened, when, by whom, and
  // the opaque id; the chain still verifies.
  EXPECT_TRUE(Verify().intact());
  v1::ListSeekerAccessRequest request;
  request.set_seeker_id("s-erase");
  v1::ListSeekerAccessResponse response;
  ASSERT_TRUE(audit_->ListSeekerAccess(As(kAdmin).get(), request, &response).ok());
  ASSERT_FALSE(response.entries().empty());
  const v1::AuditEntry& erasure = *response.entries().rbegin();
  EXPECT_EQ(erasure.method(), "/jobmatch.v1.SeekerService/Delete");
  EXPECT_EQ(erasure.caller_id(), "aarhus-case");
  EXPECT_EQ(erasure.records(0).use(), "ERASED");
}

// Without authentication (the local demo) calls are logged as "local-demo".
class DemoServiceTest : public ServiceFixture {};

TEST_F(DemoServiceTest, CallsWithoutAuthenticationAreLoggedAsLocalDemo) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1")).ok());
  std::vector<v1::AuditEntry> entries;
  ASSERT_TRUE(service_->audit_log().Scan(0, [&](const v1::AuditEntry& e) {
                entries.push_back(e);
                return true;
              }).ok());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].caller_id(), "local-demo");
  EXPECT_EQ(entries[0].method(), "/jobmatch.v1.SeekerService/Upsert");
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

// Reads of the nightly rematch's stored matches and online backups are
// audited like live queries: the subject and every record returned.
TEST_F(DemoServiceTest, StoredRematchMatchesAndBackupsLeaveAuditEntries) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1", 8200)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("v-1", 8000)).ok());
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::GetRematchMatchesRequest request;
  request.set_vacancy_id("v-1");
  v1::RematchMatches matches;
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), request, &matches).ok());
  ASSERT_EQ(matches.matches_size(), 1);
  auto admin = v1::AdminService::NewStub(channel_);
  v1::CreateBackupRequest backup;
  backup.set_name("b");
  v1::Backup ignored;
  EXPECT_EQ(admin->CreateBackup(Context().get(), backup, &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "no backup_dir: refused, and still audited";

  std::vector<v1::AuditEntry> entries;
  ASSERT_TRUE(service_->audit_log().Scan(0, [&](const v1::AuditEntry& e) {
                entries.push_back(e);
                return true;
              }).ok());
  ASSERT_GE(entries.size(), 4u);
  const v1::AuditEntry& read = entries[entries.size() - 2];
  EXPECT_EQ(read.method(), "/jobmatch.v1.RematchService/GetRematchMatches");
  ASSERT_EQ(read.records_size(), 2);
  EXPECT_EQ(read.records(0).id(), "v-1");
  EXPECT_EQ(read.records(0).use(), "SUBJECT");
  EXPECT_EQ(read.records(1).id(), "s-1");
  EXPECT_EQ(read.records(1).use(), "RETURNED");
  EXPECT_FALSE(read.records(1).content_sha256().empty());
  const v1::AuditEntry& refused = entries.back();
  EXPECT_EQ(refused.method(), "/jobmatch.v1.AdminService/CreateBackup");
  EXPECT_EQ(refused.status_code(), "FAILED_PRECONDITION");
}

}  // namespace
}  // namespace jobmatch::testing
