"""`mustafid import_beneficiaries FILE --org SLUG`: a spreadsheet into the registry.

The same functions as the import pages: columns recognised from their names,
every row checked by the staff form, batches written in their own transactions;
here the batches run at once instead of in the background worker.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from mustafid.core.models import Organization
from mustafid.core.uploads import safe_name
from mustafid.registry import importing
from mustafid.registry.import_files import (
    UnreadableFile,
    error_report_csv,
    open_table,
    sniff_kind,
)
from mustafid.registry.import_rows import (
    guess_mapping,
    mapping_problems,
    target_label,
)


class Command(BaseCommand):
    help = (
        "Import beneficiaries from an .xlsx or .csv file into an association. "
        "Rows whose identity number is already registered are skipped (or updated "
        "with --update-existing); rows with errors are reported, not imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report; write nothing.",
        )
        parser.add_argument(
            "--errors",
            metavar="OUT.csv",
            help="Write the row errors to this CSV file (UTF-8, for Excel).",
        )
        parser.add_argument(
            "--update-existing",
            action="store_true",
            help="Update beneficiaries already registered instead of skipping them.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=importing.BATCH_SIZE,
            metavar="N",
            help="Rows per transaction (default: %(default)s).",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the output (default: %(default)s).",
        )

    def handle(self, *args, file: str, org: str, language: str, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No association with the slug {org!r}.")
        path = Path(file)
        with translation.override(language):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(
                    _("Cannot read %(file)s: %(reason)s")
                    % {"file": file, "reason": exc.strerror or exc}
                ) from exc
            try:
                kind = sniff_kind(data[:8192], path.name)
                table = open_table(data, kind)
                total = table.count()  # reads every row: a broken file fails here
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except UnreadableFile as exc:
                raise CommandError(str(exc.message)) from exc
            mapping = guess_mapping(table.headers)
            self._write_mapping(table.headers, mapping)
            if problems := mapping_problems(mapping):
                raise CommandError("\n".join(str(p) for p in problems))
            with scope(organization=organization):
                if options["dry_run"]:
                    self._dry_run(table, mapping, options)
                else:
                    self._import(
                        organization, path, data, kind, table, mapping, total, options
                    )

    def _write_mapping(self, headers, mapping) -> None:
        for header, target in zip(headers, mapping, strict=True):
            field = target_label(target) if target else _("(not imported)")
            self.stdout.write(f"  {header} → {field}")

    def _dry_run(self, table, mapping, options) -> None:
        started = time.monotonic()
        report = importing.dry_run(
            table, mapping, update_existing=options["update_existing"]
        )
        self.stdout.write(
            _(
                "Dry run, nothing written: %(total)s rows, %(valid)s valid, "
                "%(existing)s already registered, %(invalid)s with errors "
                "(%(seconds).1f s)."
            )
            % {
                "total": report.total,
                "valid": report.valid,
                "existing": report.existing,
                "invalid": report.invalid,
                "seconds": time.monotonic() - started,
            }
        )
        self._write_errors([e.as_list() for e in report.errors], options["errors"])

    def _import(self, organization, path, data, kind, table, mapping, total, options):
        started = time.monotonic()
        job = importing.create_import_job(
            actor=None,
            organization=organization,
            upload=ContentFile(data, name=safe_name(kind)),
            kind=kind,
            original_name=path.name,
            headers=table.headers,
            mapping=mapping,
            total_rows=total,
        )
        importing.map_columns(
            job=job, mapping=mapping, update_existing=options["update_existing"]
        )
        importing.queue_import(job=job, background=False)

        def on_batch(progress):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {progress.processed}/{total}")

        try:
            job = importing.run_import(
                job, batch_size=options["batch_size"], on_batch=on_batch
            )
        except Exception as exc:
            raise CommandError(
                _("The import failed: %(error)s") % {"error": exc}
            ) from exc
        self.stdout.write(
            _(
                "Import %(id)s: %(total)s rows, %(created)s registered, %(updated)s "
                "updated, %(skipped)s already registered and skipped, %(invalid)s "
                "with errors (%(seconds).1f s)."
            )
            % {
                "id": job.pk,
                "total": job.total_rows,
                "created": job.created_count,
                "updated": job.updated_count,
                "skipped": job.skipped_count,
                "invalid": job.invalid_rows,
                "seconds": time.monotonic() - started,
            }
        )
        self._write_errors(job.error_rows, options["errors"])

    def _write_errors(self, errors: list[list], out: str | None) -> None:
        if out:
            Path(out).write_bytes(error_report_csv(errors))
            self.stdout.write(
                _("%(count)s errors written to %(file)s.")
                % {"count": len(errors), "file": out}
            )
        for row, column, value, message_ar, message_en in errors[:20]:
            message = message_en if translation.get_language() == "en" else message_ar
            self.stderr.write(f"  {row} · {column} · {value}: {message}")
        if len(errors) > 20 and not out:
            self.stderr.write(_("… use --errors OUT.csv to see them all."))
