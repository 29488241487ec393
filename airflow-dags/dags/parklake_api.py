"""A client for ParkLake's HTTP API, standard library only, and `run_job`, the PythonOperator callable
the HTTP-flavour DAGs (parklake_http.py) use. No DAG is defined here and nothing runs at import.

`run_job` starts a run (`POST /api/jobs/{job}/runs`), then polls it (`GET /api/runs/{id}`) until it
ends. It returns a summary of a COMPLETED run (the task's XCom) and raises when the run ends
FAILED, STOPPED, ABANDONED or UNKNOWN (Spring Batch's "not running, outcome unknown"), with the
run's failure text in the error. How it treats what the API answers:

- 409, a job is already running on the lake: waits and asks again until a deadline
  (`busy_wait_seconds`), then fails naming the running execution.
- 401 / 403 and other 4xx (a bad date, an unknown job): fails at once and tells Airflow not to
  retry (AirflowFailException): the same request would be refused again.
- connection errors, timeouts and 502/503/504: retried with exponential backoff; when the attempts
  run out the task fails and Airflow's own retries apply.
- redirects are not followed, so the token is never sent on to another address.

Where the API is and its token are read at run time: the Airflow Connection `parklake_api` (type
HTTP: host, port, schema `http` or `https`, password = the bearer token; host may also be a whole
URL; extra `{"ca_file": "/path/ca.pem"}` for a private CA, `{"timeout": 30}` per request), or when
there is no such Connection, the Variables `parklake_api_url` and `parklake_api_token`. The token is
never logged, never put in a template field or XCom, and never part of an error message; the
client's repr shows only the address.

Retries of a failed run start a new run rather than restarting the failed execution: every write is
idempotent and a new run redoes what the failed one left owed. The failed execution id is in the
error, for `POST /api/runs/{id}/restart` (or `./parklake restart <id>`) by hand.
"""
import http.client
import json
import logging
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("parklake_api")

RUNNING = frozenset({"STARTING", "STARTED", "STOPPING"})
ENDED_BADLY = frozenset({"FAILED", "STOPPED", "ABANDONED", "UNKNOWN"})
TRANSIENT_STATUS = frozenset({502, 503, 504})


class ApiError(Exception):
    """The API could not be used: unreachable after every attempt, or an answer not in the contract."""


class Refused(ApiError):
    """The API refused the request for good (401, 403, another 4xx); asking again will not help."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class Busy(ApiError):
    """Another job still held the lake when the wait for it ran out."""


class RunFailed(ApiError):
    """The run ended FAILED, STOPPED, ABANDONED or UNKNOWN; `run` is the API's last answer about it."""

    def __init__(self, run):
        self.run = run
        execution = run.get("executionId")
        super().__init__(
            f"ParkLake {run.get('job')} execution {execution} ended {run.get('status')}: "
            f"{run.get('failure') or 'no failure text'} (restart it with POST /api/runs/{execution}/restart "
            f"or ./parklake restart {execution}; a retry of this task starts a new run)")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError 30x instead of being followed with the token attached."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """ParkLake's HTTP API at `base_url`, authenticated by a bearer token.

    `attempts` bounds the tries of one request on connection errors and 502/503/504; the wait
    between them starts at `backoff` seconds and doubles up to `max_backoff`.
    """

    def __init__(self, base_url, token, *, timeout=30.0, attempts=6, backoff=2.0, max_backoff=60.0,
                 ssl_context=None):
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.attempts = max(1, int(attempts))
        self.backoff = backoff
        self.max_backoff = max_backoff
        handlers = [_NoRedirects()]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self):
        return f"parklake_api.Client({self.base_url!r})"

    def start(self, job, date=None, date_from=None, date_to=None, *, busy_wait=7200.0, busy_poll=60.0):
        """Starts `job` for `date` or for the range `date_from`..`date_to`; returns the 202 answer.

        While another job runs (409) it asks again every `busy_poll` seconds for up to `busy_wait`
        seconds, then raises Busy.
        """
        if date and not (date_from or date_to):
            body = {"date": date}
        elif date_from and date_to and not date:
            body = {"from": date_from, "to": date_to}
        else:
            raise ValueError("give either date or both date_from and date_to")
        path = "/api/jobs/" + urllib.parse.quote(job, safe="") + "/runs"
        what = f"start {job} for {_interval(body)}"
        deadline = time.monotonic() + busy_wait
        while True:
            status, payload = self._call("POST", path, body)
            if status == 202:
                if not isinstance(payload, dict) or not isinstance(payload.get("executionId"), int):
                    raise ApiError(f"{what}: 202 without an executionId: {_short(payload)}")
                log.info("ParkLake %s at %s: %s for %s started as execution %s", self.base_url, path,
                         job, _interval(body), payload["executionId"])
                return payload
            if status == 409:
                running = payload.get("runningExecutionId") if isinstance(payload, dict) else None
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy(f"could not {what}: ParkLake was still running execution {running} "
                               f"after {busy_wait:.0f} s of waiting ({_detail(payload)})")
                pause = min(busy_poll, left)
                log.info("ParkLake is running execution %s (%s); asking again in %.0f s, giving up in %.0f s",
                         running, _detail(payload), pause, left)
                time.sleep(pause)
                continue
            raise _refusal(status, payload, what)

    def run(self, execution_id):
        """The API's view of one run (`GET /api/runs/{id}`)."""
        status, payload = self._call("GET", f"/api/runs/{int(execution_id)}")
        if status != 200:
            raise _refusal(status, payload, f"read execution {execution_id}")
        if not isinstance(payload, dict):
            raise ApiError(f"read execution {execution_id}: the answer is not a JSON object: {_short(payload)}")
        return payload

    def wait(self, execution_id, poll=30.0):
        """Polls the run every `poll` seconds until it ends; returns it when COMPLETED, raises RunFailed
        when it ended any other way."""
        last = None
        while True:
            run = self.run(execution_id)
            status = run.get("status")
            if status != last:
                log.info("ParkLake execution %s: %s", execution_id, status)
                last = status
            if status == "COMPLETED" or status in ENDED_BADLY:
                for step in run.get("steps") or []:
                    log.info("  %-28s %-10s read %s, written %s, %s s", step.get("step"), step.get("status"),
                             step.get("read"), step.get("written"), step.get("seconds"))
                if status == "COMPLETED":
                    return run
                raise RunFailed(run)
            if status not in RUNNING:
                raise ApiError(f"execution {execution_id} has a status outside the API contract: {status!r}")
            time.sleep(poll)

    def _call(self, method, path, body=None):
        """One request, tried again with backoff on connection errors and 502/503/504.

        Returns (status, parsed JSON body or None) for every other answer, errors included.
        """
        url = self.base_url + path
        data = json.dumps(body).encode("utf-8") if body is not None else None
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(url, data=data, method=method)
            request.add_header("Accept", "application/json, application/problem+json")
            request.add_header("User-Agent", "parklake-airflow")
            if data is not None:
                request.add_header("Content-Type", "application/json")
            request.add_unredirected_header("Authorization", "Bearer " + self._token)
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return response.status, _json(response.read())
            except urllib.error.HTTPError as e:
                try:
                    payload = _json(e.read())
                finally:
                    e.close()
                if e.code not in TRANSIENT_STATUS:
                    return e.code, payload
                problem = f"HTTP {e.code} ({_detail(payload)})"
            except (OSError, http.client.HTTPException) as e:  # URLError, refused, reset, timeout, bad status line
                problem = _reason(e)
            if attempt == self.attempts:
                raise ApiError(f"{method} {url}: {problem}; gave up after {self.attempts} attempts")
            log.warning("%s %s: %s; trying again in %.1f s (attempt %d of %d)", method, url, problem, delay,
                        attempt + 1, self.attempts)
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff)


def base_url(host, port=None, schema=None):
    """The API's address from a Connection's host, port and schema (http or https; http when unset).

    `host` may be a whole URL (https://parklake.example:8443); a URL carrying a user or password is
    refused, so the token cannot end up in a logged address.
    """
    host = (host or "").strip().rstrip("/")
    if not host:
        return None
    if "://" not in host:
        host = f"{(schema or 'http').strip()}://{host}"
    parts = urllib.parse.urlsplit(host)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"the ParkLake API address must be http or https, not {parts.scheme!r}")
    if parts.username or parts.password:
        raise ValueError("the ParkLake API address must not carry credentials; put the token in the password")
    netloc = parts.netloc
    if port and parts.port is None:
        netloc = f"{netloc}:{int(port)}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def client_from_airflow(conn_id="parklake_api", **client_options):
    """A Client for the API named by the Connection `conn_id`, else by the Variables parklake_api_url and
    parklake_api_token; and a phrase naming where the settings came from (for error messages)."""
    from airflow.exceptions import AirflowFailException, AirflowNotFoundException
    from airflow.hooks.base import BaseHook
    from airflow.models import Variable

    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        conn = None
    if conn is not None:
        source = f"the Airflow Connection {conn_id!r}"
        host, port, schema, token, extra = conn.host, conn.port, conn.schema, conn.password, conn.extra_dejson
    else:
        source = "the Airflow Variables parklake_api_url / parklake_api_token"
        host, port, schema, extra = Variable.get("parklake_api_url", default_var=None), None, None, {}
        token = Variable.get("parklake_api_token", default_var=None)
    try:
        url = base_url(host, port, schema)
    except ValueError as e:
        raise AirflowFailException(f"{e} (in {source})") from None
    if not url:
        raise AirflowFailException(
            f"no ParkLake API address: set the Airflow Connection {conn_id!r} (HTTP: host, port, schema http or "
            "https, password = bearer token) or the Variables parklake_api_url and parklake_api_token")
    if not token:
        raise AirflowFailException(f"no ParkLake API token in {source} (the Connection's password, or parklake_api_token)")
    context = ssl.create_default_context(cafile=extra["ca_file"]) if extra.get("ca_file") else None
    if "timeout" in extra:
        client_options.setdefault("timeout", float(extra["timeout"]))
    return Client(url, token, ssl_context=context, **client_options), source


def run_job(job, date=None, date_from=None, date_to=None, conn_id="parklake_api", poll_seconds=30.0,
            busy_wait_seconds=7200.0, busy_poll_seconds=60.0, client_options=None):
    """PythonOperator callable: runs `job` on ParkLake through its API and waits for the end.

    Returns the run's id, status, times and steps (the task's XCom). Raises AirflowFailException (no
    Airflow retry) when the API refuses the token, the role or the request, and AirflowException
    (retried as the task says) when the run ends badly, the lake stayed busy or the API was unreachable.
    """
    from airflow.exceptions import AirflowException, AirflowFailException

    client, source = client_from_airflow(conn_id, **(client_options or {}))
    try:
        started = client.start(job, date, date_from, date_to, busy_wait=float(busy_wait_seconds),
                               busy_poll=float(busy_poll_seconds))
        run = client.wait(started["executionId"], float(poll_seconds))
    except Refused as e:
        hint = f"; check the token in {source}" if e.status in (401, 403) else ""
        raise AirflowFailException(f"{e}{hint}") from None
    except ApiError as e:  # RunFailed, Busy, unreachable
        raise AirflowException(str(e)) from None
    return {key: run.get(key) for key in ("executionId", "job", "status", "exitCode", "startTime", "endTime", "steps")}


def _refusal(status, payload, what):
    if status == 401:
        return Refused(f"ParkLake API refused the token (401: {_detail(payload)}) when asked to {what}: "
                       "it is missing, wrong or revoked", status)
    if status == 403:
        return Refused(f"ParkLake API: the token's role may not {what} (403: {_detail(payload)}); "
                       "triggering needs the operator role", status)
    if 300 <= status < 400:
        return Refused(f"ParkLake API answered a redirect ({status}) when asked to {what}; redirects are not "
                       "followed (the token would go along): set the address the API is served at", status)
    if 400 <= status < 500:
        return Refused(f"ParkLake API refused to {what} ({status}: {_detail(payload)})", status)
    return ApiError(f"ParkLake API could not {what} ({status}: {_detail(payload)})")


def _interval(body):
    return body["date"] if "date" in body else f"{body['from']}..{body['to']}"


def _json(raw):
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return {"detail": raw[:200].decode("utf-8", "replace")}


def _detail(payload):
    """A problem+json body as one line: title and detail."""
    if not isinstance(payload, dict):
        return "no details"
    parts = [str(payload[k]) for k in ("title", "detail") if payload.get(k)]
    return ": ".join(parts) or "no details"


def _short(payload):
    return json.dumps(payload)[:200]


def _reason(error):
    reason = getattr(error, "reason", None)
    return f"{type(error).__name__}: {reason if reason is not None else error}"
