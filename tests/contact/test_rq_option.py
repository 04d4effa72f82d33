"""RQ on Redis, the documented option for scale (issue 6 item 7): the same
scheduler and `mustafid worker`, with TASKS_BACKEND=django_tasks_rq.RQBackend,
carry a queued message to the SMS gateway through the machine's Redis
(127.0.0.1:6379, a database of its own). PostgreSQL: the processes share it."""

import subprocess

import pytest
import redis
from django_scopes import scope

from mustafid.contact.outbox import OutboxMessage, OutboxStatus, queue_message
from tests.contact.test_worker_killed import MUSTAFID, worker_env
from tests.factories import BeneficiaryFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def empty_redis():
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield server
    server.flushdb()


def test_the_scheduler_and_worker_run_on_rq(org, sms_gateway, empty_redis):
    with scope(organization=org):
        message = queue_message(
            organization=org,
            event="review_due",
            beneficiary=BeneficiaryFactory(organization=org),
            context={"service_ar": "السلة", "service_en": "Basket"},
        )
    env = worker_env(sms_gateway)
    env.update(TASKS_BACKEND="django_tasks_rq.RQBackend", REDIS_URL=REDIS_URL)
    run = {"env": env, "check": True, "timeout": 60, "capture_output": True}
    scheduled = subprocess.run([MUSTAFID, "scheduler", "--once"], **run)  # noqa: S603
    assert b"queued send_messages" in scheduled.stdout
    assert empty_redis.keys("rq:queue:default")  # the job waits in Redis
    assert sms_gateway.requests == []
    subprocess.run([MUSTAFID, "worker", "--batch"], **run)  # noqa: S603
    assert len(sms_gateway.requests) == 1
    with scope(organization=org):
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
