// The municipal population table: the shipped file and the loader's errors.
#include "clients/datagen/population.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "matcher/reference_data.h"

namespace jobmatch::datagen {
namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            (name + "_" + std::to_string(::getpid()) + ".tsv"))
                               .string();
  std::ofstream(path) << text;
  return path;
}

TEST(DatagenPopulationTest, ShippedTableCoversAllMunicipalitiesAndDenmark) {
  auto table = LoadMunicipalPopulation(
      MunicipalPopulationPath(matcher::ReferenceData::SourceTreeDataDir()));
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->entries.size(), 98u);
  EXPECT_FALSE(table->version.empty());
  long total = 0;
  for (const auto& e : table->entries) total += e.population;
  // Denmark had about 5.96 million inhabitants on 1 January 2024.
  EXPECT_NEAR(total, 5.96e6, 0.06e6);
  EXPECT_EQ(table->entries.front().municipality, 101);  // København, the largest
  EXPECT_GT(table->entries.front().population, 600000);
}

TEST(DatagenPopulationTest, MalformedLineIsDataLossNamingTheLine) {
  const std::string path = WriteFile("pop_bad", "# version\tx\n101\t5000\n147\tmany\n");
  auto table = LoadMunicipalPopulation(path);
  EXPECT_EQ(table.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(table.status().message().find(":3"), std::string::npos) << table.status();
  std::remove(path.c_str());
}

TEST(DatagenPopulationTest, DuplicateMunicipalityIsRejected) {
  const std::string path = WriteFile("pop_dup", "101\t5000\n101\t6000\n");
  EXPECT_EQ(LoadMunicipalPopulation(path).status().code(), absl::StatusCode::kDataLoss);
  std::remove(path.c_str());
}

TEST(DatagenPopulationTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadMunicipalPopulation("/nonexistent/populations.tsv").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobmatch::datagen
