#include "server/call_context.h"

#include <cstdio>

#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "server/request_id.h"

namespace jobmatch {
namespace {

namespace pb = google::protobuf;

absl::Status CheckBounds(const pb::Message& m, const std::string& path) {
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string name = path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          if (r->GetRepeatedStringReference(m, f, i, nullptr).size() > kMaxRequestString) {
            return absl::InvalidArgumentError(
                absl::StrCat(name, "[", i, "]: at most ", kMaxRequestString, " bytes"));
          }
        }
      } else {
        std::string scratch;
        if (r->GetStringReference(m, f, &scratch).size() > kMaxRequestString) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, ": at most ", kMaxRequestString, " bytes"));
        }
      }
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          absl::Status s = CheckBounds(r->GetRepeatedMessage(m, f, i), absl::StrCat(name, "[", i, "]"));
          if (!s.ok()) return s;
        }
      } else {
        absl::Status s = CheckBounds(r->GetMessage(m, f), name);
        if (!s.ok()) return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRequestBounds(const pb::Message& request) { return CheckBounds(request, ""); }

// --- CallContext ---

bool CallContext::MayAccess(int municipality) const {
  return !scope_ || scope_->MayAccess(municipality);
}

std::vector<int> CallContext::Narrow(const std::vector<int>& requested, bool* none_left) const {
  if (!scope_) {
    *none_left = false;
    return requested;
  }
  return scope_->Narrow(requested, none_left);
}

absl::Status CallContext::CheckSeeker(const std::string& seeker_id) const {
  if (SeesAllMunicipalities()) return absl::OkStatus();
  std::optional<int> municipality = (*municipality_of_)(seeker_id);
  if (municipality && !MayAccess(*municipality)) {
    return absl::NotFoundError(absl::StrCat("seeker ", seeker_id, ": not found"));
  }
  return absl::OkStatus();
}

bool CallContext::MaySeeSeeker(const std::string& seeker_id) const {
  if (SeesAllMunicipalities()) return true;
  std::optional<int> municipality = (*municipality_of_)(seeker_id);
  return municipality && MayAccess(*municipality);
}

void CallContext::AddSubject(storage::RecordKind kind, const std::string& id) {
  stored_names_.push_back({kind, id, "SUBJECT", entry_->records_size()});
}

void CallContext::AddReturned(storage::RecordKind kind, const std::string& id) {
  stored_names_.push_back({kind, id, "RETURNED", entry_->records_size()});
}

void CallContext::AddId(storage::RecordKind kind, const std::string& id, std::string_view use) {
  audit::Auditor::AddRecord(kind, id, 0, "", use, entry_);
}

void CallContext::AddRead(storage::RecordKind kind, const std::string& id, uint64_t version,
                          std::string_view stored_bytes) {
  audit::Auditor::AddRecord(kind, id, version, stored_bytes, "READ", entry_);
}

storage::AuditEntryFn CallContext::ForWrite(storage::RecordKind kind,
                                            std::vector<std::pair<std::string, std::string>> written,
                                            bool erase) {
  auditor_->NameStored(&stored_names_, entry_);
  storage::AuditEntryFn seal = auditor_->ForWrite(*entry_, kind, std::move(written), erase);
  return [seal = std::move(seal), state = state_](
             uint64_t sequence, const std::vector<absl::StatusOr<storage::WriteResult>>& results)
             -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> value = seal(sequence, results);
    if (value.ok()) state->audited = true;
    return value;
  };
}

CallContext CallContext::NextEntry() const {
  auto state = std::make_shared<CallState>();
  state->method = state_->method;
  state->name = state_->name;
  CallContext next(std::move(state), auditor_, scope_, now_, municipality_of_);
  next.entry_->set_method(entry_->method());
  next.entry_->set_caller_id(entry_->caller_id());
  next.entry_->set_caller_role(entry_->caller_role());
  next.entry_->set_request_id(entry_->request_id());
  return next;
}

absl::Status CallContext::Finish(const absl::Status& status) {
  if (state_->audited) return status;  // a write committed the entry, or Finish ran
  state_->audited = true;  // a failed append fails the call (Unavailable)
  auditor_->NameStored(&stored_names_, entry_);
  // Completed and sealed where it is, on the call's arena (no copy).
  return auditor_->Finish(entry_, status);
}

// --- CallContexts ---

CallContexts::CallContexts(const audit::Auditor* auditor, ScopeOfCall scope_of,
                           CallContext::MunicipalityOf municipality_of, View::ConsentOf consent_of,
                           Clock clock)
    : auditor_(auditor), scope_of_(std::move(scope_of)),
      municipality_of_(std::move(municipality_of)), consent_of_(std::move(consent_of)),
      clock_(std::move(clock)) {}

const pb::MethodDescriptor* CallContexts::JobmatchMethod(std::string_view path) {
  // "/jobmatch.v1.SeekerService/Get" -> "jobmatch.v1.SeekerService.Get"
  const std::string p(path);
  if (p.rfind("/jobmatch.v1.", 0) != 0) return nullptr;
  const size_t slash = p.find('/', 1);
  if (slash == std::string::npos) return nullptr;
  const std::string full = p.substr(1, slash - 1) + "." + p.substr(slash + 1);
  return pb::DescriptorPool::generated_pool()->FindMethodByName(full);
}

CallContext CallContexts::Begin(const grpc::CallbackServerContext* context,
                                const pb::Message& request) const {
  std::shared_ptr<CallState> state = Find(context);
  if (state == nullptr) {
    // Served without the guard (cannot happen in jobmatchd): refuse.
    state = std::make_shared<CallState>();
    state->name = "(unguarded call)";
  }
  std::optional<AccessScope> scope;
  if (scope_of_) scope = scope_of_(*context);
  CallContext call(state, auditor_, std::move(scope), clock_(), &municipality_of_);
  v1::AuditEntry& entry = *call.entry_;
  entry.set_method(state->name);
  if (call.scope_) {
    entry.set_caller_id(call.scope_->caller_id);
    entry.set_caller_role(call.scope_->role);
  } else {
    entry.set_caller_id(audit::kLocalDemoCaller);
    entry.set_caller_role("NONE");
  }
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("x-request-id"); it != metadata.end()) {
    if (auto id = PlainRequestId(std::string_view(it->second.data(), it->second.size()))) {
      entry.set_request_id(*id);
    }
  }
  if (state->method == nullptr) {
    call.refusal_ = absl::InternalError("call without a call context (no guard interceptor)");
  } else if (policy_ != nullptr && (!call.scope_ || call.scope_->role.empty())) {
    call.refusal_ = absl::UnauthenticatedError("credentials required");
  } else if (policy_ != nullptr) {
    absl::StatusOr<auth::Role> role = auth::ParseRole(call.scope_->role);
    if (!role.ok() ||
        policy_->Check(state->name, *role) != auth::MethodPolicy::Access::kAllowed) {
      call.refusal_ = absl::PermissionDeniedError(
          absl::StrCat("role ", call.scope_->role, " may not call ", state->name));
    }
  }
  if (call.refusal_.ok() && replica_ != nullptr) call.refusal_ = replica_->Check(state->name);
  if (call.refusal_.ok()) call.refusal_ = CheckRequestBounds(request);
  return call;
}

void CallContexts::Register(const grpc::ServerContextBase* context, std::shared_ptr<CallState> state) {
  absl::MutexLock lock(&mu_);
  calls_[context] = std::move(state);
}

void CallContexts::Unregister(const grpc::ServerContextBase* context) {
  absl::MutexLock lock(&mu_);
  calls_.erase(context);
}

std::shared_ptr<CallState> CallContexts::Find(const grpc::ServerContextBase* context) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(context);
  return it == calls_.end() ? nullptr : it->second;
}

class CallContexts::Guard : public grpc::experimental::Interceptor {
 public:
  Guard(CallContexts* owner, grpc::experimental::ServerRpcInfo* info, std::shared_ptr<CallState> state)
      : owner_(owner), context_(info->server_context()), state_(std::move(state)) {
    owner_->Register(context_, state_);
  }
  ~Guard() override { owner_->Unregister(context_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Unknown fields are dropped before any handler sees the request, so
      // they are never stored or returned. Every jobmatch.v1 method is
      // registered by JobmatchService with its generated request type (a
      // protobuf Message by single inheritance); a service left unregistered
      // would fail EveryRpcOfTheDescriptorsIsAuditedWithItsCaller.
      if (void* message = methods->GetRecvMessage()) {
        static_cast<pb::Message*>(message)->DiscardUnknownFields();
      }
    }
    // A handler that answered OK without an audit entry (a handler that
    // forgot its CallContext) is failed. Errors gRPC answers itself (a
    // request that does not parse) never reach a handler and pass.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        !state_->audited && methods->GetSendStatus().ok()) {
      std::fprintf(stderr, "jobmatchd: BUG: %s finished without an audit entry; failing it\n",
                   state_->name.c_str());
      methods->ModifySendStatus(grpc::Status(
          grpc::StatusCode::INTERNAL,
          absl::StrCat(state_->name, ": the call was not audited, so it is refused")));
    }
    methods->Proceed();
  }

 private:
  CallContexts* const owner_;
  const grpc::ServerContextBase* const context_;
  const std::shared_ptr<CallState> state_;
};

class CallContexts::GuardFactoryImpl
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GuardFactoryImpl(CallContexts* owner) : owner_(owner) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (info->method() == nullptr) return nullptr;
    const Named* named = Find(info->method());
    if (named == nullptr) return nullptr;  // health, reflection, unknown methods
    auto state = std::make_shared<CallState>();
    state->method = named->method;
    state->name = named->name;
    return new Guard(owner_, info, std::move(state));
  }

 private:
  struct Named {
    const pb::MethodDescriptor* method;
    std::string name;
  };
  // The method of `path` with its name, looked up in the descriptor pool
  // once per method (kept only for methods found there, so made-up paths
  // cannot grow the map); null for any other path.
  const Named* Find(const char* path) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = named_.find(path); it != named_.end()) return &it->second;
    }
    const pb::MethodDescriptor* method = JobmatchMethod(path);
    if (method == nullptr) return nullptr;
    absl::MutexLock lock(&mu_);
    return &named_
                .try_emplace(path, Named{method, absl::StrCat("/", method->service()->full_name(),
                                                              "/", method->name())})
                .first->second;
  }

  CallContexts* const owner_;
  absl::Mutex mu_;
  // Node-based: the values stay where they are as the map grows.
  absl::node_hash_map<std::string, Named> named_ ABSL_GUARDED_BY(mu_);
};

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallContexts::GuardFactory() {
  return std::make_unique<GuardFactoryImpl>(this);
}

}  // namespace jobmatch
