#include "server/http/openapi.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/http/get_routes.h"
#include "server/http/rpc_bridge.h"

#ifndef JOBMATCH_V1_PROTO_FILES
#error "JOBMATCH_V1_PROTO_FILES (comma-separated jobmatch/v1/*.proto) must be defined"
#endif

namespace jobmatch::http {
namespace {

namespace pb = google::protobuf;

pb::Value Str(const std::string& s) {
  pb::Value v;
  v.set_string_value(s);
  return v;
}
pb::Value Obj() {
  pb::Value v;
  v.mutable_struct_value();
  return v;
}
pb::Value& At(pb::Value& v, const std::string& key) {
  return (*v.mutable_struct_value()->mutable_fields())[key];
}
void Set(pb::Value& v, const std::string& key, const std::string& s) { At(v, key) = Str(s); }
pb::Value Ref(const pb::Descriptor& type) {
  pb::Value v = Obj();
  Set(v, "$ref", absl::StrCat("#/components/schemas/", type.full_name()));
  return v;
}

pb::Value FieldSchema(const pb::FieldDescriptor& field, std::vector<const pb::Descriptor*>* todo);

pb::Value ScalarSchema(const pb::FieldDescriptor& field, std::vector<const pb::Descriptor*>* todo) {
  pb::Value s = Obj();
  switch (field.type()) {
    case pb::FieldDescriptor::TYPE_INT32:
    case pb::FieldDescriptor::TYPE_SINT32:
    case pb::FieldDescriptor::TYPE_SFIXED32:
      Set(s, "type", "integer");
      Set(s, "format", "int32");
      break;
    case pb::FieldDescriptor::TYPE_UINT32:
    case pb::FieldDescriptor::TYPE_FIXED32:
      Set(s, "type", "integer");
      Set(s, "format", "int64");
      At(s, "minimum").set_number_value(0);
      break;
    case pb::FieldDescriptor::TYPE_INT64:
    case pb::FieldDescriptor::TYPE_SINT64:
    case pb::FieldDescriptor::TYPE_SFIXED64:
    case pb::FieldDescriptor::TYPE_UINT64:
    case pb::FieldDescriptor::TYPE_FIXED64:
      // The protobuf JSON mapping writes 64-bit integers as strings.
      Set(s, "type", "string");
      Set(s, "format", field.type() == pb::FieldDescriptor::TYPE_UINT64 ||
                               field.type() == pb::FieldDescriptor::TYPE_FIXED64
                           ? "uint64"
                           : "int64");
      break;
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FLOAT:
      Set(s, "type", "number");
      break;
    case pb::FieldDescriptor::TYPE_BOOL:
      Set(s, "type", "boolean");
      break;
    case pb::FieldDescriptor::TYPE_STRING:
      Set(s, "type", "string");
      break;
    case pb::FieldDescriptor::TYPE_BYTES:
      Set(s, "type", "string");
      Set(s, "format", "byte");
      break;
    case pb::FieldDescriptor::TYPE_ENUM: {
      Set(s, "type", "string");
      pb::Value& values = At(s, "enum");
      values.mutable_list_value();
      for (int i = 0; i < field.enum_type()->value_count(); ++i) {
        *values.mutable_list_value()->add_values() = Str(field.enum_type()->value(i)->name());
      }
      break;
    }
    case pb::FieldDescriptor::TYPE_MESSAGE:
    case pb::FieldDescriptor::TYPE_GROUP:
      todo->push_back(field.message_type());
      return Ref(*field.message_type());
  }
  return s;
}

pb::Value FieldSchema(const pb::FieldDescriptor& field, std::vector<const pb::Descriptor*>* todo) {
  if (field.is_map()) {
    pb::Value s = Obj();
    Set(s, "type", "object");
    At(s, "additionalProperties") = ScalarSchema(*field.message_type()->map_value(), todo);
    return s;
  }
  if (field.is_repeated()) {
    pb::Value s = Obj();
    Set(s, "type", "array");
    At(s, "items") = ScalarSchema(field, todo);
    return s;
  }
  return ScalarSchema(field, todo);
}

pb::Value MessageSchema(const pb::Descriptor& type, std::vector<const pb::Descriptor*>* todo) {
  pb::Value s = Obj();
  Set(s, "type", "object");
  pb::Value& properties = At(s, "properties");
  properties = Obj();
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor& field = *type.field(i);
    At(properties, field.json_name()) = FieldSchema(field, todo);
  }
  At(s, "additionalProperties").set_bool_value(false);
  return s;
}

pb::Value JsonContent(const std::string& media_type, pb::Value schema) {
  pb::Value content = Obj();
  pb::Value& media = At(content, media_type);
  media = Obj();
  At(media, "schema") = std::move(schema);
  return content;
}

pb::Value ErrorResponse() {
  pb::Value r = Obj();
  Set(r, "description", "The gRPC status as HTTP status (Google API design guide mapping)");
  pb::Value ref = Obj();
  Set(ref, "$ref", "#/components/schemas/Error");
  At(r, "content") = JsonContent("application/json", ref);
  return r;
}

pb::Value Operation(const pb::MethodDescriptor& method, std::vector<const pb::Descriptor*>* todo) {
  pb::Value op = Obj();
  Set(op, "operationId", absl::StrCat(method.service()->name(), "_", method.name()));
  pb::Value& tags = At(op, "tags");
  *tags.mutable_list_value()->add_values() = Str(method.service()->full_name());
  todo->push_back(method.input_type());
  todo->push_back(method.output_type());
  pb::Value ok = Obj();
  if (method.server_streaming()) {
    Set(ok, "description", absl::StrCat("Newline-delimited JSON, one ",
                                        method.output_type()->full_name(),
                                        " a line; an error after the first line ends the stream "
                                        "with a line {\"error\":{\"code\",\"message\"}}"));
    At(ok, "content") = JsonContent("application/x-ndjson", Ref(*method.output_type()));
  } else {
    Set(ok, "description", method.output_type()->full_name());
    At(ok, "content") = JsonContent("application/json", Ref(*method.output_type()));
  }
  pb::Value& responses = At(op, "responses");
  responses = Obj();
  At(responses, "200") = std::move(ok);
  At(responses, "default") = ErrorResponse();
  return op;
}

pb::Value SecurityList() {
  pb::Value list;
  for (const char* scheme : {"apiKey", "bearer"}) {
    pb::Value item = Obj();
    At(item, scheme).mutable_list_value();
    *list.mutable_list_value()->add_values() = item;
  }
  return list;
}

}  // namespace

std::vector<const pb::ServiceDescriptor*> JobmatchServices() {
  std::vector<const pb::ServiceDescriptor*> services;
  for (absl::string_view name : absl::StrSplit(JOBMATCH_V1_PROTO_FILES, ',', absl::SkipEmpty())) {
    const pb::FileDescriptor* file =
        pb::DescriptorPool::generated_pool()->FindFileByName(std::string(name));
    if (file == nullptr) continue;  // not linked into this binary
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

std::string OpenApiJson(const std::vector<const pb::ServiceDescriptor*>& services,
                        const std::string& version) {
  std::vector<const pb::Descriptor*> todo;
  pb::Value doc = Obj();
  Set(doc, "openapi", "3.0.3");
  pb::Value& info = At(doc, "info");
  info = Obj();
  Set(info, "title", "jobmatch API (JSON over HTTP)");
  Set(info, "version", version);
  Set(info, "description",
      "Every RPC of jobmatch.v1 as POST /<package.Service>/<Method> with the protobuf JSON "
      "mapping (the Connect protocol's unary convention); client-streaming methods take "
      "newline-delimited JSON; plus GET routes for the common reads. Same authentication, "
      "scope, audit and limits as the gRPC port. See docs/api.md.");
  pb::Value& paths = At(doc, "paths");
  paths = Obj();
  for (const pb::ServiceDescriptor* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      const pb::MethodDescriptor& method = *service->method(m);
      pb::Value op = Operation(method, &todo);
      pb::Value body = Obj();
      At(body, "required").set_bool_value(!method.client_streaming() ? false : true);
      At(body, "content") = JsonContent(
          method.client_streaming() ? "application/x-ndjson" : "application/json",
          Ref(*method.input_type()));
      At(op, "requestBody") = std::move(body);
      pb::Value item = Obj();
      At(item, "post") = std::move(op);
      At(paths, absl::StrCat("/", service->full_name(), "/", method.name())) = std::move(item);
    }
  }
  for (const GetRoute& route : GetRoutes()) {
    const pb::MethodDescriptor* method = RpcBridge::FindMethod(route.method);
    if (method == nullptr) continue;
    pb::Value op = Operation(*method, &todo);
    Set(op, "operationId", absl::StrCat("get_", method->service()->name(), "_", method->name()));
    Set(op, "summary", route.summary);
    Set(op, "description",
        absl::StrCat("Calls ", route.method, "; query parameters set request fields by name "
                     "(dotted for nested fields, repeated or comma-separated for lists)."));
    pb::Value& parameters = At(op, "parameters");
    parameters.mutable_list_value();
    for (absl::string_view segment : absl::StrSplit(route.pattern, '/')) {
      if (segment.size() < 3 || segment.front() != '{') continue;
      pb::Value p = Obj();
      Set(p, "name", std::string(segment.substr(1, segment.size() - 2)));
      Set(p, "in", "path");
      At(p, "required").set_bool_value(true);
      pb::Value schema = Obj();
      Set(schema, "type", "string");
      At(p, "schema") = schema;
      *parameters.mutable_list_value()->add_values() = p;
    }
    pb::Value item = Obj();
    At(item, "get") = std::move(op);
    At(paths, route.pattern) = std::move(item);
  }
  pb::Value& components = At(doc, "components");
  components = Obj();
  pb::Value& schemas = At(components, "schemas");
  schemas = Obj();
  std::set<std::string> done;
  while (!todo.empty()) {
    const pb::Descriptor* type = todo.back();
    todo.pop_back();
    if (!done.insert(type->full_name()).second) continue;
    At(schemas, type->full_name()) = MessageSchema(*type, &todo);
  }
  pb::Value error = Obj();
  Set(error, "type", "object");
  pb::Value& props = At(error, "properties");
  props = Obj();
  pb::Value code = Obj();
  Set(code, "type", "string");
  Set(code, "description", "The gRPC status code in lower case, e.g. invalid_argument");
  At(props, "code") = code;
  pb::Value message = Obj();
  Set(message, "type", "string");
  Set(message, "description", "The same message as over gRPC: names the field and the rule");
  At(props, "message") = message;
  At(schemas, "Error") = error;
  pb::Value& schemes = At(components, "securitySchemes");
  schemes = Obj();
  pb::Value key = Obj();
  Set(key, "type", "apiKey");
  Set(key, "in", "header");
  Set(key, "name", "X-Api-Key");
  At(schemes, "apiKey") = key;
  pb::Value bearer = Obj();
  Set(bearer, "type", "http");
  Set(bearer, "scheme", "bearer");
  At(schemes, "bearer") = bearer;
  At(doc, "security") = SecurityList();
  std::string json;
  (void)pb::util::MessageToJsonString(doc, &json);
  return json;
}

}  // namespace jobmatch::http
