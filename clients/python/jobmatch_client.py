"""A typed Python client for jobmatch: every RPC of jobmatch.v1, API key, bearer token and TLS.

Messages come from `protoc --python_out` and the service stubs from gRPC's Python plugin
(`--grpc_python_out`; Debian's protobuf-compiler, protobuf-compiler-grpc, python3-protobuf and
python3-grpcio), all generated from the same protos as the server. Example:

    from jobmatch_client import JobmatchClient, match_pb
    with JobmatchClient("127.0.0.1:50051", api_key="...") as client:
        for m in client.best_seekers_for_vacancy("v000003", limit=5):
            print(m.rank, m.id, round(m.total, 3), m.commute_minutes, m.missing_skills)
        # Every RPC, typed by its generated request and response messages:
        policy = client.match.GetPolicy(match_pb.GetPolicyRequest())
        for change in client.match.WatchChanges(match_pb.WatchChangesRequest(stop_at_end=True)):
            print(change.sequence, change.kind, change.id)

`client.seekers`, `.vacancies`, `.employers`, `.match`, `.rematch`, `.audit` and `.admin` are
the generated stubs of the seven services, wrapped so that every call carries the client's
credentials, request id and timeout and raises JobmatchError (gRPC code name and the server's
message naming the field and rule) instead of grpc.RpcError.
"""
from __future__ import annotations

import dataclasses
import uuid
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

import grpc

from jobmatch.v1 import admin_service_pb2 as admin_pb
from jobmatch.v1 import admin_service_pb2_grpc as admin_grpc
from jobmatch.v1 import audit_service_pb2 as audit_pb
from jobmatch.v1 import audit_service_pb2_grpc as audit_grpc
from jobmatch.v1 import common_pb2
from jobmatch.v1 import employer_pb2
from jobmatch.v1 import match_service_pb2 as match_pb
from jobmatch.v1 import match_service_pb2_grpc as match_grpc
from jobmatch.v1 import records_service_pb2 as records_pb
from jobmatch.v1 import records_service_pb2_grpc as records_grpc
from jobmatch.v1 import rematch_service_pb2 as rematch_pb
from jobmatch.v1 import rematch_service_pb2_grpc as rematch_grpc
from jobmatch.v1 import seeker_pb2, vacancy_pb2

__all__ = ["JobmatchClient", "JobmatchError", "Match", "Seeker", "Vacancy", "Employer",
           "admin_pb", "audit_pb", "common_pb2", "match_pb", "records_pb", "rematch_pb"]

Seeker = seeker_pb2.Seeker
Vacancy = vacancy_pb2.Vacancy
Employer = employer_pb2.Employer


@dataclasses.dataclass(frozen=True)
class Match:
    """One ranked match with the parts a caller usually needs."""
    id: str
    rank: int
    total: float
    seeker_view_total: float
    verdict: str
    commute_minutes: float
    missing_skills: List[str]
    decision_id: str
    policy_version: str
    data_sequence: int


class JobmatchError(Exception):
    """A failed call: `code` is the gRPC status code name, `message` names field and rule."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _error(e: grpc.RpcError) -> JobmatchError:
    return JobmatchError(e.code().name, e.details() or "")


class _Service:
    """A generated stub whose methods carry the client's metadata and timeout and raise
    JobmatchError. Unary methods return the response message; server-streaming ones an
    iterator of messages; client-streaming ones take an iterable of requests."""

    def __init__(self, stub: Any, streaming: Sequence[str], metadata: Callable[[], list],
                 timeout: Optional[float]):
        self._stub = stub
        self._streaming = set(streaming)
        self._metadata = metadata
        self._timeout = timeout

    def __getattr__(self, name: str):
        method = getattr(self._stub, name)
        if name in self._streaming:  # server streaming: no overall deadline, errors while iterating
            def stream(request, timeout: Optional[float] = None):
                try:
                    yield from method(request, metadata=self._metadata(), timeout=timeout)
                except grpc.RpcError as e:
                    raise _error(e) from None
            return stream

        def call(request, timeout: Optional[float] = None):
            try:
                return method(request, metadata=self._metadata(),
                              timeout=timeout if timeout is not None else self._timeout)
            except grpc.RpcError as e:
                raise _error(e) from None
        return call


class JobmatchClient:
    """A connection to jobmatchd.

    address: host:port of the gRPC port.
    api_key: sent as "x-api-key" metadata (docs/security.md).
    bearer_token: sent as "authorization: Bearer <token>" (an OIDC access token, or an API key).
    tls_ca_file: PEM CA bundle to verify the server (turns TLS on); tls_cert_file and
        tls_key_file add a client certificate (mutual TLS); tls_server_name overrides the name
        checked in the server's certificate.
    credentials: ready-made channel credentials instead of the tls_* files.
    """

    def __init__(self, address: str, timeout_seconds: float = 10.0,
                 credentials: Optional[grpc.ChannelCredentials] = None,
                 api_key: Optional[str] = None, bearer_token: Optional[str] = None,
                 tls_ca_file: Optional[str] = None, tls_cert_file: Optional[str] = None,
                 tls_key_file: Optional[str] = None, tls_server_name: Optional[str] = None):
        if api_key and bearer_token:
            raise ValueError("give api_key or bearer_token, not both (the server refuses two)")
        if (tls_cert_file is None) != (tls_key_file is None):
            raise ValueError("tls_cert_file and tls_key_file go together")
        if credentials is None and tls_ca_file is not None:
            def read(path):
                with open(path, "rb") as f:
                    return f.read()
            credentials = grpc.ssl_channel_credentials(
                root_certificates=read(tls_ca_file),
                private_key=read(tls_key_file) if tls_key_file else None,
                certificate_chain=read(tls_cert_file) if tls_cert_file else None)
        options = [("grpc.ssl_target_name_override", tls_server_name)] if tls_server_name else []
        self._channel = (grpc.secure_channel(address, credentials, options=options) if credentials
                         else grpc.insecure_channel(address))
        self._auth: List[tuple] = []
        if api_key:
            self._auth.append(("x-api-key", api_key))
        if bearer_token:
            self._auth.append(("authorization", f"Bearer {bearer_token}"))
        self._timeout = timeout_seconds
        self.last_request_id = ""

        def wrap(stub, streaming=()):
            return _Service(stub, streaming, self._metadata, timeout_seconds)
        self.seekers = wrap(records_grpc.SeekerServiceStub(self._channel))
        self.vacancies = wrap(records_grpc.VacancyServiceStub(self._channel))
        self.employers = wrap(records_grpc.EmployerServiceStub(self._channel))
        self.match = wrap(match_grpc.MatchServiceStub(self._channel), ["WatchChanges"])
        self.rematch = wrap(rematch_grpc.RematchServiceStub(self._channel), ["WatchRematchRun"])
        self.audit = wrap(audit_grpc.AuditServiceStub(self._channel))
        self.admin = wrap(admin_grpc.AdminServiceStub(self._channel))

    def _metadata(self) -> list:
        self.last_request_id = uuid.uuid4().hex[:16]
        return self._auth + [("x-request-id", self.last_request_id)]

    def services(self) -> Dict[str, _Service]:
        """The wrapped stubs by full service name."""
        return {"jobmatch.v1.SeekerService": self.seekers,
                "jobmatch.v1.VacancyService": self.vacancies,
                "jobmatch.v1.EmployerService": self.employers,
                "jobmatch.v1.MatchService": self.match,
                "jobmatch.v1.RematchService": self.rematch,
                "jobmatch.v1.AuditService": self.audit,
                "jobmatch.v1.AdminService": self.admin}

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "JobmatchClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- Records -------------------------------------------------------------------------

    def put_seeker(self, seeker: Seeker, expected_version: Optional[int] = None) -> int:
        request = records_pb.UpsertSeekerRequest(seeker=seeker)
        if expected_version is not None:
            request.expected_version = expected_version
        return self.seekers.Upsert(request).version

    def create_seeker(self, seeker: Seeker) -> str:
        """Creates a new seeker and returns the id the server issued for it.

        The seeker is sent without an id (any id set on it is cleared). A case
        system scoped to some municipalities creates seekers only this way:
        put_seeker of an id it cannot see is NOT_FOUND, whether the id exists
        in another municipality or not (docs/security.md, "Seeker ids and
        existence"). Keep the returned id: it is how the seeker is reached
        again."""
        new = Seeker()
        new.CopyFrom(seeker)
        new.ClearField("id")
        return self.seekers.Upsert(records_pb.UpsertSeekerRequest(seeker=new)).id

    def put_vacancy(self, vacancy: Vacancy, expected_version: Optional[int] = None) -> int:
        request = records_pb.UpsertVacancyRequest(vacancy=vacancy)
        if expected_version is not None:
            request.expected_version = expected_version
        return self.vacancies.Upsert(request).version

    def put_employer(self, employer: Employer, expected_version: Optional[int] = None) -> int:
        request = records_pb.UpsertEmployerRequest(employer=employer)
        if expected_version is not None:
            request.expected_version = expected_version
        return self.employers.Upsert(request).version

    def get_seeker(self, seeker_id: str) -> Seeker:
        return self.seekers.Get(records_pb.GetSeekerRequest(id=seeker_id)).seeker

    def get_vacancy(self, vacancy_id: str) -> Vacancy:
        return self.vacancies.Get(records_pb.GetVacancyRequest(id=vacancy_id)).vacancy

    def get_employer(self, employer_id: str) -> Employer:
        return self.employers.Get(records_pb.GetEmployerRequest(id=employer_id)).employer

    def delete_seeker(self, seeker_id: str) -> None:
        self.seekers.Delete(records_pb.DeleteSeekerRequest(id=seeker_id))

    def delete_vacancy(self, vacancy_id: str) -> None:
        self.vacancies.Delete(records_pb.DeleteVacancyRequest(id=vacancy_id))

    def delete_employer(self, employer_id: str) -> None:
        self.employers.Delete(records_pb.DeleteEmployerRequest(id=employer_id))

    def import_seekers(self, seekers: Iterable[Seeker]) -> records_pb.ImportResponse:
        return self.seekers.Import(records_pb.ImportSeekerRequest(seeker=s) for s in seekers)

    def import_vacancies(self, vacancies: Iterable[Vacancy]) -> records_pb.ImportResponse:
        return self.vacancies.Import(records_pb.ImportVacancyRequest(vacancy=v) for v in vacancies)

    def import_employers(self, employers: Iterable[Employer]) -> records_pb.ImportResponse:
        return self.employers.Import(records_pb.ImportEmployerRequest(employer=e) for e in employers)

    # ---- Matching ------------------------------------------------------------------------

    @staticmethod
    def filters(kinds: Sequence[int] = (), municipalities: Sequence[int] = (),
                min_score: float = 0.0) -> match_pb.MatchFilters:
        """Match filters: vacancy kinds (common_pb2.FLEKSJOB, ...), municipality codes,
        a minimum total 0..1."""
        return match_pb.MatchFilters(vacancy_kinds=list(kinds), municipalities=list(municipalities),
                                     min_score=min_score)

    def best_vacancies_for_seeker(self, seeker_id: str, limit: int = 20,
                                  filters: Optional[match_pb.MatchFilters] = None,
                                  page_token: str = "") -> List[Match]:
        response = self.match.TopVacanciesForSeeker(match_pb.TopVacanciesRequest(
            seeker_id=seeker_id, limit=limit, filters=filters, page_token=page_token))
        return list(_matches(response))

    def best_seekers_for_vacancy(self, vacancy_id: str, limit: int = 20,
                                 filters: Optional[match_pb.MatchFilters] = None,
                                 page_token: str = "") -> List[Match]:
        response = self.match.TopSeekersForVacancy(match_pb.TopSeekersRequest(
            vacancy_id=vacancy_id, limit=limit, filters=filters, page_token=page_token))
        return list(_matches(response))

    def explain(self, seeker_id: str, vacancy_id: str) -> match_pb.ExplainResponse:
        return self.match.Explain(match_pb.ExplainRequest(seeker_id=seeker_id, vacancy_id=vacancy_id))

    def why_not(self, seeker_id: str, vacancy_id: str, seeker_side: bool = False,
                limit: int = 20) -> match_pb.WhyNotResponse:
        return self.match.WhyNot(match_pb.WhyNotRequest(
            seeker_id=seeker_id, vacancy_id=vacancy_id, seeker_side=seeker_side, limit=limit))

    def policy(self) -> match_pb.Policy:
        return self.match.GetPolicy(match_pb.GetPolicyRequest())

    def changes(self, after_sequence: int = 0, max_changes: int = 0,
                stop_at_end: bool = True) -> Iterator[match_pb.Change]:
        return self.match.WatchChanges(match_pb.WatchChangesRequest(
            after_sequence=after_sequence, max_changes=max_changes, stop_at_end=stop_at_end))

    def record_feedback(self, seeker_id: str, vacancy_id: str, outcome: int,
                        reason: int = 0, decision_id: str = "") -> int:
        """outcome: match_pb.SHORTLISTED, CONTACTED, HIRED or REJECTED (with a reason)."""
        return self.match.RecordFeedback(match_pb.RecordFeedbackRequest(feedback=match_pb.Feedback(
            seeker_id=seeker_id, vacancy_id=vacancy_id, outcome=outcome, reason=reason,
            decision_id=decision_id))).time_micros

    def list_feedback(self, seeker_id: str = "", vacancy_id: str = "",
                      limit: int = 0) -> List[match_pb.Feedback]:
        return list(self.match.ListFeedback(match_pb.ListFeedbackRequest(
            seeker_id=seeker_id, vacancy_id=vacancy_id, limit=limit)).feedback)

    # ---- The nightly rematch -------------------------------------------------------------

    def start_rematch(self, k: int = 0) -> rematch_pb.RematchRun:
        return self.rematch.StartRematch(rematch_pb.StartRematchRequest(k=k))

    def rematch_run(self, run_id: str = "") -> rematch_pb.RematchRun:
        return self.rematch.GetRematchRun(rematch_pb.GetRematchRunRequest(run_id=run_id))

    def watch_rematch(self, run_id: str = "") -> Iterator[rematch_pb.RematchRun]:
        return self.rematch.WatchRematchRun(rematch_pb.WatchRematchRunRequest(run_id=run_id))

    def rematch_report(self, run_id: str = "") -> rematch_pb.RematchReport:
        return self.rematch.GetRematchReport(rematch_pb.GetRematchReportRequest(run_id=run_id))


def _matches(response) -> Iterable[Match]:
    for m in response.matches:
        e = m.explanation
        yield Match(id=m.id, rank=m.rank, total=e.total, seeker_view_total=e.seeker_view_total,
                    verdict=e.verdict, commute_minutes=e.commute_minutes,
                    missing_skills=[s.label for s in e.missing_skills],
                    decision_id=response.trace.decision_id,
                    policy_version=response.trace.policy_version,
                    data_sequence=response.trace.data_sequence)
