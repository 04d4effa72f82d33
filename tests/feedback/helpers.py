"""Building feedback items for the feedback tests and the matrix."""

from django.utils import translation
from django_scopes import scope

from mustafid.contact.outbox import OutboxMessage
from mustafid.feedback import receiving
from mustafid.feedback.models import FeedbackItem
from tests.contact.helpers import phone_channel


def ar(text: str) -> str:
    with translation.override("ar"):
        return translation.gettext(text)


def make_item(org, **fields) -> FeedbackItem:
    """A complaint from someone not registered, received by phone."""
    with scope(organization=org):
        defaults = {
            "actor": None,
            "organization": org,
            "kind": "complaint",
            "channel": phone_channel(org),
            "sender": "other",
            "sender_name": "فهد الدوسري",
            "sender_mobile": "0551234567",
            "description": "تأخر صرف السلة الغذائية أسبوعين دون إبلاغي.",
        }
        return receiving.receive_feedback(**(defaults | fields))


def messages(org, event=None) -> list[OutboxMessage]:
    with scope(organization=org):
        rows = OutboxMessage.objects.order_by("id")
        if event:
            rows = rows.filter(event=event)
        return list(rows)


def reload(item: FeedbackItem) -> FeedbackItem:
    with scope(organization=item.organization):
        return FeedbackItem.objects.get(pk=item.pk)


def step(org, fn, **kwargs):
    with scope(organization=org):
        return fn(**kwargs)
