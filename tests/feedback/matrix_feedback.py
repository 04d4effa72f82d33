"""The feedback routes in the permission matrix (P-COMPLAINTS, P-PRIVACY)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from mustafid.core.roles import Role
from mustafid.core.uploads import PNG, safe_name
from mustafid.feedback.defaults import ensure_defaults
from mustafid.feedback.improvements import ImprovementAction
from mustafid.feedback.models import FeedbackCategory
from tests.conftest import make_member
from tests.factories import TINY_PNG
from tests.feedback.helpers import make_item

# Perm.HANDLE_FEEDBACK: the relations officer and the manager.
HANDLERS = frozenset({Role.RECEPTION, Role.MANAGER})
DECIDERS = frozenset({Role.MANAGER})
FIGURES = frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN})
BOARD = frozenset({Role.MANAGER, Role.AUDITOR})
SETTINGS = frozenset({Role.MANAGER, Role.ADMIN})
IMPROVERS = frozenset({Role.MANAGER})
# The export: HANDLE_FEEDBACK (the queue) and VIEW_FEEDBACK_FIGURES.
EXPORTERS = HANDLERS & FIGURES


def _item(org):
    return {"pk": make_item(org).pk}


def _dispute(org):
    return {"pk": make_item(org, kind="dispute").pk}


def _with_attachment(org):
    upload = SimpleUploadedFile(safe_name(PNG), TINY_PNG, content_type="image/png")
    upload.checked_kind = PNG
    item = make_item(org, attachments=[upload])
    with scope(organization=org):
        return {"pk": item.pk, "attachment_pk": item.attachments.get().pk}


def _category(org):
    with scope(organization=org):
        ensure_defaults(org)
        return {"pk": FeedbackCategory.objects.filter(organization=org).first().pk}


def _action(org):
    with scope(organization=org):
        action = ImprovementAction.objects.create(
            organization=org,
            title="موعد مسائي للاستقبال",
            owner=make_member(org, Role.MANAGER),
            due_on=datetime.date(2027, 1, 31),
        )
    return {"pk": action.pk}


def routes(Route) -> list:
    return [
        Route("feedback:item_list", HANDLERS),
        Route("feedback:item_export", EXPORTERS),
        Route("feedback:item_create", HANDLERS),
        Route("feedback:item_detail", HANDLERS, kwargs=_item),
        # Empty forms: nobody assigned (302); taken in hand (302); no
        # resolution, no reason, no answer, no statement (400); closing an
        # unresolved complaint is refused (400).
        Route("feedback:item_assign", HANDLERS, "post", _item, (302,)),
        Route("feedback:item_start", HANDLERS, "post", _item, (302,)),
        Route("feedback:item_resolve", HANDLERS, "post", _item, (400,)),
        Route("feedback:item_close", HANDLERS, "post", _item, (400,)),
        Route("feedback:item_reopen", HANDLERS, "post", _item, (400,)),
        Route("feedback:item_satisfaction", HANDLERS, "post", _item, (400,)),
        Route("feedback:dispute_statement", HANDLERS, "post", _dispute, (400,)),
        Route("feedback:dispute_decide", DECIDERS, "post", _dispute, (400,)),
        Route("feedback:attachment", HANDLERS, kwargs=_with_attachment),
        Route("feedback:figures", FIGURES),
        Route("feedback:board", BOARD),
        Route("feedback:settings", SETTINGS),
        Route("feedback:category_add", SETTINGS, "post", ok_status=(400,)),
        Route("feedback:category_toggle", SETTINGS, "post", _category, (302,)),
        Route("feedback:action_list", IMPROVERS),
        Route("feedback:action_create", IMPROVERS),
        Route("feedback:action_edit", IMPROVERS, kwargs=_action),
    ]
