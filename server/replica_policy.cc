#include "server/replica_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobmatch {

const std::vector<std::string>& ReplicaPolicy::Reads() {
  static const auto* reads = new std::vector<std::string>{
      "/jobmatch.v1.SeekerService/Get",
      "/jobmatch.v1.SeekerService/List",
      "/jobmatch.v1.VacancyService/Get",
      "/jobmatch.v1.VacancyService/List",
      "/jobmatch.v1.EmployerService/Get",
      "/jobmatch.v1.EmployerService/List",
      "/jobmatch.v1.MatchService/TopVacanciesForSeeker",
      "/jobmatch.v1.MatchService/TopSeekersForVacancy",
      "/jobmatch.v1.MatchService/Explain",
      "/jobmatch.v1.MatchService/WhyNot",
      "/jobmatch.v1.MatchService/GetPolicy",
      "/jobmatch.v1.MatchService/WatchChanges",
      "/jobmatch.v1.MatchService/ListFeedback",
      "/jobmatch.v1.RematchService/GetRematchRun",
      "/jobmatch.v1.RematchService/GetRematchMatches",
      "/jobmatch.v1.RematchService/GetRematchReport",
      "/jobmatch.v1.RematchService/WatchRematchRun",
      "/jobmatch.v1.CandidateService/ListShortlistedCandidates",
      "/jobmatch.v1.UpskillingService/SkillGaps",
      "/jobmatch.v1.UpskillingService/UpskillingPlan",
      "/jobmatch.v1.EmployerBridgeService/Bridge",
      // The replica's own audit log (its calls), not the primary's.
      "/jobmatch.v1.AuditService/ListAuditEntries",
      "/jobmatch.v1.AuditService/ListSeekerAccess",
      "/jobmatch.v1.AuditService/VerifyAuditChain",
      "/jobmatch.v1.AuditService/Replay",
  };
  return *reads;
}

const std::vector<std::string>& ReplicaPolicy::Writes() {
  static const auto* writes = new std::vector<std::string>{
      "/jobmatch.v1.SeekerService/Upsert",
      "/jobmatch.v1.SeekerService/Delete",
      "/jobmatch.v1.SeekerService/Import",
      "/jobmatch.v1.VacancyService/Upsert",
      "/jobmatch.v1.VacancyService/Delete",
      "/jobmatch.v1.VacancyService/Import",
      "/jobmatch.v1.EmployerService/Upsert",
      "/jobmatch.v1.EmployerService/Delete",
      "/jobmatch.v1.EmployerService/Import",
      "/jobmatch.v1.MatchService/RecordFeedback",
      "/jobmatch.v1.PlacementHistoryService/Import",
      // A run writes its snapshot into the store.
      "/jobmatch.v1.RematchService/StartRematch",
      // A checkpoint of the primary's store: take it on the primary.
      "/jobmatch.v1.AdminService/CreateBackup",
  };
  return *writes;
}

absl::Status ReplicaPolicy::Check(std::string_view method) const {
  const auto& reads = Reads();
  if (std::find(reads.begin(), reads.end(), method) != reads.end()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("this jobmatchd is a read replica of ", primary_,
                   "; send writes to the primary (", std::string(method),
                   " is not served by a replica)"));
}

}  // namespace jobmatch
