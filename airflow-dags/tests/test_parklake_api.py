"""parklake_api.run_job against a real local HTTP server (http.server) scripted to answer as ParkLake's
API would: starts, polls, failures, a busy lake, refused tokens, dropped connections, redirects.
Every test also checks that the token went out in the Authorization header and nowhere else: not in
a log record (of any logger) and not in an exception's message or traceback."""
import json
import logging
import threading
import traceback
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import support  # noqa: F401  (puts the fake Airflow and the DAGs folder on sys.path)

import parklake_api
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.hooks.base import BaseHook, Connection
from airflow.models import Variable

TOKEN = "pl-s3cret-7d1f0c9e"
DROP = "drop"  # a scripted answer: close the connection without answering


def problem(status, title, detail, **more):
    return status, {"type": "about:blank", "title": title, "status": status, "detail": detail, **more}


def run(status, failure=None, execution=123, job="nightly"):
    return 200, {"executionId": execution, "job": job, "status": status, "exitCode": status, "failure": failure,
                 "steps": [{"step": f"{job}.extract", "status": "COMPLETED", "read": 10, "written": 10, "seconds": 1.5}],
                 "startTime": "2026-11-21T02:00:00Z", "endTime": None if status == "STARTED" else "2026-11-21T02:10:00Z"}


STARTED = (202, {"executionId": 123, "job": "nightly", "status": "STARTED"})
BUSY = problem(409, "Conflict", "execution 77 (nightly) is running", runningExecutionId=77)


class ScriptedApi:
    """A local HTTP server answering each request with the next scripted (method, path, answer)."""

    def __init__(self, *script):
        self.script = list(script)
        self.requests = []
        self.unexpected = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.answer()

            def do_POST(self):
                self.answer()

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                api.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                     "body": body})
                if not api.script:
                    api.unexpected.append((self.command, self.path))
                    return self.send(500, {"title": "script exhausted"})
                method, path, reply = api.script.pop(0)
                if (method, path) != (self.command, self.path):
                    api.unexpected.append((self.command, self.path, "expected", method, path))
                    return self.send(500, {"title": "unexpected request"})
                if reply == DROP:
                    self.close_connection = True
                    return
                self.send(*reply)

            def send(self, status, payload, headers=()):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                kind = "application/json" if status < 400 else "application/problem+json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def post(job, reply):
    return "POST", f"/api/jobs/{job}/runs", reply


def get(reply, execution=123):
    return "GET", f"/api/runs/{execution}", reply


class RecordEverything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()}")


FAST = {"poll_seconds": 0.01, "busy_poll_seconds": 0.02, "busy_wait_seconds": 5,
        "client_options": {"backoff": 0.01, "attempts": 3, "timeout": 5}}


class RunJobTest(unittest.TestCase):
    def setUp(self):
        self.log = RecordEverything()
        root = logging.getLogger()
        self.addCleanup(root.setLevel, root.level)
        root.setLevel(logging.DEBUG)
        root.addHandler(self.log)
        self.addCleanup(root.removeHandler, self.log)
        Variable.values = {}
        self.addCleanup(setattr, BaseHook, "connections", {})

    def serve(self, *script):
        api = ScriptedApi(*script)
        self.addCleanup(api.close)
        BaseHook.connections = {"parklake_api": Connection(
            "parklake_api", host="127.0.0.1", port=api.port, schema="http", password=TOKEN)}
        return api

    def run_job(self, job="nightly", **kwargs):
        kwargs.setdefault("date", None if "date_from" in kwargs else "2026-11-20")
        return parklake_api.run_job(job, **{**FAST, **kwargs})

    def failing(self, expected, **kwargs):
        """run_job's exception, after checking its type and that the token is nowhere in it."""
        with self.assertRaises(AirflowException) as caught:
            self.run_job(**kwargs)
        error = caught.exception
        self.assertIs(expected, type(error), str(error))
        self.assertNotIn(TOKEN, str(error))
        self.assertNotIn(TOKEN, "".join(traceback.format_exception(error)))
        return str(error)

    def tearDown(self):
        self.assertFalse([line for line in self.log.lines if TOKEN in line], "the token was logged")

    def assert_token_sent(self, api):
        self.assertTrue(api.requests)
        for request in api.requests:
            self.assertEqual(f"Bearer {TOKEN}", request["headers"].get("Authorization"))

    def test_a_completed_run_succeeds_and_returns_its_summary(self):
        api = self.serve(post("nightly", STARTED), get(run("STARTED")), get(run("STARTED")), get(run("COMPLETED")))
        summary = self.run_job()
        self.assertEqual([], api.unexpected)
        self.assertEqual({"date": "2026-11-20"}, api.requests[0]["body"])
        self.assertEqual("application/json", api.requests[0]["headers"]["Content-Type"])
        self.assertEqual(["POST"] + ["GET"] * 3, [r["method"] for r in api.requests])
        self.assert_token_sent(api)
        self.assertEqual(123, summary["executionId"])
        self.assertEqual("COMPLETED", summary["status"])
        self.assertEqual("nightly.extract", summary["steps"][0]["step"])
        self.assertNotIn(TOKEN, json.dumps(summary))
        text = "\n".join(self.log.lines)
        self.assertIn("started as execution 123", text)
        self.assertIn("execution 123: COMPLETED", text)
        self.assertEqual(1, text.count("execution 123: STARTED"), "a status is logged when it changes")

    def test_a_failed_run_fails_the_task_with_the_failure_text(self):
        api = self.serve(post("nightly", STARTED), get(run("STARTED")),
                         get(run("FAILED", "marts failed: revenue_daily (division by zero)")))
        message = self.failing(AirflowException)
        self.assertEqual([], api.unexpected)
        self.assert_token_sent(api)
        self.assertIn("execution 123 ended FAILED: marts failed: revenue_daily (division by zero)", message)
        self.assertIn("/api/runs/123/restart", message)

    def test_stopped_abandoned_and_unknown_runs_fail_too(self):
        for status in ("STOPPED", "ABANDONED", "UNKNOWN"):
            with self.subTest(status):
                self.serve(post("nightly", STARTED), get(run(status)))
                self.assertIn(f"ended {status}: no failure text", self.failing(AirflowException))

    def test_a_busy_lake_is_waited_for_then_the_run_starts(self):
        api = self.serve(post("nightly", BUSY), post("nightly", BUSY), post("nightly", STARTED),
                         get(run("COMPLETED")))
        self.assertEqual("COMPLETED", self.run_job()["status"])
        self.assertEqual([], api.unexpected)
        self.assertEqual(3, [r["method"] for r in api.requests].count("POST"))
        self.assert_token_sent(api)
        self.assertTrue(any("running execution 77" in line for line in self.log.lines))

    def test_a_lake_busy_past_the_deadline_fails_naming_the_running_execution(self):
        self.serve(*[post("nightly", BUSY)] * 40)
        message = self.failing(AirflowException, busy_wait_seconds=0.15)
        self.assertIn("still running execution 77", message)
        self.assertIn("execution 77 (nightly) is running", message)

    def test_a_refused_token_fails_at_once_without_retries(self):
        api = self.serve(post("nightly", problem(401, "Unauthorized", "no valid bearer token")))
        message = self.failing(AirflowFailException)
        self.assertEqual(1, len(api.requests), "401 is not retried")
        self.assert_token_sent(api)
        self.assertIn("refused the token", message)
        self.assertIn("no valid bearer token", message)
        self.assertIn("Connection 'parklake_api'", message)

    def test_a_viewer_token_fails_at_once_naming_the_role(self):
        api = self.serve(post("nightly", problem(403, "Forbidden", "role viewer may not trigger runs")))
        message = self.failing(AirflowFailException)
        self.assertEqual(1, len(api.requests))
        self.assertIn("operator role", message)

    def test_a_bad_request_fails_at_once_with_the_problem_detail(self):
        self.serve(post("archive", problem(400, "Bad Request", "unknown job 'archive'")))
        self.assertIn("unknown job 'archive'", self.failing(AirflowFailException, job="archive"))

    def test_dropped_connections_and_503_are_retried_with_backoff(self):
        api = self.serve(post("nightly", DROP), post("nightly", problem(503, "Service Unavailable", "starting up")),
                         post("nightly", STARTED), get(DROP), get(run("COMPLETED")))
        self.assertEqual("COMPLETED", self.run_job()["status"])
        self.assertEqual([], api.unexpected)
        self.assert_token_sent(api)
        retries = [line for line in self.log.lines if "trying again" in line]
        self.assertEqual(3, len(retries), retries)
        self.assertIn("503", retries[1])

    def test_an_unreachable_api_fails_after_the_attempts(self):
        api = self.serve()
        api.close()  # nothing listens on the port any more
        message = self.failing(AirflowException)
        self.assertIn(f"POST http://127.0.0.1:{api.port}/api/jobs/nightly/runs", message)
        self.assertIn("gave up after 3 attempts", message)

    def test_a_redirect_is_not_followed_so_the_token_stays_home(self):
        elsewhere = ScriptedApi()
        self.addCleanup(elsewhere.close)
        moved = (307, {}, [("Location", f"http://127.0.0.1:{elsewhere.port}/api/jobs/nightly/runs")])
        self.serve(post("nightly", moved))
        self.assertIn("redirect (307)", self.failing(AirflowFailException))
        self.assertEqual([], elsewhere.requests)

    def test_a_backfill_sends_the_range_and_the_hourly_its_job(self):
        api = self.serve(post("nightly", STARTED), get(run("COMPLETED")))
        self.run_job(date_from="2026-11-01", date_to="2026-11-30")
        self.assertEqual({"from": "2026-11-01", "to": "2026-11-30"}, api.requests[0]["body"])
        api = self.serve(post("hourly", STARTED), get(run("COMPLETED", job="hourly")))
        self.assertEqual("hourly", self.run_job(job="hourly", date="2026-11-21")["job"])
        self.assertEqual({"date": "2026-11-21"}, api.requests[0]["body"])


class SettingsTest(unittest.TestCase):
    def setUp(self):
        self.addCleanup(setattr, BaseHook, "connections", {})
        self.addCleanup(setattr, Variable, "values", {})
        BaseHook.connections, Variable.values = {}, {}

    def test_the_address_from_a_connections_parts_or_a_whole_url(self):
        self.assertEqual("http://parklake:8080", parklake_api.base_url("parklake", 8080, None))
        self.assertEqual("https://parklake:8443", parklake_api.base_url("parklake", 8443, "https"))
        self.assertEqual("https://pl.example/api-gw", parklake_api.base_url("https://pl.example/api-gw/", None, None))
        self.assertEqual("https://pl.example:9443", parklake_api.base_url("https://pl.example", 9443, "http"))
        self.assertIsNone(parklake_api.base_url("", 80, "http"))
        with self.assertRaises(ValueError) as caught:
            parklake_api.base_url(f"https://ops:{TOKEN}@pl.example")
        self.assertNotIn(TOKEN, str(caught.exception))
        self.assertRaises(ValueError, parklake_api.base_url, "ftp://pl.example")

    def test_the_variables_when_there_is_no_connection(self):
        Variable.values = {"parklake_api_url": "https://pl.example", "parklake_api_token": TOKEN}
        client, source = parklake_api.client_from_airflow()
        self.assertEqual("https://pl.example", client.base_url)
        self.assertIn("Variables", source)
        self.assertNotIn(TOKEN, repr(client))
        self.assertNotIn(TOKEN, str(vars(client).get("base_url")))

    def test_nothing_configured_fails_without_retry_saying_what_to_set(self):
        with self.assertRaises(AirflowFailException) as caught:
            parklake_api.client_from_airflow()
        self.assertIn("Connection 'parklake_api'", str(caught.exception))
        BaseHook.connections = {"parklake_api": Connection("parklake_api", host="pl.example")}
        with self.assertRaises(AirflowFailException) as caught:
            parklake_api.client_from_airflow()
        self.assertIn("no ParkLake API token", str(caught.exception))

    def test_a_credential_in_the_address_is_refused_without_echoing_it(self):
        BaseHook.connections = {"parklake_api": Connection(
            "parklake_api", host=f"https://x:{TOKEN}@pl.example", password=TOKEN)}
        with self.assertRaises(AirflowFailException) as caught:
            parklake_api.client_from_airflow()
        self.assertNotIn(TOKEN, str(caught.exception))

    def test_start_needs_a_date_or_a_whole_range(self):
        client = parklake_api.Client("http://127.0.0.1:9", TOKEN)
        for args in ((None, None, None), ("2026-11-20", "2026-11-01", "2026-11-30"), (None, "2026-11-01", None)):
            self.assertRaises(ValueError, client.start, "nightly", *args)


if __name__ == "__main__":
    unittest.main()
