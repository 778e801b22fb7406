// A real jobmatchd service (RocksDB in a temp dir, gRPC on 127.0.0.1 port 0)
// and builders for valid API records.
#ifndef JOBMATCH_TESTS_E2E_API_FIXTURE_H_
#define JOBMATCH_TESTS_E2E_API_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "matcher/reference_data.h"
#include "server/jobmatch_service.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::testing {

inline const matcher::ReferenceData& RefData() {
  static const matcher::ReferenceData* data =
      matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir())->release();
  return *data;
}

inline v1::Location LocationOf(int postal_code) {
  const auto* pc = RefData().geography->FindPostalCode(postal_code);
  v1::Location loc;
  loc.set_lat(pc->lat);
  loc.set_lon(pc->lon);
  loc.set_postal_code(pc->code);
  loc.set_municipality(pc->municipality);
  return loc;
}

inline std::string EscoOccupationIn(int isco) {
  return RefData().taxonomy->occupation(RefData().taxonomy->OccupationsInUnitGroup(isco).front()).uri;
}

inline v1::Seeker ValidSeeker(const std::string& id, int postal_code = 8200, int isco = 9112) {
  v1::Seeker s;
  s.set_id(id);
  *s.mutable_home() = LocationOf(postal_code);
  s.add_transport_modes(v1::CAR);
  s.add_transport_modes(v1::PUBLIC_TRANSPORT);
  s.set_max_commute_minutes(60);
  auto* occ = s.add_occupations();
  occ->set_isco_code(std::to_string(isco));
  occ->set_esco_uri(EscoOccupationIn(isco));
  const auto& t = *RefData().taxonomy;
  for (auto skill : t.occupation(t.FindOccupation(occ->esco_uri())).essential) {
    s.add_skills()->set_esco_uri(t.skill(skill).uri);
  }
  s.set_education_level(3);
  auto* da = s.add_languages();
  da->set_code("da");
  da->set_level(v1::CEFR_NATIVE);
  s.set_min_hours_per_week(20);
  s.set_max_hours_per_week(37);
  s.set_target_group("jobparat");
  return s;
}

inline v1::Vacancy ValidVacancy(const std::string& id, int postal_code = 8000, int isco = 9112) {
  v1::Vacancy v;
  v.set_id(id);
  v.set_employer_id("employer-1");
  *v.mutable_workplace() = LocationOf(postal_code);
  v.set_isco_code(std::to_string(isco));
  v.set_esco_occupation_uri(EscoOccupationIn(isco));
  v.set_hours_per_week(37);
  v.set_kind(v1::ORDINARY);
  v.set_openings(2);
  v.set_valid_until_micros(absl::ToUnixMicros(absl::Now() + absl::Hours(24 * 60)));
  return v;
}

// A hard functional need on a seeker, and what a workplace offers for one.
inline void AddHardNeed(v1::Seeker* s, v1::Accommodation accommodation) {
  auto* need = s->add_needs();
  need->set_accommodation(accommodation);
  need->set_strength(v1::HARD);
}
inline void AddAccommodation(v1::Vacancy* v, v1::Accommodation accommodation,
                             v1::AccommodationStatus status) {
  auto* a = v->add_accommodations();
  a->set_accommodation(accommodation);
  a->set_status(status);
}

inline v1::Employer ValidEmployer(const std::string& id) {
  v1::Employer e;
  e.set_id(id);
  e.set_name("Aarhus Kommune");
  e.set_cvr("55133018");
  e.set_public_sector(true);
  e.set_municipality(751);
  return e;
}

class ServiceFixture : public ::testing::Test {
 protected:
  // The tests' worlds are a handful of seekers, whose report rows the
  // default small-count suppression (5) would all hide: off unless a test
  // of the suppression sets it.
  ServiceFixture() { options_.report_min_cell_people = 1; }
  void SetUp() override { Start(); }
  void Start() {
    ServiceOptions options = options_;
    options.server.listen_address = "127.0.0.1:0";
    options.server.shutdown_grace = absl::Seconds(2);
    options.data_dir = dir_.path() + "/db";
    options.reference_data_dir = matcher::ReferenceData::SourceTreeDataDir();
    auto service = JobmatchService::Start(options);
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = std::move(*service);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                   grpc::InsecureChannelCredentials());
    seekers_ = v1::SeekerService::NewStub(channel_);
    vacancies_ = v1::VacancyService::NewStub(channel_);
    employers_ = v1::EmployerService::NewStub(channel_);
    match_ = v1::MatchService::NewStub(channel_);
  }
  void Restart() {
    seekers_.reset();
    vacancies_.reset();
    employers_.reset();
    match_.reset();
    channel_.reset();
    if (service_) service_->Shutdown();
    service_.reset();
    Start();
  }
  static std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(10)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    return context;
  }
  grpc::Status PutSeeker(const v1::Seeker& s, v1::WriteResult* result = nullptr) {
    v1::UpsertSeekerRequest request;
    *request.mutable_seeker() = s;
    v1::WriteResult ignored;
    return seekers_->Upsert(Context().get(), request, result ? result : &ignored);
  }
  grpc::Status PutVacancy(const v1::Vacancy& v, v1::WriteResult* result = nullptr) {
    v1::UpsertVacancyRequest request;
    *request.mutable_vacancy() = v;
    v1::WriteResult ignored;
    return vacancies_->Upsert(Context().get(), request, result ? result : &ignored);
  }

  // The explanation of one pair (a failed call fails the test).
  v1::Explanation Explain(const std::string& seeker, const std::string& vacancy) {
    v1::ExplainRequest request;
    request.set_seeker_id(seeker);
    request.set_vacancy_id(vacancy);
    v1::ExplainResponse response;
    grpc::Status status = match_->Explain(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.explanation();
  }

  // A vacancy's top 10 seekers (a failed call fails the test).
  v1::MatchResponse TopSeekers(const std::string& vacancy) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id(vacancy);
    request.set_limit(10);
    v1::MatchResponse response;
    grpc::Status status = match_->TopSeekersForVacancy(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Starts a rematch run with the defaults and waits (up to 10 s) until it
  // is no longer running; returns its last state.
  v1::RematchRun RunRematchToEnd() {
    auto rematch = v1::RematchService::NewStub(channel_);
    v1::RematchRun run;
    grpc::Status status = rematch->StartRematch(Context().get(), v1::StartRematchRequest(), &run);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (int i = 0; i < 200 && status.ok() && run.state() == "RUNNING"; ++i) {
      absl::SleepFor(absl::Milliseconds(50));
      v1::GetRematchRunRequest get;
      get.set_run_id(run.run_id());
      status = rematch->GetRematchRun(Context().get(), get, &run);
    }
    return run;
  }

  // Options a test may set before Start() (address, folders and grace are
  // the fixture's).
  ServiceOptions options_;
  TempDir dir_;
  std::unique_ptr<JobmatchService> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SeekerService::Stub> seekers_;
  std::unique_ptr<v1::VacancyService::Stub> vacancies_;
  std::unique_ptr<v1::EmployerService::Stub> employers_;
  std::unique_ptr<v1::MatchService::Stub> match_;
};

}  // namespace jobmatch::testing

#endif  // JOBMATCH_TESTS_E2E_API_FIXTURE_H_
