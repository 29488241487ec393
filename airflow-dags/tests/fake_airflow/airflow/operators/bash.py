from airflow.models.baseoperator import BaseOperator


class BashOperator(BaseOperator):
    template_fields = ("bash_command", "env", "cwd")

    def __init__(self, task_id, bash_command, **kwargs):
        super().__init__(task_id, **kwargs)
        self.bash_command = bash_command
