"""A small typed Python client for jobmatch, over the same protos as the server.

Messages come from `protoc --python_out` (Debian's protobuf-compiler and python3-protobuf);
calls use grpcio's generic stubs (Debian's python3-grpcio), so no gRPC code generator is
needed. Example:

    from jobmatch_client import JobmatchClient
    with JobmatchClient("127.0.0.1:50051") as client:
        for m in client.best_seekers_for_vacancy("v000003", limit=5):
            print(m.rank, m.id, round(m.total, 3), m.commute_minutes, m.missing_skills)
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, List, Optional

import grpc

from jobmatch.v1 import match_service_pb2 as match_pb
from jobmatch.v1 import records_service_pb2 as records_pb
from jobmatch.v1 import seeker_pb2, vacancy_pb2, common_pb2  # noqa: F401  (re-exported types)

Seeker = seeker_pb2.Seeker
Vacancy = vacancy_pb2.Vacancy


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


class JobmatchClient:
    def __init__(self, address: str, timeout_seconds: float = 10.0,
                 credentials: Optional[grpc.ChannelCredentials] = None):
        self._channel = (grpc.secure_channel(address, credentials) if credentials
                         else grpc.insecure_channel(address))
        self._timeout = timeout_seconds

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "JobmatchClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method: str, request, response_type):
        stub = self._channel.unary_unary(
            method,
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_type.FromString)
        try:
            return stub(request, timeout=self._timeout)
        except grpc.RpcError as e:  # map to one exception type with the server's message
            raise JobmatchError(e.code().name, e.details()) from None

    def put_seeker(self, seeker: Seeker, expected_version: Optional[int] = None) -> int:
        request = records_pb.UpsertSeekerRequest(seeker=seeker)
        if expected_version is not None:
            request.expected_version = expected_version
        return self._call("/jobmatch.v1.SeekerService/Upsert", request,
                          common_pb2.WriteResult).version

    def put_vacancy(self, vacancy: Vacancy, expected_version: Optional[int] = None) -> int:
        request = records_pb.UpsertVacancyRequest(vacancy=vacancy)
        if expected_version is not None:
            request.expected_version = expected_version
        return self._call("/jobmatch.v1.VacancyService/Upsert", request,
                          common_pb2.WriteResult).version

    def best_vacancies_for_seeker(self, seeker_id: str, limit: int = 20) -> List[Match]:
        response = self._call("/jobmatch.v1.MatchService/TopVacanciesForSeeker",
                              match_pb.TopVacanciesRequest(seeker_id=seeker_id, limit=limit),
                              match_pb.MatchResponse)
        return list(_matches(response))

    def best_seekers_for_vacancy(self, vacancy_id: str, limit: int = 20) -> List[Match]:
        response = self._call("/jobmatch.v1.MatchService/TopSeekersForVacancy",
                              match_pb.TopSeekersRequest(vacancy_id=vacancy_id, limit=limit),
                              match_pb.MatchResponse)
        return list(_matches(response))


def _matches(response) -> Iterable[Match]:
    for m in response.matches:
        e = m.explanation
        yield Match(id=m.id, rank=m.rank, total=e.total, seeker_view_total=e.seeker_view_total,
                    verdict=e.verdict, commute_minutes=e.commute_minutes,
                    missing_skills=[s.label for s in e.missing_skills],
                    decision_id=response.trace.decision_id,
                    policy_version=response.trace.policy_version,
                    data_sequence=response.trace.data_sequence)
