#include "clients/datagen/output.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/datagen/json_line.h"

namespace jobmatch::datagen {
namespace {

// One record kind's destinations. Errors are kept and reported by Finish.
class Sink {
 public:
  Sink(const OutputOptions& options, const std::string& file_name, storage::RecordKind kind)
      : options_(options), kind_(kind) {
    if (!options.out_dir.empty()) {
      path_ = options.out_dir + "/" + file_name;
      file_ = std::fopen(path_.c_str(), "wb");
      if (file_ == nullptr) status_ = absl::InternalError(absl::StrCat(path_, ": cannot create"));
    }
  }
  ~Sink() {
    if (file_ != nullptr) std::fclose(file_);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void Add(const google::protobuf::Message& m, const std::string& id) {
    if (!status_.ok()) return;
    ++count_;
    if (file_ != nullptr) {
      line_.clear();
      if (auto s = AppendJson(m, &line_); !s.ok()) {
        status_ = absl::Status(s.code(), absl::StrCat(path_, ": ", id, ": ", s.message()));
        return;
      }
      line_.push_back('\n');
      if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
        status_ = absl::InternalError(absl::StrCat(path_, ": write failed"));
        return;
      }
    }
    if (options_.store != nullptr) {
      batch_.push_back({id, m.SerializeAsString(), std::nullopt});
      if (batch_.size() >= options_.batch_size) Flush();
    }
  }

  absl::StatusOr<size_t> Finish() {
    Flush();
    if (file_ != nullptr) {
      const bool failed = std::fclose(file_) != 0;
      file_ = nullptr;
      if (failed && status_.ok()) status_ = absl::InternalError(absl::StrCat(path_, ": close failed"));
    }
    if (!status_.ok()) return status_;
    return count_;
  }

 private:
  void Flush() {
    if (options_.store == nullptr || batch_.empty() || !status_.ok()) return;
    std::vector<std::string> ids;
    ids.reserve(batch_.size());
    for (const auto& request : batch_) ids.push_back(request.id);
    const auto results = options_.store->PutBatch(kind_, std::move(batch_), options_.now);
    batch_.clear();
    for (size_t i = 0; i < results.size(); ++i) {
      if (!results[i].ok()) {
        status_ = absl::Status(results[i].status().code(),
                               absl::StrCat(std::string(storage::RecordKindName(kind_)), " ", ids[i], ": ",
                                            results[i].status().message()));
        return;
      }
    }
  }

  const OutputOptions& options_;
  const storage::RecordKind kind_;
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string line_;  // reused
  std::vector<storage::PutRequest> batch_;
  size_t count_ = 0;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<OutputCounts> WriteDataSet(const Generator& generator, const OutputOptions& options) {
  if (!options.out_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.out_dir, error);
    if (error) return absl::InternalError(absl::StrCat(options.out_dir, ": ", error.message()));
  }
  OutputCounts counts;
  {
    Sink sink(options, "employers.jsonl", storage::RecordKind::kEmployer);
    generator.Employers([&](const v1::Employer& e) { sink.Add(e, e.id()); });
    auto n = sink.Finish();
    if (!n.ok()) return n.status();
    counts.employers = *n;
  }
  {
    Sink sink(options, "seekers.jsonl", storage::RecordKind::kSeeker);
    generator.Seekers([&](const v1::Seeker& s) { sink.Add(s, s.id()); });
    auto n = sink.Finish();
    if (!n.ok()) return n.status();
    counts.seekers = *n;
  }
  {
    Sink sink(options, "vacancies.jsonl", storage::RecordKind::kVacancy);
    generator.Vacancies([&](const v1::Vacancy& v) { sink.Add(v, v.id()); });
    auto n = sink.Finish();
    if (!n.ok()) return n.status();
    counts.vacancies = *n;
  }
  if (!options.out_dir.empty()) {
    auto n = WritePlacements(generator, options.placements, options.out_dir + "/placements.jsonl");
    if (!n.ok()) return n.status();
    counts.placement_events = *n;
  }
  return counts;
}

absl::StatusOr<size_t> WritePlacements(const Generator& generator, const PlacementModel& model,
                                       const std::string& path) {
  OutputOptions file_only;
  file_only.out_dir = std::filesystem::path(path).parent_path().string();
  if (file_only.out_dir.empty()) file_only.out_dir = ".";
  Sink sink(file_only, std::filesystem::path(path).filename().string(),
            storage::RecordKind::kSeeker);
  PlacementHistories(generator, model, [&](const v1::Feedback& f) { sink.Add(f, f.seeker_id()); });
  return sink.Finish();
}

}  // namespace jobmatch::datagen
