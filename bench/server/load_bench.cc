// Load over gRPC on loopback: a real jobmatchd service (in-process server,
// real RocksDB in a temp folder) and N client threads, each with its own
// channel. Prints figures; not a timed test.
//   build/bench/server/load_bench --scale=national --clients=8 --seconds=20
//   ... --client_process   (the clients in a process of their own: the
//                           server's CPU per call measured apart)
// Reports: direct load and index rebuild time, bulk import throughput through
// the API (vacancies), match QPS with p50/p99 per query type, upsert QPS with
// p50/p99.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "clients/datagen/generator.h"
#include "google/protobuf/arena.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "jobmatch/v1/match_service.grpc.pb.h"
#include "jobmatch/v1/rematch_service.grpc.pb.h"
#include "jobmatch/v1/records_service.grpc.pb.h"
#include "server/auth/api_key_hash.h"
#include "server/huge_pages.h"
#include "server/jobmatch_service.h"

ABSL_FLAG(std::string, scale, "0.1", "Data size: municipality, region, national or a fraction.");
ABSL_FLAG(int, clients, 8,
          "Concurrent clients (threads, or calls in flight with --client=callback).");
ABSL_FLAG(double, seconds, 10, "Duration of each load phase.");
ABSL_FLAG(bool, brief, false, "Ask for brief explanations (no per-skill lists).");
ABSL_FLAG(bool, api_keys, false,
          "Authentication on: every call presents an API key over local credentials "
          "(queries as a CONSULTANT of all municipalities, writes as ADMIN), rate limit off.");
ABSL_FLAG(std::string, client, "blocking",
          "How the load client calls: \"blocking\" = each of --clients threads makes one "
          "blocking call after the other; \"callback\" = --clients calls kept in flight with "
          "gRPC's callback API (a call's completion, on gRPC's own threads, records its latency "
          "and starts the next), so no client thread waits per call; \"generic\" = like "
          "blocking, but each thread sends requests serialised before the load starts through "
          "gRPC's generic stub on a completion queue of its own and keeps the reply as bytes "
          "(checks the status and that a reply came, does not parse it): the client's protobuf "
          "work is left out, the server's work is the same. Either way over --channels "
          "connections. The server is the same (docs/benchmarks.md).");
ABSL_FLAG(int, channels, 0,
          "Channels (connections) the clients share, round robin; 0 = one per client. "
          "Calls on one connection are multiplexed (HTTP/2), so their frames can share "
          "reads and writes.");
ABSL_FLAG(bool, client_process, false,
          "The load client in a process of its own (forked at the start), as the server's "
          "callers are in production: the two then share no gRPC poller, and each one's CPU "
          "is measured apart (the server's from /proc).");
ABSL_FLAG(bool, malloc_hugetlb, true,
          "glibc's malloc on transparent huge pages, as deploy/ starts jobmatchd "
          "(GLIBC_TUNABLES glibc.malloc.hugetlb=1; server/huge_pages.h): the bench executes "
          "itself again with GLIBC_TUNABLES set accordingly when it is not. false: glibc's "
          "default, to compare.");
ABSL_FLAG(bool, during_rematch, true,
          "Last, time seeker queries again while a rematch run is in progress.");

namespace {

using namespace jobmatch;  // NOLINT: a small program

constexpr char kQueryKey[] = "bench-consultant-secret";
constexpr char kWriteKey[] = "bench-admin-secret";

// A client context that presents `key` when authentication is on.
void Authorise(grpc::ClientContext* context, const char* key) {
  if (absl::GetFlag(FLAGS_api_keys)) context->AddMetadata("authorization", absl::StrCat("Bearer ", key));
}

std::shared_ptr<grpc::ChannelCredentials> Credentials() {
  // Plaintext with authentication is loopback-only (local credentials).
  return absl::GetFlag(FLAGS_api_keys) ? grpc::experimental::LocalCredentials(LOCAL_TCP)
                                       : grpc::InsecureChannelCredentials();
}

double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// What a process used: CPU seconds and minor page faults (each a trip into
// the kernel, a costly one in a virtual machine; their count does not
// depend on how busy the machine is). So far, or over a phase (a - b).
struct ProcessUsage {
  double cpu_seconds = 0;
  long minor_faults = 0;
  friend ProcessUsage operator-(const ProcessUsage& a, const ProcessUsage& b) {
    return {a.cpu_seconds - b.cpu_seconds, a.minor_faults - b.minor_faults};
  }
};

// This process's so far.
ProcessUsage UsageOfSelf() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {CpuSeconds(RUSAGE_SELF), usage.ru_minflt};
}

// The arguments of every channel the bench opens.
grpc::ChannelArguments ChannelArgs() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  return args;
}

struct Latencies {
  absl::Mutex mu;
  std::vector<double> micros ABSL_GUARDED_BY(mu);
  std::atomic<int> errors{0};
  // CPU seconds of the client's own threads (blocking client only).
  std::atomic<double> client_cpu{0};
  void Add(std::vector<double>& local) {
    absl::MutexLock lock(&mu);
    micros.insert(micros.end(), local.begin(), local.end());
  }
  // `self`: what this process (client and server) used during the phase.
  // `server`: what the server's process used, if it is another one
  // (--client_process; `self` is then the client's).
  void Print(const char* name, double seconds, const ProcessUsage& self, bool blocking,
             const ProcessUsage* server) {
    const double process_cpu = self.cpu_seconds;
    absl::MutexLock lock(&mu);
    std::sort(micros.begin(), micros.end());
    if (micros.empty()) return;
    std::printf("%-26s %8.0f req/s   p50 %7.2f ms   p99 %7.2f ms   (%zu requests, %d errors)\n",
                name, micros.size() / seconds, micros[micros.size() / 2] / 1000,
                micros[std::min(micros.size() - 1, micros.size() * 99 / 100)] / 1000,
                micros.size(), errors.load());
    const double calls = static_cast<double>(micros.size());
    if (server != nullptr) {
      std::printf("  CPU per call: the server's process %.3f ms, the client's %.3f ms (%.2f cores "
                  "busy in all; the server alone would sustain ~%.0f calls/s on 2 cores); %.1f "
                  "server page faults per 1,000 calls\n",
                  1e3 * server->cpu_seconds / calls, 1e3 * process_cpu / calls,
                  (server->cpu_seconds + process_cpu) / seconds,
                  2.0 * calls / std::max(1e-9, server->cpu_seconds),
                  1e3 * static_cast<double>(server->minor_faults) / calls);
      return;
    }
    std::printf("  CPU per call: %.3f ms for the process (%.2f cores busy)",
                1e3 * process_cpu / calls, process_cpu / seconds);
    if (blocking) {
      // The client threads' own CPU (getrusage RUSAGE_THREAD). gRPC's
      // pollers are shared, so a client thread waiting in its call may also
      // run some of the server's transport work and vice versa: a rough split.
      const double client = client_cpu.load();
      std::printf(", of which the client threads %.3f ms, the rest %.3f ms (the server alone "
                  "would sustain ~%.0f calls/s on 2 cores)",
                  1e3 * client / calls, 1e3 * (process_cpu - client) / calls,
                  2.0 * calls / std::max(1e-9, process_cpu - client));
    }
    std::printf("; %.1f page faults per 1,000 calls\n",
                1e3 * static_cast<double>(self.minor_faults) / calls);
  }
};

// One client's caller of a unary method: its stub, made once, and a request
// and response reused from call to call (as a real client would), a fresh
// ClientContext per call. `call(rng)` makes one blocking call; `call(rng,
// done)` starts one with the callback API and calls done(ok) on completion
// (from gRPC's thread; the next call may be started from there).
template <typename Request, typename Response, typename Stub, typename Fill, typename Blocking,
          typename Async>
class UnaryCaller {
 public:
  UnaryCaller(std::unique_ptr<Stub> stub, const char* key, Fill fill, Blocking blocking,
              Async async)
      : stub_(std::move(stub)), key_(key), fill_(std::move(fill)),
        blocking_(std::move(blocking)), async_(std::move(async)) {}

  bool operator()(std::mt19937& rng) {
    fill_(rng, &request_);
    grpc::ClientContext context;
    Authorise(&context, key_);
    // The reply is parsed onto an arena that starts in this caller's block
    // and is dropped whole: a reused message would free and allocate its
    // entries' explanations again on every parse (protobuf's Clear deletes
    // a singular submessage that is not on an arena).
    google::protobuf::ArenaOptions options;
    options.initial_block = arena_block_.get();
    options.initial_block_size = kArenaBlock;
    google::protobuf::Arena arena(options);
    auto* response = google::protobuf::Arena::CreateMessage<Response>(&arena);
    return blocking_(stub_.get(), &context, request_, response).ok();
  }

  void operator()(std::mt19937& rng, std::function<void(bool)> done) {
    fill_(rng, &request_);
    context_ = std::make_unique<grpc::ClientContext>();
    Authorise(context_.get(), key_);
    async_(stub_.get(), context_.get(), &request_, &response_,
           [done = std::move(done)](grpc::Status status) { done(status.ok()); });
  }

 private:
  std::unique_ptr<Stub> stub_;
  const char* key_;
  Fill fill_;
  Blocking blocking_;
  Async async_;
  Request request_;
  Response response_;  // the callback client's
  static constexpr size_t kArenaBlock = 64 << 10;
  std::unique_ptr<char[]> arena_block_{new char[kArenaBlock]};
  std::unique_ptr<grpc::ClientContext> context_;
};

// One client's caller of a unary method through the generic stub: the
// request's bytes come ready-made from `bytes(rng)` (serialised before the
// load started), the reply is kept as bytes, not parsed. The blocking call
// waits on a completion queue of the thread's own (as gRPC's blocking stub
// does, which makes a queue per call).
class GenericCaller {
 public:
  using Bytes = std::function<const std::string&(std::mt19937&)>;
  GenericCaller(std::shared_ptr<grpc::Channel> channel, std::string method, const char* key,
                Bytes bytes)
      : stub_(std::move(channel)), method_(std::move(method)), key_(key), bytes_(std::move(bytes)) {}
  ~GenericCaller() {
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  bool operator()(std::mt19937& rng) {
    Request(rng);
    grpc::ClientContext context;
    Authorise(&context, key_);
    auto call = stub_.PrepareUnaryCall(&context, method_, request_, &cq_);
    call->StartCall();
    grpc::Status status;
    call->Finish(&response_, &status, this);
    void* tag = nullptr;
    bool ok = false;
    if (!cq_.Next(&tag, &ok) || !ok || tag != this) return false;
    return status.ok() && response_.Length() > 0;
  }

  void operator()(std::mt19937& rng, std::function<void(bool)> done) {
    Request(rng);
    context_ = std::make_unique<grpc::ClientContext>();
    Authorise(context_.get(), key_);
    stub_.UnaryCall(context_.get(), method_, grpc::StubOptions(), &request_, &response_,
                    [this, done = std::move(done)](grpc::Status status) {
                      done(status.ok() && response_.Length() > 0);
                    });
  }

 private:
  void Request(std::mt19937& rng) {
    const std::string& bytes = bytes_(rng);
    grpc::Slice slice(bytes.data(), bytes.size());
    request_ = grpc::ByteBuffer(&slice, 1);
  }

  grpc::GenericStub stub_;
  const std::string method_;
  const char* key_;
  Bytes bytes_;
  grpc::CompletionQueue cq_;
  grpc::ByteBuffer request_, response_;
  std::unique_ptr<grpc::ClientContext> context_;
};

// A caller as a copyable callable (shared state), for `run`.
template <typename Request, typename Response, typename Stub, typename Fill, typename Blocking,
          typename Async>
auto MakeCaller(std::unique_ptr<Stub> stub, const char* key, Fill fill, Blocking blocking,
                Async async) {
  using Caller = UnaryCaller<Request, Response, Stub, Fill, Blocking, Async>;
  struct Shared {
    std::shared_ptr<Caller> caller;
    bool operator()(std::mt19937& rng) const { return (*caller)(rng); }
    void operator()(std::mt19937& rng, std::function<void(bool)> done) const {
      (*caller)(rng, std::move(done));
    }
  };
  return Shared{std::make_shared<Caller>(std::move(stub), key, std::move(fill),
                                         std::move(blocking), std::move(async))};
}

// What the load draws its requests from.
struct LoadData {
  std::vector<std::string> seeker_ids;
  std::vector<v1::Seeker> some_seekers;  // the first 1,000, for the upserts
  std::vector<v1::Vacancy> vacancies;
};

// The generated records, written to `store` if given (employers and
// seekers: the vacancies go through the API). The generator is
// deterministic, so a client process that makes them again without a store
// draws from the same ids the server holds.
// nullopt: --scale is not one the generator knows.
std::optional<LoadData> Generate(storage::Store* store) {
  const std::string ref = matcher::ReferenceData::SourceTreeDataDir();
  auto data = std::move(*matcher::ReferenceData::Load(ref));
  datagen::GeneratorOptions options;
  if (!datagen::ApplyScale(absl::GetFlag(FLAGS_scale), &options).ok()) return std::nullopt;
  auto gen = std::move(*datagen::Generator::Create(data.get(), ref, options));
  LoadData d;
  std::vector<storage::PutRequest> batch;
  auto flush = [&](storage::RecordKind kind) {
    if (store != nullptr) store->PutBatch(kind, std::move(batch), absl::Now());
    batch.clear();
  };
  gen->Employers([&](const v1::Employer& e) {
    if (store != nullptr) batch.push_back({e.id(), e.SerializeAsString(), std::nullopt});
  });
  flush(storage::RecordKind::kEmployer);
  gen->Seekers([&](const v1::Seeker& s) {
    d.seeker_ids.push_back(s.id());
    if (d.some_seekers.size() < 1000) d.some_seekers.push_back(s);
    if (store == nullptr) return;
    batch.push_back({s.id(), s.SerializeAsString(), std::nullopt});
    if (batch.size() == 4096) flush(storage::RecordKind::kSeeker);
  });
  flush(storage::RecordKind::kSeeker);
  gen->Vacancies([&](const v1::Vacancy& v) { d.vacancies.push_back(v); });
  return d;
}

// CPU seconds and minor page faults of another process so far
// (/proc/PID/stat; the CPU in clock ticks, 10 ms, fine over a phase).
ProcessUsage UsageOf(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(in, line);
  // The fields after the command's name, which is in parentheses and may
  // hold spaces: the first is field 3 (state).
  std::istringstream rest(line.substr(std::min(line.size(), line.rfind(')') + 2)));
  std::vector<std::string> f;
  for (std::string field; rest >> field;) f.push_back(field);
  ProcessUsage u;
  if (f.size() > 12) {
    u.minor_faults = std::stol(f[10 - 3]);
    u.cpu_seconds = (std::stod(f[14 - 3]) + std::stod(f[15 - 3])) /
                    static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return u;
}

// A process's peak resident set so far (VmHWM), in MB; -1 if unknown.
double PeakRssMegabytes(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return -1;
}

// The load phases against the server at `addr`; `server` is its process if
// it is not this one (--client_process), 0 if it is. Returns the exit status.
int RunLoad(const std::string& addr, const LoadData& load, pid_t server) {
  const std::vector<std::string>& seeker_ids = load.seeker_ids;
  const std::vector<v1::Seeker>& some_seekers = load.some_seekers;
  const std::vector<v1::Vacancy>& vacancies = load.vacancies;
  const grpc::ChannelArguments args = ChannelArgs();

  // 4. Match queries under concurrent load.
  const int clients = absl::GetFlag(FLAGS_clients);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  // A phase with failed calls fails the run (so the smoke test notices).
  // Each client thread makes its caller once (`make_call(channel)`: its stub
  // and a response message reused from call to call, as a real client
  // would) so that the client, which shares the machine's cores with the
  // server, costs less of them (docs/benchmarks.md).
  int failed_calls = 0;
  const bool callback = absl::GetFlag(FLAGS_client) == "callback";
  const bool generic = absl::GetFlag(FLAGS_client) == "generic";
  if (!callback && !generic && absl::GetFlag(FLAGS_client) != "blocking") {
    std::fprintf(stderr, "--client: \"blocking\", \"callback\" or \"generic\"\n");
    return 64;
  }
  // `make_call(channel)` gives a client's caller: `call(rng)` makes one
  // blocking call; `call(rng, done)` starts one and calls done(ok) when it
  // completes (the callback client).
  const int channel_count =
      absl::GetFlag(FLAGS_channels) > 0 ? std::min(absl::GetFlag(FLAGS_channels), clients)
                                        : clients;
  auto run = [&](const char* name, auto make_call) {
    Latencies lat;
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < channel_count; ++i) {
      grpc::ChannelArguments own = args;
      // Distinct channels get distinct connections (gRPC would otherwise
      // share one subchannel between equal channels).
      own.SetInt("jobmatch.load_bench.channel", i);
      channels.push_back(grpc::CreateCustomChannel(addr, Credentials(), own));
    }
    const absl::Time end = absl::Now() + absl::Seconds(seconds);
    const ProcessUsage self0 = UsageOfSelf();
    const ProcessUsage server0 = server != 0 ? UsageOf(server) : ProcessUsage();
    if (callback) {
      // --clients calls in flight; a completion records the latency and
      // starts the next call from gRPC's thread.
      using Call = decltype(make_call(std::shared_ptr<grpc::Channel>()));
      struct Slot {
        Call call;
        std::mt19937 rng;
        absl::Time start;
        std::vector<double> local;
        std::function<void()> next;
      };
      absl::BlockingCounter finished(clients);
      std::vector<std::unique_ptr<Slot>> slots;
      for (int c = 0; c < clients; ++c) {
        slots.push_back(std::unique_ptr<Slot>(
            new Slot{make_call(channels[c % channel_count]),
                     std::mt19937(c + 1), absl::Time(), {}, nullptr}));
      }
      for (auto& owned : slots) {
        Slot* slot = owned.get();
        slot->next = [&, slot] {
          slot->start = absl::Now();
          if (slot->start >= end) {
            lat.Add(slot->local);
            finished.DecrementCount();
            return;
          }
          slot->call(slot->rng, [&, slot](bool ok) {
            if (!ok) ++lat.errors;
            slot->local.push_back(absl::ToDoubleMicroseconds(absl::Now() - slot->start));
            slot->next();
          });
        };
      }
      for (auto& slot : slots) slot->next();
      finished.Wait();
    } else {
      std::vector<std::thread> threads;
      for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
          auto call = make_call(channels[c % channel_count]);
          std::mt19937 rng(c + 1);
          std::vector<double> local;
          const double thread_cpu0 = CpuSeconds(RUSAGE_THREAD);
          while (absl::Now() < end) {
            const absl::Time start = absl::Now();
            if (!call(rng)) ++lat.errors;
            local.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
          }
          const double used = CpuSeconds(RUSAGE_THREAD) - thread_cpu0;
          double sum = lat.client_cpu.load();
          while (!lat.client_cpu.compare_exchange_weak(sum, sum + used)) {
          }
          lat.Add(local);
        });
      }
      for (auto& t : threads) t.join();
    }
    const ProcessUsage server_used = server != 0 ? UsageOf(server) - server0 : ProcessUsage();
    lat.Print(name, seconds, UsageOfSelf() - self0, !callback,
              server != 0 ? &server_used : nullptr);
    failed_calls += lat.errors.load();
  };
  std::printf("load: %d clients (%s) on %d channels, %.1f s per phase, loopback, same 2-core "
              "machine, %s; heap on transparent huge pages: %s\n",
              clients,
              callback ? "callback API: that many calls in flight"
              : generic ? "generic: a thread each, requests serialised in advance, replies not parsed"
                        : "blocking: a thread each",
              channel_count, seconds,
              absl::GetFlag(FLAGS_api_keys) ? "API keys" : "no authentication",
              MallocHugePagesState().c_str());
  using Channel = std::shared_ptr<grpc::Channel>;
  // For --client=generic: every request the load can send, serialised now
  // (the same ids, drawn the same way, as the other clients).
  std::vector<std::string> seeker_requests, vacancy_requests;
  if (generic) {
    for (const std::string& id : seeker_ids) {
      v1::TopVacanciesRequest request;
      request.set_seeker_id(id);
      request.set_brief(absl::GetFlag(FLAGS_brief));
      seeker_requests.push_back(request.SerializeAsString());
    }
    for (const v1::Vacancy& v : vacancies) {
      v1::TopSeekersRequest request;
      request.set_vacancy_id(v.id());
      request.set_brief(absl::GetFlag(FLAGS_brief));
      vacancy_requests.push_back(request.SerializeAsString());
    }
  }
  auto generic_query = [&](const char* method, const std::vector<std::string>* requests) {
    return [method, requests](const Channel& ch) {
      return std::make_shared<GenericCaller>(
          ch, method, kQueryKey,
          [requests](std::mt19937& rng) -> const std::string& {
            return (*requests)[rng() % requests->size()];
          });
    };
  };
  auto seeker_query = [&](const Channel& ch) {
    return MakeCaller<v1::TopVacanciesRequest, v1::MatchResponse>(
        v1::MatchService::NewStub(ch), kQueryKey,
        [&](std::mt19937& rng, v1::TopVacanciesRequest* request) {
          request->set_seeker_id(seeker_ids[rng() % seeker_ids.size()]);
          request->set_brief(absl::GetFlag(FLAGS_brief));
        },
        [](auto* stub, auto* context, const auto& request, auto* response) {
          return stub->TopVacanciesForSeeker(context, request, response);
        },
        [](auto* stub, auto* context, const auto* request, auto* response, auto done) {
          stub->async()->TopVacanciesForSeeker(context, request, response, std::move(done));
        });
  };
  if (generic) {
    auto shared = [](auto make) {
      return [make](const Channel& ch) {
        struct Shared {
          std::shared_ptr<GenericCaller> caller;
          bool operator()(std::mt19937& rng) const { return (*caller)(rng); }
          void operator()(std::mt19937& rng, std::function<void(bool)> done) const {
            (*caller)(rng, std::move(done));
          }
        };
        return Shared{make(ch)};
      };
    };
    run("TopVacanciesForSeeker",
        shared(generic_query("/jobmatch.v1.MatchService/TopVacanciesForSeeker", &seeker_requests)));
    run("TopSeekersForVacancy",
        shared(generic_query("/jobmatch.v1.MatchService/TopSeekersForVacancy", &vacancy_requests)));
  } else {
    run("TopVacanciesForSeeker", seeker_query);
  }
  if (!generic) run("TopSeekersForVacancy", [&](const Channel& ch) {
    return MakeCaller<v1::TopSeekersRequest, v1::MatchResponse>(
        v1::MatchService::NewStub(ch), kQueryKey,
        [&](std::mt19937& rng, v1::TopSeekersRequest* request) {
          request->set_vacancy_id(vacancies[rng() % vacancies.size()].id());
          request->set_brief(absl::GetFlag(FLAGS_brief));
        },
        [](auto* stub, auto* context, const auto& request, auto* response) {
          return stub->TopSeekersForVacancy(context, request, response);
        },
        [](auto* stub, auto* context, const auto* request, auto* response, auto done) {
          stub->async()->TopSeekersForVacancy(context, request, response, std::move(done));
        });
  });
  run("UpsertSeeker (synced)", [&](const Channel& ch) {
    return MakeCaller<v1::UpsertSeekerRequest, v1::WriteResult>(
        v1::SeekerService::NewStub(ch), kWriteKey,
        [&](std::mt19937& rng, v1::UpsertSeekerRequest* request) {
          *request->mutable_seeker() = some_seekers[rng() % some_seekers.size()];
        },
        [](auto* stub, auto* context, const auto& request, auto* response) {
          return stub->Upsert(context, request, response);
        },
        [](auto* stub, auto* context, const auto* request, auto* response, auto done) {
          stub->async()->Upsert(context, request, response, std::move(done));
        });
  });
  // 5. The seeker queries again while the nightly rematch runs beside them
  // (it works on a snapshot of the index; the two share the cores).
  if (absl::GetFlag(FLAGS_during_rematch)) {
    auto rematch = v1::RematchService::NewStub(
        grpc::CreateCustomChannel(addr, Credentials(), args));
    v1::StartRematchRequest start;
    v1::RematchRun started;
    grpc::ClientContext start_context;
    Authorise(&start_context, kWriteKey);
    grpc::Status status = rematch->StartRematch(&start_context, start, &started);
    if (!status.ok()) {
      std::fprintf(stderr, "StartRematch: %s\n", status.error_message().c_str());
      return 1;
    }
    std::atomic<bool> phase_over{false};
    std::atomic<int> running_samples{0}, samples{0};
    std::thread watcher([&] {
      while (!phase_over) {
        v1::GetRematchRunRequest get;
        get.set_run_id(started.run_id());
        v1::RematchRun sample;
        grpc::ClientContext context;
        Authorise(&context, kWriteKey);
        if (rematch->GetRematchRun(&context, get, &sample).ok()) {
          ++samples;
          running_samples += sample.state() == "RUNNING";
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
    run("TopVacanciesForSeeker during a rematch", seeker_query);
    phase_over = true;
    watcher.join();
    std::printf("  (the rematch was running in %d of %d samples taken during that phase)\n",
                running_samples.load(), samples.load());
  }
  std::printf("memory: peak RSS of the %s %.0f MB\n",
              server != 0 ? "server's process" : "process (server and client)",
              PeakRssMegabytes(server != 0 ? server : getpid()));
  if (failed_calls > 0) std::fprintf(stderr, "%d calls failed\n", failed_calls);
  return failed_calls > 0 ? 1 : 0;
}

// --client_process: the load from a process of its own. It makes the same
// records (without storing them) and waits for the server's address.
int ClientProcess(int from_server) {
  const std::optional<LoadData> load = Generate(nullptr);
  if (!load) return 64;
  std::string addr;
  char c;
  while (read(from_server, &c, 1) == 1 && c != '\n') addr.push_back(c);
  close(from_server);
  if (addr.empty()) {
    std::fprintf(stderr, "load_bench: the server's process stopped before it listened\n");
    return 1;
  }
  std::printf("client: a process of its own (pid %d; the server's is %d)\n", getpid(), getppid());
  return RunLoad(addr, *load, getppid());
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // glibc reads its tunables before main: to change them, start again.
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (MallocHugePagesAsked(tunables) != absl::GetFlag(FLAGS_malloc_hugetlb)) {
    const std::string wanted = WithMallocHugePages(tunables, absl::GetFlag(FLAGS_malloc_hugetlb));
    setenv("GLIBC_TUNABLES", wanted.c_str(), 1);
    execv("/proc/self/exe", argv);
    std::perror("load_bench: executing again with GLIBC_TUNABLES");
    return 1;
  }
  // As jobmatchd does (server/main.cc): Debian's Abseil checks every lock
  // against a process-wide lock graph otherwise.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // --client_process: forked first, while this process has no thread and
  // no gRPC yet; the server's address goes to it through a pipe.
  int to_client[2] = {-1, -1};
  pid_t client = 0;
  if (absl::GetFlag(FLAGS_client_process)) {
    if (pipe(to_client) != 0 || (client = fork()) < 0) {
      std::perror("load_bench: --client_process");
      return 1;
    }
    if (client == 0) {
      close(to_client[1]);
      return ClientProcess(to_client[0]);
    }
    close(to_client[0]);
  }
  const std::string dir = (std::filesystem::temp_directory_path() /
                           absl::StrFormat("load_bench_%d", getpid())).string();

  // 1. Seekers and employers straight into the data folder.
  absl::Time t0 = absl::Now();
  LoadData load;
  {
    auto store = std::move(*storage::Store::Open({dir}));
    std::optional<LoadData> made = Generate(store.get());
    if (!made) return 64;
    load = *std::move(made);
  }
  const std::vector<v1::Vacancy>& vacancies = load.vacancies;
  std::printf("data: %zu seekers, %zu vacancies (scale %s), written directly in %.2f s\n",
              load.seeker_ids.size(), vacancies.size(), absl::GetFlag(FLAGS_scale).c_str(),
              absl::ToDoubleSeconds(absl::Now() - t0));

  // 2. Start the service: rebuilds the index from storage.
  ServiceOptions options;
  options.server.listen_address = "127.0.0.1:0";
  options.data_dir = dir;
  options.reference_data_dir = matcher::ReferenceData::SourceTreeDataDir();
  if (absl::GetFlag(FLAGS_api_keys)) {
    options.security.api_keys.push_back({"bench-consultant", auth::Sha256Hex(kQueryKey),
                                         auth::Role::kConsultant, {}, true, {}});
    options.security.api_keys.push_back(
        {"bench-admin", auth::Sha256Hex(kWriteKey), auth::Role::kAdmin, {}, true, {}});
    options.security.rate_limit_per_second = 1e9;
    options.security.rate_limit_burst = 1'000'000'000;
  }
  t0 = absl::Now();
  auto service = JobmatchService::Start(options);
  if (!service.ok()) {
    std::fprintf(stderr, "%s\n", service.status().ToString().c_str());
    return 1;
  }
  std::printf("start-up: index rebuilt in %.2f s (%zu seekers)\n",
              absl::ToDoubleSeconds(absl::Now() - t0), (*service)->rebuild_stats().seekers);
  const std::string addr = absl::StrFormat("127.0.0.1:%d", (*service)->port());

  // 3. Vacancies through the API: one Import stream, validated, group commit.
  {
    auto stub =
        v1::VacancyService::NewStub(grpc::CreateCustomChannel(addr, Credentials(), ChannelArgs()));
    grpc::ClientContext context;
    Authorise(&context, kWriteKey);
    v1::ImportResponse response;
    t0 = absl::Now();
    auto writer = stub->Import(&context, &response);
    v1::ImportVacancyRequest request;
    for (const auto& v : vacancies) {
      *request.mutable_vacancy() = v;
      writer->Write(request);
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    const double s = absl::ToDoubleSeconds(absl::Now() - t0);
    std::printf("import through the API: %u vacancies in %.2f s = %.0f records/s (%s)\n",
                response.accepted(), s, response.accepted() / s,
                status.ok() ? "ok" : status.error_message().c_str());
  }


  int status;
  if (client > 0) {
    std::fflush(stdout);
    const std::string line = addr + "\n";
    if (write(to_client[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      std::perror("load_bench: the client process");
    }
    close(to_client[1]);
    int wstatus = 0;
    waitpid(client, &wstatus, 0);
    status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;
  } else {
    status = RunLoad(addr, load, 0);
  }
  (*service)->Shutdown();
  std::filesystem::remove_all(dir);
  return status;
}
