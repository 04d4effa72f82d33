from django_scopes import scope

from mustafid.contact.backends import Outgoing
from mustafid.contact.backends.letter import LetterBackend
from mustafid.contact.outbox import Method, OutboxMessage

ARABIC_BODY = "تمت الموافقة على طلبكم رقم ١٢٣.\nنرجو مراجعة الجمعية يوم الأحد."


def outgoing(org, **fields) -> Outgoing:
    values = {
        "message_id": 42,
        "method": Method.SMS,
        "to": "+966512345678",
        "subject": "",
        "body": ARABIC_BODY,
        "language": "ar",
        "event": "decision",
        "organization": org,
    }
    return Outgoing(**(values | fields))


def make_letter_message(org, **fields) -> OutboxMessage:
    """A letter message of `org`, rendered and stored as the backend does."""
    with scope(organization=org):
        message = OutboxMessage.objects.create(
            organization=org,
            event="decision",
            method=Method.LETTER,
            subject="قرار اللجنة",
            body=ARABIC_BODY,
            language="ar",
        )
        sent = LetterBackend().send(
            outgoing(
                org,
                message_id=message.pk,
                method=Method.LETTER,
                to="",
                subject=message.subject,
                recipient_name="سارة محمد عبدالله القحطاني",
                postal_address="٧٢٣٥ شارع الملك فهد\nحي العليا\nالرياض ١٢٢١١",
                **fields,
            )
        )
        message.provider_id = sent.provider_id
        message.status = "sent"
        message.save(update_fields=["provider_id", "status"])
    return message
