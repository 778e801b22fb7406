// Every RPC of jobmatch.v1 against a real server and a real RocksDB: happy
// paths, error statuses, restart, deadlines and concurrent use.
#include <algorithm>
#include <atomic>
#include <thread>

#include "tests/e2e/api_fixture.h"

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, SeekerUpsertGetListDeleteRoundTrip) {
  v1::WriteResult first, second;
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1"), &first).ok());
  EXPECT_EQ(first.version(), 1u);
  ASSERT_TRUE(PutSeeker(ValidSeeker("s-1"), &second).ok());
  EXPECT_EQ(second.version(), 2u);
  EXPECT_GT(second.sequence(), first.sequence());

  v1::GetSeekerRequest get;
  get.set_id("s-1");
  v1::GetSeekerResponse got;
  ASSERT_TRUE(seekers_->Get(Context().get(), get, &got).ok());
  EXPECT_EQ(got.seeker().target_group(), "jobparat");
  EXPECT_EQ(got.meta().version(), 2u);

  ASSERT_TRUE(PutSeeker(ValidSeeker("s-2")).ok());
  v1::ListSeekersRequest list;
  list.set_page_size(1);
  v1::ListSeekersResponse page;
  ASSERT_TRUE(seekers_->List(Context().get(), list, &page).ok());
  ASSERT_EQ(page.seekers_size(), 1);
  EXPECT_EQ(page.seekers(0).seeker().id(), "s-1");
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(seekers_->List(Context().get(), list, &page).ok());
  EXPECT_EQ(page.seekers(0).seeker().id(), "s-2");

  v1::DeleteSeekerRequest del;
  del.set_id("s-1");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  EXPECT_EQ(seekers_->Get(Context().get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(seekers_->Delete(Context().get(), del, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceFixture, InvalidRecordIsRejectedNamingFieldAndNothingIsStored) {
  struct Case {
    std::function<void(v1::Seeker*)> change;
    const char* message;
  };
  const Case cases[] = {
      {[](v1::Seeker* s) { s->mutable_home()->set_lat(60); }, "seeker.home.lat: must be within [54.5, 57.8]"},
      {[](v1::Seeker* s) { s->mutable_home()->set_postal_code(800); }, "seeker.home.postal_code"},
      {[](v1::Seeker* s) { s->set_id("120389-1234"); }, "seeker.id: must not be or contain a CPR number"},
      {[](v1::Seeker* s) { s->mutable_skills(1)->set_esco_uri("http://x/skill/nope"); },
       "seeker.skills[1].esco_uri: unknown ESCO skill"},
      {[](v1::Seeker* s) { s->mutable_occupations(0)->set_isco_code("9999"); },
       "seeker.occupations[0].isco_code"},
      {[](v1::Seeker* s) { s->set_max_commute_minutes(0); }, "seeker.max_commute_minutes"},
      {[](v1::Seeker* s) { s->clear_transport_modes(); }, "seeker.transport_modes"},
      {[](v1::Seeker* s) { s->set_target_group("unknown-group"); }, "seeker.target_group"},
      {[](v1::Seeker* s) { s->mutable_languages(0)->set_code("DAN"); }, "seeker.languages[0].code"},
      {[](v1::Seeker* s) { s->set_min_hours_per_week(40); }, "seeker.max_hours_per_week"},
      {[](v1::Seeker* s) { s->add_needs()->set_accommodation(v1::STEP_FREE_ACCESS); },
       "seeker.needs[0].strength"},
  };
  for (const Case& c : cases) {
    v1::Seeker s = ValidSeeker("bad");
    c.change(&s);
    grpc::Status status = PutSeeker(s);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.message;
    EXPECT_NE(status.error_message().find(c.message), std::string::npos)
        << "got: " << status.error_message();
  }
  v1::GetSeekerRequest get;
  get.set_id("bad");
  v1::GetSeekerResponse got;
  EXPECT_EQ(seekers_->Get(Context().get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(service_->keeper().store().LastSequence(), 0u) << "nothing was written";

  v1::Vacancy v = ValidVacancy("v");
  v.add_essential_skills("http://data.europa.eu/esco/skill/not-a-skill");
  grpc::Status status = PutVacancy(v);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("vacancy.essential_skills[0]: unknown ESCO skill"),
            std::string::npos) << status.error_message();
  v = ValidVacancy("v");
  v.set_openings(0);
  EXPECT_NE(PutVacancy(v).error_message().find("vacancy.openings"), std::string::npos);
  v1::UpsertEmployerRequest employer;
  *employer.mutable_employer() = ValidEmployer("e");
  employer.mutable_employer()->set_cvr("123");
  v1::WriteResult ignored;
  EXPECT_NE(employers_->Upsert(Context().get(), employer, &ignored).error_message().find("employer.cvr"),
            std::string::npos);
}

TEST_F(ServiceFixture, StaleExpectedVersionIsAborted) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("s")).ok());
  v1::UpsertSeekerRequest request;
  *request.mutable_seeker() = ValidSeeker("s");
  request.set_expected_version(5);
  v1::WriteResult result;
  EXPECT_EQ(seekers_->Upsert(Context().get(), request, &result).error_code(),
            grpc::StatusCode::ABORTED);
  request.set_expected_version(1);
  EXPECT_TRUE(seekers_->Upsert(Context().get(), request, &result).ok());
  EXPECT_EQ(result.version(), 2u);
}

TEST_F(ServiceFixture, ImportReportsEveryRecordAndStoresTheValidOnes) {
  auto context = Context();
  v1::ImportResponse response;
  auto writer = seekers_->Import(context.get(), &response);
  for (int i = 0; i < 1200; ++i) {
    v1::ImportSeekerRequest request;
    *request.mutable_seeker() = ValidSeeker("imp-" + std::to_string(i));
    if (i % 100 == 7) request.mutable_seeker()->set_max_commute_minutes(999);
    ASSERT_TRUE(writer->Write(request));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.accepted(), 1188u);
  EXPECT_EQ(response.rejected(), 12u);
  ASSERT_EQ(response.outcomes_size(), 1200);
  const auto& bad = response.outcomes(107);
  EXPECT_EQ(bad.index(), 107u);
  EXPECT_EQ(bad.id(), "imp-107");
  EXPECT_EQ(bad.error_code(), "INVALID_ARGUMENT");
  EXPECT_NE(bad.error_message().find("seeker.max_commute_minutes"), std::string::npos);
  EXPECT_EQ(service_->index().seeker_count(), 1188u);
}

TEST_F(ServiceFixture, MatchesInBothDirectionsAreExplainedAndTraced) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("near", 8200)).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("far", 8660)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());

  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 2);
  EXPECT_EQ(response.matches(0).id(), "near");
  EXPECT_GT(response.matches(0).explanation().total(), response.matches(1).explanation().total());
  EXPECT_FALSE(response.trace().decision_id().empty());
  EXPECT_EQ(response.trace().data_sequence(), 3u);
  EXPECT_EQ(response.trace().policy_version(), matcher::Policy().version);
  EXPECT_GT(response.matches(0).explanation().commute_minutes(), 0);
  EXPECT_EQ(response.matches(0).explanation().commute_source(), "MODEL_UNVALIDATED");

  v1::TopVacanciesRequest for_seeker;
  for_seeker.set_seeker_id("near");
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), for_seeker, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).id(), "job");
  EXPECT_GT(response.matches(0).explanation().parts_size(), 3);
  EXPECT_GT(response.matches(0).explanation().matched_skills_size(), 0);
  const double full_total = response.matches(0).explanation().total();
  for_seeker.set_brief(true);
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), for_seeker, &response).ok());
  EXPECT_EQ(response.matches(0).explanation().matched_skills_size(), 0) << "brief";
  EXPECT_GT(response.matches(0).explanation().parts_size(), 3);
  EXPECT_EQ(response.matches(0).explanation().total(), full_total);

  v1::ExplainRequest explain;
  explain.set_seeker_id("far");
  explain.set_vacancy_id("job");
  v1::ExplainResponse explained;
  ASSERT_TRUE(match_->Explain(Context().get(), explain, &explained).ok());
  EXPECT_EQ(explained.explanation().verdict(), "FEASIBLE");

  v1::WhyNotRequest why;
  why.set_seeker_id("far");
  why.set_vacancy_id("job");
  why.set_limit(1);
  v1::WhyNotResponse why_not;
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &why_not).ok());
  EXPECT_EQ(why_not.kind(), "BELOW_CUTOFF");

  v1::GetPolicyRequest get_policy;
  v1::Policy policy;
  ASSERT_TRUE(match_->GetPolicy(Context().get(), get_policy, &policy).ok());
  EXPECT_EQ(policy.occupation_breadth(), 3);
  EXPECT_NE(policy.reference_data_version().find("esco-1.1.1"), std::string::npos);

  request.set_vacancy_id("missing");
  EXPECT_EQ(match_->TopSeekersForVacancy(Context().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_vacancy_id("job");
  request.set_limit(5000);
  EXPECT_EQ(match_->TopSeekersForVacancy(Context().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceFixture, NeedsAreShownOnlyWithConsent) {
  v1::Seeker s = ValidSeeker("needs", 8200);
  AddHardNeed(&s, v1::STEP_FREE_ACCESS);
  ASSERT_TRUE(PutSeeker(s).ok());
  v1::Vacancy v = ValidVacancy("job", 8000);
  AddAccommodation(&v, v1::STEP_FREE_ACCESS, v1::IN_PLACE);
  ASSERT_TRUE(PutVacancy(v).ok());
  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_TRUE(response.matches(0).explanation().needs_redacted());
  EXPECT_EQ(response.matches(0).explanation().needs_met_size(), 0);

  s.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(s).ok());
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
  EXPECT_FALSE(response.matches(0).explanation().needs_redacted());
  EXPECT_EQ(response.matches(0).explanation().needs_met_size(), 1);
}

TEST_F(ServiceFixture, RestartKeepsDataAndRebuildsTheSameRankings) {
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(PutSeeker(ValidSeeker("s" + std::to_string(i), i % 2 ? 8200 : 8210)).ok());
  }
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());
  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  request.set_limit(10);
  v1::MatchResponse before, after;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &before).ok());
  Restart();
  EXPECT_EQ(service_->rebuild_stats().seekers, 30u);
  EXPECT_EQ(service_->rebuild_stats().vacancies, 1u);
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &after).ok());
  ASSERT_EQ(before.matches_size(), after.matches_size());
  for (int i = 0; i < before.matches_size(); ++i) {
    EXPECT_EQ(before.matches(i).id(), after.matches(i).id());
    EXPECT_EQ(before.matches(i).explanation().total(), after.matches(i).explanation().total());
  }
}

TEST_F(ServiceFixture, ChangeFeedStreamsEveryWriteInOrder) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("a")).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("b")).ok());
  v1::DeleteSeekerRequest del;
  del.set_id("a");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  v1::WatchChangesRequest request;
  request.set_max_changes(3);
  auto context = Context();
  auto reader = match_->WatchChanges(context.get(), request);
  std::vector<v1::Change> changes;
  v1::Change change;
  while (reader->Read(&change)) changes.push_back(change);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(changes.size(), 3u);
  // stop_at_end: the stream ends once caught up, even below max_changes.
  request.set_max_changes(100);
  request.set_after_sequence(1);
  request.set_stop_at_end(true);
  auto context2 = Context();
  auto reader2 = match_->WatchChanges(context2.get(), request);
  int tail = 0;
  while (reader2->Read(&change)) ++tail;
  ASSERT_TRUE(reader2->Finish().ok());
  EXPECT_EQ(tail, 2);
  EXPECT_EQ(changes[0].sequence(), 1u);
  EXPECT_EQ(changes[1].kind(), "vacancy");
  EXPECT_EQ(changes[2].op(), "DELETE");
  EXPECT_EQ(changes[2].id(), "a");
}

TEST_F(ServiceFixture, QueryPastItsDeadlineStopsScoringAndReturnsDeadlineExceeded) {
  // Enough candidates that one query takes many milliseconds.
  constexpr int kSeekers = 20000;
  {
    auto context = Context(absl::Seconds(60));
    v1::ImportResponse imported;
    auto writer = seekers_->Import(context.get(), &imported);
    v1::ImportSeekerRequest request;
    *request.mutable_seeker() = ValidSeeker("template");
    for (int i = 0; i < kSeekers; ++i) {
      request.mutable_seeker()->set_id("d" + std::to_string(i));
      ASSERT_TRUE(writer->Write(request));
    }
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    ASSERT_EQ(imported.accepted(), static_cast<uint32_t>(kSeekers));
  }
  ASSERT_TRUE(PutVacancy(ValidVacancy("job")).ok());
  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  request.set_brief(true);
  // The fastest of three runs: the first pays for cold caches, and a
  // deadline cut from it could outlast the warm queries below.
  absl::Duration full_time = absl::InfiniteDuration();
  for (int i = 0; i < 3; ++i) {
    v1::MatchResponse full;
    const absl::Time start = absl::Now();
    ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &full).ok());
    full_time = std::min(full_time, absl::Now() - start);
    ASSERT_EQ(full.candidates(), static_cast<uint32_t>(kSeekers));
  }

  // The server, not only the client, gives up: its handler finishes with
  // DEADLINE_EXCEEDED (counted by the interceptor) instead of scoring on.
  const std::string server_gave_up =
      R"(jobmatch_rpc_requests_total{code="DEADLINE_EXCEEDED",method="/jobmatch.v1.MatchService/TopSeekersForVacancy"})";
  const absl::Duration deadline = std::max(absl::Milliseconds(2), full_time / 5);
  bool seen = false;
  for (int attempt = 0; attempt < 10 && !seen; ++attempt) {
    v1::MatchResponse response;
    const grpc::StatusCode code =
        match_->TopSeekersForVacancy(Context(deadline).get(), request, &response).error_code();
    // A query that beat its deadline (timing on a shared machine) shows
    // nothing either way: try again.
    if (code == grpc::StatusCode::OK) continue;
    EXPECT_EQ(code, grpc::StatusCode::DEADLINE_EXCEEDED);
    // The server finishes the call shortly after the client stops waiting.
    for (int i = 0; i < 100 && !seen; ++i) {
      seen = service_->metrics().Scrape().find(server_gave_up) != std::string::npos;
      if (!seen) absl::SleepFor(absl::Milliseconds(5));
    }
  }
  EXPECT_TRUE(seen) << "full query took " << full_time << "; deadline " << deadline << "\n"
                    << service_->metrics().Scrape();
}

TEST_F(ServiceFixture, ConcurrentWritersAndReadersStayConsistent) {
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());
  constexpr int kThreads = 6, kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!PutSeeker(ValidSeeker("c" + std::to_string(t) + "-" + std::to_string(i))).ok()) {
          ++failures;
        }
        v1::TopSeekersRequest request;
        request.set_vacancy_id("job");
        v1::MatchResponse response;
        if (!match_->TopSeekersForVacancy(Context().get(), request, &response).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(service_->index().seeker_count(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(service_->keeper().store().LastSequence(), 1u + kThreads * kPerThread);
  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  request.set_limit(100);
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &response).ok());
  EXPECT_EQ(response.feasible(), static_cast<uint32_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, MetricsCountRequestsByMethodAndCode) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("m")).ok());
  v1::GetSeekerRequest get;
  get.set_id("nobody");
  v1::GetSeekerResponse got;
  EXPECT_FALSE(seekers_->Get(Context().get(), get, &got).ok());
  // Every call carries a request id the caller can quote.
  std::string ids[2];
  for (std::string& id : ids) {
    auto context = Context();
    EXPECT_FALSE(seekers_->Get(context.get(), get, &got).ok());
    const auto& metadata = context->GetServerInitialMetadata();
    auto it = metadata.find("x-request-id");
    ASSERT_NE(it, metadata.end());
    id = std::string(it->second.data(), it->second.size());
    EXPECT_EQ(id.size(), 16u) << id;
  }
  EXPECT_NE(ids[0], ids[1]);
  // A caller tracing its own requests keeps its id; an unusable one is replaced.
  for (const auto& [sent, kept] : {std::pair<std::string, bool>{"case-system:2026-11-24:42", true},
                                   {"has space", false}, {std::string(65, 'x'), false}}) {
    auto context = Context();
    context->AddMetadata("x-request-id", sent);
    EXPECT_FALSE(seekers_->Get(context.get(), get, &got).ok());
    auto it = context->GetServerInitialMetadata().find("x-request-id");
    ASSERT_NE(it, context->GetServerInitialMetadata().end());
    EXPECT_EQ(std::string(it->second.data(), it->second.size()) == sent, kept) << sent;
  }
  const std::string text = service_->metrics().Scrape();
  EXPECT_NE(text.find(R"(jobmatch_rpc_requests_total{code="OK",method="/jobmatch.v1.SeekerService/Upsert"} 1)"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"(jobmatch_rpc_requests_total{code="NOT_FOUND",method="/jobmatch.v1.SeekerService/Get"} 6)"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"(jobmatch_index_records{kind="seeker"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(jobmatch_rpc_latency_seconds_count{code="NOT_FOUND",method="/jobmatch.v1.SeekerService/Get"} 6)"),
            std::string::npos) << text;
  EXPECT_NE(text.find("jobmatch_rpc_latency_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("jobmatch_rematch_running"), std::string::npos) << text;
}

TEST_F(ServiceFixture, ShutdownLetsInFlightCallsFinish) {
  // An import stream is open when shutdown starts; it completes within the
  // grace period and its records are durable after restart.
  options_.record_limits.import_batch = 10;
  Restart();
  auto context = Context();
  v1::ImportResponse response;
  auto writer = seekers_->Import(context.get(), &response);
  for (int i = 0; i < 50; ++i) {
    v1::ImportSeekerRequest request;
    *request.mutable_seeker() = ValidSeeker("inflight-" + std::to_string(i));
    ASSERT_TRUE(writer->Write(request));
  }
  // The server is inside the call (its first group commits are durable), so
  // shutdown finds it in flight rather than refusing a call not yet started.
  for (int i = 0; i < 400 && service_->keeper().store().LastSequence() < 40; ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_GE(service_->keeper().store().LastSequence(), 40u);
  std::thread finisher([&] {
    absl::SleepFor(absl::Milliseconds(200));
    writer->WritesDone();
  });
  const absl::Time start = absl::Now();
  service_->Shutdown();  // waits for the stream, bounded by the 2 s grace
  finisher.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  grpc::Status status = writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted(), 50u);
  Restart();
  EXPECT_EQ(service_->index().seeker_count(), 50u);
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, FeedbackIsStoredQueryableCountedAndErasedWithTheSeeker) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("fb-s")).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("fb-v")).ok());
  auto record = [&](v1::FeedbackOutcome outcome, v1::RejectionReason reason) {
    v1::RecordFeedbackRequest request;
    request.mutable_feedback()->set_seeker_id("fb-s");
    request.mutable_feedback()->set_vacancy_id("fb-v");
    request.mutable_feedback()->set_outcome(outcome);
    request.mutable_feedback()->set_reason(reason);
    v1::RecordFeedbackResponse response;
    return match_->RecordFeedback(Context().get(), request, &response);
  };
  ASSERT_TRUE(record(v1::SHORTLISTED, v1::REJECTION_REASON_UNSPECIFIED).ok());
  ASSERT_TRUE(record(v1::REJECTED, v1::EMPLOYER_DECLINED).ok());
  grpc::Status bad = record(v1::REJECTED, v1::REJECTION_REASON_UNSPECIFIED);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("feedback.reason"), std::string::npos);

  v1::ListFeedbackRequest by_vacancy;
  by_vacancy.set_vacancy_id("fb-v");
  v1::ListFeedbackResponse listed;
  ASSERT_TRUE(match_->ListFeedback(Context().get(), by_vacancy, &listed).ok());
  ASSERT_EQ(listed.feedback_size(), 2);
  EXPECT_EQ(listed.feedback(0).outcome(), v1::SHORTLISTED);
  EXPECT_EQ(listed.feedback(1).reason(), v1::EMPLOYER_DECLINED);
  EXPECT_NE(service_->metrics().Scrape().find(R"(jobmatch_feedback_total{outcome="REJECTED"} 1)"),
            std::string::npos);

  v1::DeleteSeekerRequest del;
  del.set_id("fb-s");
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  v1::ListFeedbackRequest by_seeker;
  by_seeker.set_seeker_id("fb-s");
  ASSERT_TRUE(match_->ListFeedback(Context().get(), by_seeker, &listed).ok());
  EXPECT_EQ(listed.feedback_size(), 0) << "feedback is erased with the seeker";
}

}  // namespace
}  // namespace jobmatch::testing

#include "jobmatch/v1/rematch_service.grpc.pb.h"

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, RematchSnapshotMatchesTheLiveQueriesAndBecomesCurrent) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(PutSeeker(ValidSeeker("r" + std::to_string(i), i % 2 ? 8200 : 8210)).ok());
  }
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(PutVacancy(ValidVacancy("rv" + std::to_string(i), i % 2 ? 8000 : 8260)).ok());
  }
  auto rematch = v1::RematchService::NewStub(channel_);
  v1::GetRematchRunRequest current;
  v1::RematchRun run;
  EXPECT_EQ(rematch->GetRematchRun(Context().get(), current, &run).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::StartRematchRequest start;
  start.set_k(5);
  ASSERT_TRUE(rematch->StartRematch(Context().get(), start, &run).ok());
  const std::string run_id = run.run_id();
  EXPECT_EQ(run.state(), "RUNNING");
  for (int i = 0; i < 200 && run.state() == "RUNNING"; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    v1::GetRematchRunRequest get;
    get.set_run_id(run_id);
    ASSERT_TRUE(rematch->GetRematchRun(Context().get(), get, &run).ok());
  }
  ASSERT_EQ(run.state(), "DONE") << run.error();
  EXPECT_EQ(run.seekers(), 20u);
  EXPECT_EQ(run.vacancies(), 6u);
  EXPECT_GT(run.share_seekers_with_match(), 0.9);
  EXPECT_GT(run.allocated().suggestions(), 0u);
  EXPECT_GE(run.allocated().share_vacancies_with_suggestion(),
            run.plain().share_vacancies_with_suggestion());
  EXPECT_LE(run.allocated().gini_suggestions_per_vacancy(),
            run.plain().gini_suggestions_per_vacancy());
  ASSERT_TRUE(rematch->GetRematchRun(Context().get(), current, &run).ok());
  EXPECT_EQ(run.run_id(), run_id) << "the finished run is current";
  const std::string metrics = service_->metrics().Scrape();
  EXPECT_NE(metrics.find("jobmatch_rematch_running 0"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("jobmatch_rematch_seekers_done 20"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("jobmatch_rematch_seekers_total 20"), std::string::npos) << metrics;

  // Take a seeker that is on some vacancy's stored list.
  v1::GetRematchMatchesRequest first_list;
  first_list.set_vacancy_id("rv1");
  v1::RematchMatches stored;
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), first_list, &stored).ok());
  ASSERT_GT(stored.matches_size(), 0);
  const std::string listed = stored.matches(0).id();

  v1::GetRematchMatchesRequest for_seeker;
  for_seeker.set_seeker_id(listed);
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), for_seeker, &stored).ok());
  v1::TopVacanciesRequest live_request;
  live_request.set_seeker_id(listed);
  live_request.set_limit(5);
  v1::MatchResponse live;
  ASSERT_TRUE(match_->TopVacanciesForSeeker(Context().get(), live_request, &live).ok());
  ASSERT_EQ(stored.matches_size(), live.matches_size());
  for (int i = 0; i < live.matches_size(); ++i) {
    EXPECT_EQ(stored.matches(i).id(), live.matches(i).id());
    EXPECT_EQ(stored.matches(i).score(), live.matches(i).explanation().seeker_view_total());
  }
  EXPECT_GE(stored.recommended_size(), 1);
  EXPECT_LE(stored.recommended_size(), 3);
  for (const auto& r : stored.recommended()) {
    bool in_list = false;
    for (const auto& m : stored.matches()) in_list |= m.id() == r;
    EXPECT_TRUE(in_list) << r << " is recommended but not among the seeker's matches";
  }

  auto lists_naming = [&](const std::string& id) {
    int n = 0;
    for (int i = 0; i < 6; ++i) {
      v1::GetRematchMatchesRequest for_vacancy;
      for_vacancy.set_vacancy_id("rv" + std::to_string(i));
      v1::RematchMatches list;
      EXPECT_TRUE(rematch->GetRematchMatches(Context().get(), for_vacancy, &list).ok());
      for (const auto& m : list.matches()) n += m.id() == id;
    }
    return n;
  };
  ASSERT_GT(lists_naming(listed), 0);

  // Erasing the seeker erases its stored matches too.
  v1::DeleteSeekerRequest del;
  del.set_id(listed);
  v1::DeleteResponse deleted;
  ASSERT_TRUE(seekers_->Delete(Context().get(), del, &deleted).ok());
  EXPECT_EQ(rematch->GetRematchMatches(Context().get(), for_seeker, &stored).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // ...and no vacancy's stored list shows it any more.
  EXPECT_EQ(lists_naming(listed), 0);
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, UnmetNeedIsNotNamedWithoutConsent) {
  // A hard need the workplace cannot meet: Explain and WhyNot say that a need
  // blocks the pair, but not which need, unless the seeker consented.
  v1::Seeker s = ValidSeeker("needs-s", 8200);
  AddHardNeed(&s, v1::STEP_FREE_ACCESS);
  ASSERT_TRUE(PutSeeker(s).ok());
  v1::Vacancy v = ValidVacancy("stairs", 8000);
  AddAccommodation(&v, v1::STEP_FREE_ACCESS, v1::NOT_POSSIBLE);
  ASSERT_TRUE(PutVacancy(v).ok());

  auto explain = [&] {
    v1::ExplainRequest request;
    request.set_seeker_id("needs-s");
    request.set_vacancy_id("stairs");
    v1::ExplainResponse response;
    EXPECT_TRUE(match_->Explain(Context().get(), request, &response).ok());
    return response.explanation();
  };
  auto why_not = [&] {
    v1::WhyNotRequest request;
    request.set_seeker_id("needs-s");
    request.set_vacancy_id("stairs");
    v1::WhyNotResponse response;
    EXPECT_TRUE(match_->WhyNot(Context().get(), request, &response).ok());
    return response;
  };
  v1::Explanation hidden = explain();
  // Which kind of need blocks is withheld too (HARD_NEED_UNMET and
  // DEMAND_EXCLUDED both read WITHHELD).
  EXPECT_EQ(hidden.blocker(), "WITHHELD");
  EXPECT_EQ(hidden.blocker_detail().find("STEP_FREE"), std::string::npos) << hidden.blocker_detail();
  EXPECT_TRUE(hidden.needs_redacted());
  v1::WhyNotResponse hidden_why = why_not();
  EXPECT_EQ(hidden_why.kind(), "INFEASIBLE");
  EXPECT_EQ(hidden_why.explanation().find("STEP_FREE"), std::string::npos) << hidden_why.explanation();
  EXPECT_EQ(hidden_why.score().blocker_detail().find("STEP_FREE"), std::string::npos);

  s.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(s).ok());
  EXPECT_EQ(explain().blocker(), "HARD_NEED_UNMET");
  EXPECT_NE(explain().blocker_detail().find("STEP_FREE"), std::string::npos);
  EXPECT_NE(why_not().explanation().find("STEP_FREE"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

TEST_F(ServiceFixture, ShutdownEndsOpenChangeFeedsWithoutWaitingForTheGracePeriod) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("watched")).ok());
  std::atomic<int> received{0};
  grpc::Status ended;
  std::thread watcher([&] {
    auto context = Context();
    v1::WatchChangesRequest request;  // follows the log until the server ends it
    auto reader = match_->WatchChanges(context.get(), request);
    v1::Change change;
    while (reader->Read(&change)) ++received;
    ended = reader->Finish();
  });
  for (int i = 0; i < 200 && received.load() == 0; ++i) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(received.load(), 1);
  const absl::Time start = absl::Now();
  service_->Shutdown();  // the fixture's grace period is 2 s
  const absl::Duration took = absl::Now() - start;
  watcher.join();
  EXPECT_LT(took, absl::Seconds(1));
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
  EXPECT_NE(ended.error_message().find("after_sequence=1"), std::string::npos)
      << ended.error_message();
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

class SmallMessageLimitFixture : public ServiceFixture {
 protected:
  void SetUp() override {
    options_.server.max_message_bytes = 4096;
    Start();
  }
};

TEST_F(SmallMessageLimitFixture, RequestOverTheMessageLimitIsRefusedAndNothingIsStored) {
  v1::Seeker big = ValidSeeker("big");
  big.set_id(std::string(100, 'b'));
  for (int i = 0; i < 200; ++i) *big.add_skills() = big.skills(0);
  ASSERT_GT(big.ByteSizeLong(), 4096u);
  v1::UpsertSeekerRequest request;
  *request.mutable_seeker() = big;
  v1::WriteResult result;
  grpc::Status status = seekers_->Upsert(Context().get(), request, &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(service_->index().seeker_count(), 0u);
  EXPECT_TRUE(PutSeeker(ValidSeeker("small")).ok()) << "a request under the limit is served";
}

}  // namespace
}  // namespace jobmatch::testing

namespace jobmatch::testing {
namespace {

// Each call names its caller in "x-test-caller"; the scopes stand in for what
// the authentication layer gives the handlers.
class ScopedCallerFixture : public ServiceFixture {
 protected:
  void SetUp() override {
    aarhus_ = LocationOf(8200).municipality();
    skanderborg_ = LocationOf(8660).municipality();
    options_.scope_of = [this](const grpc::ServerContextBase& context)
        -> std::optional<AccessScope> {
      auto it = context.client_metadata().find("x-test-caller");
      if (it == context.client_metadata().end()) return std::nullopt;
      const std::string caller(it->second.data(), it->second.size());
      AccessScope scope;
      scope.caller_id = caller;
      if (caller == "aarhus") {
        scope.municipalities = {aarhus_};
        scope.may_see_needs = true;
      } else if (caller == "national-no-needs") {
        scope.all_municipalities = true;
      }
      return scope;
    };
    Start();
  }
  static std::unique_ptr<grpc::ClientContext> As(const std::string& caller) {
    auto context = Context();
    context->AddMetadata("x-test-caller", caller);
    return context;
  }
  int aarhus_ = 0;
  int skanderborg_ = 0;
};

TEST_F(ScopedCallerFixture, CallerReadsAndWritesOnlySeekersOfItsMunicipalities) {
  ASSERT_NE(aarhus_, skanderborg_);
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-aarhus", 8200)).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-skanderborg", 8660)).ok());

  v1::GetSeekerRequest get;
  v1::GetSeekerResponse got;
  get.set_id("in-aarhus");
  EXPECT_TRUE(seekers_->Get(As("aarhus").get(), get, &got).ok());
  get.set_id("in-skanderborg");
  grpc::Status hidden = seekers_->Get(As("aarhus").get(), get, &got);
  get.set_id("nobody");
  grpc::Status missing = seekers_->Get(As("aarhus").get(), get, &got);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(hidden.error_message(), "seeker in-skanderborg: not found");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListSeekersRequest list;
  v1::ListSeekersResponse listed;
  ASSERT_TRUE(seekers_->List(As("aarhus").get(), list, &listed).ok());
  ASSERT_EQ(listed.seekers_size(), 1);
  EXPECT_EQ(listed.seekers(0).seeker().id(), "in-aarhus");

  v1::DeleteSeekerRequest erase;
  erase.set_id("in-skanderborg");
  v1::DeleteResponse erased;
  EXPECT_EQ(seekers_->Delete(As("aarhus").get(), erase, &erased).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(service_->index().seeker_count(), 2u) << "nothing was erased";

  v1::UpsertSeekerRequest upsert;
  v1::WriteResult written;
  *upsert.mutable_seeker() = ValidSeeker("in-skanderborg", 8200);  // moving it into scope
  // An id outside the scope reads as missing when written too (the
  // existence rule; tests/e2e/existence_test.cc compares every RPC).
  grpc::Status takeover = seekers_->Upsert(As("aarhus").get(), upsert, &written);
  EXPECT_EQ(takeover.error_code(), grpc::StatusCode::NOT_FOUND) << takeover.error_message();
  *upsert.mutable_seeker() = ValidSeeker("new-chosen-id", 8200);
  grpc::Status chosen = seekers_->Upsert(As("aarhus").get(), upsert, &written);
  EXPECT_EQ(chosen.error_code(), grpc::StatusCode::NOT_FOUND) << chosen.error_message();
  EXPECT_EQ(chosen.error_message().substr(0, chosen.error_message().find(" not found")),
            "seeker.id: seeker new-chosen-id");
  // New seekers are sent without an id; the server issues one.
  *upsert.mutable_seeker() = ValidSeeker("", 8660);
  grpc::Status outside = seekers_->Upsert(As("aarhus").get(), upsert, &written);
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(outside.error_message().find("seeker.home.municipality"), std::string::npos)
      << outside.error_message();
  *upsert.mutable_seeker() = ValidSeeker("", 8200);
  ASSERT_TRUE(seekers_->Upsert(As("aarhus").get(), upsert, &written).ok());
  EXPECT_EQ(written.id().substr(0, 2), "s-");
  EXPECT_EQ(service_->index().seeker_count(), 3u);

  auto context = As("aarhus");
  v1::ImportResponse imported;
  auto writer = seekers_->Import(context.get(), &imported);
  for (const auto& [id, postal] :
       {std::pair<const char*, int>{"", 8200}, {"", 8660}, {"in-aarhus", 8200}}) {
    v1::ImportSeekerRequest request;
    *request.mutable_seeker() = ValidSeeker(id, postal);
    ASSERT_TRUE(writer->Write(request));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(imported.accepted(), 2u);
  ASSERT_EQ(imported.outcomes_size(), 3);
  EXPECT_EQ(imported.outcomes(0).id().substr(0, 2), "s-");
  EXPECT_EQ(imported.outcomes(1).error_code(), "PERMISSION_DENIED");
  EXPECT_EQ(imported.outcomes(2).id(), "in-aarhus");
  EXPECT_TRUE(imported.outcomes(2).error_code().empty());
  EXPECT_EQ(service_->index().seeker_count(), 4u);
}

TEST_F(ScopedCallerFixture, StoredRematchMatchesShowOnlySeekersInScope) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-aarhus", 8200)).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-skanderborg", 8660)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());
  ASSERT_EQ(RunRematchToEnd().state(), "DONE");
  auto rematch = v1::RematchService::NewStub(channel_);

  v1::GetRematchMatchesRequest for_vacancy;
  for_vacancy.set_vacancy_id("job");
  v1::RematchMatches all, scoped;
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), for_vacancy, &all).ok());
  ASSERT_EQ(all.matches_size(), 2) << "both are stored";
  ASSERT_TRUE(rematch->GetRematchMatches(As("aarhus").get(), for_vacancy, &scoped).ok());
  ASSERT_EQ(scoped.matches_size(), 1);
  EXPECT_EQ(scoped.matches(0).id(), "in-aarhus");

  v1::GetRematchMatchesRequest for_seeker;
  for_seeker.set_seeker_id("in-skanderborg");
  v1::RematchMatches theirs;
  ASSERT_TRUE(rematch->GetRematchMatches(Context().get(), for_seeker, &theirs).ok());
  grpc::Status hidden = rematch->GetRematchMatches(As("aarhus").get(), for_seeker, &theirs);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(hidden.error_message(), "seeker in-skanderborg: not found");
  for_seeker.set_seeker_id("in-aarhus");
  EXPECT_TRUE(rematch->GetRematchMatches(As("aarhus").get(), for_seeker, &theirs).ok());
}

TEST_F(ScopedCallerFixture, MatchesListAndExplainOnlySeekersInScope) {
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-aarhus", 8200)).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-skanderborg", 8660)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());

  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  v1::MatchResponse all, scoped;
  ASSERT_TRUE(match_->TopSeekersForVacancy(Context().get(), request, &all).ok());
  ASSERT_EQ(all.matches_size(), 2) << "both match when nothing is restricted";
  ASSERT_TRUE(match_->TopSeekersForVacancy(As("aarhus").get(), request, &scoped).ok());
  ASSERT_EQ(scoped.matches_size(), 1);
  EXPECT_EQ(scoped.matches(0).id(), "in-aarhus");
  request.mutable_filters()->add_municipalities(skanderborg_);  // asks for outside its scope
  ASSERT_TRUE(match_->TopSeekersForVacancy(As("aarhus").get(), request, &scoped).ok());
  EXPECT_EQ(scoped.matches_size(), 0);

  v1::TopVacanciesRequest for_seeker;
  for_seeker.set_seeker_id("in-skanderborg");
  v1::MatchResponse vacancies;
  EXPECT_EQ(match_->TopVacanciesForSeeker(As("aarhus").get(), for_seeker, &vacancies).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ExplainRequest explain;
  explain.set_seeker_id("in-skanderborg");
  explain.set_vacancy_id("job");
  v1::ExplainResponse explained;
  EXPECT_EQ(match_->Explain(As("aarhus").get(), explain, &explained).error_code(),
            grpc::StatusCode::NOT_FOUND);
  explain.set_seeker_id("in-aarhus");
  EXPECT_TRUE(match_->Explain(As("aarhus").get(), explain, &explained).ok());
  v1::WhyNotRequest why;
  why.set_seeker_id("in-skanderborg");
  why.set_vacancy_id("job");
  v1::WhyNotResponse why_response;
  EXPECT_EQ(match_->WhyNot(As("aarhus").get(), why, &why_response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::RecordFeedbackRequest feedback;
  feedback.mutable_feedback()->set_seeker_id("in-skanderborg");
  feedback.mutable_feedback()->set_vacancy_id("job");
  feedback.mutable_feedback()->set_outcome(v1::CONTACTED);
  v1::RecordFeedbackResponse recorded;
  EXPECT_EQ(match_->RecordFeedback(As("aarhus").get(), feedback, &recorded).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The change feed names seekers of every municipality.
  for (const auto& [caller, expected] :
       {std::pair<const char*, grpc::StatusCode>{"aarhus", grpc::StatusCode::PERMISSION_DENIED},
        {"national-no-needs", grpc::StatusCode::OK}}) {
    auto context = As(caller);
    v1::WatchChangesRequest watch;
    watch.set_stop_at_end(true);
    auto reader = match_->WatchChanges(context.get(), watch);
    v1::Change change;
    int changes = 0;
    while (reader->Read(&change)) ++changes;
    EXPECT_EQ(reader->Finish().error_code(), expected) << caller;
    EXPECT_EQ(changes, expected == grpc::StatusCode::OK ? 3 : 0) << caller;
  }
}

TEST_F(ScopedCallerFixture, WhyNotRanksAmongTheSeekersInScope) {
  v1::Seeker weaker = ValidSeeker("in-aarhus", 8200);
  weaker.clear_skills();  // ranks below the Skanderborg seeker overall
  ASSERT_TRUE(PutSeeker(weaker).ok());
  ASSERT_TRUE(PutSeeker(ValidSeeker("in-skanderborg", 8660)).ok());
  ASSERT_TRUE(PutVacancy(ValidVacancy("job", 8000)).ok());
  v1::WhyNotRequest why;
  why.set_seeker_id("in-aarhus");
  why.set_vacancy_id("job");
  why.set_limit(1);
  v1::WhyNotResponse overall, scoped;
  ASSERT_TRUE(match_->WhyNot(Context().get(), why, &overall).ok());
  EXPECT_EQ(overall.kind(), "BELOW_CUTOFF") << overall.explanation();
  ASSERT_TRUE(match_->WhyNot(As("aarhus").get(), why, &scoped).ok());
  EXPECT_EQ(scoped.kind(), "IN_LIST") << scoped.explanation();
  EXPECT_EQ(scoped.rank(), 1);
}

TEST_F(ScopedCallerFixture, RoleWithoutNeedsAccessSeesThemRedactedDespiteConsent) {
  v1::Seeker s = ValidSeeker("consenting", 8200);
  AddHardNeed(&s, v1::STEP_FREE_ACCESS);
  s.set_consent_share_needs_with_employers(true);
  ASSERT_TRUE(PutSeeker(s).ok());
  v1::Vacancy v = ValidVacancy("job", 8000);
  AddAccommodation(&v, v1::STEP_FREE_ACCESS, v1::IN_PLACE);
  ASSERT_TRUE(PutVacancy(v).ok());
  v1::TopSeekersRequest request;
  request.set_vacancy_id("job");
  v1::MatchResponse response;
  ASSERT_TRUE(match_->TopSeekersForVacancy(As("aarhus").get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).explanation().needs_met_size(), 1);
  ASSERT_TRUE(match_->TopSeekersForVacancy(As("national-no-needs").get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_TRUE(response.matches(0).explanation().needs_redacted());
  EXPECT_EQ(response.matches(0).explanation().needs_met_size(), 0);
}

}  // namespace
}  // namespace jobmatch::testing
