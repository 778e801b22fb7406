// The source tree's reference data, loaded once per test binary, for the
// data generator's tests.
#ifndef JOBMATCH_TESTS_CLIENTS_REFERENCE_DATA_H_
#define JOBMATCH_TESTS_CLIENTS_REFERENCE_DATA_H_

#include "matcher/reference_data.h"

namespace jobmatch::datagen::testing {

inline const matcher::ReferenceData& Data() {
  static const matcher::ReferenceData* data =
      matcher::ReferenceData::Load(matcher::ReferenceData::SourceTreeDataDir())->release();
  return *data;
}

}  // namespace jobmatch::datagen::testing

#endif  // JOBMATCH_TESTS_CLIENTS_REFERENCE_DATA_H_
