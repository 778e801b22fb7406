// jobmatch-datagen: writes a deterministic synthetic data set as JSON Lines
// (importable with `jobmatch import`) or directly into a RocksDB data folder.
//   jobmatch-datagen --seed=1 --scale=municipality --out_dir=DIR
//   jobmatch-datagen --scale=national --data_dir=DIR
#include <cstdio>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "google/protobuf/util/json_util.h"
#include "storage/store.h"

ABSL_FLAG(uint64_t, seed, 1, "Random seed; the same seed gives the same bytes.");
ABSL_FLAG(std::string, scale, "municipality",
          "municipality (7,000 seekers / 2,000 vacancies), region, national "
          "(250,000 / 60,000) or a fraction of national, e.g. 0.1");
ABSL_FLAG(std::string, out_dir, "", "Write seekers.jsonl, vacancies.jsonl, employers.jsonl here.");
ABSL_FLAG(std::string, data_dir, "", "Write directly into this RocksDB data folder.");
ABSL_FLAG(std::string, reference_data, "", "Reference data folder (default: source tree data/).");

namespace {

template <typename Message>
class Sink {
 public:
  Sink(const std::string& out_dir, const std::string& name, jobmatch::storage::Store* store,
       jobmatch::storage::RecordKind kind)
      : store_(store), kind_(kind) {
    if (!out_dir.empty()) out_.open(out_dir + "/" + name + ".jsonl", std::ios::trunc);
  }
  ~Sink() { Flush(); }
  void operator()(const Message& m) {
    ++count_;
    if (out_.is_open()) {
      std::string json;
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      (void)google::protobuf::util::MessageToJsonString(m, &json, options);
      out_ << json << '\n';
    }
    if (store_ != nullptr) {
      batch_.push_back({m.id(), m.SerializeAsString(), std::nullopt});
      if (batch_.size() >= 4096) Flush();
    }
  }
  size_t count() const { return count_; }

 private:
  void Flush() {
    if (store_ == nullptr || batch_.empty()) return;
    for (const auto& r : store_->PutBatch(kind_, std::move(batch_), absl::Now())) {
      if (!r.ok()) std::fprintf(stderr, "jobmatch-datagen: %s\n", r.status().ToString().c_str());
    }
    batch_.clear();
  }
  jobmatch::storage::Store* store_;
  jobmatch::storage::RecordKind kind_;
  std::ofstream out_;
  std::vector<jobmatch::storage::PutRequest> batch_;
  size_t count_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("jobmatch-datagen --seed=1 --scale=municipality --out_dir=DIR");
  absl::ParseCommandLine(argc, argv);
  std::string ref = absl::GetFlag(FLAGS_reference_data);
  if (ref.empty()) ref = jobmatch::matcher::ReferenceData::SourceTreeDataDir();
  auto data = jobmatch::matcher::ReferenceData::Load(ref);
  if (!data.ok()) {
    std::fprintf(stderr, "jobmatch-datagen: %s\n", data.status().ToString().c_str());
    return 1;
  }
  jobmatch::datagen::GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  if (auto s = jobmatch::datagen::ApplyScale(absl::GetFlag(FLAGS_scale), &options); !s.ok()) {
    std::fprintf(stderr, "jobmatch-datagen: %s\n", std::string(s.message()).c_str());
    return 64;
  }
  const std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (out_dir.empty() && data_dir.empty()) {
    std::fprintf(stderr, "jobmatch-datagen: give --out_dir and/or --data_dir\n");
    return 64;
  }
  std::unique_ptr<jobmatch::storage::Store> store;
  if (!data_dir.empty()) {
    auto opened = jobmatch::storage::Store::Open({data_dir});
    if (!opened.ok()) {
      std::fprintf(stderr, "jobmatch-datagen: %s\n", opened.status().ToString().c_str());
      return 1;
    }
    store = std::move(*opened);
  }
  auto generator = jobmatch::datagen::Generator::Create(data->get(), ref, options);
  if (!generator.ok()) {
    std::fprintf(stderr, "jobmatch-datagen: %s\n", generator.status().ToString().c_str());
    return 1;
  }
  const absl::Time start = absl::Now();
  using jobmatch::storage::RecordKind;
  {
    Sink<jobmatch::v1::Employer> employers(out_dir, "employers", store.get(), RecordKind::kEmployer);
    (*generator)->Employers([&](const auto& m) { employers(m); });
    Sink<jobmatch::v1::Seeker> seekers(out_dir, "seekers", store.get(), RecordKind::kSeeker);
    (*generator)->Seekers([&](const auto& m) { seekers(m); });
    Sink<jobmatch::v1::Vacancy> vacancies(out_dir, "vacancies", store.get(), RecordKind::kVacancy);
    (*generator)->Vacancies([&](const auto& m) { vacancies(m); });
    std::printf("jobmatch-datagen: seed %lu: %zu employers, %zu seekers, %zu vacancies in %s\n",
                static_cast<unsigned long>(options.seed), employers.count(), seekers.count(),
                vacancies.count(), absl::FormatDuration(absl::Now() - start).c_str());
  }
  return 0;
}
