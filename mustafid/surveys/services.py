"""Writing surveys: the questionnaire builder, answers through a link, answers
typed in from paper (P-SATISFACTION, P-TOOLS).

A version is frozen by its first response; changing the questions of a frozen
version first copies it into a new version, so every response keeps the exact
questions it answered.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.surveys.models import (
    CHOICE_KINDS,
    Answer,
    Choice,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseChannel,
    Source,
)


class SurveyRefused(Exception):
    """A refused change; `str(error)` is the message to show."""


class SurveyClosed(SurveyRefused):
    """The link was used already or has expired."""


QUESTIONNAIRE_FIELDS = (
    "title_ar",
    "title_en",
    "intro_ar",
    "intro_en",
    "is_active",
    "is_anonymous",
    "trigger",
    "on_programme_end",
    "valid_days",
    "reminder_days",
)


# --- The builder ---------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    *, actor, organization, data: dict, services=(), request=None
) -> Questionnaire:
    """A new questionnaire with an empty first version."""
    questionnaire = Questionnaire.objects.create(
        organization=organization,
        **{key: data[key] for key in QUESTIONNAIRE_FIELDS if key in data},
    )
    questionnaire.services.set(services)
    QuestionnaireVersion.objects.create(
        organization=organization, questionnaire=questionnaire, number=1
    )
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=questionnaire,
        changes=audit.snapshot(questionnaire, list(QUESTIONNAIRE_FIELDS)),
        request=request,
    )
    return questionnaire


@transaction.atomic
def update_questionnaire(
    *, actor, questionnaire: Questionnaire, data: dict, services=(), request=None
) -> Questionnaire:
    """Change the settings; anonymity is fixed once answers exist (P-PRIVACY)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if (
        "is_anonymous" in data
        and data["is_anonymous"] != questionnaire.is_anonymous
        and questionnaire.responses.exists()
    ):
        raise SurveyRefused(
            _(
                "Answers exist: whether the questionnaire is anonymous can no "
                "longer change. Create a new questionnaire instead."
            )
        )
    before = audit.snapshot(questionnaire, list(QUESTIONNAIRE_FIELDS))
    before["services"] = sorted(s.pk for s in questionnaire.services.all())
    for key in QUESTIONNAIRE_FIELDS:
        if key in data:
            setattr(questionnaire, key, data[key])
    questionnaire.save()
    questionnaire.services.set(services)
    after = audit.snapshot(questionnaire, list(QUESTIONNAIRE_FIELDS))
    after["services"] = sorted(s.pk for s in services)
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=questionnaire.organization,
        obj=questionnaire,
        changes=audit.changed_fields(before, after),
        request=request,
    )
    return questionnaire


def _copy_version(version: QuestionnaireVersion) -> tuple[QuestionnaireVersion, dict]:
    new = QuestionnaireVersion.objects.create(
        organization=version.organization,
        questionnaire=version.questionnaire,
        number=version.number + 1,
    )
    mapping = {}
    for question in version.questions.prefetch_related("choices"):
        copy = Question.objects.create(
            organization=version.organization,
            version=new,
            position=question.position,
            kind=question.kind,
            text_ar=question.text_ar,
            text_en=question.text_en,
            required=question.required,
        )
        Choice.objects.bulk_create(
            Choice(
                organization=version.organization,
                question=copy,
                position=choice.position,
                text_ar=choice.text_ar,
                text_en=choice.text_en,
            )
            for choice in question.choices.all()
        )
        mapping[question.pk] = copy
    return new, mapping


def editable_version(questionnaire) -> tuple[QuestionnaireVersion, dict]:
    """The draft to change, and {old question id: its copy} when a frozen
    version was copied into a new one."""
    version = (
        QuestionnaireVersion.objects.select_for_update()
        .filter(questionnaire=questionnaire)
        .order_by("-number")
        .first()
    )
    if version.is_frozen:
        return _copy_version(version)
    return version, {}


def _set_choices(question: Question, choices: list[tuple[str, str]]) -> None:
    question.choices.all().delete()
    if question.kind not in CHOICE_KINDS:
        return
    Choice.objects.bulk_create(
        Choice(
            organization=question.organization,
            question=question,
            position=position,
            text_ar=ar,
            text_en=en,
        )
        for position, (ar, en) in enumerate(choices, start=1)
    )


@transaction.atomic
def save_question(
    *,
    actor,
    questionnaire: Questionnaire,
    data: dict,
    choices: list[tuple[str, str]],
    question: Question | None = None,
    request=None,
) -> Question:
    """Add a question, or change one (in a new version if its version is in use)."""
    if data["kind"] in CHOICE_KINDS and len(choices) < 2:
        raise SurveyRefused(_("Give at least two choices, one per line."))
    version, copies = editable_version(questionnaire)
    if question is None:
        last = version.questions.order_by("-position").first()
        question = Question(
            organization=questionnaire.organization,
            version=version,
            position=(last.position + 1) if last else 1,
        )
        action = AuditAction.CREATE
    else:
        question = copies.get(question.pk, question)
        action = AuditAction.UPDATE
    for key in ("kind", "text_ar", "text_en", "required", "position"):
        if key in data and data[key] is not None:
            setattr(question, key, data[key])
    question.save()
    _set_choices(question, choices)
    audit.record(
        action,
        actor=actor,
        organization=questionnaire.organization,
        obj=question,
        changes={"version": version.number, "text_ar": question.text_ar},
        request=request,
    )
    return question


@transaction.atomic
def remove_question(*, actor, questionnaire, question: Question, request=None) -> None:
    """Remove a question from the draft (a frozen version keeps it)."""
    version, copies = editable_version(questionnaire)
    target = copies.get(question.pk, question)
    audit.record(
        AuditAction.DELETE,
        actor=actor,
        organization=questionnaire.organization,
        obj=target,
        changes={"version": version.number, "text_ar": target.text_ar},
        request=request,
    )
    target.delete()


# --- Answers -----------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _answer_rows(response: Response, questions, values: dict) -> list[Answer]:
    """The rows of the answers given; `values` maps question id to the cleaned
    value (int, "yes"/"no", a choice id, a list of choice ids, or text)."""
    rows = []
    for question in questions:
        value = values.get(question.pk)
        if value in (None, "", []):
            continue
        row = {"organization": response.organization, "response": response}
        row["question"] = question
        if question.kind in (QuestionKind.RATING, QuestionKind.NPS):
            rows.append(Answer(number=int(value), **row))
        elif question.kind == QuestionKind.YES_NO:
            rows.append(Answer(number=1 if value == "yes" else 0, **row))
        elif question.kind == QuestionKind.SINGLE:
            rows.append(Answer(choice_id=int(value), **row))
        elif question.kind == QuestionKind.MULTIPLE:
            rows.extend(Answer(choice_id=int(v), **row) for v in value)
        else:
            rows.append(Answer(text=str(value).strip(), **row))
    return rows


def _freeze(version: QuestionnaireVersion, now) -> None:
    if version.frozen_at is None:
        QuestionnaireVersion.objects.filter(pk=version.pk, frozen_at=None).update(
            frozen_at=now
        )


def _hide_times(response: Response, day: datetime.date) -> None:
    """An anonymous response's rows carry the day only, as does the invitation
    marked used: their exact times cannot be matched."""
    start = _start_of(day)
    Response.objects.filter(pk=response.pk).update(created_at=start, updated_at=start)
    Answer.objects.filter(response=response).update(created_at=start, updated_at=start)


@transaction.atomic
def submit_response(
    *, invitation: Invitation, version: QuestionnaireVersion, values: dict
) -> Response:
    """The answers given through an invitation's link (no sign-in)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("questionnaire", "organization")
        .get(pk=invitation.pk)
    )
    now = timezone.now()
    if invitation.used_at is not None:
        raise SurveyClosed(_("This survey was answered already. Thank you."))
    if invitation.is_expired(now) or not invitation.questionnaire.is_active:
        raise SurveyClosed(_("This survey is closed."))
    questionnaire = invitation.questionnaire
    anonymous = questionnaire.is_anonymous
    today = timezone.localdate(now)
    response = Response.objects.create(
        organization=invitation.organization,
        questionnaire=questionnaire,
        version=version,
        source=Source.ELECTRONIC,
        channel=invitation.method or ResponseChannel.SMS,
        answered_on=today,
        service_id=invitation.service_id,
        staff_id=invitation.staff_id,
        # P-PRIVACY: an anonymous response names nobody, not even the link.
        beneficiary_id=None if anonymous else invitation.beneficiary_id,
        case_id=None if anonymous else invitation.case_id,
        invitation=None if anonymous else invitation,
    )
    Answer.objects.bulk_create(_answer_rows(response, version.questions.all(), values))
    _freeze(version, now)
    used_at = _start_of(today) if anonymous else now
    Invitation.objects.filter(pk=invitation.pk).update(
        used_at=used_at, updated_at=used_at
    )
    if anonymous:
        _hide_times(response, today)
    audit.record(
        AuditAction.CREATE,
        organization=invitation.organization,
        obj=None if anonymous else response,
        actor_label="survey link",
        changes={"questionnaire": questionnaire.pk, "version": version.number},
    )
    return response


@transaction.atomic
def enter_paper_response(
    *,
    actor,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    values: dict,
    answered_on: datetime.date,
    beneficiary=None,
    service=None,
    staff=None,
    request=None,
) -> Response:
    """Answers written on a printed questionnaire, typed in by staff (P-TOOLS)."""
    if version.questionnaire_id != questionnaire.pk:
        raise SurveyRefused(_("This version belongs to another questionnaire."))
    if answered_on > timezone.localdate():
        raise SurveyRefused(_("The date answered cannot be in the future."))
    anonymous = questionnaire.is_anonymous
    response = Response.objects.create(
        organization=questionnaire.organization,
        questionnaire=questionnaire,
        version=version,
        source=Source.PAPER,
        channel=ResponseChannel.PAPER,
        answered_on=answered_on,
        entered_by=actor,
        service=service,
        staff=staff,
        beneficiary=None if anonymous else beneficiary,
    )
    Answer.objects.bulk_create(_answer_rows(response, version.questions.all(), values))
    _freeze(version, timezone.now())
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=questionnaire.organization,
        obj=response,
        changes={
            "source": Source.PAPER,
            "questionnaire": questionnaire.pk,
            "version": version.number,
        },
        request=request,
    )
    return response
