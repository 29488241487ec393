from airflow import _current


class BaseOperator:
    """Takes the enclosing DAG's default_args (an operator's own arguments win), as Airflow does."""

    template_fields = ()

    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.dag = _current[-1] if _current else None
        merged = dict(self.dag.default_args) if self.dag else {}
        merged.update(kwargs)
        self.kwargs = merged
        for name in ("retries", "retry_delay", "execution_timeout", "pool"):
            setattr(self, name, merged.get(name))
        if self.dag:
            self.dag.tasks.append(self)
