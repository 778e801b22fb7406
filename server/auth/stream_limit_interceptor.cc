#include "server/auth/stream_limit_interceptor.h"

#include <cstdio>

#include "grpcpp/server_context.h"

namespace jobmatch::auth {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

class StreamLimitInterceptor : public grpc::experimental::Interceptor {
 public:
  StreamLimitInterceptor(ServerRpcInfo* info, int64_t max_messages)
      : info_(info), max_messages_(max_messages) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The hook also fires for the read that finds the end of the stream,
    // with no message.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr && ++received_ == max_messages_ + 1) {
      std::fprintf(stderr, "jobmatchd: cancelling %s after %lld streamed messages (limit)\n",
                   info_->method(), static_cast<long long>(max_messages_));
      info_->server_context()->TryCancel();
    }
    methods->Proceed();
  }

 private:
  ServerRpcInfo* const info_;
  const int64_t max_messages_;
  int64_t received_ = 0;
};

class StreamLimitFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit StreamLimitFactory(int64_t max_messages) : max_messages_(max_messages) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    if (max_messages_ <= 0) return nullptr;
    if (info->type() != ServerRpcInfo::Type::CLIENT_STREAMING &&
        info->type() != ServerRpcInfo::Type::BIDI_STREAMING) {
      return nullptr;
    }
    return new StreamLimitInterceptor(info, max_messages_);
  }

 private:
  const int64_t max_messages_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeStreamLimitInterceptorFactory(int64_t max_messages) {
  return std::make_unique<StreamLimitFactory>(max_messages);
}

}  // namespace jobmatch::auth
