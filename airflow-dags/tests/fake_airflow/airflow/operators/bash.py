from airflow import _current


class BashOperator:
    def __init__(self, task_id, bash_command, **kwargs):
        self.task_id = task_id
        self.bash_command = bash_command
        self.kwargs = kwargs
        if _current:
            _current[-1].tasks.append(self)
