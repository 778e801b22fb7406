#include "server/employer_bridge_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobmatch/v1/employer_bridge_service.grpc.pb.h"
#include "matcher/employer_bridge.h"
#include "server/call_context.h"
#include "server/grpc_status.h"

namespace jobmatch {
namespace {

class EmployerBridgeServiceImpl final : public v1::EmployerBridgeService::CallbackService {
 public:
  EmployerBridgeServiceImpl(const RecordKeeper* keeper, const matcher::MatchIndex* index,
                            const CallContexts* calls)
      : keeper_(keeper), index_(index), calls_(calls) {}

  grpc::ServerUnaryReactor* Bridge(grpc::CallbackServerContext* context,
                                   const v1::BridgeRequest* request,
                                   v1::BridgeResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) {
      return Run(context, call, *request, response);
    });
  }

 private:
  absl::Status Run(grpc::CallbackServerContext* context, const CallContext& call,
                   const v1::BridgeRequest& request, v1::BridgeResponse* response) const {
    if (request.no_contact_days() < 0 || request.no_contact_days() > 3650) {
      return absl::InvalidArgumentError("no_contact_days: must be within [0, 3650]");
    }
    if (!(request.strong_score() >= 0 && request.strong_score() <= 1)) {
      return absl::InvalidArgumentError("strong_score: must be within [0, 1]");
    }
    if (request.min_openings() < 0 || request.min_openings() > 1000) {
      return absl::InvalidArgumentError("min_openings: must be within [0, 1000]");
    }
    if (request.limit() < 0 || request.limit() > 1000) {
      return absl::InvalidArgumentError("limit: must be within [0, 1000]");
    }
    const absl::Time now = call.now();
    matcher::BridgeOptions options;
    options.now = now;
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    options.year_start =
        absl::FromCivil(absl::CivilDay(today.year(), 1, 1), absl::UTCTimeZone());
    options.no_contact = absl::Hours(24 * (request.no_contact_days() == 0 ? 90 : request.no_contact_days()));
    options.min_openings = request.min_openings() == 0 ? 3 : request.min_openings();
    options.limit = request.limit() == 0 ? 50 : request.limit();
    const double strong = request.strong_score() == 0 ? 0.7 : request.strong_score();

    std::vector<v1::Employer> employers;
    std::vector<matcher::BridgeEmployerFacts> facts;
    std::string after;
    do {
      auto page = keeper_->List<v1::Employer>(after, 1000);
      if (!page.ok()) return page.status();
      for (auto& stored : page->records) {
        matcher::BridgeEmployerFacts f;
        f.id = stored.record.id();
        f.five_or_more_employees = stored.record.size_band() >= v1::EMPLOYEES_5_9;
        for (const auto& c : stored.record.contacts()) {
          const absl::Time t = absl::FromUnixMicros(c.date_micros());
          f.last_contact = std::max(f.last_contact, t);
          if (c.kind() == v1::VISIT) f.last_visit = std::max(f.last_visit, t);
        }
        facts.push_back(std::move(f));
        employers.push_back(std::move(stored.record));
      }
      after = page->next_after_id;
    } while (!after.empty());

    matcher::MatchQuery query;
    query.limit = 100;
    query.now = now;
    query.deadline = absl::FromChrono(context->deadline());
    bool none_in_scope = false;
    query.filters.municipalities = call.Narrow({}, &none_in_scope);
    std::vector<matcher::BridgeVacancyFacts> vacancies;
    after.clear();
    do {
      auto page = keeper_->List<v1::Vacancy>(after, 1000);
      if (!page.ok()) return page.status();
      for (const auto& stored : page->records) {
        auto profile = index_->GetVacancy(stored.record.id());
        if (!profile || !profile->open || profile->valid_until < now) continue;
        matcher::BridgeVacancyFacts v;
        v.id = profile->id;
        v.employer_id = profile->employer_id;
        v.openings = profile->openings;
        if (!none_in_scope) {
          auto list = index_->TopSeekersForVacancy(v.id, query);
          if (!list.ok()) return list.status();
          v.feasible = list->feasible;
          for (const auto& m : list->matches) v.strong += m.score.total >= strong;
        }
        vacancies.push_back(std::move(v));
      }
      after = page->next_after_id;
    } while (!after.empty());

    const matcher::BridgeLists lists = matcher::BuildBridge(facts, vacancies, options);
    auto fill = [&](const std::vector<matcher::BridgeRow>& rows,
                    google::protobuf::RepeatedPtrField<v1::BridgeEmployer>* out) {
      for (const matcher::BridgeRow& row : rows) {
        const v1::Employer& e = employers[row.employer];
        const matcher::BridgeEmployerFacts& f = facts[row.employer];
        v1::BridgeEmployer* b = out->Add();
        b->set_employer_id(e.id());
        b->set_name(e.name());
        b->set_cvr(e.cvr());
        b->set_municipality(e.municipality());
        b->set_size_band(e.size_band());
        b->set_industry_db07(e.industry_db07());
        b->set_social_responsibility(e.social_responsibility());
        *b->mutable_agreements() = e.agreements();
        b->set_open_vacancies(static_cast<uint32_t>(row.open_vacancies));
        b->set_openings(static_cast<uint32_t>(row.openings));
        b->set_feasible_candidates(static_cast<uint32_t>(row.feasible));
        b->set_strong_candidates(static_cast<uint32_t>(row.strong));
        if (f.last_contact != absl::InfinitePast()) b->set_last_contact_micros(absl::ToUnixMicros(f.last_contact));
        if (f.last_visit != absl::InfinitePast()) b->set_last_visit_micros(absl::ToUnixMicros(f.last_visit));
        for (const std::string& id : row.vacancy_ids) b->add_vacancy_ids(id);
      }
    };
    fill(lists.strong_no_contact, response->mutable_strong_candidates_no_contact());
    fill(lists.many_openings_few_candidates, response->mutable_many_openings_few_candidates());
    fill(lists.not_visited_this_year, response->mutable_not_visited_this_year());
    response->set_computed_at_micros(absl::ToUnixMicros(now));
    return absl::OkStatus();
  }

  const RecordKeeper* const keeper_;
  const matcher::MatchIndex* const index_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeEmployerBridgeService(const RecordKeeper* keeper,
                                                         const matcher::MatchIndex* index,
                                                         const CallContexts* calls) {
  return std::make_unique<EmployerBridgeServiceImpl>(keeper, index, calls);
}

}  // namespace jobmatch
