"""Satisfaction surveys: questionnaires, their versions and questions, the
invitations sent to beneficiaries and the responses they give.

P-SATISFACTION, P-EVALCULTURE, P-TOOLS. A questionnaire's questions live in a
version; the version is frozen once a response uses it, and every response
keeps the version it answered. An anonymous questionnaire's responses hold no
beneficiary, case or invitation: nothing stored links an answer to a person.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    NPS = "nps", _("Would recommend us, from 0 to 10")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Trigger(models.TextChoices):
    """When a request of one of the questionnaire's services invites."""

    NONE = "", _("Not sent automatically for requests")
    DELIVERING = "delivering", _("When delivery starts")
    CLOSED = "closed", _("When the request is closed")


class Questionnaire(TenantModel):
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "The answers are never linked to the beneficiary. Cannot be changed "
            "once answers exist."
        ),
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services"), blank=True, related_name="+"
    )
    trigger = models.CharField(
        _("send for requests"), max_length=20, choices=Trigger.choices, blank=True
    )
    on_programme_end = models.BooleanField(
        _("send when a programme ends"), default=False
    )
    valid_days = models.PositiveSmallIntegerField(
        _("days the link stays open"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before the link closes"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("0: no reminder."),
    )

    objects = tenant_manager()

    class Meta:
        ordering = ["-is_active", "title_ar", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return bilingual(self.title_ar, self.title_en)

    @property
    def intro(self) -> str:
        return bilingual(self.intro_ar, self.intro_en)

    def current_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(TenantModel):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    # Set by the first response (or paper entry): from then on the questions of
    # this version never change; editing starts a new version.
    frozen_at = models.DateTimeField(_("in use since"), null=True, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="survey_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(TenantModel):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_ar = models.CharField(_("question (Arabic)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return bilingual(self.text_ar, self.text_en)


class Choice(TenantModel):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text_ar = models.CharField(_("choice (Arabic)"), max_length=200)
    text_en = models.CharField(_("choice (English)"), max_length=200, blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return bilingual(self.text_ar, self.text_en)


class Campaign(TenantModel):
    """A questionnaire sent by hand to a filtered list of beneficiaries."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=200)
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited = models.PositiveIntegerField(default=0)

    objects = tenant_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class InvitationQuerySet(models.QuerySet):
    def open_at(self, moment: datetime.datetime):
        return self.filter(used_at__isnull=True, expires_at__gt=moment)

    def due_reminder(self, questionnaire, moment: datetime.datetime):
        """Unanswered, open, not yet reminded, and within the reminder window."""
        window = datetime.timedelta(days=questionnaire.reminder_days)
        return self.open_at(moment).filter(
            questionnaire=questionnaire,
            reminded_at__isnull=True,
            expires_at__lte=moment + window,
        )


class Invitation(TenantModel):
    """One beneficiary asked to answer one questionnaire, through a link.

    The link's token is never stored: it is derived from `salt` with the
    server's secret, and only its hash is kept to find the invitation.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="invitations"
    )
    beneficiary = models.ForeignKey(
        "registry.Beneficiary", on_delete=models.CASCADE, related_name="+"
    )
    # What it is about: a request, a programme, or a campaign.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    programme_key = models.CharField(max_length=100, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For the indicators: the service and the staff member who served.
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("sent by"), max_length=10, blank=True)
    salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("open until"))
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    objects = tenant_manager(InvitationQuerySet)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "beneficiary", "case"],
                condition=Q(case__isnull=False),
                name="survey_invitation_once_per_case",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "beneficiary", "programme_key"],
                condition=~Q(programme_key=""),
                name="survey_invitation_once_per_programme",
            ),
            models.UniqueConstraint(
                fields=["campaign", "beneficiary"],
                condition=Q(campaign__isnull=False),
                name="survey_invitation_once_per_campaign",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(used_at__isnull=True, reminded_at__isnull=True),
                name="survey_invitation_remind_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} → {self.beneficiary_id}"

    def is_expired(self, moment=None) -> bool:
        return (moment or timezone.now()) >= self.expires_at


class Source(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class ResponseChannel(models.TextChoices):
    """How the answers came in: the invitation's method, or paper."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PAPER = "paper", _("Paper form")


class Response(TenantModel):
    """One completed questionnaire. For an anonymous questionnaire it holds no
    beneficiary, case or invitation, and its times are rounded to the day so
    they cannot be matched with the invitation marked used."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ELECTRONIC
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=ResponseChannel.choices
    )
    answered_on = models.DateField(_("answered on"))
    # Paper only: who typed the answers in.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member who served"),
    )
    # Empty for anonymous questionnaires, always.
    beneficiary = models.ForeignKey(
        "registry.Beneficiary",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )

    objects = tenant_manager()

    class Meta:
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["organization", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} #{self.pk}"


class Answer(TenantModel):
    """One answer: a number (rating, NPS, yes = 1 / no = 0), a choice (one row
    per chosen choice), or a text."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)

    objects = tenant_manager()

    class Meta:
        ordering = ["response", "question__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=10),
                name="survey_answer_number_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.number or self.choice_id or self.text[:20]}"
