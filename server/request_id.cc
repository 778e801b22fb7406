#include "server/request_id.h"

namespace jobmatch {

std::optional<std::string> PlainRequestId(std::string_view value) {
  if (value.empty() || value.size() > 64) return std::nullopt;
  for (char c : value) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       c == '-' || c == '_' || c == '.' || c == ':';
    if (!plain) return std::nullopt;
  }
  return std::string(value);
}

}  // namespace jobmatch
