#include "storage/internal/derived_keys.h"

namespace jobmatch::storage::internal {

std::string DerivedKindPrefix(RecordKind kind) {
  std::string prefix(RecordKindName(kind));
  prefix.push_back('/');
  return prefix;
}

std::string DerivedPrefix(RecordKind kind, std::string_view id) {
  std::string prefix = DerivedKindPrefix(kind);
  prefix.reserve(prefix.size() + id.size() + 1);
  for (char c : id) {
    if (c == '%') {
      prefix.append("%25");
    } else if (c == '/') {
      prefix.append("%2F");
    } else {
      prefix.push_back(c);
    }
  }
  prefix.push_back('/');
  return prefix;
}

}  // namespace jobmatch::storage::internal
