"""`mustafid scheduler`: enqueue the periodic jobs when they fall due
(mustafid.core.scheduling.JOBS); the worker runs them."""

import signal
import time

from django.core.management.base import BaseCommand

from mustafid.core.scheduling import tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs (messages, reminders, reviews) as they fall due."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument(
            "--interval", type=float, default=20, help="Seconds between ticks."
        )

    def handle(self, *args, once=False, interval=20, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            for name in tick():
                self.stdout.write(f"queued {name}")
            if once or stopping:
                return
            for _second in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
