"""What the DAG tests share: the fake Airflow on the path, loading a DAG file, and a tiny stand-in for
Airflow's template rendering (no Jinja: it knows exactly the expressions the DAGs use and fails on
any other, so a new expression has to be added here, deliberately)."""
import importlib.util
import pathlib
import re
import sys
from datetime import datetime

HERE = pathlib.Path(__file__).resolve().parent
DAGS = HERE.parent / "dags"
for p in (str(HERE / "fake_airflow"), str(DAGS)):  # Airflow puts its DAGs folder on sys.path too
    if p not in sys.path:
        sys.path.insert(0, p)

SHARED = ("parklake_cli", "parklake_api")  # modules the DAG files import from the DAGs folder


def load(path, fresh=False):
    """Executes a DAG file as a new module; `fresh` re-executes the shared modules it imports too."""
    if fresh:
        for name in SHARED:
            sys.modules.pop(name, None)
    spec = importlib.util.spec_from_file_location(f"dagfile_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dags_in(module):
    from airflow import DAG

    return [v for v in vars(module).values() if isinstance(v, DAG)]


class Context:
    """The parts of a task's template context the DAGs read: one run's dates, params and Variables."""

    def __init__(self, ds="2026-11-20", data_interval_end=datetime(2026, 11, 21, 0, 5), params=None, variables=None):
        self.ds = ds
        self.data_interval_end = data_interval_end
        self.params = params or {}
        self.variables = variables or {}


_EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)
_VAR = re.compile(r"""var\.value\.get\(\s*'(\w+)'\s*,\s*''\s*\)""")
_PARAM = re.compile(r"params\.(\w+)")

# Airflow's own template filters that the DAGs use.
AIRFLOW_FILTERS = {"ds": lambda value: value.strftime("%Y-%m-%d")}


def render(template, context, dag):
    """Renders `{{ expr | filter ... }}` the way Airflow would for `context`, with the DAG's filters."""
    if "{%" in template or "{#" in template:
        raise AssertionError("templates use only {{ }} expressions: " + template)
    filters = {**AIRFLOW_FILTERS, **dag.user_defined_filters}

    def one(match):
        base, *pipes = [part.strip() for part in match.group(1).split("|")]
        if base in ("ds", "data_interval_end"):
            value = getattr(context, base)
        elif _PARAM.fullmatch(base):
            value = context.params[_PARAM.fullmatch(base).group(1)]
        elif _VAR.fullmatch(base):
            value = context.variables.get(_VAR.fullmatch(base).group(1), "")
        else:
            raise AssertionError(f"the test renderer does not know the expression {base!r}")
        for name in pipes:
            if name not in filters:
                raise AssertionError(f"no filter {name!r}: Airflow would fail to render {match.group(0)}")
            value = filters[name](value)
        return str(value)

    return _EXPR.sub(one, template)
