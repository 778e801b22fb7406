#include "server/candidate_service.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "jobmatch/v1/candidate_service.grpc.pb.h"
#include "jobmatch/v1/match_service.pb.h"
#include "openssl/hmac.h"
#include "openssl/rand.h"
#include "server/call_context.h"
#include "server/convert.h"
#include "storage/feedback_store.h"

namespace jobmatch {

const char* CommuteBand(double minutes) {
  if (minutes <= 15) return "0-15 min";
  if (minutes <= 30) return "16-30 min";
  if (minutes <= 45) return "31-45 min";
  if (minutes <= 60) return "46-60 min";
  return "over 60 min";
}

namespace {

class CandidateServiceImpl final : public v1::CandidateService::CallbackService {
 public:
  CandidateServiceImpl(const matcher::MatchIndex* index, const storage::Store* store,
                       const matcher::ReferenceData* data, const CallContexts* calls)
      : index_(index), store_(store), data_(data), calls_(calls) {
    if (RAND_bytes(key_, sizeof key_) != 1) {
      // No randomness: a fixed key would make refs linkable across restarts
      // only; still not the seeker id.
      std::fill(std::begin(key_), std::end(key_), 0x5a);
    }
  }

  grpc::ServerUnaryReactor* ListShortlistedCandidates(
      grpc::CallbackServerContext* context, const v1::ListShortlistedCandidatesRequest* request,
      v1::ListShortlistedCandidatesResponse* response) override {
    return calls_->Unary(context, request, response, [&](CallContext& call) -> absl::Status {
      call.AddSubject(storage::RecordKind::kVacancy, request->vacancy_id());
      // Another employer's vacancy reads exactly like a missing one.
      auto vacancy = index_->GetVacancy(request->vacancy_id());
      const absl::Status missing =
          absl::NotFoundError(absl::StrCat("vacancy ", request->vacancy_id(), ": not found"));
      if (!vacancy) return missing;
      if (call.scope() && call.scope()->role == "EMPLOYER") {
        const auto& mine = call.scope()->employer_ids;
        if (vacancy->employer_id.empty() ||
            std::find(mine.begin(), mine.end(), vacancy->employer_id) == mine.end()) {
          return missing;
        }
      }
      // The latest feedback per seeker on this vacancy (keys sort by seeker,
      // then time): shortlisted, and not rejected since.
      std::map<std::string, bool> shortlisted;  // seeker -> still shortlisted
      absl::Status scanned = store_->feedback().Scan(
          "", [&](const v1::Feedback& f) {
            if (f.vacancy_id() != request->vacancy_id()) return true;
            auto [it, fresh] = shortlisted.try_emplace(f.seeker_id(), false);
            if (f.outcome() == v1::SHORTLISTED) it->second = true;
            if (f.outcome() == v1::REJECTED) it->second = false;
            (void)fresh;
            return true;
          });
      if (!scanned.ok()) return scanned;
      response->set_vacancy_id(request->vacancy_id());
      for (const auto& [seeker_id, still] : shortlisted) {
        if (!still) continue;
        auto seeker = index_->GetSeeker(seeker_id);
        if (!seeker) continue;  // erased since
        auto score = index_->Explain(seeker_id, request->vacancy_id(), call.now());
        if (!score.ok()) continue;
        v1::AnonymousCandidate* candidate = response->add_candidates();
        candidate->set_candidate_ref(Ref(request->vacancy_id(), seeker_id));
        // Skills the vacancy asks for first (as the seeker holds them), then
        // the rest; never anything about needs, home or identity.
        std::vector<matcher::SkillId> order;
        for (const auto& m : score->matched_skills) {
          if (std::find(order.begin(), order.end(), m.via) == order.end()) order.push_back(m.via);
        }
        for (matcher::SkillId id : seeker->skills) {
          if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
        }
        for (matcher::SkillId id : order) *candidate->add_skills() = ToSkillRef(id, *data_->taxonomy);
        candidate->set_commute_band(score->commute ? CommuteBand(score->commute->minutes) : "remote");
        call.AddReturned(storage::RecordKind::kSeeker, seeker_id);
      }
      return absl::OkStatus();
    });
  }

 private:
  // HMAC-SHA256(key, vacancy id NUL seeker id), 24 hex digits.
  std::string Ref(const std::string& vacancy_id, const std::string& seeker_id) const {
    const std::string message = vacancy_id + std::string(1, '\0') + seeker_id;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key_, sizeof key_, reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &length);
    return absl::BytesToHexString(
               absl::string_view(reinterpret_cast<const char*>(digest), length))
        .substr(0, 24);
  }

  const matcher::MatchIndex* const index_;
  const storage::Store* const store_;
  const matcher::ReferenceData* const data_;
  const CallContexts* const calls_;
  unsigned char key_[32];
};

}  // namespace

std::unique_ptr<grpc::Service> MakeCandidateService(const matcher::MatchIndex* index,
                                                    const storage::Store* store,
                                                    const matcher::ReferenceData* data,
                                                    const CallContexts* calls) {
  return std::make_unique<CandidateServiceImpl>(index, store, data, calls);
}

}  // namespace jobmatch
