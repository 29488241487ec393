"""Checks every DAG file: importable without I/O or the clock, schedules, params and settings as the
README says, and the CLI flavour's bash scripts rendered and run against a stand-in `parklake`."""
import ast
import os
import re
import shlex
import socket
import stat
import subprocess
import tempfile
import textwrap
import unittest
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

from support import DAGS, Context, dags_in, load, render

from airflow.hooks.base import BaseHook
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

# dag id -> (schedule, retries, execution timeout, the CLI arguments or the API job and dates)
CLI = {
    "parklake_hourly": ("5 * * * *", 1, timedelta(minutes=45), "run hourly --date {{ data_interval_end | ds }}"),
    "parklake_nightly": ("0 2 * * *", 2, timedelta(hours=3), "run nightly --date {{ ds }}"),
    "parklake_archive": ("0 3 1 * *", 1, timedelta(hours=6), "run archive --date {{ ds }}"),
    "parklake_backfill": (None, 0, timedelta(hours=24), "run nightly --from {{ params.from }} --to {{ params.to }}"),
}
HTTP = {
    "parklake_http_hourly": ("5 * * * *", 1, timedelta(minutes=45),
                             {"job": "hourly", "date": "{{ data_interval_end | ds }}"}),
    "parklake_http_nightly": ("0 2 * * *", 2, timedelta(hours=3), {"job": "nightly", "date": "{{ ds }}"}),
    "parklake_http_archive": ("0 3 1 * *", 1, timedelta(hours=6), {"job": "archive", "date": "{{ ds }}"}),
    "parklake_http_backfill": (None, 0, timedelta(hours=24),
                               {"job": "nightly", "date_from": "{{ params.from }}", "date_to": "{{ params.to }}"}),
}
BACKFILLS = ("parklake_backfill", "parklake_http_backfill")


def all_dags():
    found = {}
    for path in sorted(DAGS.glob("*.py")):
        for dag in dags_in(load(path)):
            found[dag.dag_id] = dag
    return found


def the_task(dag):
    [task] = dag.tasks
    return task


class DagFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dags = all_dags()

    def test_the_dags_folder_holds_exactly_the_documented_dags(self):
        self.assertEqual(sorted({**CLI, **HTTP}), sorted(self.dags))

    def test_nightly_runs_the_cli_for_the_runs_own_date(self):
        dag = self.dags["parklake_nightly"]
        self.assertFalse(dag.kwargs["catchup"])
        self.assertEqual(1, dag.kwargs["max_active_runs"])
        self.assertIn("./parklake run nightly --date {{ ds }} --json", the_task(dag).bash_command)

    def test_schedules_retries_timeouts_and_one_job_at_a_time(self):
        for dag_id, (schedule, retries, timeout, _) in {**CLI, **HTTP}.items():
            with self.subTest(dag_id):
                dag, task = self.dags[dag_id], the_task(self.dags[dag_id])
                self.assertEqual(schedule, dag.kwargs["schedule"])
                self.assertFalse(dag.kwargs["catchup"], "history is loaded by the backfill DAG, not by catchup")
                self.assertEqual(1, dag.kwargs["max_active_runs"])
                self.assertEqual("parklake", task.pool, "one pool slot keeps the DAGs from overlapping on the lake")
                self.assertEqual(retries, task.retries)
                if retries:
                    self.assertIsInstance(task.retry_delay, timedelta)
                self.assertEqual(timeout, task.execution_timeout)
                self.assertTrue(dag.doc_md and dag.doc_md.strip(), "every DAG carries its documentation")

    def test_the_archive_dags_say_the_job_does_not_exist_yet(self):
        for dag_id in ("parklake_archive", "parklake_http_archive"):
            self.assertIn("later issue", re.sub(r"\s+", " ", self.dags[dag_id].doc_md))

    def test_cli_dags_call_parklake_with_their_dates_and_json(self):
        for dag_id, (_, _, _, args) in CLI.items():
            with self.subTest(dag_id):
                task = the_task(self.dags[dag_id])
                self.assertIsInstance(task, BashOperator)
                self.assertIn(f"exec ./parklake {args} --json\n", task.bash_command)

    def test_http_dags_pass_only_the_job_and_its_dates(self):
        for dag_id, (_, _, _, kwargs) in HTTP.items():
            with self.subTest(dag_id):
                task = the_task(self.dags[dag_id])
                self.assertIsInstance(task, PythonOperator)
                self.assertEqual("run_job", task.python_callable.__name__)
                self.assertEqual({**kwargs, "conn_id": "parklake_api"},
                                 {k: v for k, v in task.op_kwargs.items() if k != "busy_wait_seconds"})
                self.assertLess(task.op_kwargs["busy_wait_seconds"], task.execution_timeout.total_seconds())

    def test_http_template_fields_hold_no_address_or_token(self):
        BaseHook.connections = {}
        for dag_id in HTTP:
            task = the_task(self.dags[dag_id])
            for field in task.template_fields:
                text = repr(getattr(task, field, None)).lower()
                for word in ("password", "token", "bearer", "http://", "https://"):
                    self.assertNotIn(word, text, f"{dag_id}.{field}")

    def test_backfill_params_are_required_iso_dates(self):
        for dag_id in BACKFILLS:
            with self.subTest(dag_id):
                params = self.dags[dag_id].params
                self.assertEqual({"from", "to"}, set(params))
                for param in params.values():
                    self.assertIsNone(param.value, "no default: the trigger must say which range")
                    self.assertEqual("string", param.schema["type"])
                    self.assertEqual("date", param.schema["format"])
                    ok = lambda v: bool(re.fullmatch(param.schema["pattern"], v)) and bool(date.fromisoformat(v))
                    self.assertTrue(ok("2026-11-01"))
                    for bad in ("20261101", "2026-11-01; rm -rf /", "2026-11-01\n", "1-11-2026", "today"):
                        self.assertFalse(re.fullmatch(param.schema["pattern"], bad), bad)
                    self.assertRaises(ValueError, ok, "2026-13-01")


class NoIoAtImportTest(unittest.TestCase):
    FORBIDDEN = {"now", "utcnow", "today", "open", "system", "run", "Popen", "connect", "urlopen", "sleep",
                 "get_connection", "get", "time", "monotonic", "getenv"}

    def test_no_dag_file_reads_the_clock_or_does_io_at_import(self):
        """Module-level code, and the bodies of the functions it calls (a DAG factory), call nothing that
        reads the clock, a file, the network, a Variable or a Connection. Task callables run later."""
        for path in DAGS.glob("*.py"):
            tree = ast.parse(path.read_text(), str(path))
            functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
            top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))]
            called = {c.func.id for n in top for c in ast.walk(n)
                      if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
            checked = top + [functions[name] for name in called if name in functions]
            for node in (c for n in checked for c in ast.walk(n) if isinstance(c, ast.Call)):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                self.assertNotIn(name, self.FORBIDDEN, f"{path.name}:{node.lineno} calls {name}() at import")

    def test_importing_every_dag_file_touches_no_network_process_variable_or_connection(self):
        def refuse(what):
            def fail(*args, **kwargs):
                raise AssertionError(f"{what} called while importing a DAG file")
            return fail

        with mock.patch.object(socket.socket, "connect", refuse("socket.connect")), \
                mock.patch.object(socket, "create_connection", refuse("socket.create_connection")), \
                mock.patch.object(subprocess, "Popen", refuse("subprocess.Popen")), \
                mock.patch.object(os, "system", refuse("os.system")), \
                mock.patch.object(urllib.request, "urlopen", refuse("urlopen")), \
                mock.patch.object(Variable, "get", refuse("Variable.get")), \
                mock.patch.object(BaseHook, "get_connection", refuse("BaseHook.get_connection")):
            for path in sorted(DAGS.glob("*.py")):
                load(path, fresh=True)


FAKE_PARKLAKE = textwrap.dedent("""\
    #!/usr/bin/env bash
    # Stands in for ./parklake: says where it ran, with what, and exits as told.
    echo "cwd=$PWD"
    echo "home=${PARKLAKE_HOME:-<unset>}"
    echo "args=$*"
    exit "${FAKE_EXIT:-0}"
    """)


class CliScriptTest(unittest.TestCase):
    """The rendered bash of each CLI DAG, run by bash against a stand-in ./parklake."""

    RUN = Context(ds="2026-11-20", params={"from": "2026-11-01", "to": "2026-11-30"})
    EXPECTED_ARGS = {
        "parklake_hourly": "run hourly --date 2026-11-21 --json",
        "parklake_nightly": "run nightly --date 2026-11-20 --json",
        "parklake_archive": "run archive --date 2026-11-20 --json",
        "parklake_backfill": "run nightly --from 2026-11-01 --to 2026-11-30 --json",
    }

    @classmethod
    def setUpClass(cls):
        cls.dags = all_dags()

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = Path(tmp.name)

    def checkout(self, name):
        where = self.root / name
        where.mkdir()
        launcher = where / "parklake"
        launcher.write_text(FAKE_PARKLAKE)
        launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
        return where

    def bash(self, script, **env):
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        return subprocess.run(["bash", "-c", script], env={**base, **env}, capture_output=True, text=True, timeout=30)

    def rendered(self, dag_id, context):
        dag = self.dags[dag_id]
        return render(the_task(dag).bash_command, context, dag)

    def test_each_dag_runs_its_command_in_the_checkout_of_the_variables(self):
        checkout = self.checkout("park lake's checkout")  # a space and a quote: the sh filter must hold
        home = self.root / "lake home"
        context = Context(ds=self.RUN.ds, params=self.RUN.params,
                          variables={"parklake_dir": str(checkout), "parklake_home": str(home)})
        for dag_id, args in self.EXPECTED_ARGS.items():
            with self.subTest(dag_id):
                script = self.rendered(dag_id, context)
                self.assertNotIn("{{", script)
                done = self.bash(script, PARKLAKE_DIR="/elsewhere", PARKLAKE_HOME="/elsewhere")
                self.assertEqual(0, done.returncode, done.stderr)
                self.assertEqual(f"cwd={checkout}\nhome={home}\nargs={args}\n", done.stdout)

    def test_unset_variables_fall_back_to_the_workers_environment(self):
        checkout = self.checkout("from-env")
        done = self.bash(self.rendered("parklake_nightly", self.RUN), PARKLAKE_DIR=str(checkout),
                         PARKLAKE_HOME="/data/parklake")
        self.assertEqual(0, done.returncode, done.stderr)
        self.assertEqual(f"cwd={checkout}\nhome=/data/parklake\nargs=run nightly --date 2026-11-20 --json\n",
                         done.stdout)

    def test_without_variables_or_environment_the_default_checkout_is_used(self):
        script = self.rendered("parklake_nightly", self.RUN)
        done = self.bash(script)
        self.assertEqual(2, done.returncode)
        self.assertIn("no executable /opt/parklake/parklake", done.stderr)
        self.assertIn("parklake_dir", done.stderr)

    def test_the_clis_exit_code_is_the_tasks(self):
        checkout = self.checkout("failing")
        context = Context(variables={"parklake_dir": str(checkout)})
        for code in ("1", "2"):
            done = self.bash(self.rendered("parklake_nightly", context), FAKE_EXIT=code)
            self.assertEqual(int(code), done.returncode)
        self.assertIn("home=<unset>", done.stdout, "no Variable and no environment: the CLI's own default")

    def test_a_variable_cannot_inject_shell(self):
        marker = self.root / "injected"
        context = Context(variables={"parklake_dir": f"x'; touch {shlex.quote(str(marker))}; '"})
        done = self.bash(self.rendered("parklake_nightly", context))
        self.assertEqual(2, done.returncode)
        self.assertFalse(marker.exists())

    def test_the_hourly_date_is_the_data_interval_ends_not_its_start(self):
        from datetime import datetime

        dag = self.dags["parklake_hourly"]
        context = Context(ds="2026-11-20", data_interval_end=datetime(2026, 11, 21, 0, 5))
        self.assertIn("run hourly --date 2026-11-21 --json", render(the_task(dag).bash_command, context, dag))

if __name__ == "__main__":
    unittest.main()
