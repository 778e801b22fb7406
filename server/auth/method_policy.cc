#include "server/auth/method_policy.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"

namespace jobmatch::auth {

RoleSet::RoleSet(std::initializer_list<Role> roles) {
  for (Role role : roles) bits_ |= Bit(role);
}

std::vector<std::string> EnumerateRpcs(std::string_view package) {
  namespace pb = google::protobuf;
  std::vector<std::string> files;
  pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<std::string> methods;
  for (const std::string& name : files) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr || file->package() != package) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(absl::StrCat("/", service->full_name(), "/", service->method(m)->name()));
      }
    }
  }
  std::sort(methods.begin(), methods.end());
  return methods;
}

MethodPolicy MethodPolicy::Default() {
  using R = Role;
  // Role sets named by what they grant; admin is in every one.
  const RoleSet seeker_write = {R::kCaseSystem, R::kAdmin};
  const RoleSet seeker_read = {R::kCaseSystem, R::kConsultant, R::kBatch, R::kAdmin};
  const RoleSet vacancy_write = {R::kVacancyFeed, R::kAdmin};
  const RoleSet vacancy_read = {R::kVacancyFeed, R::kConsultant, R::kBatch, R::kAdmin};
  const RoleSet match_query = {R::kConsultant, R::kAdmin};
  const RoleSet feedback = {R::kConsultant, R::kAdmin};
  const RoleSet history_import = {R::kBatch, R::kAdmin};
  const RoleSet rematch_run = {R::kBatch, R::kAdmin};
  const RoleSet rematch_read = {R::kBatch, R::kConsultant, R::kAdmin};
  const RoleSet change_feed = {R::kBatch, R::kAdmin};
  const RoleSet admin_only = {R::kAdmin};
  const RoleSet audit_log = {R::kAdmin};
  const RoleSet employer_view = {R::kEmployer, R::kAdmin};
  std::vector<std::pair<std::string, RoleSet>> table = {
      {"/jobmatch.v1.SeekerService/Upsert", seeker_write},
      {"/jobmatch.v1.SeekerService/Delete", seeker_write},
      {"/jobmatch.v1.SeekerService/Import", seeker_write},
      {"/jobmatch.v1.SeekerService/Get", seeker_read},
      {"/jobmatch.v1.SeekerService/List", seeker_read},
      {"/jobmatch.v1.VacancyService/Upsert", vacancy_write},
      {"/jobmatch.v1.VacancyService/Delete", vacancy_write},
      {"/jobmatch.v1.VacancyService/Import", vacancy_write},
      {"/jobmatch.v1.VacancyService/Get", vacancy_read},
      {"/jobmatch.v1.VacancyService/List", vacancy_read},
      {"/jobmatch.v1.EmployerService/Upsert", vacancy_write},
      {"/jobmatch.v1.EmployerService/Delete", vacancy_write},
      {"/jobmatch.v1.EmployerService/Import", vacancy_write},
      {"/jobmatch.v1.EmployerService/Get", vacancy_read},
      {"/jobmatch.v1.EmployerService/List", vacancy_read},
      {"/jobmatch.v1.MatchService/TopVacanciesForSeeker", match_query},
      {"/jobmatch.v1.MatchService/TopSeekersForVacancy", match_query},
      {"/jobmatch.v1.MatchService/Explain", match_query},
      {"/jobmatch.v1.MatchService/WhyNot", match_query},
      {"/jobmatch.v1.MatchService/GetPolicy", match_query},
      {"/jobmatch.v1.MatchService/WatchChanges", change_feed},
      {"/jobmatch.v1.MatchService/RecordFeedback", feedback},
      {"/jobmatch.v1.MatchService/ListFeedback", feedback},
      {"/jobmatch.v1.PlacementHistoryService/Import", history_import},
      {"/jobmatch.v1.UpskillingService/SkillGaps", match_query},
      {"/jobmatch.v1.EmployerBridgeService/Bridge", match_query},
      {"/jobmatch.v1.UpskillingService/UpskillingPlan", match_query},
      {"/jobmatch.v1.RematchService/StartRematch", rematch_run},
      {"/jobmatch.v1.RematchService/GetRematchRun", rematch_read},
      {"/jobmatch.v1.RematchService/GetRematchMatches", rematch_read},
      {"/jobmatch.v1.RematchService/GetRematchReport", rematch_read},
      {"/jobmatch.v1.RematchService/WatchRematchRun", rematch_read},
      {"/jobmatch.v1.AdminService/CreateBackup", admin_only},
      {"/jobmatch.v1.CandidateService/ListShortlistedCandidates", employer_view},
      {"/jobmatch.v1.AuditService/ListAuditEntries", audit_log},
      {"/jobmatch.v1.AuditService/ListSeekerAccess", audit_log},
      {"/jobmatch.v1.AuditService/VerifyAuditChain", audit_log},
      {"/jobmatch.v1.AuditService/Replay", audit_log},
  };
  return FromTable(std::move(table), "jobmatch.v1", "jobmatch-authz-1");
}

MethodPolicy MethodPolicy::FromTable(std::vector<std::pair<std::string, RoleSet>> table,
                                     std::string_view package, std::string version) {
  MethodPolicy policy;
  for (auto& [method, roles] : table) policy.table_[method] = roles;
  policy.enumerated_ = EnumerateRpcs(package);
  policy.version_ = std::move(version);
  return policy;
}

bool MethodPolicy::IsOpen(std::string_view method_name) {
  const absl::string_view method(method_name.data(), method_name.size());
  return absl::StartsWith(method, "/grpc.health.v1.Health/");
}

bool MethodPolicy::IsReflection(std::string_view method_name) {
  const absl::string_view method(method_name.data(), method_name.size());
  return absl::StartsWith(method, "/grpc.reflection.v1alpha.ServerReflection/") ||
         absl::StartsWith(method, "/grpc.reflection.v1.ServerReflection/");
}

MethodPolicy::Access MethodPolicy::Check(std::string_view method, Role role) const {
  if (IsOpen(method)) return Access::kOpen;
  // Reflection serves every schema linked into the server (also the
  // internal configuration's): any authenticated caller, nobody else.
  if (IsReflection(method)) return Access::kAllowed;
  auto it = table_.find(std::string(method));
  if (it == table_.end()) return Access::kUnknownMethod;
  return it->second.Contains(role) ? Access::kAllowed : Access::kDenied;
}

std::vector<std::string> MethodPolicy::MethodsWithoutEntry() const {
  std::vector<std::string> missing;
  for (const std::string& method : enumerated_) {
    if (!table_.contains(method)) missing.push_back(method);
  }
  return missing;
}

std::vector<std::string> MethodPolicy::EntriesWithoutMethod() const {
  std::vector<std::string> stale;
  for (const auto& [method, roles] : table_) {
    if (!std::binary_search(enumerated_.begin(), enumerated_.end(), method)) {
      stale.push_back(method);
    }
  }
  std::sort(stale.begin(), stale.end());
  return stale;
}

}  // namespace jobmatch::auth
