// One context per RPC, built from the method's descriptor: who is calling
// (caller and municipality scope), what it may see (View), its audit entry
// and the clock. CallContexts makes them and is the one place where
//   - a call is named: by its method descriptor, never by a typed string;
//   - the scope rule is applied (MayAccess, CheckSeeker, Narrow);
//   - a call is audited: Finish() appends the entry, or a write commits it in
//     its own storage batch (ForWrite); a call whose entry cannot be written
//     fails and returns nothing;
//   - a response passes through the caller's view (Unary());
//   - a request is bounded: unknown fields are dropped (Guard) and every
//     string is at most kMaxRequestString bytes (Begin).
// The guard interceptor (GuardFactory) sees every call of package
// jobmatch.v1: it records the call's method for Begin() and fails with
// INTERNAL any such call whose handler did not audit it, so a new RPC cannot
// be served unaudited (CallContextTest checks every RPC of the descriptors).
#ifndef JOBMATCH_SERVER_CALL_CONTEXT_H_
#define JOBMATCH_SERVER_CALL_CONTEXT_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"
#include "jobmatch/v1/audit_service.pb.h"
#include "server/access_scope.h"
#include "server/audit/auditor.h"
#include "server/auth/method_policy.h"
#include "server/grpc_status.h"
#include "server/replica_policy.h"
#include "server/view.h"
#include "storage/store.h"

namespace jobmatch {

// Longest string (or bytes) field any request may carry.
inline constexpr size_t kMaxRequestString = 1024;

// InvalidArgument naming the first string field of `request` (recursively,
// e.g. "seeker.skills[3].esco_uri") longer than kMaxRequestString bytes.
absl::Status CheckRequestBounds(const google::protobuf::Message& request);

// What the guard and the handler share about one call.
struct CallState {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string name;  // "/jobmatch.v1.SeekerService/Get"
  std::atomic<bool> audited{false};
};

class CallContext {
 public:
  using MunicipalityOf = std::function<std::optional<int>(const std::string& seeker_id)>;

  // The method's full name ("/jobmatch.v1.SeekerService/Get") and descriptor.
  const std::string& method() const { return state_->name; }
  const google::protobuf::MethodDescriptor* descriptor() const { return state_->method; }
  // The caller; nullopt on a server without authentication (nothing is
  // restricted then).
  const std::optional<AccessScope>& scope() const { return scope_; }
  const View& view() const { return view_; }
  // The call's time: queries are computed as of it.
  absl::Time now() const { return now_; }
  // A request the edge refused (string too long): the handler must not run.
  const absl::Status& refusal() const { return refusal_; }

  // The scope rule. True when the caller may read and write seekers of
  // `municipality` (always without authentication).
  bool MayAccess(int municipality) const;
  bool SeesAllMunicipalities() const { return !scope_ || scope_->all_municipalities; }
  // `requested` municipalities (empty = all) narrowed to the caller's scope;
  // *none_left when nothing of them is in scope.
  std::vector<int> Narrow(const std::vector<int>& requested, bool* none_left) const;
  // OK, or NotFound "seeker <id>: not found" for a seeker outside the scope:
  // it reads exactly like a missing one.
  absl::Status CheckSeeker(const std::string& seeker_id) const;
  // Stricter, for lists of stored ids: the seeker is known and in scope.
  bool MaySeeSeeker(const std::string& seeker_id) const;

  // The audit entry (method, caller, request id already set). Records
  // named by AddSubject/AddReturned are not in it until Finish or ForWrite.
  v1::AuditEntry* entry() { return entry_; }
  // Names a record the call is about / returned, by its version and content
  // hash as stored when the entry is completed (Finish or ForWrite: all
  // such records are looked up together then, Auditor::NameStored).
  void AddSubject(storage::RecordKind kind, const std::string& id);
  void AddReturned(storage::RecordKind kind, const std::string& id);
  // Names a record by id only (version 0, no hash).
  void AddId(storage::RecordKind kind, const std::string& id, std::string_view use);
  // Names a record read, with the hash of its stored bytes.
  void AddRead(storage::RecordKind kind, const std::string& id, uint64_t version,
               std::string_view stored_bytes);
  // The storage callback that commits this call's entry in a write's own
  // batch: `written` = (id, stored bytes) in request order; `erase` for an
  // erasure of one record. Marks the call audited once committed.
  storage::AuditEntryFn ForWrite(storage::RecordKind kind,
                                 std::vector<std::pair<std::string, std::string>> written,
                                 bool erase = false);
  // For a stream that audits what it sends batch by batch (the change feed):
  // the context of one more entry of the same call, with this one's method,
  // caller, request id and view, no records, not yet appended. Call it
  // before Finish(), which hands this entry over.
  CallContext NextEntry() const;
  // Appends the entry with `status`'s code unless a write committed it.
  // Returns `status`, or Unavailable when the entry could not be written:
  // the call must then fail and return nothing.
  absl::Status Finish(const absl::Status& status);

 private:
  friend class CallContexts;
  CallContext(std::shared_ptr<CallState> state, const audit::Auditor* auditor,
              std::optional<AccessScope> scope, absl::Time now, const MunicipalityOf* municipality_of)
      : state_(std::move(state)), auditor_(auditor), scope_(std::move(scope)),
        view_(View::Of(scope_)), now_(now), municipality_of_(municipality_of),
        arena_(std::make_unique<EntryArena>()),
        entry_(google::protobuf::Arena::CreateMessage<v1::AuditEntry>(&arena_->arena)) {}

  // The entry's arena, starting in a block of its own: a query's entry
  // (about 20 records named, its ranking) is built, sealed and freed
  // without a malloc per field (docs/benchmarks.md, "Where a call's time
  // goes"). On the heap so that a CallContext can move.
  struct EntryArena {
    EntryArena() : arena(Options(block, sizeof(block))) {}
    static google::protobuf::ArenaOptions Options(char* block, size_t size) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = size;
      return options;
    }
    alignas(8) char block[8192];
    google::protobuf::Arena arena;
  };

  std::shared_ptr<CallState> state_;
  const audit::Auditor* auditor_;
  std::optional<AccessScope> scope_;
  View view_;
  absl::Time now_;
  const MunicipalityOf* municipality_of_;
  std::unique_ptr<EntryArena> arena_;
  v1::AuditEntry* entry_;  // on *arena_
  // Named by AddSubject/AddReturned, stamped when the entry is completed.
  std::vector<audit::Auditor::StoredName> stored_names_;
  absl::Status refusal_;
};

class CallContexts {
 public:
  using Clock = std::function<absl::Time()>;
  // Not owned; must outlive this. `scope_of` null = no authentication.
  // `municipality_of` finds a seeker's municipality (nullopt: unknown);
  // `consent_of` whether a seeker consented to share needs.
  CallContexts(const audit::Auditor* auditor, ScopeOfCall scope_of,
               CallContext::MunicipalityOf municipality_of, View::ConsentOf consent_of,
               Clock clock = absl::Now);

  // With authentication: Begin() also refuses a call whose caller was not
  // identified (UNAUTHENTICATED) or whose role `policy` does not allow
  // (PERMISSION_DENIED). The auth processor decides this before any handler
  // on a network port; this second check covers calls that reach handlers
  // without it (an in-process channel). Set before serving.
  void RequireAuthorisation(const auth::MethodPolicy* policy) { policy_ = policy; }
  // A read replica: Begin() also refuses the calls `replica` does not serve
  // (writes, FAILED_PRECONDITION naming the primary). Set before serving.
  void ServeAsReplica(const ReplicaPolicy* replica) { replica_ = replica; }

  // The context of a call of a jobmatch.v1 method (the guard named it).
  // With a refusal() when `request` breaks the edge's bounds.
  CallContext Begin(const grpc::CallbackServerContext* context,
                    const google::protobuf::Message& request) const;

  // A unary RPC: Begin, then `body` unless the request was refused, then
  // Finish (audit), then the caller's view over `response` (cleared when the
  // call fails). Handlers are `return calls.Unary(context, request,
  // response, [&](CallContext& call) { ...convert and call...; });`.
  template <typename Request, typename Response, typename Body>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, const Request* request,
                                  Response* response, Body&& body) const {
    CallContext call = Begin(context, *request);
    absl::Status status = call.refusal();
    if (status.ok()) status = body(call);
    status = call.Finish(status);
    if (status.ok()) {
      call.view().Apply(*request, response, consent_of_);
    } else {
      response->Clear();
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }

  // The view of `call` over `response` (for streamed messages).
  void ApplyView(const CallContext& call, const google::protobuf::Message& request,
                 google::protobuf::Message* response) const {
    call.view().Apply(request, response, consent_of_);
  }

  // The guard interceptor: install on the server (ServerBuilder).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> GuardFactory();

  // The descriptor of a method path "/jobmatch.v1.Service/Method"; null for
  // any other path.
  static const google::protobuf::MethodDescriptor* JobmatchMethod(std::string_view path);

 private:
  class Guard;
  class GuardFactoryImpl;
  void Register(const grpc::ServerContextBase* context, std::shared_ptr<CallState> state);
  void Unregister(const grpc::ServerContextBase* context);
  std::shared_ptr<CallState> Find(const grpc::ServerContextBase* context) const;

  const audit::Auditor* const auditor_;
  const ScopeOfCall scope_of_;
  const CallContext::MunicipalityOf municipality_of_;
  const View::ConsentOf consent_of_;
  const Clock clock_;
  const auth::MethodPolicy* policy_ = nullptr;
  const ReplicaPolicy* replica_ = nullptr;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::shared_ptr<CallState>> calls_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_CALL_CONTEXT_H_
