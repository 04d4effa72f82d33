"""A worker killed in the middle of a batch (issue 6 item 8): the real
`mustafid worker` in its own process, the real SMS protocol on 127.0.0.1, and
SIGKILL while the gateway is answering the third message. After a restart every
message has gone out and is recorded once; only the message whose answer the
dead worker never read reaches the gateway a second time (at-least-once, see
docs/communications.md). PostgreSQL: the worker process shares the test database.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_scopes import scope

from mustafid.contact.outbox import OutboxMessage, OutboxStatus, queue_message
from mustafid.contact.tasks import send_messages_task
from tests.factories import BeneficiaryFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

MUSTAFID = str(Path(sys.executable).parent / "mustafid")
LEASE_SECONDS = 2


def worker_env(gateway) -> dict:
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        SMS_GATEWAY_PRESET="taqnyat",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN="taqnyat-secret-token",
        SMS_GATEWAY_OPTIONS='{"TIMEOUT": 5}',
        QUIET_HOURS="0-0",
        OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        NOTIFICATION_BACKEND="",
    )
    return env


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_killing_the_worker_mid_batch_loses_nothing(org, sms_gateway):
    assert connection.vendor == "postgresql"
    with scope(organization=org):
        people = [BeneficiaryFactory(organization=org) for _ in range(6)]
        messages = [
            queue_message(
                organization=org,
                event="review_due",
                beneficiary=person,
                context={"service_ar": "السلة", "service_en": "Basket"},
            )
            for person in people
        ]
    sms_gateway.slow(0.5)
    send_messages_task.enqueue()
    env = worker_env(sms_gateway)
    worker = subprocess.Popen(  # noqa: S603
        [MUSTAFID, "worker", "--batch"], env=env, start_new_session=True
    )
    try:
        # Killed while the gateway is answering the third message.
        wait_for(lambda: len(sms_gateway.requests) >= 3)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    with scope(organization=org):
        statuses = list(
            OutboxMessage.objects.order_by("id").values_list("status", flat=True)
        )
    assert statuses[:2] == [OutboxStatus.SENT] * 2
    assert set(statuses[2:]) == {OutboxStatus.SENDING}  # held by the dead worker

    # The lease ends; the scheduler's next minute enqueues the job again.
    time.sleep(LEASE_SECONDS + 0.5)
    sms_gateway.slow(0)
    send_messages_task.enqueue()
    subprocess.run([MUSTAFID, "worker", "--batch"], env=env, check=True, timeout=60)  # noqa: S603

    with scope(organization=org):
        sent = {m.pk: m for m in OutboxMessage.objects.all()}
    assert all(m.status == OutboxStatus.SENT for m in sent.values())
    received = [request.body["recipients"][0] for request in sms_gateway.requests]
    mobiles = [person.mobile.lstrip("+") for person in people]
    assert sorted(set(received)) == sorted(mobiles)  # nothing lost
    twice = {mobile for mobile in mobiles if received.count(mobile) > 1}
    assert twice == {mobiles[2]}  # only the one in flight at the kill
    assert sent[messages[2].pk].attempts == 1
    assert sent[messages[0].pk].sent_at < sent[messages[3].pk].sent_at
    assert (
        datetime.timedelta(0)
        < sent[messages[3].pk].sent_at - sent[messages[0].pk].sent_at
    )
