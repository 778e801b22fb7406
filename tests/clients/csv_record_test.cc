// CSV import files: RFC 4180 rows, header paths mapped onto the API record,
// lists and zipped repeated messages, and errors that name line and column.
#include "clients/cli/csv_record.h"

#include <fstream>
#include <sstream>

#include "clients/cli/record_file.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/seeker.pb.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch::cli {
namespace {

std::vector<std::vector<std::string>> Rows(const std::string& text, std::vector<size_t>* lines) {
  std::istringstream in(text);
  CsvReader reader(&in);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> cells;
  size_t line = 0;
  std::string error;
  while (reader.Next(&cells, &line, &error)) {
    EXPECT_EQ(error, "");
    rows.push_back(cells);
    lines->push_back(line);
  }
  return rows;
}

TEST(CsvReaderTest, QuotesCommasNewlinesAndCrlf) {
  std::vector<size_t> lines;
  auto rows = Rows("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"two\nlines\",2,3\n", &lines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"two\nlines", "2", "3"}));
  EXPECT_EQ(lines, (std::vector<size_t>{1, 2, 4}));
}

TEST(CsvReaderTest, UnclosedQuoteIsAnErrorNamingItsLine) {
  std::istringstream in("a\n\"open,\nstill open\n");
  CsvReader reader(&in);
  std::vector<std::string> cells;
  size_t line = 0;
  std::string error;
  ASSERT_TRUE(reader.Next(&cells, &line, &error));
  ASSERT_TRUE(reader.Next(&cells, &line, &error));
  EXPECT_EQ(error, "quote opened on line 2 is never closed");
}

TEST(CsvRecordMapperTest, PathsListsAndZippedRepeatedMessages) {
  auto mapper = CsvRecordMapper::Create(
      v1::Seeker::descriptor(),
      {"id", "home.lat", "home.postal_code", "transport_modes", "languages.code",
       "languages.level", "consent_share_needs_with_employers", "maxCommuteMinutes"});
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  v1::Seeker seeker;
  ASSERT_TRUE(mapper->Fill({"s1", "56.15", "8200", "CAR; BICYCLE", "da;en", "CEFR_NATIVE;", "yes",
                            "45"},
                           &seeker)
                  .ok());
  EXPECT_EQ(seeker.id(), "s1");
  EXPECT_DOUBLE_EQ(seeker.home().lat(), 56.15);
  EXPECT_EQ(seeker.home().postal_code(), 8200);
  ASSERT_EQ(seeker.transport_modes_size(), 2);
  EXPECT_EQ(seeker.transport_modes(0), v1::CAR);
  EXPECT_EQ(seeker.transport_modes(1), v1::BICYCLE);
  ASSERT_EQ(seeker.languages_size(), 2);
  EXPECT_EQ(seeker.languages(0).code(), "da");
  EXPECT_EQ(seeker.languages(0).level(), v1::CEFR_NATIVE);
  EXPECT_EQ(seeker.languages(1).code(), "en");
  EXPECT_EQ(seeker.languages(1).level(), v1::LANGUAGE_LEVEL_UNSPECIFIED) << "empty list value: not set";
  EXPECT_TRUE(seeker.consent_share_needs_with_employers());
  EXPECT_EQ(seeker.max_commute_minutes(), 45) << "JSON (camelCase) names work too";
}

TEST(CsvRecordMapperTest, BadHeadersAreRefusedNamingTheColumn) {
  auto expect_refused = [](std::vector<std::string> header, const std::string& mention) {
    auto mapper = CsvRecordMapper::Create(v1::Seeker::descriptor(), header);
    ASSERT_FALSE(mapper.ok());
    EXPECT_NE(mapper.status().message().find(mention), std::string::npos) << mapper.status();
  };
  expect_refused({"id", "hme.lat"}, "header column 2 'hme.lat': no field 'hme' in Seeker");
  expect_refused({"id", "home"}, "names a message");
  expect_refused({"id", "id"}, "given twice");
  expect_refused({"id", "home.lat.x"}, "no sub-fields");
}

TEST(CsvRecordMapperTest, BadCellsNameColumnAndRule) {
  auto mapper = CsvRecordMapper::Create(v1::Seeker::descriptor(),
                                        {"id", "home.lat", "transport_modes"});
  ASSERT_TRUE(mapper.ok());
  v1::Seeker seeker;
  absl::Status s = mapper->Fill({"s1", "north", ""}, &seeker);
  EXPECT_EQ(s.message(), "column home.lat: not a number");
  s = mapper->Fill({"s1", "", "CAR;JETPACK"}, &seeker);
  EXPECT_NE(s.message().find("column transport_modes value 2: 'JETPACK' is not one of"),
            std::string::npos)
      << s;
  s = mapper->Fill({"s1", "", "", "extra"}, &seeker);
  EXPECT_EQ(s.message(), "4 cells but the header has 3 columns");
}

TEST(RecordFileTest, CsvAndJsonLinesGiveRecordsWithTheirLines) {
  jobmatch::testing::TempDir dir;
  const std::string csv = dir.path() + "/seekers.csv";
  std::ofstream(csv) << "id,max_commute_minutes\ns1,30\ns2,thirty\n\ns3,\"4\n5\"\ns4,50\n";
  auto file = RecordFile::Open(csv, v1::Seeker::descriptor());
  ASSERT_TRUE(file.ok()) << file.status();
  v1::Seeker seeker;
  size_t line = 0;
  std::string error;
  ASSERT_EQ((*file)->Read(&seeker, &line, &error), RecordFile::Next::kRecord);
  EXPECT_EQ(seeker.id(), "s1");
  EXPECT_EQ(line, 2u);
  ASSERT_EQ((*file)->Read(&seeker, &line, &error), RecordFile::Next::kBadRecord);
  EXPECT_EQ(line, 3u);
  EXPECT_EQ(error, "column max_commute_minutes: not an integer");
  ASSERT_EQ((*file)->Read(&seeker, &line, &error), RecordFile::Next::kBadRecord);
  EXPECT_EQ(line, 5u) << "a quoted cell over two lines starts on line 5";
  ASSERT_EQ((*file)->Read(&seeker, &line, &error), RecordFile::Next::kRecord);
  EXPECT_EQ(seeker.id(), "s4");
  EXPECT_EQ(seeker.max_commute_minutes(), 50);
  EXPECT_EQ(line, 7u);
  EXPECT_EQ((*file)->Read(&seeker, &line, &error), RecordFile::Next::kEnd);
  EXPECT_DOUBLE_EQ((*file)->Progress(), 1.0);

  const std::string jsonl = dir.path() + "/seekers.jsonl";
  std::ofstream(jsonl) << "{\"id\": \"j1\"}\n\n{broken\n";
  auto json = RecordFile::Open(jsonl, v1::Seeker::descriptor());
  ASSERT_TRUE(json.ok());
  ASSERT_EQ((*json)->Read(&seeker, &line, &error), RecordFile::Next::kRecord);
  EXPECT_EQ(seeker.id(), "j1");
  ASSERT_EQ((*json)->Read(&seeker, &line, &error), RecordFile::Next::kBadRecord);
  EXPECT_EQ(line, 3u);

  const std::string bad_header = dir.path() + "/bad.csv";
  std::ofstream(bad_header) << "id,colour\ns1,red\n";
  auto refused = RecordFile::Open(bad_header, v1::Seeker::descriptor());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("bad.csv:1: header column 2 'colour'"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(RecordFile::Open(dir.path() + "/none.csv", v1::Seeker::descriptor()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobmatch::cli
