#include "server/audit/audit_service.h"

#include <cstring>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "jobmatch/v1/audit_service.grpc.pb.h"
#include "matcher/tie_order.h"
#include "server/convert.h"
#include "server/call_context.h"
#include "server/grpc_status.h"

namespace jobmatch::audit {
namespace {

// Entries one ListSeekerAccess page reads at most (bounded work per call).
constexpr size_t kMaxScanPerPage = 20000;
// A top-k replay asks the index for this many more results at most.
constexpr size_t kMaxChangesToReplayAround = 800;

absl::StatusOr<size_t> PageSize(int32_t requested) {
  if (requested < 0 || requested > 1000) {
    return absl::InvalidArgumentError("page_size: must be within [0, 1000]");
  }
  return requested == 0 ? size_t{100} : static_cast<size_t>(requested);
}

bool NamesSeeker(const v1::AuditEntry& e, const std::string& id) {
  for (const auto& r : e.records()) {
    if (r.kind() == "seeker" && r.id() == id) return true;
  }
  if (e.has_decision()) {
    if (e.decision().seeker_id() == id) return true;
    if (e.decision().query() == "TOP_SEEKERS_FOR_VACANCY") {
      for (const auto& r : e.decision().ranking()) {
        if (r.id() == id) return true;
      }
    }
  }
  return false;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

absl::StatusOr<storage::RecordKind> KindNamed(const std::string& name) {
  for (auto kind : {storage::RecordKind::kSeeker, storage::RecordKind::kVacancy,
                    storage::RecordKind::kEmployer}) {
    if (storage::RecordKindName(kind) == name) return kind;
  }
  return absl::DataLossError(absl::StrCat("audit entry names an unknown record kind ", name));
}

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(const Auditor* auditor, const CallContexts* calls,
                   const matcher::MatchIndex* index, const storage::Store* store,
                   const matcher::ReferenceData* data)
      : auditor_(auditor), calls_(calls), index_(index), store_(store), data_(data) {}

  grpc::ServerUnaryReactor* ListAuditEntries(grpc::CallbackServerContext* context,
                                             const v1::ListAuditEntriesRequest* request,
                                             v1::ListAuditEntriesResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) -> absl::Status {
    auto size = PageSize(request->page_size());
    if (!size.ok()) return size.status();
    bool more = false;
    absl::Status s = auditor_->log().Scan(request->after_sequence(), [&](const v1::AuditEntry& e) {
      if (request->to_time_micros() != 0 && e.time_micros() >= request->to_time_micros()) {
        return false;  // entries are in time order
      }
      if (e.time_micros() < request->from_time_micros()) return true;
      if (static_cast<size_t>(response->entries_size()) == *size) {
        more = true;
        return false;
      }
      *response->add_entries() = e;
      return true;
    });
    if (more) response->set_next_after_sequence(response->entries().rbegin()->sequence());
    return s;
    });
  }

  grpc::ServerUnaryReactor* ListSeekerAccess(grpc::CallbackServerContext* context,
                                             const v1::ListSeekerAccessRequest* request,
                                             v1::ListSeekerAccessResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
    call.AddId(storage::RecordKind::kSeeker, request->seeker_id(), "SUBJECT");
    if (request->seeker_id().empty()) return absl::InvalidArgumentError("seeker_id: required");
    auto size = PageSize(request->page_size());
    if (!size.ok()) return size.status();
    size_t scanned = 0;
    uint64_t last = 0;
    bool stopped = false;
    absl::Status s = auditor_->log().Scan(request->after_sequence(), [&](const v1::AuditEntry& e) {
      if (scanned == kMaxScanPerPage || static_cast<size_t>(response->entries_size()) == *size) {
        stopped = true;
        return false;
      }
      ++scanned;
      last = e.sequence();
      if (NamesSeeker(e, request->seeker_id())) *response->add_entries() = e;
      return true;
    });
    if (stopped) response->set_next_after_sequence(last);
    return s;
    });
  }

  grpc::ServerUnaryReactor* VerifyAuditChain(grpc::CallbackServerContext* context,
                                             const v1::VerifyAuditChainRequest* request,
                                             v1::VerifyAuditChainResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) {
      auto report = auditor_->log().Verify();
      if (report.ok()) *response = std::move(*report);
      return report.status();
    });
  }

  grpc::ServerUnaryReactor* Replay(grpc::CallbackServerContext* context,
                                   const v1::ReplayRequest* request,
                                   v1::ReplayResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext&) {
      return DoReplay(request->sequence(), response);
    });
  }

 private:
  // The inputs still held: every record the decision used at the logged
  // version and content, the same policy, reference data and build.
  absl::Status CheckInputs(const v1::AuditEntry& logged) const {
    const v1::AuditDecision& d = logged.decision();
    if (logged.build_id() != auditor_->log().build_id()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "build: the decision was made by ", logged.build_id(), ", this server is ",
          auditor_->log().build_id()));
    }
    if (d.policy_version() != index_->policy().version) {
      return absl::FailedPreconditionError(absl::StrCat("policy: logged version ",
                                                        d.policy_version(), ", now ",
                                                        index_->policy().version));
    }
    if (d.reference_data_version() != data_->version()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "reference data: logged ", d.reference_data_version(), ", now ", data_->version()));
    }
    for (const v1::AuditRecordRef& ref : logged.records()) {
      auto kind = KindNamed(ref.kind());
      if (!kind.ok()) return kind.status();
      auto stored = store_->Get(*kind, ref.id());
      if (absl::IsNotFound(stored.status())) {
        return absl::FailedPreconditionError(
            absl::StrCat(ref.kind(), " ", ref.id(), ": ",
                         ref.version() == 0 ? "was absent when logged"
                                            : "has been erased since the decision"));
      }
      if (!stored.ok()) return stored.status();
      const std::string hash = ContentSha256(stored->payload);
      if (stored->meta.version != ref.version() || hash != ref.content_sha256()) {
        return absl::FailedPreconditionError(absl::StrCat(
            ref.kind(), " ", ref.id(), ": changed since the decision (logged version ",
            ref.version(), ", sha256 ", ref.content_sha256().substr(0, 12), "; now version ",
            stored->meta.version, ", sha256 ", hash.substr(0, 12), ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status DoReplay(uint64_t sequence, v1::ReplayResponse* response) const {
    auto logged = auditor_->log().Get(sequence);
    if (!logged.ok()) return logged.status();
    if (!logged->has_decision()) {
      return absl::FailedPreconditionError(
          absl::StrCat("sequence: audit entry ", sequence, " is not a match decision"));
    }
    const v1::AuditDecision& d = logged->decision();
    if (!d.rematch_run_id().empty()) {
      // Stored answers of a nightly run (or the call that started one): the
      // run computed them, and they are kept with it as they were.
      return absl::FailedPreconditionError(absl::StrCat(
          "sequence: audit entry ", sequence, " is about nightly rematch run ", d.rematch_run_id(),
          ", whose answers are stored, not recomputed per call: read them as they were with "
          "GetRematchMatches / GetRematchReport (run_id ", d.rematch_run_id(), ")"));
    }
    *response->mutable_logged() = d;
    if (absl::Status s = CheckInputs(*logged); !s.ok()) return s;

    matcher::MatchQuery query;
    query.limit = d.limit();
    query.offset = d.offset();
    query.filters = ToFilters(d.filters());
    query.now = absl::FromUnixMicros(d.computed_at_micros());
    // As the live query had them (server/query_options.h).
    query.occupation_breadth = d.occupation_breadth();
    query.needs_blind = d.needs_blind();
    query.tie_seed = matcher::DaySeed(query.now);
    v1::AuditDecision replayed = d;
    replayed.clear_ranking();
    replayed.clear_candidates();
    replayed.clear_scored();
    replayed.clear_feasible();
    replayed.clear_pruned();
    replayed.clear_why_not_kind();
    const bool top_k =
        d.query() == "TOP_VACANCIES_FOR_SEEKER" || d.query() == "TOP_SEEKERS_FOR_VACANCY";
    // Whether the decision is about a seeker's list of vacancies (else a
    // vacancy's list of seekers).
    const bool seeker_list = d.query() == "WHY_NOT" ? d.seeker_side()
                                                   : d.query() != "TOP_SEEKERS_FOR_VACANCY";
    // Records of the ranked kind written since the decision, other than the
    // ones it returned (verified unchanged above): the decision ranked their
    // earlier versions, or they did not exist yet, and either way they were
    // not in the list. The replay leaves them out.
    const storage::RecordKind ranked_kind =
        seeker_list ? storage::RecordKind::kVacancy : storage::RecordKind::kSeeker;
    auto changes = store_->ReadChangesSince(d.data_sequence(), kMaxChangesToReplayAround + 1);
    if (!changes.ok()) return changes.status();
    std::set<std::string> returned;
    for (const auto& r : d.ranking()) returned.insert(r.id());
    std::set<std::string> changed;
    for (const storage::ChangeEntry& c : *changes) {
      if (c.kind == ranked_kind && returned.count(c.id) == 0) changed.insert(c.id);
    }
    for (const std::string& id : changed) {
      if (response->changed_since_size() == 20) break;
      response->add_changed_since(id);
    }
    // A ranked list of the query's kind with the records changed since the
    // decision left out, positions counted without them. Top-k replays
    // compare it with the logged page; why-not replays count the target's
    // rank in it, since a record written since may rank above the target now.
    const std::string& target = d.seeker_side() ? d.vacancy_id() : d.seeker_id();
    auto ranked_around = [&]() -> absl::StatusOr<std::vector<std::pair<size_t, matcher::Match>>> {
      if (changes->size() > kMaxChangesToReplayAround) {
        return absl::FailedPreconditionError(absl::StrCat(
            "more than ", kMaxChangesToReplayAround,
            " writes since the decision's data sequence ", d.data_sequence(),
            ": too many to replay around"));
      }
      // Ask for enough to fill the page after leaving the changed ones out.
      if (d.offset() + d.limit() + changed.size() > 1000) {
        return absl::FailedPreconditionError(absl::StrCat(
            changed.size(), " records ranked by this query changed since the decision: too "
            "many to replay around at offset ", d.offset()));
      }
      matcher::MatchQuery wide = query;
      wide.offset = 0;
      wide.limit = d.offset() + d.limit() + changed.size();
      auto result = seeker_list ? index_->TopVacanciesForSeeker(d.seeker_id(), wide)
                                : index_->TopSeekersForVacancy(d.vacancy_id(), wide);
      if (!result.ok()) return result.status();
      if (d.nobody_in_scope()) *result = matcher::MatchResult{};
      if (top_k) {
        replayed.set_candidates(static_cast<uint32_t>(result->candidates));
        replayed.set_scored(static_cast<uint32_t>(result->scored));
        replayed.set_feasible(static_cast<uint32_t>(result->feasible));
        replayed.set_pruned(static_cast<uint32_t>(result->pruned));
      }
      std::vector<std::pair<size_t, matcher::Match>> page;
      size_t position = 0;
      for (matcher::Match& m : result->matches) {
        if (changed.count(m.id) > 0) continue;
        ++position;
        if (position <= d.offset()) continue;
        if (page.size() == d.limit()) break;
        page.emplace_back(position, std::move(m));
      }
      return page;
    };
    if (top_k) {
      auto page = ranked_around();
      if (!page.ok()) return page.status();
      for (const auto& [position, m] : *page) {
        v1::AuditRankedEntry* r = replayed.add_ranking();
        r->set_id(m.id);
        r->set_rank(static_cast<int32_t>(position));
        r->set_score(seeker_list && !d.needs_blind() ? m.score.seeker_view_total : m.score.total);
      }
    } else if (d.query() == "EXPLAIN") {
      auto score = index_->Explain(d.seeker_id(), d.vacancy_id(), query.now);
      if (!score.ok()) return score.status();
      v1::AuditRankedEntry* r = replayed.add_ranking();
      r->set_id(d.vacancy_id());
      r->set_score(score->total);
    } else if (d.query() == "WHY_NOT") {
      auto why = index_->WhyNot(d.seeker_id(), d.vacancy_id(), d.seeker_side(), query);
      if (!why.ok()) return why.status();
      using Kind = matcher::WhyNotResult::Kind;
      if (!changed.empty() && (why->kind == Kind::kInList || why->kind == Kind::kBelowCutoff)) {
        // In the list or below its cut-off depends on the others ranked:
        // counted again without the records written since the decision.
        auto page = ranked_around();
        if (!page.ok()) return page.status();
        why->kind = Kind::kBelowCutoff;
        why->rank = d.offset() + page->size() + 1;
        for (const auto& [position, m] : *page) {
          if (m.id != target) continue;
          why->kind = Kind::kInList;
          why->rank = position;
        }
      }
      static constexpr const char* kKinds[] = {"IN_LIST", "INFEASIBLE", "FILTERED_OUT",
                                               "BELOW_CUTOFF"};
      replayed.set_why_not_kind(kKinds[static_cast<int>(why->kind)]);
      v1::AuditRankedEntry* r = replayed.add_ranking();
      r->set_id(d.seeker_side() ? d.vacancy_id() : d.seeker_id());
      r->set_rank(static_cast<int32_t>(why->rank));
      r->set_score(d.seeker_side() && !d.needs_blind() ? why->score.seeker_view_total
                                                       : why->score.total);
    } else {
      return absl::DataLossError(absl::StrCat("audit entry ", sequence, ": unknown query ",
                                              d.query()));
    }

    auto differ = [response](std::string what) { response->add_differences(std::move(what)); };
    // Stage counts include every candidate, so they are compared only when
    // nothing of the ranked kind changed since.
    if (changed.empty() &&
        (replayed.candidates() != d.candidates() || replayed.scored() != d.scored() ||
         replayed.feasible() != d.feasible() || replayed.pruned() != d.pruned())) {
      differ(absl::StrCat("stage counts: logged ", d.candidates(), "/", d.scored(), "/",
                          d.feasible(), "/", d.pruned(), ", replayed ", replayed.candidates(),
                          "/", replayed.scored(), "/", replayed.feasible(), "/",
                          replayed.pruned()));
    }
    if (replayed.why_not_kind() != d.why_not_kind()) {
      differ(absl::StrCat("why-not: logged ", d.why_not_kind(), ", replayed ",
                          replayed.why_not_kind()));
    }
    if (replayed.ranking_size() != d.ranking_size()) {
      differ(absl::StrCat("ranking: logged ", d.ranking_size(), " entries, replayed ",
                          replayed.ranking_size()));
    }
    for (int i = 0; i < std::min(replayed.ranking_size(), d.ranking_size()); ++i) {
      const auto& a = d.ranking(i);
      const auto& b = replayed.ranking(i);
      if (a.id() != b.id() || a.rank() != b.rank() || !SameBits(a.score(), b.score())) {
        differ(absl::StrCat("position ", i + 1, ": logged ", a.id(), " rank ", a.rank(),
                            " score ", absl::StrFormat("%.17g", a.score()), ", replayed ", b.id(),
                            " rank ", b.rank(), " score ", absl::StrFormat("%.17g", b.score())));
      }
    }
    response->set_reproduced(response->differences_size() == 0);
    *response->mutable_replayed() = std::move(replayed);
    return absl::OkStatus();
  }

  const Auditor* const auditor_;
  const CallContexts* const calls_;
  const matcher::MatchIndex* const index_;
  const storage::Store* const store_;
  const matcher::ReferenceData* const data_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeAuditService(const Auditor* auditor,
                                                const CallContexts* calls,
                                                const matcher::MatchIndex* index,
                                                const storage::Store* store,
                                                const matcher::ReferenceData* data) {
  return std::make_unique<AuditServiceImpl>(auditor, calls, index, store, data);
}

}  // namespace jobmatch::audit
