#include "server/rematch_runner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "openssl/hmac.h"
#include "openssl/rand.h"
#include "matcher/allocation.h"
#include "matcher/rematch_report.h"
#include "matcher/tie_order.h"
#include "server/rematch_report_proto.h"

namespace jobmatch {
namespace {

// Lists per storage write.
constexpr size_t kBatch = 4096;

// A seeker's record key for the report's cell keys: the first four bytes of
// HMAC-SHA256(secret, id).
uint32_t RecordKey(const std::string& secret, const std::string& id) {
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(id.data()), id.size(), mac, &length);
  return static_cast<uint32_t>(mac[0]) << 24 | static_cast<uint32_t>(mac[1]) << 16 |
         static_cast<uint32_t>(mac[2]) << 8 | static_cast<uint32_t>(mac[3]);
}

v1::RematchMatches ToMatches(const std::string& run_id,
                             const std::vector<matcher::RankedId>& ranked) {
  v1::RematchMatches m;
  m.set_run_id(run_id);
  for (size_t i = 0; i < ranked.size(); ++i) {
    auto* r = m.add_matches();
    r->set_id(ranked[i].id);
    r->set_rank(static_cast<int32_t>(i + 1));
    r->set_score(ranked[i].score);
  }
  return m;
}

}  // namespace

v1::AuditEntry RematchRunEntry(const v1::RematchRun& run, bool ended) {
  v1::AuditEntry entry;
  entry.set_method(ended ? "jobmatchd/RematchRunEnded" : "jobmatchd/RematchRunStarted");
  entry.set_caller_id("jobmatchd");
  entry.set_caller_role("NONE");
  const std::string& state = run.state();
  entry.set_status_code(!ended || state == "DONE" ? "OK"
                        : state == "CANCELLED"    ? "CANCELLED"
                                                  : "ABORTED");
  *entry.mutable_rematch_run() = run;
  return entry;
}

RematchRunner::RematchRunner(const matcher::MatchIndex* index, storage::Store* store,
                             RematchRunnerOptions options)
    : index_(index), store_(store), options_(std::move(options)) {}

RematchRunner::~RematchRunner() { Shutdown(); }

void RematchRunner::Shutdown() {
  cancel_ = true;
  std::thread worker;
  {
    absl::MutexLock lock(&mu_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
}

absl::Status RematchRunner::Recover() {
  auto interrupted = store_->snapshots().InProgress();
  if (!interrupted.ok()) return interrupted.status();
  if (!interrupted->has_value()) {
    absl::MutexLock lock(&mu_);
    ready_ = true;
    return absl::OkStatus();
  }
  v1::RematchRun run = std::move(**interrupted);
  std::fprintf(stderr, "jobmatchd: rematch run %s was interrupted (%lu of %lu seekers done when "
               "last recorded); deleting its partial snapshot and starting it again\n",
               run.run_id().c_str(), static_cast<unsigned long>(run.done()),
               static_cast<unsigned long>(run.total()));
  if (absl::Status s = Abandon(&run, absl::AbortedError(
                                         "interrupted: jobmatchd stopped during the run; "
                                         "restarted at start-up"));
      !s.ok()) {
    return s;
  }
  Finished(run);
  {
    absl::MutexLock lock(&mu_);
    ready_ = true;
  }
  auto restarted = Start(run.k(), run.shortlist_factor(), run.per_seeker(), "restart");
  return restarted.ok() ? absl::OkStatus() : restarted.status();
}

absl::StatusOr<v1::RematchRun> RematchRunner::Start(int k, int shortlist_factor, int per_seeker,
                                                    const std::string& trigger) {
  if (k < 0 || k > 500) return absl::InvalidArgumentError("k: must be within [0, 500]");
  if (shortlist_factor < 0 || shortlist_factor > 50) {
    return absl::InvalidArgumentError("shortlist_factor: must be within [0, 50]");
  }
  if (per_seeker < 0 || per_seeker > 50) {
    return absl::InvalidArgumentError("per_seeker: must be within [0, 50]");
  }
  absl::MutexLock lock(&mu_);
  if (!ready_) {
    return absl::UnavailableError(
        "jobmatchd is starting up (rebuilding its index); start the rematch when it serves");
  }
  while (running_ != nullptr) {
    if (running_->state() == "RUNNING") {
      return absl::FailedPreconditionError(
          absl::StrCat("rematch run ", running_->run_id(), " is in progress (",
                       running_->done(), " of ", running_->total(), " seekers done)"));
    }
    // The previous run has ended and is pruning old snapshots: wait for it.
    mu_.Await(absl::Condition(this, &RematchRunner::IdleOrRunning));
  }
  if (worker_.joinable()) worker_.join();  // the previous, finished run
  v1::RematchRun run;
  const absl::Time now = options_.clock ? options_.clock() : absl::Now();
  run.set_run_id(absl::StrCat(absl::FormatTime("%Y%m%dT%H%M%S", now, absl::UTCTimeZone()), "-",
                              absl::StrFormat("%04x", std::random_device{}() & 0xffff)));
  run.set_state("RUNNING");
  run.set_policy_version(index_->policy().version);
  run.set_data_sequence(store_->LastSequence());
  run.set_started_micros(absl::ToUnixMicros(now));
  run.set_k(k == 0 ? 50 : k);
  run.set_shortlist_factor(shortlist_factor == 0 ? 4 : shortlist_factor);
  run.set_per_seeker(per_seeker == 0 ? 3 : per_seeker);
  run.set_trigger(trigger);
  // The day's: the live queries of the day list ties in the same order.
  run.set_tie_seed(matcher::DaySeed(now));
  run.set_total(index_->seeker_count());
  // Before any snapshot key: a crash from here on is found by Recover.
  if (absl::Status s = store_->snapshots().BeginRun(run); !s.ok()) return s;
  if (options_.audit_log != nullptr) {
    // Synced before the pass begins: no run produces lists unaudited.
    auto logged = options_.audit_log->Append(RematchRunEntry(run, /*ended=*/false));
    if (!logged.ok()) {
      const absl::Status why = absl::UnavailableError(
          absl::StrCat("rematch run ", run.run_id(), " not started: its audit entry could not "
                       "be written: ", logged.status().message()));
      if (absl::Status s = Abandon(&run, why); !s.ok()) {
        std::fprintf(stderr, "jobmatchd: cleaning up rematch run %s failed: %s\n",
                     run.run_id().c_str(), s.ToString().c_str());
      }
      return why;
    }
  }
  running_ = std::make_unique<v1::RematchRun>(run);
  cancel_ = false;
  worker_ = std::thread([this, run] { Run(run); });
  return run;
}

bool RematchRunner::IdleOrRunning() const {
  return running_ == nullptr || running_->state() == "RUNNING";
}

void RematchRunner::Run(v1::RematchRun run) {
  matcher::BulkTopKOptions options;
  options.k = static_cast<size_t>(run.k());
  options.threads = options_.threads;
  options.now = absl::FromUnixMicros(run.started_micros());
  options.cancel = &cancel_;
  options.tie_seed = run.tie_seed();
  const absl::Time start = absl::Now();
  options.progress = [this, start](size_t done, size_t total) {
    absl::MutexLock lock(&mu_);
    if (running_ == nullptr) return;
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    running_->set_done(std::max<uint64_t>(running_->done(), done));
    running_->set_total(total);
    const double rate = seconds > 0 ? running_->done() / seconds : 0;
    running_->set_rate_per_second(rate);
    running_->set_eta_seconds(rate > 0 ? (total - running_->done()) / rate : 0);
  };
  auto result = index_->BulkTopK(options);
  absl::Status status = result.status();
  if (result.ok()) {
    run.set_done(result->vacancies_for_seeker.size());
    run.set_total(result->vacancies_for_seeker.size());
    run.set_seekers(result->vacancies_for_seeker.size());
    run.set_vacancies(result->seekers_for_vacancy.size());
    run.set_candidate_pairs(result->candidate_pairs);
    run.set_scored_pairs(result->scored_pairs);
    run.set_feasible_pairs(result->feasible_pairs);
    size_t with_match = 0, with_candidate = 0;
    for (const auto& [id, ranked] : result->vacancies_for_seeker) with_match += !ranked.empty();
    for (const auto& [id, ranked] : result->seekers_for_vacancy) with_candidate += !ranked.empty();
    run.set_share_seekers_with_match(run.seekers() ? double(with_match) / run.seekers() : 0);
    run.set_share_vacancies_with_candidate(run.vacancies() ? double(with_candidate) / run.vacancies() : 0);
    const auto recommended = Allocate(*result, &run);
    status = PersistSnapshot(run, *result, recommended);
    if (status.ok()) {
      run.set_state("DONE");
      run.set_finished_micros(absl::ToUnixMicros(absl::Now()));
      const v1::RematchReport report = BuildReport(*result, run, recommended);
      // The commit: one synced batch makes the complete snapshot current.
      status = store_->snapshots().Commit(run, report);
    }
  }
  if (status.ok()) {
    // Its end entry and metrics before anyone is told it is DONE.
    Finished(run);
    {
      // Committed: readers see it DONE from here on, also while pruning.
      absl::MutexLock lock(&mu_);
      *running_ = run;
    }
    if (absl::Status s = Prune(); !s.ok()) {
      std::fprintf(stderr, "jobmatchd: pruning old rematch snapshots failed: %s\n",
                   s.ToString().c_str());
    }
  } else {
    if (absl::Status s = Abandon(&run, status); !s.ok()) {
      std::fprintf(stderr, "jobmatchd: cleaning up rematch run %s failed: %s\n",
                   run.run_id().c_str(), s.ToString().c_str());
    }
    Finished(run);
  }
  absl::MutexLock lock(&mu_);
  running_.reset();  // after the final record is durable: Get never goes back to RUNNING
}

void RematchRunner::Finished(const v1::RematchRun& run) const {
  if (options_.audit_log != nullptr) {
    auto logged = options_.audit_log->Append(RematchRunEntry(run, /*ended=*/true));
    if (!logged.ok()) {
      // The run's outcome is in its stored record (GetRematchRun) either way.
      std::fprintf(stderr, "jobmatchd: the audit entry of rematch run %s's end (%s) could not be "
                   "written: %s\n", run.run_id().c_str(), run.state().c_str(),
                   logged.status().ToString().c_str());
    }
  }
  if (options_.on_finish) options_.on_finish(run);
}

absl::Status RematchRunner::Abandon(v1::RematchRun* run, const absl::Status& why) {
  run->set_state(why.code() == absl::StatusCode::kCancelled ? "CANCELLED" : "FAILED");
  run->set_error(std::string(why.message()));
  run->set_finished_micros(absl::ToUnixMicros(absl::Now()));
  auto deleted = store_->snapshots().Abandon(*run);
  if (!deleted.ok()) return deleted.status();
  if (*deleted > 0) {
    std::fprintf(stderr, "jobmatchd: rematch run %s: deleted %zu keys of its partial snapshot\n",
                 run->run_id().c_str(), *deleted);
  }
  return absl::OkStatus();
}

absl::flat_hash_map<std::string, std::vector<std::string>> RematchRunner::Allocate(
    const matcher::BulkTopKResult& result, v1::RematchRun* run) const {
  const FeedbackLedger::View feedback =
      options_.feedback != nullptr ? options_.feedback->Snapshot() : FeedbackLedger::View();
  // Dense indices in the run's tie order: the allocation gives ties to the
  // lower index (and repairs coverage in index order), so this makes equal
  // candidates take turns from run to run instead of the lowest id winning
  // every night.
  const uint64_t seed = run->tie_seed();
  auto tie_order = [seed](const auto& lists) {
    return matcher::InTieOrder(lists.size(), seed,
                               [&](uint32_t i) -> const std::string& { return lists[i].first; });
  };
  matcher::AllocationInputOptions options;
  options.per_seeker = run->per_seeker();
  options.seeker_order = tie_order(result.vacancies_for_seeker);
  options.vacancy_order = tie_order(result.seekers_for_vacancy);
  options.capacity = [&](const std::string& id) {
    const int openings = index_->VacancyOpenings(id).value_or(1);
    return FeedbackLedger::OpeningsLeft(openings, feedback.Hires(id)) * run->shortlist_factor();
  };
  options.closed = [&](const std::string& seeker_id, const std::string& vacancy_id) {
    auto closed = feedback.by_seeker.find(seeker_id);
    if (closed == feedback.by_seeker.end()) return false;
    auto outcome = closed->second.find(vacancy_id);
    return outcome != closed->second.end() && FeedbackLedger::ClosesPair(outcome->second);
  };
  // Pairs by the needs-blind total: seekers compete for places on it only.
  const matcher::IndexedAllocationInput indexed = matcher::AllocationInputFrom(result, options);
  const matcher::AllocationInput& input = indexed.input;
  auto figures = [](const matcher::AllocationReport& r, v1::AllocationFigures* out) {
    out->set_suggestions(r.suggestions);
    out->set_share_vacancies_with_suggestion(r.share_vacancies_with_suggestion);
    out->set_share_seekers_with_suggestion(r.share_seekers_with_suggestion);
    out->set_gini_suggestions_per_vacancy(r.gini_suggestions_per_vacancy);
    out->set_mean_score(r.mean_score);
  };
  figures(matcher::PlainTopK(input).report, run->mutable_plain());
  const matcher::Allocation allocation = matcher::Allocate(input);
  figures(allocation.report, run->mutable_allocated());
  absl::flat_hash_map<std::string, std::vector<std::string>> recommended;
  for (const auto& p : allocation.chosen) {
    recommended[*indexed.seekers[p.seeker]].push_back(*indexed.vacancies[p.vacancy]);
  }
  return recommended;
}

v1::RematchReport RematchRunner::BuildReport(
    const matcher::BulkTopKResult& result, const v1::RematchRun& run,
    const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended) const {
  std::string secret;
  if (options_.perturb_report_counts) {
    unsigned char candidate[32];
    if (RAND_bytes(candidate, sizeof candidate) != 1) std::abort();  // no entropy
    auto key = store_->snapshots().GetOrPutReportKey(
        std::string(reinterpret_cast<const char*>(candidate), sizeof candidate));
    if (key.ok()) {
      secret = std::move(*key);
    } else {
      // Still perturbed, with a key for this run only: no longer the same
      // published count for the same people on another night.
      secret.assign(reinterpret_cast<const char*>(candidate), sizeof candidate);
      std::fprintf(stderr,
                   "jobmatchd: rematch report: the stored report key is unavailable (%s); this "
                   "run's counts are perturbed with a key of its own\n",
                   key.status().ToString().c_str());
    }
  }
  std::vector<matcher::ReportSeeker> seekers;
  seekers.reserve(result.vacancies_for_seeker.size());
  for (const auto& [id, ranked] : result.vacancies_for_seeker) {
    matcher::ReportSeeker r;
    if (auto profile = index_->GetSeeker(id)) {
      r.known = true;
      r.municipality = profile->home.municipality;
      r.target_group = profile->target_group;
      r.has_functional_needs = matcher::HasNeedsOrHealthLimit(*profile);
      r.has_suggestion = recommended.contains(id);
      r.skills = profile->skills.size();
      r.max_commute_minutes = profile->max_commute_minutes;
      if (!secret.empty()) r.record_key = RecordKey(secret, id);
    }
    seekers.push_back(std::move(r));
  }
  v1::RematchReport report =
      ToProto(matcher::BuildRematchReport(result, seekers, options_.perturb_report_counts), run,
              options_.municipality_name);
  if (options_.extend_report) options_.extend_report(result, &report);
  return report;
}

absl::Status RematchRunner::PersistSnapshot(
    const v1::RematchRun& run, const matcher::BulkTopKResult& result,
    const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended) {
  storage::SnapshotStore::ListBatch seekers(storage::RecordKind::kSeeker);
  storage::SnapshotStore::ListBatch needs_blind(storage::RecordKind::kSeeker,
                                                storage::ListOrder::kNeedsBlind);
  storage::SnapshotStore::ListBatch vacancies(storage::RecordKind::kVacancy);
  auto flush = [&](storage::SnapshotStore::ListBatch& batch) {
    if (cancel_) return absl::CancelledError("rematch cancelled (server stopping)");
    absl::Status s = store_->snapshots().PutLists(run.run_id(), batch);
    batch.clear();
    return s;
  };
  auto same_order = [](const std::vector<matcher::RankedId>& a,
                       const std::vector<matcher::RankedId>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return x.id == y.id; });
  };
  for (size_t i = 0; i < result.vacancies_for_seeker.size(); ++i) {
    const auto& [id, ranked] = result.vacancies_for_seeker[i];
    const auto it = recommended.find(id);
    auto add_recommended = [&](v1::RematchMatches* matches) {
      if (it == recommended.end()) return;
      for (const auto& v : it->second) matches->add_recommended(v);
    };
    v1::RematchMatches matches = ToMatches(run.run_id(), ranked);
    add_recommended(&matches);
    seekers.Add(id, matches);
    // The needs-blind order beside it, for viewers who may not see the
    // seeker's needs (docs/security.md §3), where it differs.
    const std::vector<matcher::RankedId>& blind = result.NeedsBlindVacancies(i);
    if (&blind != &ranked && !same_order(blind, ranked)) {
      v1::RematchMatches blind_matches = ToMatches(run.run_id(), blind);
      add_recommended(&blind_matches);
      needs_blind.Add(id, blind_matches);
      if (needs_blind.size() >= kBatch) {
        if (absl::Status s = flush(needs_blind); !s.ok()) return s;
      }
    }
    if (seekers.size() >= kBatch) {
      if (absl::Status s = flush(seekers); !s.ok()) return s;
    }
  }
  if (absl::Status s = flush(needs_blind); !s.ok()) return s;
  if (absl::Status s = flush(seekers); !s.ok()) return s;
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    vacancies.Add(id, ToMatches(run.run_id(), ranked));
    if (vacancies.size() >= kBatch) {
      if (absl::Status s = flush(vacancies); !s.ok()) return s;
    }
  }
  return flush(vacancies);
}

absl::Status RematchRunner::Prune() {
  auto pruned = store_->snapshots().Prune(options_.keep_snapshots);
  return pruned.ok() ? absl::OkStatus() : pruned.status();
}

absl::StatusOr<v1::RematchRun> RematchRunner::Get(const std::string& run_id) const {
  std::string id = run_id;
  {
    absl::MutexLock lock(&mu_);
    if (running_ != nullptr && (id.empty() || id == running_->run_id())) return *running_;
  }
  if (id.empty()) {
    auto current = store_->snapshots().Current();
    if (!current.ok()) return current.status();
    id = *current;
  }
  return store_->snapshots().GetRun(id);
}

absl::StatusOr<std::string> RematchRunner::ResolveDone(const std::string& run_id) const {
  if (run_id.empty()) {
    // Only a committed, complete run becomes current.
    return store_->snapshots().Current();
  }
  auto run = Get(run_id);
  if (!run.ok()) return run.status();
  if (run->state() != "DONE") {
    return absl::FailedPreconditionError(
        absl::StrCat("rematch run ", run_id, " is ", run->state(),
                     ": only a complete (DONE) run's snapshot can be read"));
  }
  return run_id;
}

absl::StatusOr<v1::RematchMatches> RematchRunner::Matches(const std::string& run_id,
                                                         const std::string& seeker_id,
                                                         const std::string& vacancy_id,
                                                         storage::ListOrder order,
                                                         v1::RematchRun* run) const {
  if (seeker_id.empty() == vacancy_id.empty()) {
    return absl::InvalidArgumentError("seeker_id, vacancy_id: give exactly one of them");
  }
  auto resolved = ResolveDone(run_id);
  if (!resolved.ok()) return resolved.status();
  if (run != nullptr) {
    auto record = store_->snapshots().GetRun(*resolved);
    if (!record.ok()) return record.status();
    *run = std::move(*record);
  }
  auto stored = seeker_id.empty()
                    ? store_->snapshots().ReadList(*resolved, storage::RecordKind::kVacancy, vacancy_id)
                    : store_->snapshots().ReadList(*resolved, storage::RecordKind::kSeeker,
                                                   seeker_id, order);
  if (!stored.ok()) return stored.status();
  v1::RematchMatches matches = std::move(*stored);
  if (!vacancy_id.empty()) {
    // A vacancy's stored list may name seekers erased since the run: never
    // show them (their bytes go with the snapshot's retention).
    v1::RematchMatches kept;
    kept.set_run_id(matches.run_id());
    for (const auto& m : matches.matches()) {
      if (index_->GetSeeker(m.id())) *kept.add_matches() = m;
    }
    return kept;
  }
  return matches;
}

bool RematchRunner::ConsentsToShareNeeds(const std::string& seeker_id) const {
  auto seeker = index_->GetSeeker(seeker_id);
  return seeker.has_value() && seeker->consent_share_needs;
}

absl::StatusOr<v1::RematchReport> RematchRunner::Report(const std::string& run_id) const {
  auto resolved = ResolveDone(run_id);
  if (!resolved.ok()) return resolved.status();
  return store_->snapshots().ReadReport(*resolved);
}

}  // namespace jobmatch
