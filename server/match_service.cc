#include "server/match_service.h"

#include <atomic>
#include <optional>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/alarm.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "server/access_scope.h"
#include "server/audit/auditor.h"
#include "server/convert.h"
#include "server/grpc_status.h"
#include "server/seeker_priority.h"

namespace jobmatch {
namespace {

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

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

class MatchServiceImpl final : public v1::MatchService::CallbackService {
 public:
  MatchServiceImpl(const matcher::MatchIndex* index, storage::Store* store, Metrics* metrics,
                   const matcher::ReferenceData* data, MatchServiceOptions options,
                   const std::atomic<bool>* stopping, ScopeOfCall scope_of,
                   const audit::Auditor* auditor, const RecordKeeper* keeper)
      : index_(index), store_(store), metrics_(metrics), data_(data), options_(options),
        stopping_(stopping), scope_of_(std::move(scope_of)), auditor_(auditor), keeper_(keeper) {}

  grpc::ServerUnaryReactor* RecordFeedback(grpc::CallbackServerContext* context,
                                           const v1::RecordFeedbackRequest* request,
                                           v1::RecordFeedbackResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "RecordFeedback");
    v1::Feedback feedback = request->feedback();
    AddSubject(storage::RecordKind::kSeeker, feedback.seeker_id(), &entry);
    AddSubject(storage::RecordKind::kVacancy, feedback.vacancy_id(), &entry);
    // A seeker outside the caller's scope reads as missing, in the same words.
    if (!CheckSeeker(ScopeOf(context), feedback.seeker_id()).ok()) {
      return Audited(context, &entry, absl::NotFoundError(absl::StrCat(
                                 "feedback.seeker_id: seeker ", feedback.seeker_id(), " not found")));
    }
    absl::Status valid = ValidateFeedback(feedback);
    if (!valid.ok()) return Audited(context, &entry, valid);
    feedback.set_time_micros(absl::ToUnixMicros(absl::Now()));
    // Under the seeker's prefix, so erasing the seeker erases it.
    const std::string key = FeedbackKey(feedback);
    absl::Status stored = store_->AuxPut(storage::AuxTable::kFeedback, key,
                                         feedback.SerializeAsString());
    if (stored.ok()) {
      response->set_time_micros(feedback.time_micros());
      if (metrics_ != nullptr) metrics_->RecordFeedback(v1::FeedbackOutcome_Name(feedback.outcome()));
    }
    return Audited(context, &entry, stored);
  }

  grpc::ServerUnaryReactor* ListFeedback(grpc::CallbackServerContext* context,
                                         const v1::ListFeedbackRequest* request,
                                         v1::ListFeedbackResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "ListFeedback");
    if (request->seeker_id().empty() == request->vacancy_id().empty()) {
      return Audited(context, &entry, absl::InvalidArgumentError(
                                 "seeker_id, vacancy_id: give exactly one of them"));
    }
    if (request->limit() < 0 || request->limit() > 1000) {
      return Audited(context, &entry, absl::InvalidArgumentError("limit: must be within [0, 1000]"));
    }
    const size_t limit = request->limit() == 0 ? 100 : request->limit();
    if (!request->seeker_id().empty()) {
      AddSubject(storage::RecordKind::kSeeker, request->seeker_id(), &entry);
    } else {
      AddSubject(storage::RecordKind::kVacancy, request->vacancy_id(), &entry);
    }
    // Feedback on seekers outside the caller's scope is left out (for an
    // unknown seeker the list is empty too).
    const auto scope = ScopeOf(context);
    // By seeker: one prefix. By vacancy: a scan of all feedback, which is
    // small next to the records (no second copy keyed by vacancy, so that
    // erasing a seeker leaves no trace of them).
    const std::string prefix =
        request->seeker_id().empty()
            ? std::string(absl::StrCat(std::string(storage::RecordKindName(storage::RecordKind::kSeeker)), "/"))
            : storage::Store::MatchKeyPrefix(storage::RecordKind::kSeeker, request->seeker_id());
    absl::Status parse_error;
    absl::Status s = store_->AuxScanPrefix(
        storage::AuxTable::kFeedback, prefix, [&](std::string_view, std::string_view value) {
          v1::Feedback f;
          if (!f.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            parse_error = absl::DataLossError("stored feedback does not parse");
            return false;
          }
          if ((request->vacancy_id().empty() || f.vacancy_id() == request->vacancy_id()) &&
              CheckSeeker(scope, f.seeker_id()).ok()) {
            if (request->seeker_id().empty() && auditor_ != nullptr) {
              audit::Auditor::AddRecord(storage::RecordKind::kSeeker, f.seeker_id(), 0, "",
                                        "RETURNED", &entry);
            }
            *response->add_feedback() = std::move(f);
          }
          return static_cast<size_t>(response->feedback_size()) < limit;
        });
    return Audited(context, &entry, s.ok() ? parse_error : s);
  }

  grpc::ServerUnaryReactor* TopVacanciesForSeeker(grpc::CallbackServerContext* context,
                                                  const v1::TopVacanciesRequest* request,
                                                  v1::MatchResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "TopVacanciesForSeeker");
    AddSubject(storage::RecordKind::kSeeker, request->seeker_id(), &entry);
    auto query = MakeQuery(context, request->limit(), request->page_token(), request->filters());
    if (!query.ok()) return Audited(context, &entry, query.status());
    const auto scope = ScopeOf(context);
    if (absl::Status s = CheckSeeker(scope, request->seeker_id()); !s.ok()) return Audited(context, &entry, s);
    const uint64_t sequence = store_->LastSequence();
    auto result = index_->TopVacanciesForSeeker(request->seeker_id(), *query);
    if (!result.ok()) return Audited(context, &entry, result.status());
    std::optional<bool> show_needs;  // looked up once, if a match mentions needs
    Fill(*result, *query, sequence,
         [&](const std::string&) {
           if (!show_needs) show_needs = ShowNeeds(scope, request->seeker_id());
           return *show_needs;
         },
         request->brief(), response);
    AuditRanking("TOP_VACANCIES_FOR_SEEKER", *result, *query, request->filters(), false,
                 response->trace(), &entry);
    entry.mutable_decision()->set_seeker_id(request->seeker_id());
    return Audited(context, &entry, absl::OkStatus());
  }

  grpc::ServerUnaryReactor* TopSeekersForVacancy(grpc::CallbackServerContext* context,
                                                 const v1::TopSeekersRequest* request,
                                                 v1::MatchResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "TopSeekersForVacancy");
    AddSubject(storage::RecordKind::kVacancy, request->vacancy_id(), &entry);
    auto query = MakeQuery(context, request->limit(), request->page_token(), request->filters());
    if (!query.ok()) return Audited(context, &entry, query.status());
    const auto scope = ScopeOf(context);
    bool none_in_scope = false;
    if (scope) query->filters.municipalities = scope->Narrow(query->filters.municipalities, &none_in_scope);
    // A consultant's explicit priority re-orders the feasible list; it never
    // changes a score (server/seeker_priority.h).
    std::optional<matcher::PriorityRequest> priority;
    if (request->has_priority()) {
      auto p = keeper_ == nullptr
                   ? absl::StatusOr<matcher::PriorityRequest>(absl::UnimplementedError(
                         "priority: not available on this server"))
                   : ToPriorityRequest(request->priority(), *data_->schemes);
      if (!p.ok()) return Audited(context, &entry, p.status());
      priority = std::move(*p);
    }
    const uint64_t sequence = store_->LastSequence();
    std::vector<v1::PriorityKeys> keys;
    auto result = priority ? PrioritizedSeekers(*index_, *keeper_, request->vacancy_id(), *query,
                                                *priority, &keys)
                           : index_->TopSeekersForVacancy(request->vacancy_id(), *query);
    if (!result.ok()) return Audited(context, &entry, result.status());
    if (none_in_scope) *result = matcher::MatchResult{};  // nobody the caller may see
    Fill(*result, *query, sequence,
         [&](const std::string& seeker_id) { return ShowNeeds(scope, seeker_id); },
         request->brief(), response);
    for (int i = 0; priority && i < response->matches_size() && i < static_cast<int>(keys.size()); ++i) {
      *response->mutable_matches(i)->mutable_priority() = keys[i];
    }
    AuditRanking("TOP_SEEKERS_FOR_VACANCY", *result, *query, request->filters(), none_in_scope,
                 response->trace(), &entry);
    entry.mutable_decision()->set_vacancy_id(request->vacancy_id());
    return Audited(context, &entry, absl::OkStatus());
  }

  grpc::ServerUnaryReactor* Explain(grpc::CallbackServerContext* context,
                                    const v1::ExplainRequest* request,
                                    v1::ExplainResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "Explain");
    AddSubject(storage::RecordKind::kSeeker, request->seeker_id(), &entry);
    AddSubject(storage::RecordKind::kVacancy, request->vacancy_id(), &entry);
    const auto scope = ScopeOf(context);
    if (absl::Status s = CheckSeeker(scope, request->seeker_id()); !s.ok()) return Audited(context, &entry, s);
    const uint64_t sequence = store_->LastSequence();
    const absl::Time now = absl::Now();
    auto score = index_->Explain(request->seeker_id(), request->vacancy_id(), now);
    if (!score.ok()) return Audited(context, &entry, score.status());
    *response->mutable_explanation() =
        ToExplanation(*score, *data_->taxonomy,
                      !MentionsNeeds(*score) || ShowNeeds(scope, request->seeker_id()));
    SetTrace(sequence, now, response->mutable_trace());
    if (auditor_ != nullptr) {
      v1::AuditDecision* d = AuditTrace("EXPLAIN", response->trace(), &entry);
      d->set_seeker_id(request->seeker_id());
      d->set_vacancy_id(request->vacancy_id());
      v1::AuditRankedEntry* pair = d->add_ranking();
      pair->set_id(request->vacancy_id());
      pair->set_score(score->total);
    }
    return Audited(context, &entry, absl::OkStatus());
  }

  grpc::ServerUnaryReactor* WhyNot(grpc::CallbackServerContext* context,
                                   const v1::WhyNotRequest* request,
                                   v1::WhyNotResponse* response) override {
    v1::AuditEntry entry = BeginAudit(context, "WhyNot");
    AddSubject(storage::RecordKind::kSeeker, request->seeker_id(), &entry);
    AddSubject(storage::RecordKind::kVacancy, request->vacancy_id(), &entry);
    auto query = MakeQuery(context, request->limit(), "", request->filters());
    if (!query.ok()) return Audited(context, &entry, query.status());
    const auto scope = ScopeOf(context);
    if (absl::Status s = CheckSeeker(scope, request->seeker_id()); !s.ok()) return Audited(context, &entry, s);
    // In a vacancy's list, ranks among the seekers the caller may see, as
    // TopSeekersForVacancy lists them (the seeker itself is in scope).
    if (scope && !request->seeker_side()) {
      bool none_in_scope = false;
      query->filters.municipalities = scope->Narrow(query->filters.municipalities, &none_in_scope);
    }
    const uint64_t sequence = store_->LastSequence();
    auto why = index_->WhyNot(request->seeker_id(), request->vacancy_id(), request->seeker_side(),
                              *query);
    if (!why.ok()) return Audited(context, &entry, why.status());
    static constexpr const char* kKinds[] = {"IN_LIST", "INFEASIBLE", "FILTERED_OUT",
                                             "BELOW_CUTOFF"};
    const bool show_needs = !MentionsNeeds(why->score) || ShowNeeds(scope, request->seeker_id());
    response->set_kind(kKinds[static_cast<int>(why->kind)]);
    if (why->kind == matcher::WhyNotResult::Kind::kInfeasible && why->score.blocker) {
      response->set_explanation(absl::StrCat(matcher::ReasonName(*why->score.blocker), ": ",
                                             VisibleBlockerDetail(why->score, show_needs)));
    } else {
      response->set_explanation(why->explanation);
    }
    response->set_rank(static_cast<int32_t>(why->rank));
    response->set_cutoff(why->cutoff);
    *response->mutable_score() = ToExplanation(why->score, *data_->taxonomy, show_needs);
    SetTrace(sequence, query->now, response->mutable_trace());
    if (auditor_ != nullptr) {
      v1::AuditDecision* d = AuditTrace("WHY_NOT", response->trace(), &entry);
      d->set_seeker_id(request->seeker_id());
      d->set_vacancy_id(request->vacancy_id());
      d->set_seeker_side(request->seeker_side());
      d->set_limit(static_cast<uint32_t>(query->limit));
      *d->mutable_filters() = AppliedFilters(request->filters(), query->filters);
      d->set_why_not_kind(response->kind());
      v1::AuditRankedEntry* pair = d->add_ranking();
      pair->set_id(request->seeker_side() ? request->vacancy_id() : request->seeker_id());
      pair->set_rank(static_cast<int32_t>(why->rank));
      pair->set_score(request->seeker_side() ? why->score.seeker_view_total : why->score.total);
    }
    return Audited(context, &entry, absl::OkStatus());
  }

  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* context,
                                      const v1::GetPolicyRequest*, v1::Policy* response) override {
    *response = ToProto(index_->policy());
    response->set_reference_data_version(data_->version());
    return Finish(context, absl::OkStatus());
  }

  grpc::ServerWriteReactor<v1::Change>* WatchChanges(
      grpc::CallbackServerContext* context, const v1::WatchChangesRequest* request) override {
    // The feed names seekers of every municipality.
    if (auto scope = ScopeOf(context); scope && !scope->all_municipalities) {
      return new RefusedFeed(grpc::Status(
          grpc::StatusCode::PERMISSION_DENIED,
          absl::StrCat("the change feed covers all municipalities; caller ", scope->caller_id,
                       " may see only some")));
    }
    return new ChangeFeed(store_, *request, options_.watch_poll, stopping_);
  }

 private:
  class RefusedFeed : public grpc::ServerWriteReactor<v1::Change> {
   public:
    explicit RefusedFeed(grpc::Status status) { Finish(std::move(status)); }
    void OnDone() override { delete this; }
  };

  // Streams change-log entries, polling with an alarm when caught up (no
  // thread is held while waiting).
  class ChangeFeed : public grpc::ServerWriteReactor<v1::Change> {
   public:
    ChangeFeed(const storage::Store* store, v1::WatchChangesRequest request, absl::Duration poll,
               const std::atomic<bool>* stopping)
        : store_(store), after_(request.after_sequence()), max_(request.max_changes()),
          stop_at_end_(request.stop_at_end()), poll_(poll), stopping_(stopping) {
      Next();
    }
    void OnWriteDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
        return;
      }
      Next();
    }
    void OnCancel() override { cancelled_ = true; }
    void OnDone() override { delete this; }

   private:
    void Next() {
      if (cancelled_) {
        Finish(grpc::Status::CANCELLED);
        return;
      }
      if (stopping_ != nullptr && *stopping_) {
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            absl::StrCat("server is shutting down; resume on another server or "
                                         "after restart with after_sequence=",
                                         after_)));
        return;
      }
      if (max_ != 0 && sent_ >= max_) {
        Finish(grpc::Status::OK);
        return;
      }
      if (buffer_.empty()) {
        auto changes = store_->ReadChangesSince(after_, 256);
        if (!changes.ok()) {
          Finish(ToGrpcStatus(changes.status()));
          return;
        }
        buffer_.assign(changes->rbegin(), changes->rend());
      }
      if (buffer_.empty()) {
        if (stop_at_end_) {
          Finish(grpc::Status::OK);
          return;
        }
        alarm_.Set(absl::ToChronoTime(absl::Now() + poll_), [this](bool) { Next(); });
        return;
      }
      const storage::ChangeEntry c = std::move(buffer_.back());
      buffer_.pop_back();
      after_ = c.sequence;
      ++sent_;
      change_.set_sequence(c.sequence);
      change_.set_kind(std::string(storage::RecordKindName(c.kind)));
      change_.set_op(c.op == storage::ChangeOp::kPut ? "PUT" : "DELETE");
      change_.set_id(c.id);
      change_.set_version(c.version);
      change_.set_time_micros(c.time_micros);
      StartWrite(&change_);
    }

    const storage::Store* const store_;
    uint64_t after_;
    const uint32_t max_;
    const bool stop_at_end_;
    const absl::Duration poll_;
    const std::atomic<bool>* const stopping_;
    std::atomic<bool> cancelled_{false};
    uint32_t sent_ = 0;
    std::vector<storage::ChangeEntry> buffer_;
    v1::Change change_;
    grpc::Alarm alarm_;
  };

  absl::Status ValidateFeedback(const v1::Feedback& f) const {
    if (!index_->GetSeeker(f.seeker_id())) {
      return absl::NotFoundError(absl::StrCat("feedback.seeker_id: seeker ", f.seeker_id(), " not found"));
    }
    if (!index_->GetVacancy(f.vacancy_id())) {
      return absl::NotFoundError(absl::StrCat("feedback.vacancy_id: vacancy ", f.vacancy_id(), " not found"));
    }
    if (f.outcome() == v1::FEEDBACK_OUTCOME_UNSPECIFIED || !v1::FeedbackOutcome_IsValid(f.outcome())) {
      return absl::InvalidArgumentError("feedback.outcome: must be set");
    }
    const bool has_reason = f.reason() != v1::REJECTION_REASON_UNSPECIFIED;
    if (!v1::RejectionReason_IsValid(f.reason())) {
      return absl::InvalidArgumentError("feedback.reason: undefined value");
    }
    if ((f.outcome() == v1::REJECTED) != has_reason) {
      return absl::InvalidArgumentError(
          "feedback.reason: required with outcome REJECTED and only then");
    }
    if (f.decision_id().size() > 64) {
      return absl::InvalidArgumentError("feedback.decision_id: at most 64 characters");
    }
    return absl::OkStatus();
  }

  v1::AuditEntry BeginAudit(const grpc::CallbackServerContext* context, const char* rpc) const {
    if (auditor_ == nullptr) return v1::AuditEntry();
    return auditor_->Begin(*context, absl::StrCat("/jobmatch.v1.MatchService/", rpc));
  }

  // Finishes the call with `status` once its audit entry is written; a call
  // whose entry cannot be written fails (Unavailable) and returns nothing.
  grpc::ServerUnaryReactor* Audited(grpc::CallbackServerContext* context, v1::AuditEntry* entry,
                                    const absl::Status& status) const {
    if (auditor_ == nullptr) return Finish(context, status);
    return Finish(context, auditor_->Finish(std::move(*entry), status));
  }

  // The record a query is about, as stored now.
  void AddSubject(storage::RecordKind kind, const std::string& id, v1::AuditEntry* entry) const {
    if (auditor_ != nullptr) auditor_->AddStoredRecord(kind, id, "SUBJECT", entry);
  }

  // The filters a query ran with: municipalities as narrowed to the scope.
  static v1::MatchFilters AppliedFilters(const v1::MatchFilters& requested,
                                         const matcher::MatchFilters& applied) {
    v1::MatchFilters out = requested;
    out.clear_municipalities();
    for (int m : applied.municipalities) out.add_municipalities(m);
    return out;
  }

  v1::AuditDecision* AuditTrace(const char* query, const v1::DecisionTrace& trace,
                                v1::AuditEntry* entry) const {
    v1::AuditDecision* d = entry->mutable_decision();
    d->set_query(query);
    d->set_decision_id(trace.decision_id());
    d->set_policy_version(trace.policy_version());
    d->set_reference_data_version(trace.reference_data_version());
    d->set_data_sequence(trace.data_sequence());
    d->set_computed_at_micros(trace.computed_at_micros());
    return d;
  }

  // A top-k query's inputs, stage counts and ranking, and each record
  // returned by version and content hash.
  void AuditRanking(const char* kind, const matcher::MatchResult& result,
                    const matcher::MatchQuery& query, const v1::MatchFilters& requested,
                    bool nobody_in_scope, const v1::DecisionTrace& trace,
                    v1::AuditEntry* entry) const {
    if (auditor_ == nullptr) return;
    const bool seeker_list = std::string_view(kind) == "TOP_VACANCIES_FOR_SEEKER";
    v1::AuditDecision* d = AuditTrace(kind, trace, entry);
    d->set_limit(static_cast<uint32_t>(query.limit));
    d->set_offset(static_cast<uint32_t>(query.offset));
    *d->mutable_filters() = AppliedFilters(requested, query.filters);
    d->set_nobody_in_scope(nobody_in_scope);
    d->set_candidates(static_cast<uint32_t>(result.candidates));
    d->set_scored(static_cast<uint32_t>(result.scored));
    d->set_feasible(static_cast<uint32_t>(result.feasible));
    d->set_pruned(static_cast<uint32_t>(result.pruned));
    for (const matcher::Match& m : result.matches) {
      v1::AuditRankedEntry* ranked = d->add_ranking();
      ranked->set_id(m.id);
      ranked->set_rank(static_cast<int32_t>(m.rank));
      ranked->set_score(seeker_list ? m.score.seeker_view_total : m.score.total);
      auditor_->AddStoredRecord(seeker_list ? storage::RecordKind::kVacancy
                                            : storage::RecordKind::kSeeker,
                                m.id, "RETURNED", entry);
    }
  }

  static std::string FeedbackKey(const v1::Feedback& f) {
    std::string key = storage::Store::MatchKeyPrefix(storage::RecordKind::kSeeker, f.seeker_id());
    absl::StrAppend(&key, absl::StrFormat("%020d/", f.time_micros()), f.vacancy_id());
    return key;
  }

  // Needs are shown with the seeker's consent, to callers whose role may
  // see them.
  bool ShowNeeds(const std::optional<AccessScope>& scope, const std::string& seeker_id) const {
    if (scope && !scope->may_see_needs) return false;
    auto seeker = index_->GetSeeker(seeker_id);
    return seeker && seeker->consent_share_needs;
  }

  std::optional<AccessScope> ScopeOf(const grpc::CallbackServerContext* context) const {
    if (!scope_of_) return std::nullopt;
    return scope_of_(*context);
  }

  // A seeker outside the caller's scope reads exactly like a missing one.
  absl::Status CheckSeeker(const std::optional<AccessScope>& scope,
                           const std::string& seeker_id) const {
    if (!scope || scope->all_municipalities) return absl::OkStatus();
    auto seeker = index_->GetSeeker(seeker_id);
    if (seeker && !scope->MayAccess(seeker->home.municipality)) {
      return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<matcher::MatchQuery> MakeQuery(grpc::CallbackServerContext* context, int limit,
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
    query.now = absl::Now();
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

  template <typename ShowNeedsFn>
  void Fill(const matcher::MatchResult& result, const matcher::MatchQuery& query,
            uint64_t sequence, ShowNeedsFn show_needs_for, bool brief,
            v1::MatchResponse* response) {
    for (const matcher::Match& m : result.matches) {
      v1::MatchEntry* entry = response->add_matches();
      entry->set_id(m.id);
      entry->set_rank(static_cast<int32_t>(m.rank));
      // The seeker whose needs appear is the query's seeker or this match;
      // consent is looked up only when the score mentions needs.
      const bool show_needs = !MentionsNeeds(m.score) || show_needs_for(m.id);
      *entry->mutable_explanation() = ToExplanation(m.score, *data_->taxonomy, show_needs, brief);
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
  const ScopeOfCall scope_of_;
  const audit::Auditor* const auditor_;
  const RecordKeeper* const keeper_;  // may be null: no priority orders
  DecisionIds ids_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeMatchService(const matcher::MatchIndex* index,
                                                storage::Store* store, Metrics* metrics,
                                                const matcher::ReferenceData* data,
                                                MatchServiceOptions options,
                                                const std::atomic<bool>* stopping,
                                                ScopeOfCall scope_of,
                                                const audit::Auditor* auditor,
                                                const RecordKeeper* keeper) {
  return std::make_unique<MatchServiceImpl>(index, store, metrics, data, options, stopping,
                                            std::move(scope_of), auditor, keeper);
}

}  // namespace jobmatch
