// The travel-time matrix provider: known pairs from the file, fallback for
// the rest, and clear errors for corrupt or truncated files.
#include "matcher/matrix_commute.h"
#include "matcher/commute_calibration.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/matcher/matcher_fixture.h"

namespace jobmatch::matcher {
namespace {

using testing::Data;
using testing::PlaceOf;

std::string WithChecksum(const std::string& body) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                          static_cast<uInt>(body.size()));
  return body + absl::StrFormat("crc32 %08x\n", crc);
}

std::string Write(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::unique_ptr<CommuteModel> Fallback() {
  return std::move(*ModelCommute::Load(ReferenceData::SourceTreeDataDir()));
}

const std::string kBody =
    "JMTT 1\nversion test-2026\n8000 1550 CAR 171\n8000 1550 PUBLIC_TRANSPORT 185\n8200 8000 BICYCLE 14\n";

TEST(MatrixCommuteTest, UsesMatrixForKnownPairsAndModelOtherwise) {
  auto m = MatrixCommute::Load(Write("ok.jmtt", WithChecksum(kBody)), Data().geography.get(),
                               Fallback());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->entries(), 3u);
  EXPECT_EQ((*m)->version(), "matrix-test-2026");
  auto car = (*m)->Estimate(PlaceOf(8000), PlaceOf(1550), TransportMode::kCar);
  ASSERT_TRUE(car.has_value());
  EXPECT_EQ(car->minutes, 171);
  EXPECT_EQ(car->source, CommuteSource::kMatrix);
  EXPECT_GT(car->confidence, 0.8f);
  // Not in the matrix (other direction): the model answers, labelled as such.
  auto back = (*m)->Estimate(PlaceOf(1550), PlaceOf(8000), TransportMode::kCar);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->source, CommuteSource::kModel);
  // The reach bound still covers the matrix's own entries.
  const Place a = PlaceOf(8200), b = PlaceOf(8000);
  EXPECT_GE((*m)->MaxReachMetres(1u << static_cast<int>(TransportMode::kBicycle), 14),
            std::hypot(double(a.x) - b.x, double(a.y) - b.y));
}

TEST(MatrixCommuteTest, CorruptTruncatedOrMalformedFilesFailClearly) {
  const std::string good = WithChecksum(kBody);
  std::string flipped = good;
  flipped[20] = flipped[20] == '1' ? '2' : '1';
  struct Case {
    std::string name, content, message;
  };
  const Case cases[] = {
      {"flipped", flipped, "checksum mismatch"},
      {"truncated", good.substr(0, good.size() / 2), "no crc32 line"},
      {"empty", "", "no crc32 line"},
      {"magic", WithChecksum("JMTX 9\nversion x\n"), "expected 'JMTT 1'"},
      {"line", WithChecksum("JMTT 1\nversion x\n8000 1550 SUBMARINE 3\n"), ":3:"},
      {"negative", WithChecksum("JMTT 1\nversion x\n8000 1550 CAR -3\n"), ":3:"},
  };
  for (const Case& c : cases) {
    auto m = MatrixCommute::Load(Write(c.name + ".jmtt", c.content), Data().geography.get(),
                                 Fallback());
    ASSERT_FALSE(m.ok()) << c.name;
    EXPECT_NE(m.status().message().find(c.message), std::string::npos)
        << c.name << ": " << m.status();
  }
  EXPECT_EQ(MatrixCommute::Load("/nonexistent.jmtt", Data().geography.get(), Fallback())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobmatch::matcher

namespace jobmatch::matcher {
namespace {

TEST(CommuteCalibrationTest, ComparesTheModelWithReferenceTimesPerMode) {
  const CommuteModel& model = *testing::Data().commute;
  const auto car = [&](int from, int to) {
    return model.Estimate(testing::PlaceOf(from), testing::PlaceOf(to), TransportMode::kCar)->minutes;
  };
  // The reference says: Aarhus-Copenhagen by car takes 1.1 x the model's
  // time, Aarhus N-Aarhus C twice the model's; walking Aarhus-Copenhagen
  // (which the model refuses); a non-geographic postal code is skipped.
  const std::string body = absl::StrFormat(
      "JMTT 1\nversion reference-test\n8000 1550 CAR %.3f\n8200 8000 CAR %.3f\n"
      "8000 1550 WALK 2000\n800 8000 CAR 200\n",
      car(8000, 1550) * 1.1, car(8200, 8000) * 2);
  auto rows = CalibrateCommute(model, *testing::Data().geography,
                               Write("reference.jmtt", WithChecksum(body)));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  const CalibrationRow& walk = (*rows)[0];
  EXPECT_EQ(walk.mode, TransportMode::kWalk);
  EXPECT_EQ(walk.pairs, 1u);
  EXPECT_EQ(walk.model_cannot, 1u);
  const CalibrationRow& c = (*rows)[1];
  EXPECT_EQ(c.mode, TransportMode::kCar);
  EXPECT_EQ(c.pairs, 2u);
  EXPECT_NEAR(c.median_ratio, 1 / 1.1, 1e-3);
  EXPECT_NEAR(c.share_within_20_percent, 0.5, 1e-9);
  EXPECT_GT(c.mean_abs_error_minutes, 0);

  auto corrupt = CalibrateCommute(model, *testing::Data().geography,
                                  Write("reference-bad.jmtt", body + "crc32 00000000\n"));
  EXPECT_EQ(corrupt.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(corrupt.status().message().find("reference-bad.jmtt"), std::string::npos);
}

}  // namespace
}  // namespace jobmatch::matcher
