"""Turning a queued message into text: the association's template or the default.

Templates use Django's engine, limited to `{{ placeholder }}` and
`{% if switch %} … {% else %} … {% endif %}`, with autoescape off (plain text).
`Renderer(organization)` reads the association's templates once and compiles
each text once, so a batch of thousands of messages costs one query.
"""

from dataclasses import dataclass

from django.template import Context, Engine
from django_scopes import scope

from mustafid.contact.outbox import Method
from mustafid.contact.wording.events import LONG_METHODS, get_event
from mustafid.contact.wording.facts import placeholder_values

ENGINE = Engine(autoescape=False, debug=False, libraries={})


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def normalize_language(language: str) -> str:
    return "en" if (language or "").lower().startswith("en") else "ar"


def check_method(method: str) -> str:
    if method not in Method.values:
        raise ValueError(f"Unknown sending method: {method!r}")
    return method


def association_name(organization, language: str) -> str:
    if language == "en" and organization.name_en:
        return organization.name_en
    return organization.name_ar


def beneficiary_name(beneficiary, language: str) -> str:
    if beneficiary is None:
        return ""
    if language == "en" and beneficiary.name_en:
        return beneficiary.name_en
    return f"{beneficiary.first_name} {beneficiary.family_name}".strip()


def common_values(organization, language, beneficiary=None, context=None) -> dict:
    name = beneficiary_name(beneficiary, language)
    if beneficiary is None and context:
        name = context.get("recipient_name", "")
    return {
        "beneficiary_name": name,
        "association_name": association_name(organization, language),
        "association_phone": organization.phone,
    }


def _tidy(text: str) -> str:
    """No trailing spaces nor runs of blank lines left by empty optional parts,
    and no opening comma where a greeting had no name to greet."""
    lines = [line.rstrip() for line in text.strip().lstrip("،, ").splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy)


def message_language(message) -> str:
    """An outbox row's language: as recorded, else the beneficiary's preferred
    one (rows queued before the language was recorded), else Arabic."""
    if message.language:
        return normalize_language(message.language)
    if message.beneficiary is not None:
        return normalize_language(message.beneficiary.preferred_language)
    return "ar"


class Renderer:
    """Renders many messages of one association with its templates read once."""

    def __init__(self, organization, *, templates=None):
        from mustafid.contact.notification_template import NotificationTemplate

        self.organization = organization
        if templates is None:
            with scope(organization=organization):
                templates = NotificationTemplate.objects.filter(
                    organization=organization
                ).values_list("event", "method", "language", "subject", "body")
                templates = list(templates)
        self.custom = {
            (event, method, language): (subject, body)
            for event, method, language, subject, body in templates
        }
        self._compiled: dict = {}

    def source(self, event: str, method: str, language: str) -> tuple[str, str]:
        """(subject, body) as written: the association's, else the default."""
        key = (event, method, language)
        if key in self.custom:
            return self.custom[key]
        return get_event(event).default(method, language)

    def _templates(self, event, method, language):
        key = (event, method, language)
        if key not in self._compiled:
            subject, body = self.source(event, method, language)
            self._compiled[key] = (
                ENGINE.from_string(subject) if method in LONG_METHODS else None,
                ENGINE.from_string(body),
            )
        return self._compiled[key]

    def render(
        self,
        event: str,
        method: str,
        language: str,
        context: dict | None,
        *,
        beneficiary=None,
        staff=None,
    ) -> Rendered:
        definition = get_event(event)
        check_method(method)
        language = normalize_language(language)
        values = common_values(self.organization, language, beneficiary, context)
        values |= placeholder_values(definition, context or {}, language)
        if staff is not None and definition.for_staff:
            values["staff_name"] = staff.get_full_name() or staff.get_username()
        subject, body = self._templates(event, method, language)
        with_values = Context(values, autoescape=False)
        return Rendered(
            subject=" ".join(subject.render(with_values).split()) if subject else "",
            body=_tidy(body.render(with_values)),
        )

    def render_message(self, message, method: str = "") -> Rendered:
        """One outbox row, by the method it is sent with (`method`, else the
        one recorded or asked for) and its language (`message_language`);
        a preferred phone call is sent by SMS."""
        method = method or message.method or message.channel
        return self.render(
            message.event,
            method if method in Method.values else Method.SMS,
            message_language(message),
            message.context,
            beneficiary=message.beneficiary,
            staff=message.staff,
        )


def render(
    organization,
    event: str,
    method: str,
    language: str,
    context: dict | None,
    *,
    beneficiary=None,
    staff=None,
) -> Rendered:
    """One message's subject and text; for many, use one `Renderer`."""
    return Renderer(organization).render(
        event, method, language, context, beneficiary=beneficiary, staff=staff
    )
