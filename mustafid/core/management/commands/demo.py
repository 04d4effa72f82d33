"""`mustafid demo`: the five seed associations, a login per role, demo beneficiaries."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django_scopes import scopes_disabled

from mustafid.contact.models import Channel
from mustafid.core.demo import (
    DEMO_PASSWORD,
    MULTI_ADMIN_USERNAME,
    DemoLogin,
    DemoSummary,
    load_demo,
)
from mustafid.core.models import Membership, Organization
from mustafid.governance.models import PolicyVersion, StaffTool
from mustafid.registry.models import Beneficiary


class Command(BaseCommand):
    help = (
        "Load the five seed associations (channels, tools, policy), one demo login "
        "per role in each, and made-up beneficiaries; safe to run again. Demo only: "
        f"every login gets the same printed password (default {DEMO_PASSWORD})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Password of every demo login (default: %(default)s).",
        )
        parser.add_argument(
            "--beneficiaries",
            type=int,
            default=50,
            metavar="N",
            help="Demo beneficiaries per association (default: %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off.",
        )

    def handle(self, *args, password: str, beneficiaries: int, force: bool, **options):
        # Logins with a published password have no place in a real deployment,
        # which runs with DEBUG off.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment. The demo creates "
                "logins with a known password; use --force if you mean it."
            )
        if not password:
            raise CommandError("--password must not be empty.")
        if beneficiaries < 0:
            raise CommandError("--beneficiaries must be 0 or more.")
        summary = load_demo(password=password, beneficiaries=beneficiaries)
        self._print_counts(summary)
        self._print_logins(summary, password=password)

    def _print_counts(self, summary: DemoSummary) -> None:
        with scopes_disabled():
            counts = [
                ("associations", Organization.objects.count()),
                ("channels", Channel.objects.count()),
                ("staff tools", StaffTool.objects.count()),
                ("policy versions", PolicyVersion.objects.count()),
                ("users", get_user_model().objects.count()),
                ("memberships", Membership.objects.count()),
                ("beneficiaries", Beneficiary.objects.count()),
            ]
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            "In the database: "
            + ", ".join(f"{count} {what}" for what, count in counts)
            + f" ({summary.beneficiaries_created} beneficiaries new this run)."
        )

    def _print_logins(self, summary: DemoSummary, *, password: str) -> None:
        single = [x for x in summary.logins if x.username != MULTI_ADMIN_USERNAME]
        multi = [x for x in summary.logins if x.username == MULTI_ADMIN_USERNAME]
        site = settings.SITE_URL.rstrip("/") + "/"
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Sign in at {site}"))
        self._print_table([_row(login, password=password) for login in single])
        if multi:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    "In more than one association (switch association after sign-in):"
                )
            )
            names = "، ".join(login.organization.name_ar for login in multi)
            self._print_table(
                [(MULTI_ADMIN_USERNAME, password, _role_label(multi[0]), names)]
            )
        self._print_portal(summary, site=site)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "Demo logins only: they share a published password. Never load them "
                "into a real deployment."
            )
        )

    def _print_portal(self, summary: DemoSummary, *, site: str) -> None:
        if not summary.portal_logins:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                "Beneficiary portal: sign in at "
                f"{site}<association>/sign-in/ with (the one-time code prints "
                "in the console of the server):"
            )
        )
        rows = [("Identity number", "Mobile", "Portal address", "Association")]
        rows += [
            (
                login.identity_number,
                "0" + login.mobile.removeprefix("+966"),
                f"{site}{login.organization.slug}/sign-in/",
                login.organization.name_ar,
            )
            for login in summary.portal_logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [row[i].ljust(widths[i]) for i in range(3)]
            self.stdout.write("  ".join([*cells, row[3]]))

    def _print_table(self, rows: list[tuple[str, str, str, str]]) -> None:
        # The Arabic name goes last so right-to-left text cannot shift the
        # alignment of the columns after it.
        header = ("Username", "Password", "Role", "Association")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        for row in [header, *rows]:
            cells = [row[i].ljust(widths[i]) for i in range(3)]
            self.stdout.write("  ".join([*cells, row[3]]))


def _role_label(login: DemoLogin) -> str:
    with translation.override("en"):
        return str(login.role.label)


def _row(login: DemoLogin, *, password: str) -> tuple[str, str, str, str]:
    return (login.username, password, _role_label(login), login.organization.name_ar)
