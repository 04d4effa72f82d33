"""`mustafid open_reviews [--org SLUG] [--on YYYY-MM-DD]`: the daily job of
periodic reviews (P-PERIODIC), run by hand."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mustafid.core.models import Organization
from mustafid.eligibility.reviews import open_reviews


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--on must be a date as YYYY-MM-DD, not {value!r}."
        ) from error


class Command(BaseCommand):
    help = (
        "Open the periodic reviews that are due: those receiving a service whose "
        "review cycle or a required document falls due are told, and deliveries "
        "stop after the grace period until the review is completed. Running it "
        "again opens nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="Only this association (default: every active association).",
        )
        parser.add_argument(
            "--on",
            metavar="YYYY-MM-DD",
            help="The day to open reviews for (default: today).",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the output (default: %(default)s).",
        )

    def handle(self, *args, org: str | None, on: str | None, language: str, **options):
        day = _day(on) if on else timezone.localdate()
        if org:
            organizations = list(Organization.objects.filter(slug=org))
            if not organizations:
                raise CommandError(f"No association with the slug {org!r}.")
        else:
            organizations = list(
                Organization.objects.filter(is_active=True).order_by("slug")
            )
        with translation.override(language):
            for organization in organizations:
                counts = open_reviews(organization, day)
                self.stdout.write(
                    _(
                        "%(org)s — services with a review cycle: %(services)s · "
                        "reviews opened for the cycle: %(cycle)s · "
                        "for expiring documents: %(document)s"
                    )
                    % {"org": organization.slug, **counts}
                )
