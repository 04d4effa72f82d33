"""The research committee (P-COMMITTEE): members, meetings, agenda, votes, reasons.

A meeting is planned with an agenda of requests before the committee, held with
the members present (its quorum and chair fixed then), voted item by item, and
decided: each item's outcome follows `committee_rule.decide` and is applied to
its request through `transitions.transition()`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mustafid.core.models import bilingual
from mustafid.core.tenancy import TenantModel, tenant_manager


class CommitteeMember(TenantModel):
    """A staff member of the association sitting on its research committee."""

    membership = models.ForeignKey(
        "core.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-is_chair", "id"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"],
                name="committee_member_once_per_org",
            ),
            # The chair breaks ties: there is at most one.
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_chair=True, is_active=True),
                name="one_active_committee_chair",
            ),
        ]

    def __str__(self) -> str:
        user = self.membership.user
        return user.get_full_name() or user.get_username()


class CommitteeRule(TenantModel):
    """The association's quorum rule; without a row, a majority of active members."""

    quorum_minimum = models.PositiveSmallIntegerField(
        _("minimum members present"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a majority of the active members."),
    )

    class Meta:
        ordering = ["organization"]
        verbose_name = _("committee rule")
        verbose_name_plural = _("committee rules")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], name="one_committee_rule_per_org"
            ),
            models.CheckConstraint(
                condition=Q(quorum_minimum__isnull=True) | Q(quorum_minimum__gte=1),
                name="committee_quorum_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return str(self.quorum_minimum or "—")


def quorum_for(rule: CommitteeRule | None, active_members: int) -> int:
    """Members who must be present for the committee to decide."""
    if rule is not None and rule.quorum_minimum:
        return rule.quorum_minimum
    return active_members // 2 + 1


class ReasonKind(models.TextChoices):
    APPROVE = "approve", _("Reason to approve")
    REJECT = "reject", _("Reason to reject")


class DecisionReason(TenantModel):
    """One of the association's standard reasons for a committee decision."""

    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=ReasonKind.choices)
    name_ar = models.CharField(_("reason (Arabic)"), max_length=200)
    name_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("decision reason")
        verbose_name_plural = _("decision reasons")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="decision_reason_code_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)


class MeetingStatus(models.TextChoices):
    # With a context: the catalogue's plain "Decided" is the request page's
    # label of the decision's date.
    PLANNED = "planned", pgettext_lazy("committee meeting", "Planned")
    HELD = "held", pgettext_lazy("committee meeting", "Held")
    DECIDED = "decided", pgettext_lazy("committee meeting", "Decided")


class RunStatus(models.TextChoices):
    """Where applying the meeting's decisions in the background stands."""

    IDLE = "", _("Not started")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Applying the decisions")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an unexpected error")


class MeetingQuerySet(models.QuerySet):
    def undecided(self):
        return self.exclude(status=MeetingStatus.DECIDED)


class CommitteeMeeting(TenantModel):
    """A meeting of the research committee (اجتماع لجنة البحث)."""

    number = models.PositiveIntegerField(_("meeting number"))
    date = models.DateField(_("meeting date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
    )
    attendees = models.ManyToManyField(
        CommitteeMember,
        related_name="meetings_attended",
        blank=True,
        verbose_name=_("members present"),
    )
    # Fixed when the meeting is held, so later changes of the committee do not
    # rewrite its minutes.
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    chair = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    notes = models.TextField(_("notes for the minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # Applying the decisions (cases.committee_tasks), with its progress.
    run_status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.IDLE, blank=True
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    task_id = models.CharField(max_length=64, blank=True)
    total_items = models.PositiveIntegerField(default=0)
    processed_items = models.PositiveIntegerField(default=0)
    applied_items = models.PositiveIntegerField(default=0)
    undecided_items = models.PositiveIntegerField(default=0)
    failed_items = models.PositiveIntegerField(default=0)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)

    objects = tenant_manager(MeetingQuerySet)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="committee_meeting_number"
            )
        ]

    def __str__(self) -> str:
        return str(self.number)

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def run_active(self) -> bool:
        return self.run_status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        if not self.total_items:
            return 100 if self.run_status == RunStatus.DONE else 0
        return min(100, round(100 * self.processed_items / self.total_items))


class ItemOutcome(models.TextChoices):
    PENDING = "", _("Awaiting the decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NO_DECISION = "no_decision", _("No decision")
    DEFERRED = "deferred", _("Set aside for a later meeting")


class AgendaItemQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(outcome=ItemOutcome.PENDING)

    def for_agenda(self):
        """What an agenda row shows, in a fixed number of queries."""
        return self.select_related(
            "case__beneficiary", "case__service"
        ).prefetch_related("votes__member__membership__user", "reasons")


class AgendaItem(TenantModel):
    """One request on a meeting's agenda, with its votes and its decision."""

    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="items"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("request"),
    )
    position = models.PositiveIntegerField(_("order"))
    outcome = models.CharField(
        _("decision"),
        max_length=12,
        choices=ItemOutcome.choices,
        default=ItemOutcome.PENDING,
        blank=True,
    )
    # Why there is no decision (a tie without the chair, all abstained), or why
    # the item was set aside.
    outcome_note = models.TextField(blank=True)
    reasons = models.ManyToManyField(
        DecisionReason, blank=True, related_name="+", verbose_name=_("reasons")
    )
    reason_note = models.TextField(_("further reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The last failure applying the decision; the next run tries again.
    error = models.TextField(blank=True)

    objects = tenant_manager(AgendaItemQuerySet)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # A request awaits the decision of one agenda at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(outcome=""),
                name="case_on_one_pending_agenda",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}#{self.position}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == ItemOutcome.PENDING

    def outcome_reasons(self) -> list:
        """The chosen reasons of the outcome's kind (all of them while pending),
        from the prefetched reasons."""
        kind = {
            ItemOutcome.APPROVED: ReasonKind.APPROVE,
            ItemOutcome.REJECTED: ReasonKind.REJECT,
        }.get(self.outcome)
        return [r for r in self.reasons.all() if kind is None or r.kind == kind]

    def vote_counts(self) -> dict[str, int]:
        """Votes by choice, from the prefetched votes (see `for_agenda`)."""
        counts = dict.fromkeys(VoteChoice.values, 0)
        for vote in self.votes.all():
            counts[vote.choice] += 1
        return counts


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    ABSTAIN = "abstain", _("Abstain")


class CommitteeVote(TenantModel):
    """A member's vote on one agenda item; changeable until the item is decided."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    note = models.TextField(_("note"), blank=True)
    # The member, or the secretary entering a paper vote for them.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "member"]
        verbose_name = _("committee vote")
        verbose_name_plural = _("committee votes")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"], name="one_vote_per_member_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"
