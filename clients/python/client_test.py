"""Runs the Python client against a real jobmatchd on 127.0.0.1 (port 0, temp data folder).

    client_test.py JOBMATCHD_BINARY
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from jobmatch_client import JobmatchClient, JobmatchError, Seeker, Vacancy
from jobmatch.v1 import common_pb2 as c

JOBMATCHD = sys.argv.pop(1) if len(sys.argv) > 1 else "jobmatchd"

# ESCO "building cleaner" (ISCO 9112) and two of its essential skills.
CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"


def location(lat, lon, postal_code, municipality):
    return c.Location(lat=lat, lon=lon, postal_code=postal_code, municipality=municipality)


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.tmp.name, "port")
        cls.server = subprocess.Popen(
            [JOBMATCHD, "--listen=127.0.0.1:0", f"--port_file={port_file}",
             f"--data_dir={cls.tmp.name}/db"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        cls.client = JobmatchClient(f"127.0.0.1:{open(port_file).read().strip()}")

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


if __name__ == "__main__":
    unittest.main()
