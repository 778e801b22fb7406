// Inputs the request fuzz driver (request_fuzz_test.cc) found, replayed on
// their own against a real jobmatchd with API keys, each beside its fix.
#include <set>

#include "server/auth/api_key_hash.h"
#include "tests/e2e/api_fixture.h"
#include "tests/fuzz/raw_call.h"

namespace jobmatch::fuzz {
namespace {

class ScopedListTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    options_.security.api_keys.push_back(
        {"kbh-consultant", auth::Sha256Hex("kbh-secret"), auth::Role::kConsultant, {101}, false, {}});
    options_.security.api_keys.push_back(
        {"ops", auth::Sha256Hex("ops-secret"), auth::Role::kAdmin, {}, true, {}});
    Start();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(service_->port()),
                                   grpc::experimental::LocalCredentials(LOCAL_TCP));
  }

  RawCallResult Call(const std::string& key, const std::string& method,
                     const google::protobuf::Message& request) {
    RawCallOptions options;
    options.metadata = {{"authorization", "Bearer " + key}};
    return RawCall(channel_, method, {request.SerializeAsString()}, options);
  }

  void Put(const v1::Seeker& seeker) {
    v1::UpsertSeekerRequest put;
    *put.mutable_seeker() = seeker;
    ASSERT_TRUE(Call("ops-secret", "/jobmatch.v1.SeekerService/Upsert", put).status.ok());
  }
};

// Found by the fuzz driver (seed 1): the page token after a page whose last
// record read was out of the caller's scope was that record's id, so a
// København consultant paging through seekers learned the ids of Aarhus's.
TEST_F(ScopedListTest, PageTokensNeverNameARecordOutsideTheCallersScope) {
  // Store order is id order: the Aarhus seekers sit between København's.
  Put(testing::ValidSeeker("a-kbh", 2100));
  Put(testing::ValidSeeker("b-aarhus", 8200));
  Put(testing::ValidSeeker("c-aarhus", 8200));
  Put(testing::ValidSeeker("d-kbh", 2100));
  Put(testing::ValidSeeker("e-aarhus", 8200));

  for (int page_size : {1, 2, 3}) {
    std::vector<std::string> shown;
    std::string token;
    int pages = 0;
    do {
      v1::ListSeekersRequest list;
      list.set_page_size(page_size);
      list.set_page_token(token);
      RawCallResult result = Call("kbh-secret", "/jobmatch.v1.SeekerService/List", list);
      ASSERT_TRUE(result.status.ok()) << result.status.error_message();
      v1::ListSeekersResponse page;
      ASSERT_TRUE(page.ParseFromString(result.responses.at(0)));
      for (const auto& s : page.seekers()) shown.push_back(s.seeker().id());
      token = page.next_page_token();
      EXPECT_EQ(token.find("aarhus"), std::string::npos) << "page size " << page_size;
      ASSERT_LT(++pages, 10);
    } while (!token.empty());
    EXPECT_EQ(shown, (std::vector<std::string>{"a-kbh", "d-kbh"})) << "page size " << page_size;
  }

  // Unscoped callers page through everything as before.
  std::set<std::string> all;
  std::string token;
  do {
    v1::ListSeekersRequest list;
    list.set_page_size(2);
    list.set_page_token(token);
    RawCallResult result = Call("ops-secret", "/jobmatch.v1.SeekerService/List", list);
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    v1::ListSeekersResponse page;
    ASSERT_TRUE(page.ParseFromString(result.responses.at(0)));
    EXPECT_LE(page.seekers_size(), 2);
    for (const auto& s : page.seekers()) all.insert(s.seeker().id());
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(all.size(), 5u);
}

// Found by the fuzz driver under UBSan (seed 3): an undefined vacancy kind
// in a query's filters was shifted into a bit mask by its value (a shift
// by 5506, undefined behaviour) instead of being refused.
class QueryFilterTest : public testing::ServiceFixture {};

TEST_F(QueryFilterTest, UndefinedVacancyKindInFiltersIsInvalidArgument) {
  ASSERT_TRUE(PutVacancy(testing::ValidVacancy("job-1", 8000)).ok());
  for (int kind : {5506, -1, 0, 1 << 30}) {
    v1::TopSeekersRequest request;
    request.set_vacancy_id("job-1");
    request.mutable_filters()->add_vacancy_kinds(static_cast<v1::VacancyKind>(kind));
    v1::MatchResponse response;
    grpc::Status status = match_->TopSeekersForVacancy(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << kind;
    EXPECT_EQ(status.error_message(), "filters.vacancy_kinds[0]: must be a defined, non-zero value");
  }
  v1::TopSeekersRequest valid;
  valid.set_vacancy_id("job-1");
  valid.mutable_filters()->add_vacancy_kinds(v1::ORDINARY);
  v1::MatchResponse response;
  EXPECT_TRUE(match_->TopSeekersForVacancy(Context().get(), valid, &response).ok());
}

}  // namespace
}  // namespace jobmatch::fuzz
