// A reference-data upgrade over a populated store: jobmatchd runs on the
// shipped ESCO, then restarts with a modified copy in which two concepts that
// stored records use are gone (one skill of a seeker, one essential skill of
// a vacancy) and one is replaced (a seeker's skill, with a replacement
// relation). `--check_reference_data` lists every change first; the restart
// then neither crashes (it used to: exit 139) nor drops a record: every
// record stays served and matchable, and the start-up report names every
// affected record.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "tests/e2e/jobmatchd_process.h"

namespace {

namespace v1 = jobmatch::v1;

std::chrono::system_clock::time_point In(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// jobmatchd on `dir`/db with the given reference data.
class Daemon : public jobmatch::testing::JobmatchdProcess {
 public:
  Daemon(std::string dir, const std::string& reference)
      : JobmatchdProcess(JOBMATCHD_PATH, std::move(dir),
                         Options{{"--reference_data=" + reference}, true, 1500}) {}
  // Starts and waits until it serves; false if it exited instead (`status`).
  bool Start() {
    if (!JobmatchdProcess::Start()) {
      status = exit_status();
      return false;
    }
    seekers = v1::SeekerService::NewStub(channel());
    vacancies = v1::VacancyService::NewStub(channel());
    match = v1::MatchService::NewStub(channel());
    return true;
  }
  void Stop(int signal) {
    seekers.reset();
    vacancies.reset();
    match.reset();
    status = Kill(signal);
  }

  std::unique_ptr<v1::SeekerService::Stub> seekers;
  std::unique_ptr<v1::VacancyService::Stub> vacancies;
  std::unique_ptr<v1::MatchService::Stub> match;
  int status = 0;
};

int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ReferenceUpgradeTest, RemovedAndReplacedConceptsNeverCrashStartUpAndEveryRecordStaysServed) {
  const std::string dir = ::testing::TempDir() + "/reference-upgrade-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ASSERT_EQ(Shell(std::string(JOBMATCH_DATAGEN_PATH) + " --scale=0.002 --data_dir=" + dir +
                "/db > " + dir + "/datagen.log 2>&1"),
            0);

  // Pick the concepts from what is stored: a seeker's skill to remove, another
  // seeker's skill to replace (by a third skill), a vacancy's essential skill
  // to remove.
  std::string removed_seeker_skill, replaced_skill, replacement, removed_vacancy_skill;
  std::string seeker_removed, seeker_replaced, vacancy_removed;
  {
    Daemon d(dir, JOBMATCH_SOURCE_DATA_DIR);
    ASSERT_TRUE(d.Start()) << ReadFile(d.log());
    grpc::ClientContext c1;
    c1.set_deadline(In(10));
    v1::ListSeekersRequest ls;
    ls.set_page_size(200);
    v1::ListSeekersResponse seekers;
    ASSERT_TRUE(d.seekers->List(&c1, ls, &seekers).ok());
    std::set<std::string> used;
    for (const auto& entry : seekers.seekers()) {
      for (const auto& skill : entry.seeker().skills()) used.insert(skill.esco_uri());
    }
    for (const auto& entry : seekers.seekers()) {
      const auto& s = entry.seeker();
      if (s.skills_size() == 0) continue;
      if (seeker_removed.empty()) {
        seeker_removed = s.id();
        removed_seeker_skill = s.skills(0).esco_uri();
      } else if (seeker_replaced.empty() && s.skills(0).esco_uri() != removed_seeker_skill) {
        seeker_replaced = s.id();
        replaced_skill = s.skills(0).esco_uri();
      }
    }
    for (const auto& entry : seekers.seekers()) {
      for (const auto& skill : entry.seeker().skills()) {
        if (replacement.empty() && skill.esco_uri() != removed_seeker_skill &&
            skill.esco_uri() != replaced_skill) {
          replacement = skill.esco_uri();
        }
      }
    }
    grpc::ClientContext c2;
    c2.set_deadline(In(10));
    v1::ListVacanciesRequest lv;
    lv.set_page_size(200);
    v1::ListVacanciesResponse vacancies;
    ASSERT_TRUE(d.vacancies->List(&c2, lv, &vacancies).ok());
    for (const auto& entry : vacancies.vacancies()) {
      for (const auto& uri : entry.vacancy().essential_skills()) {
        if (vacancy_removed.empty() && !used.count(uri)) {
          vacancy_removed = entry.vacancy().id();
          removed_vacancy_skill = uri;
        }
      }
    }
    // The generator writes the store directly (no version recorded); one
    // seeker is written again through the API, which records it.
    for (const auto& entry : seekers.seekers()) {
      if (entry.seeker().id() != seeker_removed) continue;
      EXPECT_EQ(entry.seeker().taxonomy_version(), "");
      grpc::ClientContext c;
      c.set_deadline(In(10));
      v1::UpsertSeekerRequest upsert;
      *upsert.mutable_seeker() = entry.seeker();
      v1::WriteResult written;
      ASSERT_TRUE(d.seekers->Upsert(&c, upsert, &written).ok());
    }
    d.Stop(SIGTERM);
  }
  ASSERT_FALSE(seeker_removed.empty());
  ASSERT_FALSE(seeker_replaced.empty());
  ASSERT_FALSE(replacement.empty());
  ASSERT_FALSE(vacancy_removed.empty()) << "no vacancy with an essential skill no seeker has";

  // The upgraded copy: the three concepts' URIs are gone (renamed, so the
  // tables' row numbers stay valid), one has a replacement relation, and the
  // version changes.
  const std::string upgraded = dir + "/data-upgraded";
  ASSERT_EQ(Shell("cp -r " + std::string(JOBMATCH_SOURCE_DATA_DIR) + " " + upgraded), 0);
  std::string sed;
  for (const std::string& uri : {removed_seeker_skill, replaced_skill, removed_vacancy_skill}) {
    sed += " -e 's|^" + uri + "\t|" + uri + "-gone-in-test\t|'";
  }
  ASSERT_EQ(Shell("(printf '# version\\tesco-1.2.0-test\\n'; zcat " + upgraded +
                "/esco/skills.tsv.gz | sed" + sed + ") | gzip > " + upgraded + "/skills.new && mv " +
                upgraded + "/skills.new " + upgraded + "/esco/skills.tsv.gz"),
            0);
  std::ofstream(upgraded + "/esco/replacements.tsv")
      << "# obsolete_uri\treplacement_uri\n" << replaced_skill << "\t" << replacement << "\n";

  // Before the upgrade: what it would change, naming each record.
  const std::string check_out = dir + "/check.txt";
  ASSERT_EQ(Shell(std::string(JOBMATCHD_PATH) + " --data_dir=" + dir +
                "/db --check_reference_data=" + upgraded + " > " + check_out + " 2>&1"),
            0)
      << ReadFile(check_out);
  const std::string check = ReadFile(check_out);
  EXPECT_NE(check.find("seeker " + seeker_removed + " (written under esco-1.1.1): seeker.skills["),
            std::string::npos) << check;
  EXPECT_NE(check.find(removed_seeker_skill + " is not in esco-1.2.0-test: unknown; kept in the "
                       "record, it scores nothing"),
            std::string::npos) << check;
  EXPECT_NE(check.find(replaced_skill + " is not in esco-1.2.0-test: mapped to its replacement " +
                       replacement),
            std::string::npos) << check;
  EXPECT_NE(check.find("vacancy " + vacancy_removed + " (written under an unrecorded version): "
                       "vacancy.essential_skills["),
            std::string::npos) << check;

  // The upgrade itself.
  Daemon d(dir, upgraded);
  ASSERT_TRUE(d.Start()) << "jobmatchd did not start on the upgraded reference data (status "
                         << d.status << "): " << ReadFile(d.log());
  const std::string log = ReadFile(d.log());
  for (const std::string& record :
       {"seeker " + seeker_removed + " (written under esco-1.1.1)",
        "seeker " + seeker_replaced + " (written under an unrecorded version)",
        "vacancy " + vacancy_removed + " (written under an unrecorded version)"}) {
    EXPECT_NE(log.find("jobmatchd: " + record), std::string::npos)
        << record << " missing from the start-up report:\n" << log;
  }
  // Every record is still served, unchanged, and matchable.
  for (const std::string& id : {seeker_removed, seeker_replaced}) {
    grpc::ClientContext c;
    c.set_deadline(In(10));
    v1::GetSeekerRequest get;
    get.set_id(id);
    v1::GetSeekerResponse got;
    ASSERT_TRUE(d.seekers->Get(&c, get, &got).ok()) << id;
    EXPECT_EQ(got.seeker().taxonomy_version(), id == seeker_removed ? "esco-1.1.1" : "");
    grpc::ClientContext m;
    m.set_deadline(In(10));
    v1::TopVacanciesRequest top;
    top.set_seeker_id(id);
    v1::MatchResponse matches;
    grpc::Status matched = d.match->TopVacanciesForSeeker(&m, top, &matches);
    EXPECT_TRUE(matched.ok()) << id << ": " << matched.error_message();
  }
  {
    grpc::ClientContext c;
    c.set_deadline(In(10));
    v1::GetVacancyRequest get;
    get.set_id(vacancy_removed);
    v1::GetVacancyResponse got;
    ASSERT_TRUE(d.vacancies->Get(&c, get, &got).ok());
    EXPECT_NE(std::find(got.vacancy().essential_skills().begin(),
                        got.vacancy().essential_skills().end(), removed_vacancy_skill),
              got.vacancy().essential_skills().end())
        << "the stored record keeps the unknown concept";
  }
  // A write under the new version names it; the removed concept is refused
  // for new writes like any unknown concept.
  {
    grpc::ClientContext c;
    c.set_deadline(In(10));
    v1::GetSeekerRequest get;
    get.set_id(seeker_replaced);
    v1::GetSeekerResponse got;
    ASSERT_TRUE(d.seekers->Get(&c, get, &got).ok());
    v1::UpsertSeekerRequest upsert;
    *upsert.mutable_seeker() = got.seeker();
    upsert.mutable_seeker()->mutable_skills(0)->set_esco_uri(replacement);
    grpc::ClientContext w;
    w.set_deadline(In(10));
    v1::WriteResult written;
    ASSERT_TRUE(d.seekers->Upsert(&w, upsert, &written).ok());
    grpc::ClientContext g;
    g.set_deadline(In(10));
    ASSERT_TRUE(d.seekers->Get(&g, get, &got).ok());
    EXPECT_EQ(got.seeker().taxonomy_version(), "esco-1.2.0-test");
  }
  d.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(d.status) && WEXITSTATUS(d.status) == 0) << d.status;
  std::filesystem::remove_all(dir);
}

}  // namespace
