"""Notification wording: the events, their placeholders and default texts, the
association's templates, and the one function turning a queued message into
text (`render`, or `Renderer` for a batch)."""

from mustafid.contact.wording.checks import check_template, preview, sms_segments
from mustafid.contact.wording.events import EVENTS, UnknownEvent, get_event
from mustafid.contact.wording.rendering import Rendered, Renderer, render

__all__ = [
    "EVENTS",
    "Rendered",
    "Renderer",
    "UnknownEvent",
    "check_template",
    "get_event",
    "preview",
    "render",
    "sms_segments",
]
