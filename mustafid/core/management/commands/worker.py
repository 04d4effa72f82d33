"""`mustafid worker`: the background worker of the configured task backend.

The database queue (default) runs django-tasks-db's `db_worker`; RQ on Redis
(`TASKS_BACKEND=django_tasks_rq.RQBackend`) runs `rqworker` with the tasks'
job class. Every queue is served.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (imports, messages, periodic jobs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is due, then exit (tests, cron).",
        )

    def handle(self, *args, batch=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            call_command(
                "rqworker",
                *settings.RQ_QUEUES,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=batch,
            )
            return
        arguments = ["--no-reload", "--queue-name", "*"]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *arguments)
