#!/usr/bin/env python3
"""Where a loaded server's CPU goes, per part of a call (docs/benchmarks.md,
"Where a call's time goes"). Reads `perf script` output of a load_bench run
recorded with call graphs and assigns each sample to the first part below
whose pattern matches any frame of its stack (so a sample in the allocator
under View::Apply counts for the view).

  build/bench/server/load_bench --scale=0.2 --clients=8 --seconds=10 --brief \
      --during_rematch=false &
  # once it prints "load:", for the seeker-query phase:
  perf record -F 499 --call-graph dwarf,16384 -p <load_bench pid> -o perf.data -- sleep 4
  perf script -i perf.data | python3 bench/server/perf_breakdown.py
"""
import re, sys, collections
RULES = [
    ("client: stub call, parse, channel", r"main::\{lambda|Stub::TopVacanciesForSeeker|BlockingUnaryCall|UnaryCaller|GenericCaller|ClientCallbackUnaryImpl|CallbackUnaryCallImpl"),
    ("matcher query", r"matcher::MatchIndex::TopVacanciesForSeeker|matcher::MatchIndex::TopSeekersForVacancy"),
    ("audit: records named (store Get + SHA-256)", r"Auditor::NameStored|Auditor::AddStoredRecord|RecordStamps"),
    ("audit: entry appended (seal, hash chain, RocksDB write)", r"CallContext::Finish|Auditor::Finish|AuditLog::Append|Store::AppendAudit|AuditAppender"),
    ("audit: ranking/decision built", r"AuditRanking|AuditTrace"),
    ("view: redaction walk", r"View::Apply|Walker::Walk"),
    ("explanations built (Fill, ToExplanation)", r"MatchServiceImpl::Fill|ToExplanation"),
    ("feedback marks", r"MarkFeedback"),
    ("API-key check (auth processor; caller re-derived in Begin)", r"CallAuthenticator"),
    ("call context begin (scope, bounds check)", r"CallContexts::Begin|CheckRequestBounds"),
    ("metrics and call log", r"Metrics::|ObservingInterceptor"),
    ("call guard (interceptor: method, audited check)", r"CallContexts::Guard|GuardFactoryImpl|CallContexts::Find"),
    ("handler: needs-blind check, query built", r"NeedsBlind|MakeQuery|ApplyQueryOptions|CheckSeeker"),
    ("handler: matcher result freed", r"StatusOrData<jobmatch::matcher::MatchResult>|MatchResult::~MatchResult"),
    ("response freed", r"MatchResponse::~MatchResponse|DefaultMessageHolder"),
    ("server: serialise response", r"SerializeProto|GenericSerialize|_InternalSerialize"),
    ("server: parse request", r"GenericDeserialize"),
    ("gRPC server/transport (rest)", r"grpc|chttp2|ExecCtx|Combiner|epoll|pollset|tcp_"),
    ("rocksdb background", r"rocksdb::"),
]
comp = [(n, re.compile(p)) for n, p in RULES]
counts = collections.Counter(); total = 0
frames = []
def flush():
    global total
    if not frames: return
    total += 1
    for n, c in comp:
        if any(c.search(f) for f in frames):
            counts[n] += 1; return
    counts["other (kernel, allocator, unattributed)"] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); frames = []; continue
    if line.startswith((' ', '\t')):
        parts = line.strip().split(' ', 1)
        if len(parts) == 2: frames.append(parts[1])
flush()
print(f"{total} samples")
for n, c in counts.most_common():
    print(f"{100.0*c/total:6.1f} %  {n}")
