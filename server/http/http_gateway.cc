#include "server/http/http_gateway.h"

#include <civetweb.h>

#include <cstdio>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/http/get_routes.h"
#include "server/http/http_status.h"
#include "server/http/openapi.h"
#include "server/http/prompt_stop.h"

#ifndef JOBMATCH_SOURCE_DIR
#error "JOBMATCH_SOURCE_DIR must be defined"
#endif

namespace jobmatch::http {
namespace {

namespace pb = google::protobuf;

// Pages and API replies: no sniffing, no framing by other sites, scripts and
// styles from this origin only.
constexpr const char* kSecurityHeaders =
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// The credentials and request id of an HTTP request, as gRPC metadata.
CallMetadata MetadataOf(mg_connection* connection) {
  CallMetadata metadata;
  static constexpr std::pair<const char*, const char*> kForwarded[] = {
      {"X-Api-Key", "x-api-key"}, {"Authorization", "authorization"}, {"X-Request-Id", "x-request-id"}};
  for (const auto& [header, key] : kForwarded) {
    if (const char* value = mg_get_header(connection, header); value != nullptr) {
      metadata.emplace_back(key, value);
    }
  }
  return metadata;
}

// Writes the replies of one request: every reply carries `headers` (the
// security headers and how long an idle connection stays open).
class Responder {
 public:
  Responder(mg_connection* connection, absl::string_view headers)
      : connection_(connection), headers_(headers) {}

  void Json(int status, absl::string_view body, absl::string_view request_id,
            absl::string_view extra_headers = "") const {
    // One write: head and body leave in the same segments.
    std::string reply = absl::StrCat("HTTP/1.1 ", status, " ",
                                     mg_get_response_code_text(connection_, status),
                                     "\r\nContent-Type: application/json\r\nContent-Length: ",
                                     body.size(), "\r\nCache-Control: no-store\r\n");
    if (!request_id.empty()) absl::StrAppend(&reply, "X-Request-Id: ", request_id, "\r\n");
    absl::StrAppend(&reply, extra_headers, headers_, "\r\n\r\n", body);
    mg_write(connection_, reply.data(), reply.size());
  }

  int Reply(const JsonReply& reply) const {
    const int status = HttpStatusOf(reply.status.error_code());
    Json(status, reply.json, reply.request_id);
    return status;
  }

  int Error(grpc::StatusCode code, std::string message, absl::string_view extra_headers = "") const {
    const int status = HttpStatusOf(code);
    Json(status, ErrorJson(grpc::Status(code, std::move(message))), "", extra_headers);
    return status;
  }

  // The head of a newline-delimited JSON stream; `length` is "" for a
  // chunked body.
  void StreamHead(absl::string_view length) const {
    const std::string head = absl::StrCat(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n",
        length.empty() ? "Transfer-Encoding: chunked" : absl::StrCat("Content-Length: ", length),
        "\r\nCache-Control: no-store\r\n", headers_, "\r\n\r\n");
    mg_write(connection_, head.data(), head.size());
  }

  // The request body, or false (after replying) when it is too large.
  bool ReadBody(size_t max_bytes, std::string* body) const {
    const mg_request_info* info = mg_get_request_info(connection_);
    if (info->content_length > static_cast<long long>(max_bytes)) return TooLarge(max_bytes);
    char buffer[8192];
    for (;;) {
      const int n = mg_read(connection_, buffer, sizeof(buffer));
      if (n <= 0) break;
      body->append(buffer, static_cast<size_t>(n));
      if (body->size() > max_bytes) return TooLarge(max_bytes);
    }
    return true;
  }

 private:
  bool TooLarge(size_t max_bytes) const {
    Json(413,
         ErrorJson(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                absl::StrCat("request body: larger than ", max_bytes, " bytes"))),
         "");
    return false;
  }

  mg_connection* const connection_;
  const absl::string_view headers_;
};

}  // namespace

std::string HttpGateway::SourceTreeWebRoot() { return JOBMATCH_SOURCE_DIR "/clients/web"; }

HttpGateway::HttpGateway(const HttpOptions& options, std::shared_ptr<grpc::Channel> channel,
                         Authorize authorize)
    : options_(options),
      bridge_(std::move(channel), std::move(authorize)),
      openapi_(OpenApiJson(JobmatchServices(), options.version)),
      // Keep-Alive tells a pooling client (Node's fetch, say) how long an
      // idle connection stays open, so that it stops reusing it before
      // CivetWeb closes it rather than sending a request into the close.
      response_headers_(absl::StrCat(kSecurityHeaders, "\r\nKeep-Alive: timeout=",
                                     options.keep_alive_seconds)) {}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    const HttpOptions& options, std::shared_ptr<grpc::Channel> channel, Authorize authorize) {
  static const unsigned initialised = mg_init_library(0);
  (void)initialised;
  std::unique_ptr<HttpGateway> gateway(
      new HttpGateway(options, std::move(channel), std::move(authorize)));
  const std::string threads = absl::StrCat(options.threads);
  const std::string keep_alive_ms = absl::StrCat(options.keep_alive_seconds * 1000);
  std::vector<const char*> config = {"listening_ports", options.listen_address.c_str(),
                                     "num_threads", threads.c_str(),
                                     "enable_directory_listing", "no",
                                     "additional_header", gateway->response_headers_.c_str(),
                                     "enable_keep_alive", "yes",
                                     "keep_alive_timeout_ms", keep_alive_ms.c_str(),
                                     // A reply's last small write goes out at once, not
                                     // after the client's delayed ACK (~40 ms on a
                                     // kept-alive connection).
                                     "tcp_nodelay", "1"};
  if (!options.web_root.empty()) {
    config.push_back("document_root");
    config.push_back(options.web_root.c_str());
  }
  config.push_back(nullptr);
  mg_callbacks callbacks{};
  callbacks.log_message = [](const mg_connection*, const char* message) {
    std::fprintf(stderr, "jobmatchd http: %s\n", message);
    return 1;
  };
  gateway->context_ = mg_start(&callbacks, nullptr, config.data());
  if (gateway->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ",
                                               options.listen_address,
                                               ": address invalid or already in use"));
  }
  mg_server_port ports[4] = {};
  if (mg_get_server_ports(gateway->context_, 4, ports) < 1) {
    return absl::UnavailableError("HTTP server has no listening port");
  }
  gateway->port_ = ports[0].port;
  mg_set_request_handler(gateway->context_, "/", &HttpGateway::Handle, gateway.get());
  return gateway;
}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::Stop() {
  if (context_ == nullptr) return;
  StopPromptly(options_.listen_address, port_, [this] { mg_stop(context_); });
  context_ = nullptr;
}

int HttpGateway::Handle(mg_connection* connection, void* self) {
  return static_cast<HttpGateway*>(self)->HandleRequest(connection);
}

int HttpGateway::HandleRequest(mg_connection* connection) {
  const mg_request_info* info = mg_get_request_info(connection);
  const absl::string_view path = info->local_uri != nullptr ? info->local_uri : "";
  const absl::string_view verb = info->request_method != nullptr ? info->request_method : "";
  const bool get = verb == "GET" || verb == "HEAD";
  const Responder out(connection, response_headers_);

  // POST /jobmatch.v1.Service/Method: every RPC.
  if (absl::StartsWith(path, "/jobmatch.")) {
    const pb::MethodDescriptor* method = RpcBridge::FindMethod(path);
    if (method == nullptr) {
      return out.Error(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat("no method ", path, " in jobmatch.v1 (see /openapi.json)"));
    }
    if (verb != "POST") {
      return out.Error(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat(path, ": use POST with a JSON body"), "Allow: POST\r\n");
    }
    // JSON only (curl -d's form type is taken as JSON too); the binary
    // protobuf and gRPC-Web types are the gRPC port's.
    const char* type = mg_get_header(connection, "Content-Type");
    if (type != nullptr && (absl::StrContains(absl::AsciiStrToLower(type), "proto") ||
                            absl::StrContains(absl::AsciiStrToLower(type), "grpc"))) {
      out.Json(415,
               ErrorJson(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                      absl::StrCat("Content-Type ", type,
                                                   ": send application/json (newline-delimited "
                                                   "for streaming methods)"))),
               "");
      return 415;
    }
    std::string body;
    if (!out.ReadBody(options_.max_body_bytes, &body)) return 413;
    const CallMetadata metadata = MetadataOf(connection);
    if (method->server_streaming()) {
      std::unique_ptr<pb::Message> request = RpcBridge::NewMessage(*method->input_type());
      if (grpc::Status s = RpcBridge::ParseJson(body, request.get()); !s.ok()) {
        return out.Reply(JsonReply{s, ErrorJson(s), ""});
      }
      bool started = false;
      JsonReply end = bridge_.CallStreaming(
          *method, *request, metadata, [&](const std::string& json) {
            if (!started) {
              started = true;
              out.StreamHead("");
            }
            const std::string line = json + "\n";
            return mg_send_chunk(connection, line.data(), static_cast<unsigned>(line.size())) > 0;
          });
      if (!started) {
        if (end.status.ok()) {
          out.StreamHead("0");
          return 200;
        }
        return out.Reply(end);
      }
      if (!end.status.ok()) {
        const std::string line = absl::StrCat("{\"error\":", end.json, "}\n");
        mg_send_chunk(connection, line.data(), static_cast<unsigned>(line.size()));
      }
      mg_send_chunk(connection, "", 0);
      return 200;
    }
    return out.Reply(bridge_.Call(*method, body, metadata));
  }

  if (path == "/openapi.json") {
    if (!get) return out.Error(grpc::StatusCode::UNIMPLEMENTED, "use GET", "Allow: GET\r\n");
    out.Json(200, openapi_, "");
    return 200;
  }

  // GET /v1/...: the readable routes.
  if (absl::StartsWith(path, "/v1/")) {
    std::vector<std::pair<std::string, std::string>> values;
    const GetRoute* route = MatchGetRoute(path, &values);
    if (route == nullptr) {
      return out.Error(grpc::StatusCode::NOT_FOUND,
                       absl::StrCat("no route ", path, " (see /openapi.json)"));
    }
    if (!get) {
      return out.Error(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat(path, ": use GET, or POST ", route->method), "Allow: GET\r\n");
    }
    const pb::MethodDescriptor* method = RpcBridge::FindMethod(route->method);
    std::unique_ptr<pb::Message> request = RpcBridge::NewMessage(*method->input_type());
    if (info->query_string != nullptr) {
      for (const auto& kv : ParseQuery(info->query_string)) values.push_back(kv);
    }
    for (const auto& [name, value] : values) {
      if (grpc::Status s = SetFieldFromText(name, value, request.get()); !s.ok()) {
        return out.Reply(JsonReply{s, ErrorJson(s), ""});
      }
    }
    return out.Reply(bridge_.CallWith(*method, *request, MetadataOf(connection)));
  }

  if (options_.web_root.empty() || !get) {
    return out.Error(grpc::StatusCode::NOT_FOUND, absl::StrCat("no page ", path));
  }
  return 0;  // a static file of the workspace: CivetWeb serves it from web_root
}

}  // namespace jobmatch::http
