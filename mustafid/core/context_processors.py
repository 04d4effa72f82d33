from django.utils import timezone

from mustafid.core.roles import Perm


def shell(request):
    """What the base layout needs: the association, the role and its navigation."""
    membership = getattr(request, "membership", None)
    perms = {p.value for p in Perm if membership and membership.has_perm(p)}
    return {
        "current_organization": getattr(request, "organization", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "perms_here": perms,
        "today": timezone.localdate(),
    }
