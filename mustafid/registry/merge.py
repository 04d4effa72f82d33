"""Merging two records of one person into one (P-COMPLETE, P-PRIVACY)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.core import audit
from mustafid.core.models import AuditAction, Membership
from mustafid.core.roles import Perm
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import (
    BeneficiaryNameKey,
    NameBlock,
    refresh_name_keys,
)
from mustafid.registry.services import SENSITIVE

# Filled on the kept record when it has no value and the other one has. The
# identity fields belong together and to the kept record; derived columns are
# recomputed on save.
_NOT_FILLED = frozenset(
    {
        "id",
        "organization",
        "created_at",
        "updated_at",
        "identity_type",
        "identity_number",
        "identity_check_override",
        "identity_hash",
        "mobile_hash",
        "name_normalized",
    }
)


class MergeError(ValueError):
    """Two records that cannot be merged, with the reason."""


@transaction.atomic
def merge_beneficiaries(
    *, actor, keep: Beneficiary, remove: Beneficiary, request=None
) -> Beneficiary:
    """Make `remove` part of `keep`: its cases, documents, household and every
    other record pointing at it move to `keep`, its empty fields fill `keep`'s,
    and it is deleted. Audited as an update of one and a deletion of the other.
    """
    if keep.pk == remove.pk:
        raise MergeError(_("A record cannot be merged with itself."))
    if keep.organization_id != remove.organization_id:
        raise MergeError(_("Records of different associations cannot be merged."))
    _check_permission(actor, keep.organization_id)
    # Lock both rows in id order, so two merges cannot deadlock; this order
    # also replaces the default one, whose join would lock the association.
    locked = (
        Beneficiary.objects.select_for_update()
        .order_by("pk")
        .in_bulk([keep.pk, remove.pk])
    )
    keep, remove = locked[keep.pk], locked[remove.pk]
    before = audit.snapshot(keep)

    remove_pk = remove.pk
    moved = _move_related(keep, remove)
    keep.categories.add(*remove.categories.all())
    filled = _fill_empty_fields(keep, remove)
    if filled:
        keep.save()

    audit.record(
        AuditAction.DELETE,
        actor=actor,
        organization=remove.organization,
        obj=remove,
        changes={"merged_into": keep.pk},
        request=request,
    )
    remove.delete()
    refresh_name_keys(keep)

    changes = audit.changed_fields(before, audit.snapshot(keep), hidden=SENSITIVE)
    changes.update({"merged_from": remove_pk, "moved": moved})
    audit.record(
        AuditAction.UPDATE,
        actor=actor,
        organization=keep.organization,
        obj=keep,
        changes=changes,
        request=request,
    )
    return keep


def _check_permission(actor, organization_id: int) -> None:
    membership = (
        Membership.objects.with_scopes_disabled()
        .filter(user=actor, organization_id=organization_id)
        .first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if membership is None or not membership.has_perm(Perm.MERGE_BENEFICIARIES):
        raise PermissionDenied("Only a manager may merge beneficiaries.")


def _relations_to_beneficiary():
    """Every foreign key pointing at a beneficiary, hidden ones included (a
    many-to-many through table, a related_name of '+'), so models added later
    (cases, interactions, consents) move without changing this code."""
    for rel in Beneficiary._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete):
            continue
        if not (rel.one_to_many or rel.one_to_one):
            continue  # a many-to-many is moved through its table's foreign key
        model = rel.related_model
        if model in (BeneficiaryNameKey, NameBlock):
            continue  # the kept record's are rebuilt; the removed one's go with it
        if model._meta.auto_created is Beneficiary:
            continue  # the record's own categories (unioned)
        yield model, rel.field


def _move_related(keep: Beneficiary, remove: Beneficiary) -> dict[str, int]:
    moved = {}
    for model, fk in _relations_to_beneficiary():
        rows = model._base_manager.filter(**{fk.name: remove})
        if model._meta.auto_created:
            # A through table: where both records are linked, keep one link.
            other = next(
                f
                for f in model._meta.concrete_fields
                if f.is_relation and f.name != fk.name
            )
            linked = model._base_manager.filter(**{fk.name: keep}).values(other.attname)
            rows.filter(**{f"{other.attname}__in": linked}).delete()
        if same := getattr(model, "MERGE_SAME_WHEN", ()):
            # The same fact on both records (both accepted one text): the kept
            # record's row already says it; the other goes, and is counted.
            kept = set(model._base_manager.filter(**{fk.name: keep}).values_list(*same))
            twins = [
                pk for pk, *key in rows.values_list("pk", *same) if tuple(key) in kept
            ]
            if twins:
                model._base_manager.filter(pk__in=twins).delete()
                moved[f"{model._meta.label_lower}: same as the kept record's"] = len(
                    twins
                )
        if fk.one_to_one and model._base_manager.filter(**{fk.name: keep}).exists():
            raise MergeError(
                _("Both records have a %(kind)s: keep one of them first.")
                % {"kind": model._meta.verbose_name}
            )
        values = {fk.name: keep}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            values["updated_at"] = timezone.now()
        try:
            with transaction.atomic():
                count = rows.update(**values)
        except IntegrityError as error:
            # e.g. both records invited to, or under review for, one service.
            raise MergeError(
                _("Both records have a %(kind)s that cannot be joined; resolve one.")
                % {"kind": model._meta.verbose_name}
            ) from error
        if count:
            moved[model._meta.label_lower] = count
    return moved


def _fill_empty_fields(keep: Beneficiary, remove: Beneficiary) -> list[str]:
    filled = []
    for field in Beneficiary._meta.concrete_fields:
        if field.name in _NOT_FILLED or isinstance(field, models.ForeignKey):
            continue
        mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(keep, field.attname, theirs)
            filled.append(field.name)
    return filled
