"""A hand-written stand-in for the parts of Airflow the DAG files use, so that the DAGs can be
imported and inspected in CI without installing Airflow (PyPI is not reachable here)."""

_current = []


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        _current.append(self)
        return self

    def __exit__(self, *exc):
        _current.pop()
        return False
