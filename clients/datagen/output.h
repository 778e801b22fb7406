// Where generated records go: JSON Lines files (protobuf JSON as json_line.h
// prints it, one record per line, importable with `jobmatch import KIND
// FILE`) and/or a RocksDB data folder written through storage::Store, as
// jobmatchd would have stored them.
#ifndef JOBMATCH_CLIENTS_DATAGEN_OUTPUT_H_
#define JOBMATCH_CLIENTS_DATAGEN_OUTPUT_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/datagen/generator.h"
#include "clients/datagen/placement_history.h"
#include "storage/store.h"

namespace jobmatch::datagen {

struct OutputOptions {
  // Write seekers.jsonl, vacancies.jsonl and employers.jsonl here (created if
  // missing; existing files are replaced), and placements.jsonl, the
  // placement histories (placement_history.h; `jobmatch import placements`).
  // Empty: no files.
  std::string out_dir;
  // The model of the placement histories in out_dir.
  PlacementModel placements;
  // Write the records into this store (not owned; may be null).
  storage::Store* store = nullptr;
  // Records per PutBatch (one synced RocksDB write each).
  size_t batch_size = 4096;
  // Recorded as the records' update time in the store.
  absl::Time now = absl::UnixEpoch();
};

struct OutputCounts {
  size_t employers = 0;
  size_t seekers = 0;
  size_t vacancies = 0;
  size_t placement_events = 0;  // lines of placements.jsonl
};

// Writes every placement history event of `generator` to `path` as JSON
// Lines (one jobmatch.v1.Feedback per line); returns the number of events.
absl::StatusOr<size_t> WritePlacements(const Generator& generator, const PlacementModel& model,
                                       const std::string& path);

// Streams every record of `generator` to the outputs: employers, then
// seekers, then vacancies, then (files only) the placement histories. Returns the first error (a file that cannot be
// written, a rejected store write), naming the file or record.
absl::StatusOr<OutputCounts> WriteDataSet(const Generator& generator, const OutputOptions& options);

}  // namespace jobmatch::datagen

#endif  // JOBMATCH_CLIENTS_DATAGEN_OUTPUT_H_
