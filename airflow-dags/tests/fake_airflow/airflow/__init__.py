"""A hand-written stand-in for the parts of Airflow the DAG files use, so that the DAGs can be
imported and inspected in CI without installing Airflow (PyPI is not reachable here).

It mirrors Airflow 2.4+'s names and call shapes only: DAG (a context manager collecting its
tasks), operators that take the DAG's default_args, Param, Variable, BaseHook.get_connection and
the exceptions. Nothing here renders templates or schedules anything."""

_current = []


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.default_args = kwargs.get("default_args") or {}
        self.params = kwargs.get("params") or {}
        self.user_defined_filters = kwargs.get("user_defined_filters") or {}
        self.doc_md = kwargs.get("doc_md")
        self.tasks = []

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()
        return False
