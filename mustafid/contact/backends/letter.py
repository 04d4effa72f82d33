"""Letters: a printable Arabic letter on the association's letterhead.

The letter is rendered once, when it is "sent", and kept in private storage as
`letters/<organization>/<message>.html`, so what staff print later is what was
issued that day. The staff page `contact:letter` serves it after a permission
check; there is no public URL.
"""

import base64
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mustafid.contact.backends import Backend, Outgoing, Sent, TransientError, trimmed
from mustafid.core.hijri import format_gregorian, format_hijri

logger = logging.getLogger("mustafid.contact")

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def letter_name(organization_id: int, message_id: int) -> str:
    return f"letters/{organization_id}/{message_id}.html"


def logo_data_uri(organization) -> str:
    """The logo inside the letter itself, so the stored file stands alone."""
    logo = organization.logo
    if not logo:
        return ""
    mime = LOGO_TYPES.get(logo.name.rpartition(".")[2].lower())
    if mime is None:
        return ""
    try:
        with logo.open("rb") as stored:
            content = stored.read()
    except OSError:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def render_letter(outgoing: Outgoing, *, day=None) -> str:
    language = "en" if outgoing.language == "en" else "ar"
    day = day or timezone.localdate()
    organization = outgoing.organization
    with translation.override(language):
        return render_to_string(
            "contact/letter.html",
            {
                "outgoing": outgoing,
                "organization": organization,
                "language": language,
                "direction": "rtl" if language == "ar" else "ltr",
                "logo": logo_data_uri(organization),
                "hijri_date": format_hijri(day, language),
                "gregorian_date": format_gregorian(day, language),
                "iso_date": day.isoformat(),
            },
        )


class LetterBackend(Backend):
    method = "letter"

    def send(self, outgoing: Outgoing) -> Sent:
        html = render_letter(outgoing)
        name = letter_name(outgoing.organization.pk, outgoing.message_id)
        try:
            # A retry replaces the earlier rendering instead of adding a copy.
            if default_storage.exists(name):
                default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(html.encode("utf-8")))
        except OSError as exc:
            raise TransientError(trimmed(f"letter storage failed: {exc}")) from exc
        logger.info("letter for message %s stored", outgoing.message_id)
        return Sent(provider_id=stored, detail="ready to print")
