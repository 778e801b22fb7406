// jobmatch: the command-line client for consultants and operators.
// Run `jobmatch help` for the commands. Address, TLS and API key come from
// flags or the environment (clients/cli/connection.h).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "google/protobuf/util/json_util.h"
#include "grpc_health/health.grpc.pb.h"
#include "clients/cli/rematch_progress.h"
#include "clients/cli/rematch_report_html.h"
#include "clients/cli/rematch_report_text.h"
#include "grpcpp/grpcpp.h"
#include "clients/cli/match_filters.h"
#include "clients/cli/placement_import.h"
#include "clients/cli/record_file.h"
#include "jobmatch/v1/admin_service.grpc.pb.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "jobmatch/v1/upskilling_service.grpc.pb.h"
#include "jobmatch/v1/employer_bridge_service.grpc.pb.h"
#include "clients/cli/upskilling_report.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

ABSL_FLAG(absl::Duration, timeout, absl::Seconds(30), "Deadline for each call.");
ABSL_FLAG(bool, json, false, "Print results as JSON (one object) for scripts.");
ABSL_FLAG(int, limit, 10, "Number of matches to show.");
ABSL_FLAG(std::string, page_token, "", "Continue a previous listing or match page.");
ABSL_FLAG(bool, follow, false, "changes: keep waiting for new writes (Ctrl-C stops).");
ABSL_FLAG(std::string, run_id, "", "rematch-matches: a run other than the current one.");
ABSL_FLAG(std::string, html, "", "rematch-report: write the report as an HTML page with charts to this file.");
ABSL_FLAG(std::string, kind, "", "match-*, why-not: vacancy kinds, e.g. FLEKSJOB,LOENTILSKUD.");
ABSL_FLAG(std::string, municipality, "",
          "match-*, why-not: municipality codes, e.g. 751,746; skill-gap: the area (default: all "
          "you may see).");
ABSL_FLAG(std::string, min_score, "", "match-*, why-not: minimum score, 0..1 or a percentage.");
ABSL_FLAG(double, max_commute, 0, "match-*: drop matches with a longer commute (minutes) from the page shown.");
ABSL_FLAG(std::string, decision_id, "", "feedback: the decision id of the list the pair was on.");
ABSL_FLAG(double, good_score, 0, "skill-gap, upskill: a good match scores at least this (0 = 0.7).");
ABSL_FLAG(std::string, order, "",
          "match-vacancy: a chosen priority order: longest_unemployed, or target_group (with "
          "--target_group_order); default: by score.");
ABSL_FLAG(std::string, target_groups, "", "match-vacancy: only these target groups (comma-separated).");
ABSL_FLAG(std::string, target_group_order, "",
          "match-vacancy --order=target_group: the groups, first first (comma-separated).");
ABSL_FLAG(int, min_weeks_unemployed, 0, "match-vacancy: only seekers unemployed at least this many weeks.");
ABSL_FLAG(int, days, 0, "bridge: no contact in this many days (0 = 90).");
ABSL_FLAG(bool, seeker_side, false, "why-not: explain the vacancy's absence from the seeker's list.");
ABSL_FLAG(int, breadth, 0,
          "match-seeker, match-vacancy, why-not: occupation breadth of this one search (2 = same "
          "ISCO sub-major group, 3 = minor group, 4 = unit group; 0 = the policy's).");

namespace {

using namespace jobmatch;  // NOLINT: a small program

constexpr char kUsage[] =
    "jobmatch [flags] COMMAND [ARGS]\n\n"
    "Records (KIND is seeker, vacancy or employer):\n"
    "  put KIND FILE.json          create or update one record (FILE '-' = stdin); a\n"
    "                              seeker without \"id\" is created with an id the\n"
    "                              server issues (printed; a case system scoped to\n"
    "                              municipalities creates seekers only so)\n"
    "  get KIND ID                 print a record\n"
    "  delete KIND ID              erase a record and everything derived from it\n"
    "  list KIND                   list records (--limit, --page_token)\n"
    "  import KIND FILE            bulk import of FILE.jsonl (one JSON record per line)\n"
    "                              or FILE.csv (header row of field paths, e.g.\n"
    "                              id,home.lat,skills.esco_uri; ';' separates list\n"
    "                              values); reports every rejected line with its\n"
    "                              field and rule\n"
    "  import placements FILE.jsonl  placement histories with their own times: one\n"
    "                              Feedback per line with time_micros (BATCH or\n"
    "                              ADMIN; docs/placements.md)\n"
    "Matching:\n"
    "  match-seeker ID             best vacancies for a seeker (--limit, --breadth)\n"
    "  match-vacancy ID            best seekers for a vacancy (--limit, --breadth); a\n"
    "                              chosen priority: --order=longest_unemployed |\n"
    "                              target_group (--target_group_order=a,b),\n"
    "                              --target_groups=a,b, --min_weeks_unemployed=N\n"
    "                              (scores never change)\n"
    "                              filters: --kind=FLEKSJOB,... --municipality=751,...\n"
    "                              --min_score=60 --max_commute=45 (minutes, applied to\n"
    "                              the page shown); more: --page_token\n"
    "  feedback SEEKER VACANCY OUTCOME [REASON|MONTHS|END]\n"
    "                              record shortlisted|contacted|hired|rejected|\n"
    "                              not_interested (a rejection needs a REASON, e.g.\n"
    "                              hours_do_not_fit; not_interested may give one;\n"
    "                              --decision_id ties it to a list), or a placement's\n"
    "                              interview|started|followed_up MONTHS (1, 3, 6)|\n"
    "                              ended END (to_employment, to_education,\n"
    "                              back_to_benefits)\n"
    "  feedback-list seeker|vacancy ID  the feedback recorded for a seeker or vacancy\n"
    "  explain SEEKER VACANCY      the full explanation of one pair\n"
    "  why-not SEEKER VACANCY      why the seeker is not in the vacancy's list\n"
    "                              (--seeker_side: why the vacancy is not in the seeker's)\n"
    "  policy                      the scoring policy in force\n"
    "  changes [AFTER_SEQUENCE]    print the change log (--limit changes; --follow waits\n"
    "                              for new writes)\n"
    "Targeted upskilling (docs/upskilling.md):\n"
    "  skill-gap                   the skills that would turn the most near misses into\n"
    "                              good matches (--municipality=751,101; --limit skills;\n"
    "                              --good_score)\n"
    "  upskill SEEKER              the few skills that open the most vacancies within the\n"
    "                              seeker's reach, and the vacancies they open\n"
    "Employers as partners (docs/upskilling.md):\n"
    "  bridge                      employers to call (strong candidates, no contact in\n"
    "                              --days), to help (many openings, few candidates) and\n"
    "                              to visit (5+ employees, not visited this year)\n"
    "Nightly rematch:\n"
    "  rematch-start [K]           start a run (top-K both directions) and follow it\n"
    "                              with a progress bar until it is done\n"
    "  rematch-status [RUN_ID]     the running or current run and its figures\n"
    "  rematch-matches KIND ID     stored matches of a seeker or vacancy in the\n"
    "                              current run (--run_id for another)\n"
    "  rematch-report [RUN_ID]     coverage, score distributions, fairness audit and\n"
    "                              plain vs allocation of the current (or a named) run;\n"
    "                              --html FILE writes a page with charts\n"
    "Operations (admin):\n"
    "  backup NAME                 online backup of the data folder into the server's\n"
    "                              backup_dir/NAME (docs/operations.md)\n"
    "  health                      is the server serving? (exit 0 if so)\n\n"
    "Add --json for machine-readable output.\n\n"
    "Connection (flags, or the environment variable in brackets):\n"
    "  --address=HOST:PORT         [JOBMATCH_ADDRESS] default 127.0.0.1:50051\n"
    "  --tls_ca_file=CA.pem        [JOBMATCH_TLS_CA_FILE] TLS, trusting this CA\n"
    "  --tls_cert_file, --tls_key_file  [JOBMATCH_TLS_CERT_FILE, _KEY_FILE] mutual TLS\n"
    "  --tls_server_name=NAME      [JOBMATCH_TLS_SERVER_NAME] name in the server's certificate\n"
    "  --api_key_file=FILE         [JOBMATCH_API_KEY_FILE, or the key in JOBMATCH_API_KEY]\n"
    "  --bearer_token_file=FILE    [JOBMATCH_BEARER_TOKEN_FILE, or the token in\n"
    "                              JOBMATCH_BEARER_TOKEN] an OIDC token from your IdP\n"
    "Exit codes: 3 server unreachable or TLS failed, 4 credentials or permission,\n"
    "65 invalid input, 64 usage.\n";

// The connection options, read once in main().
cli::ConnectionOptions& Connection() {
  static cli::ConnectionOptions options;
  return options;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  cli::Authorize(Connection(), context.get());
  return context;
}

// Prints a failed call in words a person can act on; returns the exit code.
int Fail(const grpc::Status& status) { return cli::ReportFailure(status, Connection()); }

std::string ToJson(const google::protobuf::Message& m, bool pretty = true) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

bool FromJson(const std::string& json, google::protobuf::Message* m, std::string* error) {
  auto status = google::protobuf::util::JsonStringToMessage(json, m);
  if (!status.ok()) *error = std::string(status.message());
  return status.ok();
}

bool ReadFile(const std::string& path, std::string* out) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    *out = ss.str();
    return true;
  }
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

int Print(const google::protobuf::Message& m) {
  std::printf("%s\n", ToJson(m).c_str());
  return 0;
}

// Generic record commands over the three services, by kind.
template <typename Api>
struct RecordCommands {
  static int Put(grpc::Channel* channel, const std::string& path) {
    std::string json, error;
    if (!ReadFile(path, &json)) {
      std::fprintf(stderr, "jobmatch: cannot read %s\n", path.c_str());
      return 66;
    }
    typename Api::UpsertRequest request;
    if (!FromJson(json, Api::Mutable(&request), &error)) {
      std::fprintf(stderr, "jobmatch: %s is not a valid %s record: %s\n", path.c_str(), Api::kName,
                   error.c_str());
      return 65;
    }
    v1::WriteResult result;
    auto stub = Api::Service::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
    grpc::Status status = stub->Upsert(Context().get(), request, &result);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) return Print(result);
    // A seeker sent without an id has the one the server issued.
    const std::string id = result.id().empty() ? Api::Mutable(&request)->id() : result.id();
    std::printf("stored %s %s: version %lu, sequence %lu\n", Api::kName, id.c_str(),
                static_cast<unsigned long>(result.version()),
                static_cast<unsigned long>(result.sequence()));
    return 0;
  }

  static int Get(grpc::Channel* channel, const std::string& id) {
    typename Api::GetRequest request;
    request.set_id(id);
    typename Api::GetResponse response;
    auto stub = Api::Service::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
    grpc::Status status = stub->Get(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    return Print(response);
  }

  static int Delete(grpc::Channel* channel, const std::string& id) {
    typename Api::DeleteRequest request;
    request.set_id(id);
    v1::DeleteResponse response;
    auto stub = Api::Service::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
    grpc::Status status = stub->Delete(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) return Print(response);
    std::printf("erased %s %s (sequence %lu)\n", Api::kName, id.c_str(),
                static_cast<unsigned long>(response.sequence()));
    return 0;
  }

  static int List(grpc::Channel* channel) {
    typename Api::ListRequest request;
    request.set_page_size(absl::GetFlag(FLAGS_limit));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    typename Api::ListResponse response;
    auto stub = Api::Service::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
    grpc::Status status = stub->List(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    return Print(response);
  }

  // Streams the file; lines that are not valid JSON records are reported
  // locally, the rest go to the server, whose per-record outcomes are
  // reported with their line numbers. Nothing is dropped silently.
  static int Import(grpc::Channel* channel, const std::string& path) {
    typename Api::ImportRequest request;
    auto file = cli::RecordFile::Open(path, Api::Mutable(&request)->GetDescriptor());
    if (!file.ok()) {
      std::fprintf(stderr, "jobmatch: %s\n", std::string(file.status().message()).c_str());
      return file.status().code() == absl::StatusCode::kNotFound ? 66 : 65;
    }
    auto stub = Api::Service::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Hours(2)));
    cli::Authorize(Connection(), &context);
    v1::ImportResponse response;
    auto writer = stub->Import(&context, &response);
    std::vector<size_t> line_of;  // stream index -> line number
    size_t local_errors = 0, sent = 0;
    const bool tty = isatty(STDERR_FILENO);
    const absl::Time start = absl::Now();
    auto progress = [&] {
      const int width = 40;
      const int filled = static_cast<int>(width * (*file)->Progress());
      std::fprintf(stderr, "\r[%s%s] %zu records sent", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), sent);
    };
    while (true) {
      size_t line = 0;
      std::string error;
      const auto next = (*file)->Read(Api::Mutable(&request), &line, &error);
      if (next == cli::RecordFile::Next::kEnd) break;
      if (next == cli::RecordFile::Next::kBadRecord) {
        std::fprintf(stderr, "%s%s:%zu: not a valid %s record: %s\n", tty ? "\r" : "",
                     path.c_str(), line, Api::kName, error.c_str());
        ++local_errors;
        continue;
      }
      if (!writer->Write(request)) break;
      line_of.push_back(line);
      if (tty && ++sent % 1000 == 0) progress();
    }
    if (tty) progress();
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (tty) std::fprintf(stderr, "\n");
    for (const auto& outcome : response.outcomes()) {
      if (outcome.error_code().empty()) continue;
      const size_t line = outcome.index() < line_of.size() ? line_of[outcome.index()] : 0;
      std::fprintf(stderr, "%s:%zu: %s %s rejected: %s\n", path.c_str(), line, Api::kName,
                   outcome.id().c_str(), outcome.error_message().c_str());
    }
    if (!status.ok()) return Fail(status);
    if (!response.stopped().empty()) {
      // Records from `processed` on were not processed: name the first line.
      const size_t line =
          response.processed() < line_of.size() ? line_of[response.processed()] : 0;
      std::fprintf(stderr, "%s: the server %s (from line %zu of the file)\n", path.c_str(),
                   response.stopped().c_str(), line);
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    if (absl::GetFlag(FLAGS_json)) {
      std::printf("{\"accepted\": %u, \"rejected\": %zu, \"seconds\": %.3f}\n", response.accepted(),
                  response.rejected() + local_errors, seconds);
    } else {
      std::printf("imported %u %s records, rejected %zu, in %.1f s (%.0f records/s)\n",
                  response.accepted(), Api::kName, response.rejected() + local_errors, seconds,
                  response.accepted() / std::max(seconds, 1e-9));
    }
    return response.rejected() + local_errors == 0 && response.stopped().empty() ? 0 : 2;
  }
};

struct SeekerApi {
  static constexpr const char* kName = "seeker";
  using Service = v1::SeekerService;
  using UpsertRequest = v1::UpsertSeekerRequest;
  using GetRequest = v1::GetSeekerRequest;
  using GetResponse = v1::GetSeekerResponse;
  using DeleteRequest = v1::DeleteSeekerRequest;
  using ListRequest = v1::ListSeekersRequest;
  using ListResponse = v1::ListSeekersResponse;
  using ImportRequest = v1::ImportSeekerRequest;
  static v1::Seeker* Mutable(UpsertRequest* r) { return r->mutable_seeker(); }
  static v1::Seeker* Mutable(ImportRequest* r) { return r->mutable_seeker(); }
};
struct VacancyApi {
  static constexpr const char* kName = "vacancy";
  using Service = v1::VacancyService;
  using UpsertRequest = v1::UpsertVacancyRequest;
  using GetRequest = v1::GetVacancyRequest;
  using GetResponse = v1::GetVacancyResponse;
  using DeleteRequest = v1::DeleteVacancyRequest;
  using ListRequest = v1::ListVacanciesRequest;
  using ListResponse = v1::ListVacanciesResponse;
  using ImportRequest = v1::ImportVacancyRequest;
  static v1::Vacancy* Mutable(UpsertRequest* r) { return r->mutable_vacancy(); }
  static v1::Vacancy* Mutable(ImportRequest* r) { return r->mutable_vacancy(); }
};
struct EmployerApi {
  static constexpr const char* kName = "employer";
  using Service = v1::EmployerService;
  using UpsertRequest = v1::UpsertEmployerRequest;
  using GetRequest = v1::GetEmployerRequest;
  using GetResponse = v1::GetEmployerResponse;
  using DeleteRequest = v1::DeleteEmployerRequest;
  using ListRequest = v1::ListEmployersRequest;
  using ListResponse = v1::ListEmployersResponse;
  using ImportRequest = v1::ImportEmployerRequest;
  static v1::Employer* Mutable(UpsertRequest* r) { return r->mutable_employer(); }
  static v1::Employer* Mutable(ImportRequest* r) { return r->mutable_employer(); }
};

template <template <typename> class Fn, typename... Args>
int ByKind(const std::string& kind, Args&&... args) {
  if (kind == "seeker") return Fn<SeekerApi>::Run(std::forward<Args>(args)...);
  if (kind == "vacancy") return Fn<VacancyApi>::Run(std::forward<Args>(args)...);
  if (kind == "employer") return Fn<EmployerApi>::Run(std::forward<Args>(args)...);
  std::fprintf(stderr, "jobmatch: KIND must be seeker, vacancy or employer, not '%s'\n", kind.c_str());
  return 64;
}
template <typename Api> struct PutCmd { static int Run(grpc::Channel* c, const std::string& a) { return RecordCommands<Api>::Put(c, a); } };
template <typename Api> struct GetCmd { static int Run(grpc::Channel* c, const std::string& a) { return RecordCommands<Api>::Get(c, a); } };
template <typename Api> struct DeleteCmd { static int Run(grpc::Channel* c, const std::string& a) { return RecordCommands<Api>::Delete(c, a); } };
template <typename Api> struct ListCmd { static int Run(grpc::Channel* c) { return RecordCommands<Api>::List(c); } };
template <typename Api> struct ImportCmd { static int Run(grpc::Channel* c, const std::string& a) { return RecordCommands<Api>::Import(c, a); } };

std::string Percent(double v) { return absl::StrFormat("%3.0f%%", v * 100); }

void PrintMatches(const v1::MatchResponse& response, bool seeker_query) {
  std::printf("%-4s %-14s %6s %6s %6s %7s  %-22s %s\n", "rank", seeker_query ? "vacancy" : "seeker",
              "score", "req", "pref", "commute", "verdict", "missing essential skills");
  for (const auto& m : response.matches()) {
    const auto& e = m.explanation();
    std::vector<std::string> missing;
    for (const auto& s : e.missing_skills()) {
      if (missing.size() == 3) {
        missing.push_back(absl::StrCat("+", e.missing_skills_size() - 3, " more"));
        break;
      }
      missing.push_back(s.label());
    }
    std::string verdict = e.verdict();
    if (e.support_schemes_size() > 0) verdict += " (" + absl::StrJoin(e.support_schemes(), ",") + ")";
    if (m.feedback_outcome() != v1::FEEDBACK_OUTCOME_UNSPECIFIED) {
      verdict += " [" + v1::FeedbackOutcome_Name(m.feedback_outcome()) + "]";
    }
    std::printf("%-4d %-14s %6s %6s %6s %7s  %-22s %s\n", m.rank(), m.id().c_str(),
                Percent(seeker_query ? e.seeker_view_total() : e.total()).c_str(),
                Percent(e.requirements_fit()).c_str(), Percent(e.preference_fit()).c_str(),
                e.commute_minutes() > 0 ? absl::StrFormat("%.0f min", e.commute_minutes()).c_str()
                                        : "remote",
                verdict.c_str(), missing.empty() ? "-" : absl::StrJoin(missing, "; ").c_str());
  }
  std::printf("\n%d shown; %u candidates, %u scored, %u feasible. decision %s, policy %s, data sequence %lu\n",
              response.matches_size(), response.candidates(), response.scored(), response.feasible(),
              response.trace().decision_id().c_str(), response.trace().policy_version().c_str(),
              static_cast<unsigned long>(response.trace().data_sequence()));
  if (!response.next_page_token().empty()) {
    std::printf("more: --page_token=%s\n", response.next_page_token().c_str());
  }
}

void PrintExplanation(const v1::Explanation& e) {
  std::printf("verdict: %s\n", e.verdict().c_str());
  if (!e.blocker().empty()) std::printf("blocked by: %s — %s\n", e.blocker().c_str(), e.blocker_detail().c_str());
  std::printf("score: %s (requirements %s, preferences %s); in the seeker's own view %s\n",
              Percent(e.total()).c_str(), Percent(e.requirements_fit()).c_str(),
              Percent(e.preference_fit()).c_str(), Percent(e.seeker_view_total()).c_str());
  for (const auto& p : e.parts()) {
    std::printf("  %-18s value %s  weight %.1f  adds %5.3f  %s\n", p.reason().c_str(),
                Percent(p.value()).c_str(), p.weight(), p.contribution(), p.evidence().c_str());
  }
  if (e.commute_minutes() > 0) {
    std::printf("commute: about %.0f min one way by %s (%s)\n", e.commute_minutes(),
                v1::TransportMode_Name(e.commute_mode()).c_str(), e.commute_source().c_str());
  }
  std::printf("skills matched: %d; missing essential: %d\n", e.matched_skills_size(), e.missing_skills_size());
  for (const auto& s : e.missing_skills()) std::printf("  - %s\n", s.label().c_str());
  if (e.support_schemes_size() > 0) std::printf("support schemes: %s\n", absl::StrJoin(e.support_schemes(), ", ").c_str());
  if (e.needs_redacted()) std::printf("functional needs: not shown (no consent to share)\n");
  for (auto a : e.needs_met()) std::printf("  need met: %s\n", v1::Accommodation_Name(a).c_str());
  for (auto a : e.needs_to_check()) std::printf("  check with the employer: %s\n", v1::Accommodation_Name(a).c_str());
  if (e.fortrinsadgang()) std::printf("public employer: fortrinsadgang applies\n");
  if (e.has_placement_rule()) {
    const auto& r = e.placement_rule();
    std::printf("placement rule: %s v%d (%s, placement rules %s), %s, valid %s to %s; %s\n",
                r.rule_id().c_str(), r.rule_version(), r.kind().c_str(), r.table_version().c_str(),
                r.max_weeks() > 0 ? absl::StrCat("at most ", r.max_weeks(), " weeks").c_str()
                                  : "no maximum duration",
                r.valid_from().c_str(), r.valid_to().empty() ? "further notice" : r.valid_to().c_str(),
                r.source().c_str());
  }
  if (e.development_skills_size() > 0) {
    std::printf("skills the placement would develop: %d\n", e.development_skills_size());
    for (const auto& s : e.development_skills()) std::printf("  + %s\n", s.label().c_str());
  }
}

int Health(grpc::Channel* channel) {
  auto stub = grpc::health::v1::Health::NewStub(std::shared_ptr<grpc::Channel>(channel, [](auto*) {}));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(Context().get(), request, &response);
  if (!status.ok()) return Fail(status);
  std::printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() > 1 ? args[1] : "help";
  auto arg = [&](size_t i) { return i < args.size() ? std::string(args[i]) : std::string(); };
  auto need = [&](size_t n) {
    if (args.size() < n + 2) {
      std::fprintf(stderr, "jobmatch %s: needs %zu argument(s)\n\n%s", command.c_str(), n, kUsage);
      return false;
    }
    return true;
  };
  if (command == "help" || command == "--help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto connection = cli::ConnectionOptionsFromFlags();
  if (!connection.ok()) {
    std::fprintf(stderr, "jobmatch: %s\n", std::string(connection.status().message()).c_str());
    return 64;
  }
  Connection() = *connection;
  auto channel = cli::OpenChannel(Connection());
  grpc::Channel* ch = channel.get();
  const bool json = absl::GetFlag(FLAGS_json);

  if (command == "health") return Health(ch);
  if (command == "put") return need(2) ? ByKind<PutCmd>(arg(2), ch, arg(3)) : 64;
  if (command == "get") return need(2) ? ByKind<GetCmd>(arg(2), ch, arg(3)) : 64;
  if (command == "delete") return need(2) ? ByKind<DeleteCmd>(arg(2), ch, arg(3)) : 64;
  if (command == "list") return need(1) ? ByKind<ListCmd>(arg(2), ch) : 64;
  if (command == "import" && arg(2) == "placements") {
    return need(2) ? cli::ImportPlacements(ch, arg(3), absl::GetFlag(FLAGS_json),
                                           [] { return Context(); }, Fail)
                   : 64;
  }
  if (command == "import") return need(2) ? ByKind<ImportCmd>(arg(2), ch, arg(3)) : 64;

  auto stub = v1::MatchService::NewStub(channel);
  const absl::StatusOr<v1::MatchFilters> filters = cli::ParseMatchFilters(
      absl::GetFlag(FLAGS_kind), absl::GetFlag(FLAGS_municipality), absl::GetFlag(FLAGS_min_score));
  if (!filters.ok()) {
    std::fprintf(stderr, "jobmatch: %s\n", std::string(filters.status().message()).c_str());
    return 64;
  }
  if (command == "feedback") {
    if (!need(3)) return 64;
    auto feedback = cli::ParseFeedback(arg(2), arg(3), arg(4), arg(5));
    if (!feedback.ok()) {
      std::fprintf(stderr, "jobmatch: %s\n", std::string(feedback.status().message()).c_str());
      return 64;
    }
    feedback->set_decision_id(absl::GetFlag(FLAGS_decision_id));
    v1::RecordFeedbackRequest request;
    *request.mutable_feedback() = *feedback;
    v1::RecordFeedbackResponse response;
    grpc::Status status = stub->RecordFeedback(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (json) return Print(response);
    std::string detail;
    if (feedback->reason() != v1::REJECTION_REASON_UNSPECIFIED) {
      detail = " (" + v1::RejectionReason_Name(feedback->reason()) + ")";
    } else if (feedback->follow_up_months() != 0) {
      detail = absl::StrCat(" (", feedback->follow_up_months(), " months)");
    } else if (feedback->end_outcome() != v1::END_OUTCOME_UNSPECIFIED) {
      detail = " (" + v1::EndOutcome_Name(feedback->end_outcome()) + ")";
    }
    std::printf("recorded: %s %s %s%s\n", arg(2).c_str(), arg(3).c_str(),
                v1::FeedbackOutcome_Name(feedback->outcome()).c_str(), detail.c_str());
    return 0;
  }
  if (command == "feedback-list") {
    if (!need(2)) return 64;
    v1::ListFeedbackRequest request;
    if (arg(2) == "seeker") {
      request.set_seeker_id(arg(3));
    } else if (arg(2) == "vacancy") {
      request.set_vacancy_id(arg(3));
    } else {
      std::fprintf(stderr, "jobmatch: KIND must be seeker or vacancy, not '%s'\n", arg(2).c_str());
      return 64;
    }
    request.set_limit(absl::GetFlag(FLAGS_limit));
    v1::ListFeedbackResponse response;
    grpc::Status status = stub->ListFeedback(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (json) return Print(response);
    for (const auto& f : response.feedback()) {
      std::printf("%s  %-14s %-14s %-12s %s\n",
                  absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMicros(f.time_micros()),
                                   absl::LocalTimeZone()).c_str(),
                  f.seeker_id().c_str(), f.vacancy_id().c_str(),
                  v1::FeedbackOutcome_Name(f.outcome()).c_str(),
                  f.reason() != v1::REJECTION_REASON_UNSPECIFIED
                      ? v1::RejectionReason_Name(f.reason()).c_str()
                  : f.follow_up_months() != 0
                      ? absl::StrCat(f.follow_up_months(), " months").c_str()
                  : f.end_outcome() != v1::END_OUTCOME_UNSPECIFIED
                      ? v1::EndOutcome_Name(f.end_outcome()).c_str()
                      : "");
    }
    std::printf("%d feedback entries\n", response.feedback_size());
    return 0;
  }
  if (command == "match-seeker" || command == "match-vacancy") {
    if (!need(1)) return 64;
    v1::MatchResponse response;
    grpc::Status status;
    if (command == "match-seeker") {
      v1::TopVacanciesRequest request;
      request.set_seeker_id(arg(2));
      request.set_limit(absl::GetFlag(FLAGS_limit));
      request.set_page_token(absl::GetFlag(FLAGS_page_token));
      request.set_occupation_breadth(absl::GetFlag(FLAGS_breadth));
      *request.mutable_filters() = *filters;
      status = stub->TopVacanciesForSeeker(Context().get(), request, &response);
    } else {
      v1::TopSeekersRequest request;
      request.set_vacancy_id(arg(2));
      request.set_limit(absl::GetFlag(FLAGS_limit));
      request.set_page_token(absl::GetFlag(FLAGS_page_token));
      request.set_occupation_breadth(absl::GetFlag(FLAGS_breadth));
      *request.mutable_filters() = *filters;
      const std::string order = absl::GetFlag(FLAGS_order);
      const std::string groups = absl::GetFlag(FLAGS_target_groups);
      const std::string group_order = absl::GetFlag(FLAGS_target_group_order);
      const int min_weeks = absl::GetFlag(FLAGS_min_weeks_unemployed);
      if (!order.empty() || !groups.empty() || !group_order.empty() || min_weeks != 0) {
        v1::SeekerPriority* p = request.mutable_priority();
        if (order == "longest_unemployed") {
          p->set_order(v1::LONGEST_UNEMPLOYED_FIRST);
        } else if (order == "target_group") {
          p->set_order(v1::TARGET_GROUP_ORDER);
        } else if (!order.empty() && order != "score") {
          std::fprintf(stderr, "jobmatch match-vacancy: --order: must be score, "
                               "longest_unemployed or target_group\n");
          return 64;
        }
        for (absl::string_view g : absl::StrSplit(groups, ',', absl::SkipWhitespace())) {
          p->add_target_groups(std::string(g));
        }
        for (absl::string_view g : absl::StrSplit(group_order, ',', absl::SkipWhitespace())) {
          p->add_target_group_order(std::string(g));
        }
        p->set_min_weeks_unemployed(min_weeks);
      }
      status = stub->TopSeekersForVacancy(Context().get(), request, &response);
    }
    if (!status.ok()) return Fail(status);
    const int dropped = cli::DropLongCommutes(absl::GetFlag(FLAGS_max_commute), &response);
    if (dropped > 0 && !json) {
      std::printf("(%d on this page left out: commute over %.0f min)\n", dropped,
                  absl::GetFlag(FLAGS_max_commute));
    }
    if (json) return Print(response);
    PrintMatches(response, command == "match-seeker");
    if (response.matches_size() > 0 && response.matches(0).has_priority()) {
      std::printf("\nOrdered by your chosen priority (scores unchanged):\n%-4s %-14s %-20s %s\n",
                  "rank", "seeker", "target group", "weeks unemployed");
      for (const auto& m : response.matches()) {
        const int weeks = m.priority().weeks_unemployed();
        std::printf("%-4d %-14s %-20s %s\n", m.rank(), m.id().c_str(),
                    m.priority().target_group().c_str(),
                    weeks < 0 ? "unknown" : std::to_string(weeks).c_str());
      }
    }
    return 0;
  }
  if (command == "explain") {
    if (!need(2)) return 64;
    v1::ExplainRequest request;
    request.set_seeker_id(arg(2));
    request.set_vacancy_id(arg(3));
    v1::ExplainResponse response;
    grpc::Status status = stub->Explain(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (json) return Print(response);
    PrintExplanation(response.explanation());
    std::printf("decision %s, policy %s, data sequence %lu\n", response.trace().decision_id().c_str(),
                response.trace().policy_version().c_str(),
                static_cast<unsigned long>(response.trace().data_sequence()));
    return 0;
  }
  if (command == "why-not") {
    if (!need(2)) return 64;
    v1::WhyNotRequest request;
    request.set_seeker_id(arg(2));
    request.set_vacancy_id(arg(3));
    request.set_seeker_side(absl::GetFlag(FLAGS_seeker_side));
    request.set_limit(absl::GetFlag(FLAGS_limit));
    request.set_occupation_breadth(absl::GetFlag(FLAGS_breadth));
    *request.mutable_filters() = *filters;
    v1::WhyNotResponse response;
    grpc::Status status = stub->WhyNot(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (json) return Print(response);
    std::printf("%s: %s\n", response.kind().c_str(), response.explanation().c_str());
    return 0;
  }
  if (command == "policy") {
    v1::Policy response;
    grpc::Status status = stub->GetPolicy(Context().get(), v1::GetPolicyRequest(), &response);
    if (!status.ok()) return Fail(status);
    return Print(response);
  }
  if (command == "changes") {
    v1::WatchChangesRequest request;
    request.set_after_sequence(std::strtoull(arg(2).empty() ? "0" : arg(2).c_str(), nullptr, 10));
    request.set_max_changes(absl::GetFlag(FLAGS_limit));
    request.set_stop_at_end(!absl::GetFlag(FLAGS_follow));
    grpc::ClientContext context;
    cli::Authorize(Connection(), &context);
    auto reader = stub->WatchChanges(&context, request);
    v1::Change change;
    while (reader->Read(&change)) std::printf("%s\n", ToJson(change, false).c_str());
    grpc::Status status = reader->Finish();
    return status.ok() ? 0 : Fail(status);
  }
  auto rematch = v1::RematchService::NewStub(channel);
  if (command == "rematch-start") {
    v1::StartRematchRequest request;
    request.set_k(std::atoi(arg(2).empty() ? "0" : arg(2).c_str()));
    v1::RematchRun run;
    grpc::Status status = rematch->StartRematch(Context().get(), request, &run);
    if (!status.ok()) return Fail(status);
    status = cli::FollowRematchRun(rematch.get(), run.run_id(), isatty(STDERR_FILENO), stderr, &run);
    if (!status.ok()) return Fail(status);
    if (json) return Print(run);
    std::printf("rematch %s: %s in %.1f s; %lu seekers, %lu vacancies; %lu pairs scored, %lu feasible;\n"
                "%.1f%% of seekers have a match, %.1f%% of vacancies a candidate\n",
                run.run_id().c_str(), run.state().c_str(),
                (run.finished_micros() - run.started_micros()) / 1e6,
                static_cast<unsigned long>(run.seekers()), static_cast<unsigned long>(run.vacancies()),
                static_cast<unsigned long>(run.scored_pairs()),
                static_cast<unsigned long>(run.feasible_pairs()), 100 * run.share_seekers_with_match(),
                100 * run.share_vacancies_with_candidate());
    std::printf("%-22s %12s %18s %16s %10s\n", "suggestions", "count", "vacancies reached",
                "Gini per vacancy", "mean score");
    for (const auto& [name, f] : {std::pair<const char*, const v1::AllocationFigures*>{"plain top-k", &run.plain()},
                                  {"capacity-aware", &run.allocated()}}) {
      std::printf("%-22s %12lu %17.1f%% %16.3f %10.3f\n", name,
                  static_cast<unsigned long>(f->suggestions()),
                  100 * f->share_vacancies_with_suggestion(), f->gini_suggestions_per_vacancy(),
                  f->mean_score());
    }
    return run.state() == "DONE" ? 0 : 1;
  }
  if (command == "rematch-status") {
    v1::GetRematchRunRequest request;
    request.set_run_id(arg(2));
    v1::RematchRun run;
    grpc::Status status = rematch->GetRematchRun(Context().get(), request, &run);
    if (!status.ok()) return Fail(status);
    return Print(run);
  }
  if (command == "rematch-matches") {
    if (!need(2)) return 64;
    v1::GetRematchMatchesRequest request;
    request.set_run_id(absl::GetFlag(FLAGS_run_id));
    if (arg(2) == "seeker") {
      request.set_seeker_id(arg(3));
    } else if (arg(2) == "vacancy") {
      request.set_vacancy_id(arg(3));
    } else {
      std::fprintf(stderr, "jobmatch: KIND must be seeker or vacancy\n");
      return 64;
    }
    v1::RematchMatches matches;
    grpc::Status status = rematch->GetRematchMatches(Context().get(), request, &matches);
    if (!status.ok()) return Fail(status);
    if (json) return Print(matches);
    std::printf("run %s\n", matches.run_id().c_str());
    for (const auto& m : matches.matches()) {
      std::printf("%4d  %-14s %s\n", m.rank(), m.id().c_str(), Percent(m.score()).c_str());
    }
    return 0;
  }
  if (command == "rematch-report") {
    v1::GetRematchReportRequest request;
    request.set_run_id(arg(2));
    v1::RematchReport report;
    grpc::Status status = rematch->GetRematchReport(Context().get(), request, &report);
    if (!status.ok()) return Fail(status);
    if (const std::string html = absl::GetFlag(FLAGS_html); !html.empty()) {
      std::ofstream out(html);
      out << cli::RenderReportHtml(report);
      if (!out.flush()) {
        std::fprintf(stderr, "jobmatch: cannot write %s\n", html.c_str());
        return 73;
      }
      std::fprintf(stderr, "jobmatch: wrote %s\n", html.c_str());
      return 0;
    }
    if (json) return Print(report);
    std::fputs(cli::RenderReportText(report).c_str(), stdout);
    return 0;
  }
  if (command == "bridge") {
    v1::BridgeRequest request;
    request.set_no_contact_days(absl::GetFlag(FLAGS_days));
    request.set_limit(absl::GetFlag(FLAGS_limit));
    v1::BridgeResponse response;
    grpc::Status status =
        v1::EmployerBridgeService::NewStub(channel)->Bridge(Context().get(), request, &response);
    if (!status.ok()) return Fail(status);
    if (json) return Print(response);
    auto date = [](int64_t micros) {
      return micros == 0 ? std::string("never")
                         : absl::FormatTime("%Y-%m-%d", absl::FromUnixMicros(micros),
                                            absl::UTCTimeZone());
    };
    auto table = [&](const char* title,
                     const google::protobuf::RepeatedPtrField<v1::BridgeEmployer>& rows) {
      std::printf("\n%s (%d)\n  %-12s %-36s %-9s %-14s %5s %5s %6s %6s  %-10s %-10s\n", title,
                  rows.size(), "employer", "name", "cvr", "size", "jobs", "open", "strong",
                  "feasbl", "contact", "visit");
      for (const auto& e : rows) {
        std::string size = v1::EmployerSizeBand_Name(e.size_band());
        std::printf("  %-12s %-36.36s %-9s %-14s %5u %5u %6u %6u  %-10s %-10s\n",
                    e.employer_id().c_str(), e.name().c_str(), e.cvr().c_str(), size.c_str(),
                    e.open_vacancies(), e.openings(), e.strong_candidates(),
                    e.feasible_candidates(), date(e.last_contact_micros()).c_str(),
                    date(e.last_visit_micros()).c_str());
      }
    };
    table("Strong candidates, no recent contact: call them", response.strong_candidates_no_contact());
    table("Many openings, few feasible candidates: outreach or a course",
          response.many_openings_few_candidates());
    table("5+ employees, not visited this year: plan a visit", response.not_visited_this_year());
    return 0;
  }
  if (command == "skill-gap" || command == "upskill") {
    auto upskilling = v1::UpskillingService::NewStub(channel);
    v1::SkillGapSettings settings;
    settings.set_good_score(absl::GetFlag(FLAGS_good_score));
    if (command == "upskill") {
      if (!need(1)) return 64;
      v1::UpskillingPlanRequest request;
      request.set_seeker_id(arg(2));
      *request.mutable_settings() = settings;
      v1::UpskillingPlanResponse plan;
      grpc::Status status = upskilling->UpskillingPlan(Context().get(), request, &plan);
      if (!status.ok()) return Fail(status);
      if (json) return Print(plan);
      std::fputs(cli::RenderUpskillingPlanText(plan).c_str(), stdout);
      return 0;
    }
    v1::SkillGapsRequest request;
    *request.mutable_settings() = settings;
    request.set_limit(absl::GetFlag(FLAGS_limit));
    for (absl::string_view code : absl::StrSplit(absl::GetFlag(FLAGS_municipality), ',',
                                                 absl::SkipWhitespace())) {
      int m = 0;
      if (!absl::SimpleAtoi(code, &m)) {
        std::fprintf(stderr, "jobmatch skill-gap: --municipality: '%s' is not a municipality code\n",
                     std::string(code).c_str());
        return 64;
      }
      request.add_municipalities(m);
    }
    v1::SkillGapsResponse gaps;
    grpc::Status status = upskilling->SkillGaps(Context().get(), request, &gaps);
    if (!status.ok()) return Fail(status);
    if (json) return Print(gaps);
    std::fputs(cli::RenderSkillGapsText(gaps).c_str(), stdout);
    return 0;
  }
  if (command == "backup") {
    if (!need(1)) return 64;
    v1::CreateBackupRequest request;
    request.set_name(arg(2));
    v1::Backup backup;
    grpc::Status status = v1::AdminService::NewStub(channel)->CreateBackup(
        Context().get(), request, &backup);
    if (!status.ok()) return Fail(status);
    if (json) return Print(backup);
    std::printf("backup %s written to %s on the server: %u files, %.1f MB, every write up to "
                "sequence %lu\n",
                backup.name().c_str(), backup.path().c_str(), backup.files(),
                backup.bytes() / 1e6, static_cast<unsigned long>(backup.data_sequence_at_least()));
    return 0;
  }
  std::fprintf(stderr, "jobmatch: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 64;
}
