from airflow.models.baseoperator import BaseOperator


class PythonOperator(BaseOperator):
    template_fields = ("templates_dict", "op_args", "op_kwargs")

    def __init__(self, task_id, python_callable, op_args=None, op_kwargs=None, templates_dict=None, **kwargs):
        super().__init__(task_id, **kwargs)
        self.python_callable = python_callable
        self.op_args = op_args or []
        self.op_kwargs = op_kwargs or {}
        self.templates_dict = templates_dict
