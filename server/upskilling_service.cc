#include "server/upskilling_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobmatch/v1/upskilling_service.grpc.pb.h"
#include "matcher/skill_gap.h"
#include "server/call_context.h"
#include "server/grpc_status.h"
#include "server/skill_gap_proto.h"

namespace jobmatch {
namespace {

class UpskillingServiceImpl final : public v1::UpskillingService::CallbackService {
 public:
  UpskillingServiceImpl(const matcher::MatchIndex* index, const matcher::Scorer* scorer,
                        const storage::Store* store, const matcher::ReferenceData* data,
                        const matcher::CourseCatalogue* courses, const CallContexts* calls)
      : index_(index), scorer_(scorer), store_(store), data_(data), courses_(courses),
        calls_(calls) {}

  grpc::ServerUnaryReactor* SkillGaps(grpc::CallbackServerContext* context,
                                      const v1::SkillGapsRequest* request,
                                      v1::SkillGapsResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      auto options = ToSkillGapOptions(request->settings(), "settings");
      if (!options.ok()) return options.status();
      if (request->limit() < 0 || request->limit() > 200) {
        return absl::InvalidArgumentError("limit: must be within [0, 200]");
      }
      std::vector<int> area(request->municipalities().begin(), request->municipalities().end());
      for (size_t i = 0; i < area.size(); ++i) {
        if (data_->geography->FindMunicipality(area[i]) == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat(
                                              "municipalities[", i, "]: ", area[i],
                                              " is not a municipality code"));
        }
      }
      const std::optional<AccessScope>& scope = call.scope();
      if (scope && !scope->all_municipalities) {
        for (int m : area) {
          if (!scope->MayAccess(m)) {
            return absl::PermissionDeniedError(absl::StrCat(
                                                "municipalities: caller ", scope->caller_id,
                                                " may not see seekers of municipality ", m));
          }
        }
        if (area.empty()) area = scope->municipalities;
        if (area.empty()) {
          return absl::PermissionDeniedError(absl::StrCat(
                                              "caller ", scope->caller_id,
                                              " may see no municipality's seekers"));
        }
      }
      options->top_skills = request->limit() == 0 ? 30 : static_cast<size_t>(request->limit());
      options->now = call.now();
      options->deadline = absl::FromChrono(context->deadline());
      std::vector<std::string> seekers;
      absl::Status listed = SeekersIn(area, &seekers);
      if (!listed.ok()) return listed;
      matcher::SkillGapAnalyzer analyzer(index_, scorer_, *options);
      auto gaps = analyzer.ForSeekers(seekers);
      if (!gaps.ok()) return gaps.status();
      for (int m : area) response->add_municipalities(m);
      response->set_seekers(static_cast<uint32_t>(gaps->seekers));
      response->set_feasible_pairs(gaps->feasible_pairs);
      response->set_good_pairs(gaps->good_pairs);
      response->set_near_misses(gaps->near_misses);
      response->set_unlockable_pairs(gaps->unlockable_pairs);
      for (const matcher::SkillUnlock& u : gaps->skills) {
        *response->add_skills() = ToProto(u, *data_->taxonomy, courses_);
      }
      response->set_policy_version(index_->policy().version);
      if (courses_ != nullptr) response->set_course_catalogue_version(courses_->version());
      response->set_computed_at_micros(absl::ToUnixMicros(options->now));
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* UpskillingPlan(grpc::CallbackServerContext* context,
                                           const v1::UpskillingPlanRequest* request,
                                           v1::UpskillingPlanResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kSeeker, request->seeker_id());
      auto options = ToSkillGapOptions(request->settings(), "settings");
      if (!options.ok()) return options.status();
      if (request->max_skills() < 0 || request->max_skills() > 10) {
        return absl::InvalidArgumentError("max_skills: must be within [0, 10]");
      }
      // A seeker outside the caller's scope reads exactly like a missing one.
      const std::optional<AccessScope>& scope = call.scope();
      auto seeker = index_->GetSeeker(request->seeker_id());
      if (!seeker || (scope && !scope->MayAccess(seeker->home.municipality))) {
        return absl::NotFoundError(absl::StrCat(
                                            "seeker ", request->seeker_id(), ": not found"));
      }
      options->plan_skills = request->max_skills() == 0 ? 5 : static_cast<size_t>(request->max_skills());
      options->now = call.now();
      options->deadline = absl::FromChrono(context->deadline());
      matcher::SkillGapAnalyzer analyzer(index_, scorer_, *options);
      auto plan = analyzer.ForSeeker(request->seeker_id());
      if (!plan.ok()) return plan.status();
      response->set_seeker_id(request->seeker_id());
      response->set_feasible(static_cast<uint32_t>(plan->feasible));
      response->set_good(static_cast<uint32_t>(plan->good));
      response->set_near_misses(static_cast<uint32_t>(plan->near_misses));
      const matcher::Taxonomy& taxonomy = *data_->taxonomy;
      for (size_t i = 0; i < plan->skills.size(); ++i) {
        v1::PlanStep* step = response->add_steps();
        step->mutable_skill()->set_esco_uri(taxonomy.skill(plan->skills[i]).uri);
        step->mutable_skill()->set_label(taxonomy.skill(plan->skills[i]).label);
        for (const matcher::OpenedVacancy& o : plan->opened) {
          if (o.step == i + 1) step->add_vacancy_ids(o.vacancy_id);
        }
        AddCourses(plan->skills[i], courses_, step->mutable_courses());
      }
      for (const matcher::OpenedVacancy& o : plan->opened) {
        v1::OpenedVacancy* out = response->add_opened();
        out->set_vacancy_id(o.vacancy_id);
        out->set_total_before(o.total_before);
        out->set_total_after(o.total_after);
        out->set_bar(o.bar);
        out->set_step(static_cast<int32_t>(o.step));
      }
      response->set_policy_version(index_->policy().version);
      if (courses_ != nullptr) response->set_course_catalogue_version(courses_->version());
      response->set_computed_at_micros(absl::ToUnixMicros(options->now));
      return absl::OkStatus();
    });
  }

 private:
  // Ids of the seekers living in `area` (empty = everywhere), in id order.
  absl::Status SeekersIn(const std::vector<int>& area, std::vector<std::string>* ids) const {
    return store_->ForEach(storage::RecordKind::kSeeker, [&](const storage::StoredRecord& r) {
      if (area.empty()) {
        ids->push_back(r.id);
      } else if (auto seeker = index_->GetSeeker(r.id);
                 seeker && std::find(area.begin(), area.end(), seeker->home.municipality) !=
                               area.end()) {
        ids->push_back(r.id);
      }
      return true;
    });
  }

  const matcher::MatchIndex* const index_;
  const matcher::Scorer* const scorer_;
  const storage::Store* const store_;
  const matcher::ReferenceData* const data_;
  const matcher::CourseCatalogue* const courses_;
  const CallContexts* const calls_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeUpskillingService(const matcher::MatchIndex* index,
                                                     const matcher::Scorer* scorer,
                                                     const storage::Store* store,
                                                     const matcher::ReferenceData* data,
                                                     const matcher::CourseCatalogue* courses,
                                                     const CallContexts* calls) {
  return std::make_unique<UpskillingServiceImpl>(index, scorer, store, data, courses, calls);
}

}  // namespace jobmatch
