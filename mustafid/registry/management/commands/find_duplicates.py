"""`mustafid find_duplicates --org SLUG`: records that are probably one person."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from mustafid.core.models import Organization
from mustafid.registry.duplicates import PROBABLE, find_duplicate_groups
from mustafid.registry.models import Beneficiary
from mustafid.registry.name_keys import build_missing_name_keys


class Command(BaseCommand):
    help = (
        "List groups of an association's beneficiaries that are probably the same "
        "person, with scores and reasons (never identity numbers or mobiles). "
        "Records are compared only within blocks of the name-key index and the "
        "mobile index, never every pair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument(
            "--min-score",
            type=int,
            default=PROBABLE,
            metavar="N",
            help="Lowest score of a pair to list, 0-100 (default: %(default)s).",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the output (default: %(default)s).",
        )

    def handle(self, *args, org: str, min_score: int, language: str, **options):
        if not 0 <= min_score <= 100:
            raise CommandError("--min-score must be between 0 and 100.")
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No association with the slug {org!r}.")
        with translation.override(language), scope(organization=organization):
            # Records loaded without the registry services have no keys yet.
            built = build_missing_name_keys(Beneficiary.objects.all())
            if built:
                self.stderr.write(
                    _("Name keys built for %(count)s records.") % {"count": built}
                )
            groups = find_duplicate_groups(
                organization=organization, min_score=min_score
            )
            for number, group in enumerate(groups, start=1):
                self._write_group(number, group)
            summary = ngettext(
                "%(count)s group with a score of %(score)s or more in %(org)s.",
                "%(count)s groups with a score of %(score)s or more in %(org)s.",
                len(groups),
            )
            self.stdout.write(
                summary
                % {"count": len(groups), "score": min_score, "org": organization.slug}
            )

    def _write_group(self, number: int, group) -> None:
        self.stdout.write(
            _("Group %(number)s — score %(score)s")
            % {"number": number, "score": group.score}
        )
        for beneficiary in group.beneficiaries:
            born = beneficiary.birth_date.isoformat() if beneficiary.birth_date else "—"
            self.stdout.write(
                f"  #{beneficiary.pk} {beneficiary.full_name} · "
                + _("born %(date)s") % {"date": born}
            )
        for a, b, value, reasons in group.pairs:
            why = " · ".join(str(reason) for reason in reasons)
            self.stdout.write(f"  #{a.pk} ↔ #{b.pk}: {value} — {why}")
        self.stdout.write("")
