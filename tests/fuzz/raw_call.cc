#include "tests/fuzz/raw_call.h"

#include <cstdint>
#include <set>

#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"

namespace jobmatch::fuzz {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const grpc::Slice& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

enum Op : intptr_t { kStart = 1, kWrite, kWritesDone, kRead, kFinish };
void* Tag(Op op) { return reinterpret_cast<void*>(static_cast<intptr_t>(op)); }

// Waits up to `timeout` for operation `op`, noting any other operation that
// completes meanwhile in `done`. kTimeout if `op` did not complete.
enum class Outcome { kOk, kFailed, kTimeout };
Outcome WaitFor(grpc::CompletionQueue* cq, Op op, absl::Duration timeout, std::set<intptr_t>* done) {
  if (done->erase(op) > 0) return Outcome::kOk;
  const absl::Time until = absl::Now() + timeout;
  while (true) {
    void* tag = nullptr;
    bool ok = false;
    const auto status = cq->AsyncNext(&tag, &ok, absl::ToChronoTime(until));
    if (status != grpc::CompletionQueue::GOT_EVENT) return Outcome::kTimeout;
    if (tag == Tag(op)) return ok ? Outcome::kOk : Outcome::kFailed;
    done->insert(reinterpret_cast<intptr_t>(tag));
  }
}

// True for "/pkg.Service/Method" when the generated pool knows the method
// and it answers with one message: its reply is waited for until the
// deadline, not cut off after `read_idle` (a loaded machine answers a unary
// call in more than 50 ms).
bool AnswersOnce(const std::string& method) {
  if (method.size() < 2 || method[0] != '/') return false;
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(method.substr(1), {{"/", "."}}));
  return descriptor != nullptr && !descriptor->server_streaming();
}

}  // namespace

RawCallResult RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::vector<std::string>& requests, const RawCallOptions& options) {
  RawCallResult result;
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.deadline));
  for (const auto& [key, value] : options.metadata) context.AddMetadata(key, value);
  auto call = stub.PrepareCall(&context, method, &cq);
  std::set<intptr_t> done;
  const absl::Duration whole = options.deadline + absl::Seconds(5);
  const absl::Duration read_idle = AnswersOnce(method) ? whole : options.read_idle;
  call->StartCall(Tag(kStart));
  bool open = WaitFor(&cq, kStart, whole, &done) == Outcome::kOk;
  bool write_failed = false;
  for (size_t i = 0; open && i < requests.size(); ++i) {
    call->Write(ToBuffer(requests[i]), Tag(kWrite));
    open = WaitFor(&cq, kWrite, whole, &done) == Outcome::kOk;
    write_failed = !open;
  }
  if (open) {
    call->WritesDone(Tag(kWritesDone));
    open = WaitFor(&cq, kWritesDone, whole, &done) == Outcome::kOk;
  }
  // Reads until the server ends the stream, the stream goes idle, or enough
  // responses came.
  while (open) {
    grpc::ByteBuffer response;
    call->Read(&response, Tag(kRead));
    const Outcome read = WaitFor(&cq, kRead, read_idle, &done);
    if (read == Outcome::kTimeout) {
      context.TryCancel();
      result.cancelled_by_client = true;
      (void)WaitFor(&cq, kRead, whole, &done);
      break;
    }
    if (read != Outcome::kOk) break;
    result.responses.push_back(FromBuffer(response));
    if (static_cast<int>(result.responses.size()) >= options.max_responses) {
      context.TryCancel();
      result.cancelled_by_client = true;
      break;
    }
  }
  call->Finish(&result.status, Tag(kFinish));
  // When the server ends a client stream before reading all of it (an
  // Import whose stream held an unparseable message), the client's next
  // write fails and gRPC 1.51 may then hold the status back until the
  // deadline: after status_after_failed_write the driver cancels and notes
  // it.
  if (WaitFor(&cq, kFinish, write_failed ? options.status_after_failed_write : whole, &done) ==
      Outcome::kTimeout) {
    context.TryCancel();
    result.cancelled_by_client = true;
    result.status_withheld = true;
    (void)WaitFor(&cq, kFinish, whole, &done);
  }
  cq.Shutdown();
  void* ignored_tag = nullptr;
  bool ignored_ok = false;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  return result;
}

}  // namespace jobmatch::fuzz
