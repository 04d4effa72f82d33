"""An association's short name is the first segment of its public address
(/<slug>/, P-TRANSPARENCY), so it must not take a segment the site itself uses."""

from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _

# Segments used now or planned (DESIGN.md §3 layout; the web server's own
# folders), whether or not the URL conf already routes them.
PLANNED = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "association",
        "audit",
        "beneficiaries",
        "cases",
        "complaints",
        "contact",
        "dashboard",
        "eligibility",
        "favicon.ico",
        "feedback",
        "i18n",
        "login",
        "logout",
        "media",
        "partners",
        "portal",
        "reports",
        "robots.txt",
        "services",
        "static",
        "staff",
        "surveys",
        "switch",
        "www",
    }
)


def routed_segments() -> set[str]:
    """The first path segments of every route that is not an association's page."""
    segments = set()
    for entry in get_resolver().url_patterns:
        first = str(entry.pattern).lstrip("^").split("/", 1)[0]
        if first and "<" not in first and isinstance(entry, URLPattern | URLResolver):
            segments.add(first)
    return segments


def reserved_segments() -> frozenset[str]:
    return PLANNED | routed_segments()


def validate_slug_not_reserved(value: str) -> None:
    if (value or "").lower() in reserved_segments():
        raise ValidationError(
            _(
                "“%(slug)s” is used by the site's own pages and cannot be an "
                "association's short name. Choose another."
            ),
            code="reserved_slug",
            params={"slug": value},
        )
