#include "server/match_service.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "server/call_context.h"
#include "server/change_feed.h"
#include "server/convert.h"
#include "server/feedback_validation.h"
#include "server/feedback_marks.h"
#include "server/grpc_status.h"
#include "server/placement_lifecycle.h"
#include "server/query_options.h"
#include "server/seeker_priority.h"
#include "storage/feedback_store.h"

namespace jobmatch {
namespace {

// 128-bit random decision ids.
class DecisionIds {
 public:
  DecisionIds() : rng_(std::random_device{}()) {}
  std::string Next() {
    absl::MutexLock lock(&mu_);
    return absl::StrFormat("%016x%016x", rng_(), rng_());
  }

 private:
  absl::Mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
};

// A top-k query's request and response on one arena that starts inside the
// holder: the response's many small messages and strings (an explanation
// per entry) cost no malloc and free each (docs/benchmarks.md, "Where a
// call's time goes").
template <typename Request>
class ArenaMessages final : public grpc::MessageAllocator<Request, v1::MatchResponse> {
 public:
  grpc::MessageHolder<Request, v1::MatchResponse>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, v1::MatchResponse> {
   public:
    Holder() : arena_(Options(initial_block_)) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<v1::MatchResponse>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options(char* block) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = sizeof(initial_block_);
      return options;
    }
    alignas(8) char initial_block_[16384];
    google::protobuf::Arena arena_;
  };
};

class MatchServiceImpl final : public v1::MatchService::CallbackService {
 public:
  MatchServiceImpl(const matcher::MatchIndex* index, storage::Store* store, Metrics* metrics,
                   const matcher::ReferenceData* data, MatchServiceOptions options,
                   const std::atomic<bool>* stopping, const CallContexts* calls,
                   const RecordKeeper* keeper)
      : index_(index), store_(store), metrics_(metrics), data_(data), options_(options),
        stopping_(stopping), calls_(calls), keeper_(keeper) {
    SetMessageAllocatorFor_TopVacanciesForSeeker(&seeker_query_messages_);
    SetMessageAllocatorFor_TopSeekersForVacancy(&vacancy_query_messages_);
  }

  grpc::ServerUnaryReactor* RecordFeedback(grpc::CallbackServerContext* context,
                                           const v1::RecordFeedbackRequest* request,
                                           v1::RecordFeedbackResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      v1::Feedback feedback = request->feedback();
      call.AddSubject(storage::RecordKind::kSeeker, feedback.seeker_id());
      call.AddSubject(storage::RecordKind::kVacancy, feedback.vacancy_id());
      // A seeker outside the caller's scope reads as missing, in the same words.
      if (!call.CheckSeeker(feedback.seeker_id()).ok()) {
        return absl::NotFoundError(
            absl::StrCat("feedback.seeker_id: seeker ", feedback.seeker_id(), " not found"));
      }
      if (absl::Status valid = ValidateFeedback(*index_, feedback); !valid.ok()) return valid;
      // A placement's stages keep their order (docs/placements.md): checked
      // against the pair's stored history and stored under one lock, so that
      // two calls for one pair cannot both pass.
      absl::MutexLockMaybe order_lock(IsPlacementStage(feedback.outcome()) ? &PlacementOrderMutex()
                                                                           : nullptr);
      if (IsPlacementStage(feedback.outcome())) {
        PlacementLifecycle so_far;
        absl::Status read = ScanFeedback(feedback.seeker_id(), feedback.vacancy_id(),
                                         [&](v1::Feedback f) {
                                           so_far.Add(f);
                                           return true;
                                         });
        if (!read.ok()) return read;
        if (absl::Status order = CheckPlacementOrder(so_far, feedback); !order.ok()) return order;
      }
      feedback.set_time_micros(absl::ToUnixMicros(call.now()));
      // Kept under the seeker, so erasing the seeker erases it.
      absl::Status stored = store_->feedback().Put(feedback);
      if (stored.ok()) {
        if (options_.feedback_ledger != nullptr) options_.feedback_ledger->Apply(feedback);
        response->set_time_micros(feedback.time_micros());
        if (metrics_ != nullptr) {
          metrics_->RecordFeedback(v1::FeedbackOutcome_Name(feedback.outcome()));
        }
      }
      return stored;
    });
  }

  grpc::ServerUnaryReactor* ListFeedback(grpc::CallbackServerContext* context,
                                         const v1::ListFeedbackRequest* request,
                                         v1::ListFeedbackResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      if (request->seeker_id().empty() == request->vacancy_id().empty()) {
        return absl::InvalidArgumentError("seeker_id, vacancy_id: give exactly one of them");
      }
      if (request->limit() < 0 || request->limit() > 1000) {
        return absl::InvalidArgumentError("limit: must be within [0, 1000]");
      }
      const size_t limit = request->limit() == 0 ? 100 : request->limit();
      if (!request->seeker_id().empty()) {
        call.AddSubject(storage::RecordKind::kSeeker, request->seeker_id());
      } else {
        call.AddSubject(storage::RecordKind::kVacancy, request->vacancy_id());
      }
      // Feedback on seekers outside the caller's scope is left out (for an
      // unknown seeker the list is empty too).
      return ScanFeedback(request->seeker_id(), request->vacancy_id(), [&](v1::Feedback f) {
        if (!call.CheckSeeker(f.seeker_id()).ok()) return true;
        if (request->seeker_id().empty()) {
          call.AddId(storage::RecordKind::kSeeker, f.seeker_id(), "RETURNED");
        }
        *response->add_feedback() = std::move(f);
        return static_cast<size_t>(response->feedback_size()) < limit;
      });
    });
  }

  grpc::ServerUnaryReactor* TopVacanciesForSeeker(grpc::CallbackServerContext* context,
                                                  const v1::TopVacanciesRequest* request,
                                                  v1::MatchResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kSeeker, request->seeker_id());
      auto query = MakeQuery(context, call, request->limit(), request->page_token(),
                             request->filters());
      if (!query.ok()) return query.status();
      if (absl::Status s = ApplyQueryOptions(request->occupation_breadth(), &*query); !s.ok()) {
        return s;
      }
      if (absl::Status s = call.CheckSeeker(request->seeker_id()); !s.ok()) return s;
      query->needs_blind = NeedsBlind(call, request->seeker_id());
      query->skill_lists = !request->brief();
      const uint64_t sequence = store_->LastSequence();
      auto result = index_->TopVacanciesForSeeker(request->seeker_id(), *query);
      if (!result.ok()) return result.status();
      Fill(*result, *query, sequence, request->brief(), response);
      MarkFeedback(options_.feedback_ledger, *result, request->seeker_id(), true, response);
      AuditRanking(call, "TOP_VACANCIES_FOR_SEEKER", *result, *query, request->filters(), false,
                   response->trace());
      call.entry()->mutable_decision()->set_seeker_id(request->seeker_id());
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* TopSeekersForVacancy(grpc::CallbackServerContext* context,
                                                 const v1::TopSeekersRequest* request,
                                                 v1::MatchResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kVacancy, request->vacancy_id());
      auto query = MakeQuery(context, call, request->limit(), request->page_token(),
                             request->filters());
      if (!query.ok()) return query.status();
      if (absl::Status s = ApplyQueryOptions(request->occupation_breadth(), &*query); !s.ok()) {
        return s;
      }
      query->skill_lists = !request->brief();
      bool none_in_scope = false;
      query->filters.municipalities = call.Narrow(query->filters.municipalities, &none_in_scope);
      // A consultant's explicit priority re-orders the feasible list; it never
      // changes a score (server/seeker_priority.h).
      std::optional<matcher::PriorityRequest> priority;
      if (request->has_priority()) {
        // Target group is health data: only a need-to-know role may filter
        // or order by it (the order would give it away).
        const v1::SeekerPriority& asked = request->priority();
        if ((asked.target_groups_size() > 0 || asked.order() == v1::TARGET_GROUP_ORDER) &&
            call.view().audience() != Audience::kNeedToKnow) {
          return absl::PermissionDeniedError(
              "priority.target_groups: a seeker's target group is health data; this caller's "
              "role may not filter or order by it");
        }
        auto p = keeper_ == nullptr
                     ? absl::StatusOr<matcher::PriorityRequest>(absl::UnimplementedError(
                           "priority: not available on this server"))
                     : ToPriorityRequest(request->priority(), *data_->schemes);
        if (!p.ok()) return p.status();
        priority = std::move(*p);
      }
      const uint64_t sequence = store_->LastSequence();
      std::vector<v1::PriorityKeys> keys;
      auto result = priority ? PrioritizedSeekers(*index_, *keeper_, request->vacancy_id(),
                                                  *query, *priority, &keys)
                             : index_->TopSeekersForVacancy(request->vacancy_id(), *query);
      if (!result.ok()) return result.status();
      if (none_in_scope) *result = matcher::MatchResult{};  // nobody the caller may see
      Fill(*result, *query, sequence, request->brief(), response);
      for (int i = 0; priority && i < response->matches_size() && i < static_cast<int>(keys.size());
           ++i) {
        *response->mutable_matches(i)->mutable_priority() = keys[i];
      }
      MarkFeedback(options_.feedback_ledger, *result, request->vacancy_id(), false, response);
      AuditRanking(call, "TOP_SEEKERS_FOR_VACANCY", *result, *query, request->filters(),
                   none_in_scope, response->trace());
      call.entry()->mutable_decision()->set_vacancy_id(request->vacancy_id());
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* Explain(grpc::CallbackServerContext* context,
                                    const v1::ExplainRequest* request,
                                    v1::ExplainResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kSeeker, request->seeker_id());
      call.AddSubject(storage::RecordKind::kVacancy, request->vacancy_id());
      if (absl::Status s = call.CheckSeeker(request->seeker_id()); !s.ok()) return s;
      const uint64_t sequence = store_->LastSequence();
      auto score = index_->Explain(request->seeker_id(), request->vacancy_id(), call.now());
      if (!score.ok()) return score.status();
      // In full: the caller's view removes what it may not see.
      *response->mutable_explanation() = ToExplanation(*score, *data_->taxonomy, true);
      SetTrace(sequence, call.now(), response->mutable_trace());
      v1::AuditDecision* d = AuditTrace("EXPLAIN", response->trace(), call.entry());
      d->set_seeker_id(request->seeker_id());
      d->set_vacancy_id(request->vacancy_id());
      v1::AuditRankedEntry* pair = d->add_ranking();
      pair->set_id(request->vacancy_id());
      pair->set_score(score->total);
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* WhyNot(grpc::CallbackServerContext* context,
                                   const v1::WhyNotRequest* request,
                                   v1::WhyNotResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kSeeker, request->seeker_id());
      call.AddSubject(storage::RecordKind::kVacancy, request->vacancy_id());
      auto query = MakeQuery(context, call, request->limit(), "", request->filters());
      if (!query.ok()) return query.status();
      if (absl::Status s = ApplyQueryOptions(request->occupation_breadth(), &*query); !s.ok()) {
        return s;
      }
      if (absl::Status s = call.CheckSeeker(request->seeker_id()); !s.ok()) return s;
      // In a vacancy's list, ranks among the seekers the caller may see, as
      // TopSeekersForVacancy lists them (the seeker itself is in scope).
      if (!request->seeker_side()) {
        bool none_in_scope = false;
        query->filters.municipalities = call.Narrow(query->filters.municipalities, &none_in_scope);
      } else {
        query->needs_blind = NeedsBlind(call, request->seeker_id());
      }
      const uint64_t sequence = store_->LastSequence();
      auto why = index_->WhyNot(request->seeker_id(), request->vacancy_id(),
                                request->seeker_side(), *query);
      if (!why.ok()) return why.status();
      static constexpr const char* kKinds[] = {"IN_LIST", "INFEASIBLE", "FILTERED_OUT",
                                               "BELOW_CUTOFF"};
      response->set_kind(kKinds[static_cast<int>(why->kind)]);
      response->set_explanation(why->explanation);
      response->set_rank(static_cast<int32_t>(why->rank));
      response->set_cutoff(why->cutoff);
      *response->mutable_score() = ToExplanation(why->score, *data_->taxonomy, true);
      SetTrace(sequence, query->now, response->mutable_trace());
      v1::AuditDecision* d = AuditTrace("WHY_NOT", response->trace(), call.entry());
      d->set_seeker_id(request->seeker_id());
      d->set_vacancy_id(request->vacancy_id());
      d->set_seeker_side(request->seeker_side());
      d->set_limit(static_cast<uint32_t>(query->limit));
      *d->mutable_filters() = AppliedFilters(request->filters(), query->filters);
      d->set_why_not_kind(response->kind());
      d->set_occupation_breadth(query->occupation_breadth);
      d->set_needs_blind(query->needs_blind);
      v1::AuditRankedEntry* pair = d->add_ranking();
      pair->set_id(request->seeker_side() ? request->vacancy_id() : request->seeker_id());
      pair->set_rank(static_cast<int32_t>(why->rank));
      pair->set_score(request->seeker_side() && !query->needs_blind ? why->score.seeker_view_total
                                                                    : why->score.total);
      return absl::OkStatus();
    });
  }

  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* context,
                                      const v1::GetPolicyRequest* request,
                                      v1::Policy* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) {
      *response = ToProto(index_->policy());
      response->set_reference_data_version(data_->version());
      return absl::OkStatus();
    });
  }

  grpc::ServerWriteReactor<v1::Change>* WatchChanges(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override {
    return jobmatch::WatchChanges(calls_, store_, context, *request, options_.watch_poll,
                                  stopping_);
  }

 private:
  // Calls `visit` with each stored feedback on `seeker_id`, or (empty) on
  // `vacancy_id`, until it returns false. By seeker: one prefix. By vacancy:
  // a scan of all feedback, which is small next to the records (no second
  // copy keyed by vacancy, so that erasing a seeker leaves no trace of them).
  template <typename Visit>
  absl::Status ScanFeedback(const std::string& seeker_id, const std::string& vacancy_id,
                            Visit&& visit) const {
    return store_->feedback().Scan(seeker_id, [&](const v1::Feedback& f) {
      if (!vacancy_id.empty() && f.vacancy_id() != vacancy_id) return true;
      return visit(v1::Feedback(f));
    });
  }


  // The filters a query ran with: municipalities as narrowed to the scope.
  static v1::MatchFilters AppliedFilters(const v1::MatchFilters& requested,
                                         const matcher::MatchFilters& applied) {
    v1::MatchFilters out = requested;
    out.clear_municipalities();
    for (int m : applied.municipalities) out.add_municipalities(m);
    return out;
  }

  static v1::AuditDecision* AuditTrace(const char* query, const v1::DecisionTrace& trace,
                                       v1::AuditEntry* entry) {
    v1::AuditDecision* d = entry->mutable_decision();
    d->set_query(query);
    d->set_decision_id(trace.decision_id());
    d->set_policy_version(trace.policy_version());
    d->set_reference_data_version(trace.reference_data_version());
    d->set_data_sequence(trace.data_sequence());
    d->set_computed_at_micros(trace.computed_at_micros());
    return d;
  }

  // Whether a seeker's own list must be ranked without their functional
  // needs: the caller's view does not show this seeker's needs, so nothing
  // it is shown may be computed from them, the order included
  // (docs/security.md §3, "A seeker's own list").
  bool NeedsBlind(const CallContext& call, const std::string& seeker_id) const {
    if (call.view().audience() != Audience::kNeedToKnow) return true;
    auto seeker = index_->SeekerScope(seeker_id);
    return !call.view().ShowsNeeds(seeker.has_value() && seeker->consent_share_needs,
                                   /*in_record=*/false);
  }

  // A top-k query's inputs, stage counts and ranking, and each record
  // returned by version and content hash.
  static void AuditRanking(CallContext& call, const char* kind, const matcher::MatchResult& result,
                           const matcher::MatchQuery& query, const v1::MatchFilters& requested,
                           bool nobody_in_scope, const v1::DecisionTrace& trace) {
    v1::AuditEntry* entry = call.entry();
    const bool seeker_list = std::string_view(kind) == "TOP_VACANCIES_FOR_SEEKER";
    v1::AuditDecision* d = AuditTrace(kind, trace, entry);
    d->set_limit(static_cast<uint32_t>(query.limit));
    d->set_offset(static_cast<uint32_t>(query.offset));
    *d->mutable_filters() = AppliedFilters(requested, query.filters);
    d->set_nobody_in_scope(nobody_in_scope);
    d->set_occupation_breadth(query.occupation_breadth);
    d->set_needs_blind(query.needs_blind);
    d->set_candidates(static_cast<uint32_t>(result.candidates));
    d->set_scored(static_cast<uint32_t>(result.scored));
    d->set_feasible(static_cast<uint32_t>(result.feasible));
    d->set_pruned(static_cast<uint32_t>(result.pruned));
    for (const matcher::Match& m : result.matches) {
      v1::AuditRankedEntry* ranked = d->add_ranking();
      ranked->set_id(m.id);
      ranked->set_rank(static_cast<int32_t>(m.rank));
      ranked->set_score(seeker_list && !query.needs_blind ? m.score.seeker_view_total
                                                          : m.score.total);
      call.AddReturned(seeker_list ? storage::RecordKind::kVacancy : storage::RecordKind::kSeeker,
                       m.id);
    }
  }

  absl::StatusOr<matcher::MatchQuery> MakeQuery(grpc::CallbackServerContext* context,
                                                const CallContext& call, int limit,
                                                const std::string& page_token,
                                                const v1::MatchFilters& filters) const {
    if (limit < 0 || limit > options_.max_limit) {
      return absl::InvalidArgumentError(
          absl::StrCat("limit: must be within [0, ", options_.max_limit, "]"));
    }
    if (!(filters.min_score() >= 0 && filters.min_score() <= 1)) {
      return absl::InvalidArgumentError("filters.min_score: must be within [0, 1]");
    }
    for (int i = 0; i < filters.vacancy_kinds_size(); ++i) {
      const int kind = filters.vacancy_kinds(i);
      if (kind == 0 || !v1::VacancyKind_IsValid(kind)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "filters.vacancy_kinds[", i, "]: must be a defined, non-zero value"));
      }
    }
    matcher::MatchQuery query;
    query.limit = limit == 0 ? options_.default_limit : limit;
    if (!page_token.empty() && !absl::SimpleAtoi(page_token, &query.offset)) {
      return absl::InvalidArgumentError("page_token: not a token from a previous response");
    }
    if (query.offset > 10000) {
      return absl::InvalidArgumentError("page_token: pages beyond 10000 results are not served");
    }
    query.filters = ToFilters(filters);
    query.now = call.now();
    query.deadline = absl::FromChrono(context->deadline());
    return query;
  }

  void SetTrace(uint64_t sequence, absl::Time now, v1::DecisionTrace* trace) {
    trace->set_decision_id(ids_.Next());
    trace->set_policy_version(index_->policy().version);
    trace->set_data_sequence(sequence);
    trace->set_reference_data_version(data_->version());
    trace->set_computed_at_micros(absl::ToUnixMicros(now));
  }

  // Explanations in full: the caller's view removes what it may not see.
  // Moves the explanations' texts out of `result` (its ids, ranks and
  // scores stay for the audit entry).
  void Fill(matcher::MatchResult& result, const matcher::MatchQuery& query,
            uint64_t sequence, bool brief, v1::MatchResponse* response) {
    for (matcher::Match& m : result.matches) {
      v1::MatchEntry* entry = response->add_matches();
      entry->set_id(m.id);
      entry->set_rank(static_cast<int32_t>(m.rank));
      ToExplanation(std::move(m.score), *data_->taxonomy, true, brief,
                    entry->mutable_explanation());
    }
    if (result.matches.size() == query.limit) {
      response->set_next_page_token(absl::StrCat(query.offset + query.limit));
    }
    response->set_candidates(static_cast<uint32_t>(result.candidates));
    response->set_scored(static_cast<uint32_t>(result.scored));
    response->set_feasible(static_cast<uint32_t>(result.feasible));
    response->set_pruned(static_cast<uint32_t>(result.pruned));
    SetTrace(sequence, query.now, response->mutable_trace());
  }

  const matcher::MatchIndex* const index_;
  storage::Store* const store_;
  Metrics* const metrics_;
  const matcher::ReferenceData* const data_;
  const MatchServiceOptions options_;
  const std::atomic<bool>* const stopping_;
  const CallContexts* const calls_;
  const RecordKeeper* const keeper_;  // may be null: no priority orders
  DecisionIds ids_;
  ArenaMessages<v1::TopVacanciesRequest> seeker_query_messages_;
  ArenaMessages<v1::TopSeekersRequest> vacancy_query_messages_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeMatchService(const matcher::MatchIndex* index,
                                                storage::Store* store, Metrics* metrics,
                                                const matcher::ReferenceData* data,
                                                MatchServiceOptions options,
                                                const std::atomic<bool>* stopping,
                                                const CallContexts* calls,
                                                const RecordKeeper* keeper) {
  return std::make_unique<MatchServiceImpl>(index, store, metrics, data, options, stopping, calls,
                                            keeper);
}

}  // namespace jobmatch
