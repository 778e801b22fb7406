#include "server/rematch_runner.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "matcher/allocation.h"

namespace jobmatch {
namespace {

constexpr char kCurrentKey[] = "rematch/current";

std::string RunKey(const std::string& run_id) { return absl::StrCat("rematch/run/", run_id); }

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

RematchRunner::RematchRunner(const matcher::MatchIndex* index, storage::Store* store, int threads)
    : index_(index), store_(store), threads_(threads) {}

RematchRunner::~RematchRunner() {
  cancel_ = true;
  std::thread worker;
  {
    absl::MutexLock lock(&mu_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
}

absl::StatusOr<v1::RematchRun> RematchRunner::Start(int k, int shortlist_factor,
                                                    int per_seeker) {
  if (k < 0 || k > 500) return absl::InvalidArgumentError("k: must be within [0, 500]");
  if (shortlist_factor < 0 || shortlist_factor > 50) {
    return absl::InvalidArgumentError("shortlist_factor: must be within [0, 50]");
  }
  if (per_seeker < 0 || per_seeker > 50) {
    return absl::InvalidArgumentError("per_seeker: must be within [0, 50]");
  }
  absl::MutexLock lock(&mu_);
  if (running_ != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("rematch run ", running_->run_id(), " is in progress (",
                     running_->done(), " of ", running_->total(), " seekers done)"));
  }
  if (worker_.joinable()) worker_.join();  // the previous, finished run
  v1::RematchRun run;
  const absl::Time now = absl::Now();
  run.set_run_id(absl::StrCat(absl::FormatTime("%Y%m%dT%H%M%S", now, absl::UTCTimeZone()), "-",
                              absl::StrFormat("%04x", std::random_device{}() & 0xffff)));
  run.set_state("RUNNING");
  run.set_policy_version(index_->policy().version);
  run.set_data_sequence(store_->LastSequence());
  run.set_started_micros(absl::ToUnixMicros(now));
  run.set_k(k == 0 ? 50 : k);
  run.set_total(index_->seeker_count());
  running_ = std::make_unique<v1::RematchRun>(run);
  cancel_ = false;
  worker_ = std::thread([this, run, shortlist_factor, per_seeker] {
    Run(run, shortlist_factor == 0 ? 4 : shortlist_factor, per_seeker == 0 ? 3 : per_seeker);
  });
  return run;
}

void RematchRunner::Run(v1::RematchRun run, int shortlist_factor, int per_seeker) {
  matcher::BulkTopKOptions options;
  options.k = static_cast<size_t>(run.k());
  options.threads = threads_;
  options.now = absl::FromUnixMicros(run.started_micros());
  options.cancel = &cancel_;
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
    run.set_done(run.total());
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
    run.set_state("DONE");
    run.set_finished_micros(absl::ToUnixMicros(absl::Now()));
    const auto recommended = Allocate(*result, shortlist_factor, per_seeker, &run);
    status = Persist(run, *result, recommended);
  }
  if (!status.ok()) {
    run.set_state(status.code() == absl::StatusCode::kCancelled ? "CANCELLED" : "FAILED");
    run.set_error(std::string(status.message()));
    run.set_finished_micros(absl::ToUnixMicros(absl::Now()));
    (void)store_->AuxPut(storage::AuxTable::kMeta, RunKey(run.run_id()), run.SerializeAsString());
  }
  absl::MutexLock lock(&mu_);
  running_.reset();
}

absl::flat_hash_map<std::string, std::vector<std::string>> RematchRunner::Allocate(
    const matcher::BulkTopKResult& result, int shortlist_factor, int per_seeker,
    v1::RematchRun* run) const {
  matcher::AllocationInput input;
  input.seekers = result.vacancies_for_seeker.size();
  input.per_seeker = per_seeker;
  absl::flat_hash_map<std::string, uint32_t> vacancy_index;
  std::vector<const std::string*> vacancy_ids;
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    vacancy_index[id] = static_cast<uint32_t>(vacancy_ids.size());
    vacancy_ids.push_back(&id);
    auto profile = index_->GetVacancy(id);
    input.vacancy_capacity.push_back((profile ? profile->openings : 1) * shortlist_factor);
  }
  for (uint32_t s = 0; s < result.vacancies_for_seeker.size(); ++s) {
    for (const auto& v : result.vacancies_for_seeker[s].second) {
      auto it = vacancy_index.find(v.id);
      if (it != vacancy_index.end()) input.pairs.push_back({s, it->second, v.score});
    }
  }
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
    recommended[result.vacancies_for_seeker[p.seeker].first].push_back(*vacancy_ids[p.vacancy]);
  }
  return recommended;
}

absl::Status RematchRunner::Persist(
    const v1::RematchRun& run, const matcher::BulkTopKResult& result,
    const absl::flat_hash_map<std::string, std::vector<std::string>>& recommended) {
  // The snapshot in batches of synced writes, then the run record, then the
  // current marker: only a complete snapshot becomes current.
  std::vector<std::pair<std::string, std::string>> batch;
  auto flush = [&]() {
    absl::Status s = store_->AuxPutBatch(storage::AuxTable::kMatches, batch);
    batch.clear();
    return s;
  };
  for (const auto& [id, ranked] : result.vacancies_for_seeker) {
    v1::RematchMatches matches = ToMatches(run.run_id(), ranked);
    if (auto it = recommended.find(id); it != recommended.end()) {
      for (const auto& v : it->second) matches.add_recommended(v);
    }
    batch.emplace_back(storage::Store::MatchKeyPrefix(storage::RecordKind::kSeeker, id) + run.run_id(),
                       matches.SerializeAsString());
    if (batch.size() >= 4096) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  for (const auto& [id, ranked] : result.seekers_for_vacancy) {
    batch.emplace_back(storage::Store::MatchKeyPrefix(storage::RecordKind::kVacancy, id) + run.run_id(),
                       ToMatches(run.run_id(), ranked).SerializeAsString());
    if (batch.size() >= 4096) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  if (absl::Status s = store_->AuxPut(storage::AuxTable::kMeta, RunKey(run.run_id()),
                                      run.SerializeAsString());
      !s.ok()) {
    return s;
  }
  return store_->AuxPut(storage::AuxTable::kMeta, kCurrentKey, run.run_id());
}

absl::StatusOr<v1::RematchRun> RematchRunner::Get(const std::string& run_id) const {
  std::string id = run_id;
  {
    absl::MutexLock lock(&mu_);
    if (running_ != nullptr && (id.empty() || id == running_->run_id())) return *running_;
  }
  if (id.empty()) {
    auto current = store_->AuxGet(storage::AuxTable::kMeta, kCurrentKey);
    if (!current.ok()) return absl::NotFoundError("no rematch has completed yet");
    id = *current;
  }
  auto stored = store_->AuxGet(storage::AuxTable::kMeta, RunKey(id));
  if (!stored.ok()) return absl::NotFoundError(absl::StrCat("rematch run ", id, ": not found"));
  v1::RematchRun run;
  if (!run.ParseFromString(*stored)) return absl::DataLossError("stored rematch run does not parse");
  return run;
}

absl::StatusOr<v1::RematchMatches> RematchRunner::Matches(const std::string& run_id,
                                                         const std::string& seeker_id,
                                                         const std::string& vacancy_id) const {
  if (seeker_id.empty() == vacancy_id.empty()) {
    return absl::InvalidArgumentError("seeker_id, vacancy_id: give exactly one of them");
  }
  std::string id = run_id;
  if (id.empty()) {
    auto current = store_->AuxGet(storage::AuxTable::kMeta, kCurrentKey);
    if (!current.ok()) return absl::NotFoundError("no rematch has completed yet");
    id = *current;
  }
  const std::string key =
      seeker_id.empty()
          ? storage::Store::MatchKeyPrefix(storage::RecordKind::kVacancy, vacancy_id) + id
          : storage::Store::MatchKeyPrefix(storage::RecordKind::kSeeker, seeker_id) + id;
  auto stored = store_->AuxGet(storage::AuxTable::kMatches, key);
  if (!stored.ok()) {
    return absl::NotFoundError(absl::StrCat("no matches in rematch run ", id, " for ",
                                            seeker_id.empty() ? "vacancy " : "seeker ",
                                            seeker_id.empty() ? vacancy_id : seeker_id));
  }
  v1::RematchMatches matches;
  if (!matches.ParseFromString(*stored)) return absl::DataLossError("stored matches do not parse");
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

}  // namespace jobmatch
