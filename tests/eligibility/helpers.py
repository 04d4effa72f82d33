"""Rules and people for the eligibility tests."""

from decimal import Decimal

from mustafid.eligibility.models import Combine, Criterion, RuleSet, Subject


def rules(service, *criteria: dict, combine=Combine.ALL) -> RuleSet:
    """An unsaved rule set holding `criteria` (dicts of Criterion fields)."""
    rule_set = RuleSet(
        organization_id=service.organization_id,
        service=service,
        version=1,
        combine=combine,
    )
    rule_set.unsaved_criteria = [
        Criterion(
            organization_id=service.organization_id,
            position=i,
            reason_ar=f"سبب {i}",
            reason_en=f"reason {i}",
            **fields,
        )
        for i, fields in enumerate(criteria)
    ]
    return rule_set


def age(low=None, high=None) -> dict:
    return {
        "subject": Subject.AGE,
        "minimum": None if low is None else Decimal(low),
        "maximum": None if high is None else Decimal(high),
    }


def income(maximum) -> dict:
    return {"subject": Subject.INCOME_PER_PERSON, "maximum": Decimal(maximum)}
