"""Refusing a template before it is saved: unknown placeholders, syntax errors,
tags other than `if`, and SMS texts longer than four segments."""

import re
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.template import TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

from mustafid.contact.wording.events import LONG_METHODS, get_event
from mustafid.contact.wording.samples import SAMPLE_BENEFICIARY, SAMPLES

NAME = re.compile(r"[a-z_][a-z0-9_]*")
SMS_SEGMENTS = 4

# The GSM 03.38 alphabet; anything else makes a message UCS-2 (Arabic always).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS a text takes: 160 / 153 per part in GSM-7, 70 / 67 in UCS-2."""
    if all(char in GSM_BASIC or char in GSM_EXTENDED for char in text):
        units = sum(2 if char in GSM_EXTENDED else 1 for char in text)
        single, part = 160, 153
    else:
        # UCS-2 counts UTF-16 code units (an emoji takes two).
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if units <= single:
        return 1
    return -(-units // part)


def _check_syntax(text: str, allowed: dict, errors: list) -> None:
    """Only known `{{ name }}` and `{% if [not] name %}…{% endif %}`."""
    for token in Lexer(text).tokenize():
        content = token.contents.strip()
        if token.token_type == TokenType.VAR:
            if not NAME.fullmatch(content):
                errors.append(
                    _(
                        "“{{ %(text)s }}” is not a placeholder: write a name only, "
                        "such as {{ case_number }}."
                    )
                    % {"text": content}
                )
            elif content not in allowed:
                errors.append(
                    _("This message has no placeholder “{{ %(name)s }}”.")
                    % {"name": content}
                )
        elif token.token_type == TokenType.BLOCK:
            words = content.split()
            tag = words[0] if words else ""
            if tag in ("else", "endif") and len(words) == 1:
                continue
            if tag in ("if", "elif"):
                rest = words[1:]
                if rest[:1] == ["not"]:
                    rest = rest[1:]
                if len(rest) == 1 and NAME.fullmatch(rest[0]):
                    if rest[0] not in allowed:
                        errors.append(
                            _("This message has no placeholder “{{ %(name)s }}”.")
                            % {"name": rest[0]}
                        )
                    continue
            errors.append(
                _(
                    "“{%% %(text)s %%}” is not allowed: only {%% if name %%}, "
                    "{%% else %%} and {%% endif %%} may be used."
                )
                % {"text": content}
            )


def _names(text: str, name: str) -> bool:
    return re.search(r"{{\s*" + re.escape(name) + r"\s*}}", text) is not None


def check_template(
    *, event: str, method: str, language: str, subject: str, body: str
) -> None:
    """Raise ValidationError naming every problem; nothing is saved then."""
    from mustafid.contact.wording.rendering import ENGINE

    definition = get_event(event)
    allowed = definition.all_placeholders()
    errors: list[str] = []
    texts = [body] + ([subject] if method in LONG_METHODS else [])
    for text in texts:
        _check_syntax(text, allowed, errors)
    if not errors:
        for text in texts:
            try:
                ENGINE.from_string(text)
            except TemplateSyntaxError as error:
                errors.append(
                    _(
                        "The text cannot be read: %(error)s. Check that every "
                        "{%% if %%} has its {%% endif %%}."
                    )
                    % {"error": error}
                )
    for name in definition.secret:
        # A one-time code the text does not carry locks the beneficiary out.
        if not _names(body, name):
            errors.append(
                _(
                    "The text must include {{ %(name)s }}: "
                    "it is what this message is for."
                )
                % {"name": name}
            )
    if errors:
        raise ValidationError(errors)
    if method == "sms":
        sample = preview(
            event=event, method=method, language=language, subject="", body=body
        )
        count = sms_segments(sample.body)
        if count > SMS_SEGMENTS:
            raise ValidationError(
                _(
                    "The SMS takes %(count)s messages with example details; shorten it "
                    "to at most %(limit)s (about %(chars)s Arabic characters)."
                )
                % {"count": count, "limit": SMS_SEGMENTS, "chars": SMS_SEGMENTS * 67}
            )


def sample_beneficiary(language: str):
    name = SAMPLE_BENEFICIARY["ar"].split()
    return SimpleNamespace(
        first_name=name[0], family_name=name[-1], name_en=SAMPLE_BENEFICIARY["en"]
    )


def preview(*, event, method, language, subject, body, organization=None):
    """The text rendered with the event's example facts."""
    from mustafid.contact.wording.rendering import Renderer

    organization = organization or SimpleNamespace(
        name_ar="جمعية البر الخيرية", name_en="Al-Birr Charity", phone="0112345678"
    )
    renderer = Renderer(
        organization, templates=[(event, method, language, subject, body)]
    )
    return renderer.render(
        event,
        method,
        language,
        SAMPLES.get(event, {}),
        beneficiary=sample_beneficiary(language),
    )
