"""Checks every DAG file: importable without I/O, passes the data interval to the CLI, never now()."""
import ast
import importlib.util
import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
DAGS = HERE.parent / "dags"
sys.path.insert(0, str(HERE / "fake_airflow"))


def load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DagFilesTest(unittest.TestCase):
    def test_nightly_runs_the_cli_for_the_runs_own_date(self):
        dag = load(DAGS / "parklake_nightly.py").dag
        self.assertEqual("parklake_nightly", dag.dag_id)
        self.assertFalse(dag.kwargs["catchup"])
        self.assertEqual(1, dag.kwargs["max_active_runs"])
        [task] = dag.tasks
        self.assertIn("./parklake run nightly --date {{ ds }} --json", task.bash_command)

    def test_no_dag_reads_the_clock_or_does_io_at_import(self):
        forbidden = {"now", "utcnow", "today", "open", "system", "run", "Popen", "connect"}
        for path in DAGS.glob("*.py"):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                    self.assertNotIn(name, forbidden, f"{path.name}:{node.lineno} calls {name}()")


if __name__ == "__main__":
    unittest.main()
