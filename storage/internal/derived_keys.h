// storage/internal/derived_keys.h: where data derived from a record lives.
// Private to storage/ (see db.h).
//
// Everything kept about a record outside its own column family (its nightly
// match lists in the matches family, a seeker's feedback in the feedback
// family) has a key under DerivedPrefix(kind, id) = "<kind>/<escaped id>/",
// so that erasing the record (Store::Delete) erases all of it with one
// DeleteRange per family. The id is escaped ('%' -> "%25", '/' -> "%2F") so
// the prefix of one id is never a prefix of another id's keys: without it
// "seeker/a/" would also cover the keys of a seeker "a/b". The API's ids
// contain neither character, so their keys are the same bytes as before
// escaping existed (no migration).
#ifndef JOBMATCH_STORAGE_INTERNAL_DERIVED_KEYS_H_
#define JOBMATCH_STORAGE_INTERNAL_DERIVED_KEYS_H_

#include <string>
#include <string_view>

#include "storage/store.h"

namespace jobmatch::storage::internal {

std::string DerivedPrefix(RecordKind kind, std::string_view id);
// "<kind>/": the start of every DerivedPrefix of that kind.
std::string DerivedKindPrefix(RecordKind kind);

}  // namespace jobmatch::storage::internal

#endif  // JOBMATCH_STORAGE_INTERNAL_DERIVED_KEYS_H_
