// Which roles may call which RPC. The table is keyed by full method name
// ("/jobmatch.v1.SeekerService/Upsert") and checked against the RPCs that the
// generated descriptor pool holds for package jobmatch.v1, so an RPC added to
// the API without a table entry is denied to every role (and
// MethodsWithoutEntry() names it, which the authorisation test asserts is
// empty). Health and reflection are open to everyone, unauthenticated.
#ifndef JOBMATCH_SERVER_AUTH_METHOD_POLICY_H_
#define JOBMATCH_SERVER_AUTH_METHOD_POLICY_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "server/auth/role.h"

namespace jobmatch::auth {

// A set of roles, as a bit mask.
class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles);
  bool Contains(Role role) const { return (bits_ & Bit(role)) != 0; }

 private:
  static uint32_t Bit(Role role) { return 1u << static_cast<int>(role); }
  uint32_t bits_ = 0;
};

class MethodPolicy {
 public:
  enum class Access {
    kOpen,           // no credentials needed (health)
    kAllowed,        // the role may call it
    kDenied,         // the role may not call it
    kUnknownMethod,  // no table entry: denied to every role
  };

  // jobmatch's policy (docs/security.md): case system = seekers; vacancy
  // feed = vacancies and employers; consultant = reads, match queries,
  // feedback; batch = rematch runs, reads, the change feed; admin = all.
  // Its RPC list is enumerated from package jobmatch.v1 in the generated pool
  // (only files linked into the binary are there).
  static MethodPolicy Default();

  // A policy from an explicit table, checked against the RPCs of `package`
  // in the generated descriptor pool.
  static MethodPolicy FromTable(std::vector<std::pair<std::string, RoleSet>> table,
                                std::string_view package, std::string version);

  Access Check(std::string_view method, Role role) const;
  // Health: open to everyone, unauthenticated.
  static bool IsOpen(std::string_view method);
  // Server reflection: every authenticated caller, whatever its role.
  static bool IsReflection(std::string_view method);

  // Every RPC of the package in the generated pool, as full method names.
  const std::vector<std::string>& EnumeratedMethods() const { return enumerated_; }
  // Enumerated RPCs without a table entry (denied to all): must be empty.
  std::vector<std::string> MethodsWithoutEntry() const;
  // Table entries naming no enumerated RPC (stale): should be empty.
  std::vector<std::string> EntriesWithoutMethod() const;
  // Names this table in logs and (later) audit records.
  const std::string& version() const { return version_; }

 private:
  absl::flat_hash_map<std::string, RoleSet> table_;
  std::vector<std::string> enumerated_;
  std::string version_;
};

// The full method names of every RPC of `package` in the generated
// descriptor pool, sorted.
std::vector<std::string> EnumerateRpcs(std::string_view package);

}  // namespace jobmatch::auth

#endif  // JOBMATCH_SERVER_AUTH_METHOD_POLICY_H_
