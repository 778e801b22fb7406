"""Runs the Python client against a real jobmatchd on 127.0.0.1 (port 0, temp data folder):
every RPC through the generated stubs, and a second server with TLS and API keys.

    client_test.py JOBMATCHD_BINARY [MAKE_TEST_CERTS_SH]
"""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from jobmatch_client import JobmatchClient, JobmatchError, Seeker, Vacancy
from jobmatch.v1 import common_pb2 as c
from jobmatch.v1 import match_service_pb2 as match_pb
from jobmatch.v1 import admin_service_pb2, audit_service_pb2, records_service_pb2, rematch_service_pb2

JOBMATCHD = sys.argv.pop(1) if len(sys.argv) > 1 else "jobmatchd"
MAKE_CERTS = sys.argv.pop(1) if len(sys.argv) > 1 else None

# ESCO "building cleaner" (ISCO 9112) and two of its essential skills.
CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"


def start_server(tmp, *flags):
    """Starts jobmatchd on 127.0.0.1 port 0; returns (process, port)."""
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen(
        [JOBMATCHD, "--listen=127.0.0.1:0", f"--port_file={port_file}", f"--data_dir={tmp}/db",
         *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        if server.poll() is not None:
            raise RuntimeError(f"jobmatchd exited with {server.returncode}")
        time.sleep(0.05)
    return server, open(port_file).read().strip()


def location(lat, lon, postal_code, municipality):
    return c.Location(lat=lat, lon=lon, postal_code=postal_code, municipality=municipality)


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.server, port = start_server(cls.tmp.name)
        cls.client = JobmatchClient(f"127.0.0.1:{port}")

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.tmp.cleanup()

    def test_put_and_match_both_directions(self):
        seeker = Seeker(id="py-s1", home=location(56.17, 10.19, 8200, 751),
                        transport_modes=[c.CAR], max_commute_minutes=45,
                        target_group="jobparat", max_hours_per_week=37)
        seeker.occupations.add(isco_code="9112", esco_uri=CLEANER)
        self.assertEqual(self.client.put_seeker(seeker), 1)
        vacancy = Vacancy(id="py-v1", employer_id="e1", workplace=location(56.15, 10.21, 8000, 751),
                          isco_code="9112", esco_occupation_uri=CLEANER, hours_per_week=37,
                          kind=c.ORDINARY, openings=1,
                          valid_until_micros=int((time.time() + 86400 * 30) * 1e6))
        self.assertEqual(self.client.put_vacancy(vacancy), 1)

        seekers = self.client.best_seekers_for_vacancy("py-v1")
        self.assertEqual([m.id for m in seekers], ["py-s1"])
        self.assertGreater(seekers[0].total, 0)
        self.assertGreater(seekers[0].commute_minutes, 0)
        self.assertTrue(seekers[0].decision_id)
        # The seeker has no skills: the upskilling gap lists the occupation's essential skills.
        self.assertGreater(len(seekers[0].missing_skills), 0)
        vacancies = self.client.best_vacancies_for_seeker("py-s1")
        self.assertEqual(vacancies[0].id, "py-v1")

    def test_invalid_record_names_field_and_rule(self):
        seeker = Seeker(id="py-bad", home=location(60.0, 10.19, 8200, 751),
                        transport_modes=[c.CAR], max_commute_minutes=45, target_group="jobparat")
        seeker.occupations.add(isco_code="9112")
        with self.assertRaises(JobmatchError) as caught:
            self.client.put_seeker(seeker)
        self.assertEqual(caught.exception.code, "INVALID_ARGUMENT")
        self.assertIn("seeker.home.lat: must be within [54.5, 57.8]", caught.exception.message)


    def test_every_rpc_of_jobmatch_v1_is_callable(self):
        """Each method the protos declare exists on the client and reaches the server's handler
        (an answer, or an error from the handler, never UNIMPLEMENTED)."""
        modules = [records_service_pb2, match_pb, rematch_service_pb2, audit_service_pb2,
                   admin_service_pb2]
        services = self.client.services()
        called = 0
        for module in modules:
            for service in module.DESCRIPTOR.services_by_name.values():
                wrapped = services[service.full_name]
                for method in service.methods:
                    request = module_class(method.input_type)()
                    if method.name == "WatchChanges":
                        request.stop_at_end = True
                    try:
                        if method.client_streaming:
                            getattr(wrapped, method.name)(iter([]))
                        elif method.server_streaming:
                            list(getattr(wrapped, method.name)(request, timeout=30))
                        else:
                            getattr(wrapped, method.name)(request)
                    except JobmatchError as e:
                        self.assertNotEqual(e.code, "UNIMPLEMENTED", f"{service.name}.{method.name}")
                    called += 1
        self.assertGreater(called, 30)

    def test_filters_feedback_and_explanation(self):
        # In Copenhagen, out of reach of the Aarhus pair of the other test.
        seeker = Seeker(id="py-s2", home=location(55.70, 12.57, 2100, 101),
                        transport_modes=[c.CAR], max_commute_minutes=45,
                        target_group="jobparat", max_hours_per_week=37)
        seeker.occupations.add(isco_code="9112", esco_uri=CLEANER)
        self.client.put_seeker(seeker)
        vacancy = Vacancy(id="py-v2", employer_id="e1", workplace=location(55.69, 12.58, 2100, 101),
                          isco_code="9112", esco_occupation_uri=CLEANER, hours_per_week=37,
                          kind=c.ORDINARY, openings=1,
                          valid_until_micros=int((time.time() + 86400 * 30) * 1e6))
        self.client.put_vacancy(vacancy)
        ordinary = self.client.best_vacancies_for_seeker(
            "py-s2", filters=JobmatchClient.filters(kinds=[c.ORDINARY], municipalities=[101]))
        self.assertIn("py-v2", [m.id for m in ordinary])
        none = self.client.best_vacancies_for_seeker(
            "py-s2", filters=JobmatchClient.filters(kinds=[c.APPRENTICESHIP]))
        self.assertEqual(none, [])
        explained = self.client.explain("py-s2", "py-v2")
        self.assertAlmostEqual(explained.explanation.total,
                               [m for m in ordinary if m.id == "py-v2"][0].total)
        self.client.record_feedback("py-s2", "py-v2", match_pb.REJECTED,
                                    reason=match_pb.HOURS_DO_NOT_FIT)
        feedback = self.client.list_feedback(vacancy_id="py-v2")
        self.assertEqual([(f.seeker_id, f.outcome, f.reason) for f in feedback],
                         [("py-s2", match_pb.REJECTED, match_pb.HOURS_DO_NOT_FIT)])
        with self.assertRaises(JobmatchError) as caught:
            self.client.record_feedback("py-s2", "py-v2", match_pb.REJECTED)
        self.assertEqual(caught.exception.code, "INVALID_ARGUMENT")
        self.assertEqual(len(self.client.list_feedback(vacancy_id="py-v2")), 1)


def module_class(descriptor):
    """The generated class of a message descriptor."""
    from google.protobuf import message_factory
    return message_factory.MessageFactory().GetPrototype(descriptor)


@unittest.skipUnless(MAKE_CERTS, "needs tests/auth/make_test_certs.sh")
class SecureClientTest(unittest.TestCase):
    """TLS with a test CA, and API keys from the configuration."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        certs = os.path.join(cls.tmp.name, "certs")
        subprocess.run(["bash", MAKE_CERTS, certs], check=True, stdout=subprocess.DEVNULL)
        cls.certs = certs
        config = {"security": {
            "tls_cert_file": f"{certs}/server.pem", "tls_key_file": f"{certs}/server.key",
            "api_keys": [
                {"id": "ops", "sha256_hex": hashlib.sha256(b"ops-secret").hexdigest(),
                 "role": "ADMIN", "all_municipalities": True},
                {"id": "consultant", "sha256_hex": hashlib.sha256(b"consultant-secret").hexdigest(),
                 "role": "CONSULTANT", "municipalities": [751]},
                {"id": "case", "sha256_hex": hashlib.sha256(b"case-secret").hexdigest(),
                 "role": "CASE_SYSTEM", "municipalities": [751]}]}}
        path = os.path.join(cls.tmp.name, "jobmatchd.json")
        with open(path, "w") as f:
            json.dump(config, f)
        cls.server, cls.port = start_server(cls.tmp.name, f"--config={path}")

    @classmethod
    def tearDownClass(cls):
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.tmp.cleanup()

    def client(self, **kwargs):
        return JobmatchClient(f"127.0.0.1:{self.port}", tls_ca_file=f"{self.certs}/ca.pem", **kwargs)

    def test_api_key_and_bearer_token_over_tls(self):
        with self.client() as anonymous:
            with self.assertRaises(JobmatchError) as caught:
                anonymous.policy()
            self.assertEqual(caught.exception.code, "UNAUTHENTICATED")
        with self.client(api_key="wrong") as wrong:
            with self.assertRaises(JobmatchError) as caught:
                wrong.policy()
            self.assertEqual(caught.exception.code, "UNAUTHENTICATED")
        with self.client(api_key="ops-secret") as ops:
            self.assertTrue(ops.policy().version)
        with self.client(bearer_token="ops-secret") as ops:
            self.assertTrue(ops.policy().version)
        with self.client(api_key="consultant-secret") as consultant:
            with self.assertRaises(JobmatchError) as caught:
                consultant.put_seeker(Seeker(id="x"))
            self.assertEqual(caught.exception.code, "PERMISSION_DENIED")

    def test_a_scoped_case_system_creates_seekers_with_issued_ids(self):
        with self.client(api_key="case-secret") as case:
            seeker = Seeker(home=location(56.17, 10.19, 8200, 751), transport_modes=[c.CAR],
                            max_commute_minutes=45, target_group="jobparat",
                            max_hours_per_week=37)
            seeker.occupations.add(isco_code="9112", esco_uri=CLEANER)
            seeker_id = case.create_seeker(seeker)
            self.assertRegex(seeker_id, r"^s-[a-z]{28}$")
            self.assertEqual(case.get_seeker(seeker_id).id, seeker_id)
            seeker.id = seeker_id
            seeker.max_commute_minutes = 40
            self.assertEqual(case.put_seeker(seeker, expected_version=1), 2)
            # An id it chose reads as missing, like one in another municipality.
            seeker.id = "py-chosen"
            with self.assertRaises(JobmatchError) as caught:
                case.put_seeker(seeker)
            self.assertEqual(caught.exception.code, "NOT_FOUND")
            self.assertIn("send it without an id", caught.exception.message)

    def test_plaintext_to_a_tls_server_fails(self):
        with JobmatchClient(f"127.0.0.1:{self.port}", api_key="ops-secret",
                            timeout_seconds=3) as plain:
            with self.assertRaises(JobmatchError) as caught:
                plain.policy()
            self.assertEqual(caught.exception.code, "UNAVAILABLE")


if __name__ == "__main__":
    unittest.main()
