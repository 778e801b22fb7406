// A fast printer of protobuf messages as one line of JSON, producing the same
// bytes as google::protobuf::util::MessageToJsonString with
// preserve_proto_field_names (proto field names, enums by name, 64-bit
// integers quoted, default values omitted) for the proto3 messages jobmatch
// uses: scalars, enums, strings, nested and repeated messages. It walks the
// message by reflection instead of re-parsing the binary form through a type
// resolver, which is several times faster; datagen's tests compare it with
// the library printer on every generated record.
#ifndef JOBMATCH_CLIENTS_DATAGEN_JSON_LINE_H_
#define JOBMATCH_CLIENTS_DATAGEN_JSON_LINE_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace jobmatch::datagen {

// Appends `message` as JSON to *out (no newline). Unimplemented for maps,
// bytes fields, well-known types (Any, Timestamp, ...) and proto2 groups,
// which jobmatch's records do not have; nothing is appended then.
absl::Status AppendJson(const google::protobuf::Message& message, std::string* out);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_JSON_LINE_H_
