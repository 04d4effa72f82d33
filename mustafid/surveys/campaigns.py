"""Sending a questionnaire by hand to a filtered list of beneficiaries
(P-SATISFACTION): one transaction, one invitation per beneficiary."""

from django.db import transaction

from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.surveys.invitations import invite
from mustafid.surveys.models import Campaign

# A campaign larger than this is split by narrowing the filter.
MAX_RECIPIENTS = 5000


@transaction.atomic
def start_campaign(
    *,
    actor,
    organization,
    questionnaire,
    name: str,
    beneficiaries,
    filters: dict,
    request=None,
) -> Campaign:
    """Invite each beneficiary of the list once; the campaign with its count."""
    campaign = Campaign.objects.create(
        organization=organization,
        questionnaire=questionnaire,
        name=name,
        filters=filters,
        created_by=actor,
    )
    invited = 0
    for beneficiary in beneficiaries.distinct().iterator(chunk_size=500):
        invited += (
            invite(
                questionnaire=questionnaire, beneficiary=beneficiary, campaign=campaign
            )
            is not None
        )
    campaign.invited = invited
    campaign.save(update_fields=["invited", "updated_at"])
    audit.record(
        AuditAction.CREATE,
        actor=actor,
        organization=organization,
        obj=campaign,
        changes={"questionnaire": questionnaire.pk, "invited": invited} | filters,
        request=request,
    )
    return campaign
