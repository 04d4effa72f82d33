"""The kinds, statuses, priorities and levels of feedback items
(P-COMPLAINTS, seed 004)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLIMENT = "compliment", _("Compliment")
    REMARK = "remark", _("Remark")
    # Seed 004: a dispute arising from a service, settled by the designated
    # authority after hearing each party.
    DISPUTE = "dispute", _("Dispute")


# Kinds whose handling the sender is asked to rate, and whose sender is told
# "your complaint" rather than "your remark".
COMPLAINT_KINDS = (Kind.COMPLAINT, Kind.DISPUTE)
REFERENCE_PREFIX = {
    Kind.COMPLAINT: "CMP",
    Kind.SUGGESTION: "SUG",
    Kind.COMPLIMENT: "CPL",
    Kind.REMARK: "RMK",
    Kind.DISPUTE: "DSP",
}


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Sender(models.TextChoices):
    BENEFICIARY = "beneficiary", _("A beneficiary")
    ANONYMOUS = "anonymous", _("Anonymous")
    OTHER = "other", _("Another party")


class About(models.TextChoices):
    GENERAL = "general", _("The association in general")
    SERVICE = "service", _("A service")
    CASE = "case", _("A request")
    STAFF = "staff", _("A staff member")


class Level(models.IntegerChoices):
    """Who answers for an item: raised one step each time a target passes."""

    OFFICER = 0, _("Beneficiary relations officer")
    MANAGER = 1, _("Executive manager")
    BOARD = 2, _("Board of directors")


class DisputeParty(models.TextChoices):
    COMPLAINANT = "complainant", _("The complainant")
    OTHER = "other", _("The other party")
    STAFF = "staff", _("The association's staff")
