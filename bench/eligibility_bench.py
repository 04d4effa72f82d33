"""Eligibility on 1,000,000 beneficiaries: matching and one evaluation (issue 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_bench \\
        .venv/bin/python bench/eligibility_bench.py --runs 7 --probes 200

The generated registry has no services, categories, requests, deliveries or
consent, so the script adds them, publishes a realistic rule set for one
service and measures, all in one transaction that it rolls back at the end: the
bench database is left as it was, and the dead rows of the rollback are vacuumed
(the bench cluster runs without autovacuum).

Measured, in the bench association's scope, each beside the same SQL replayed
raw through a cursor:
(a) matching the rules over the registry: `matching(...)` counted and its first
    page of 25, with PostgreSQL's JIT as configured and without it; the match
    page's one query (`slice_of_matches` over `unapplied_matches`: the first 25
    with the count and the consent count in the same pass); the whole match page
    through the test client; three invitation runs of up to 500 each;
(b) evaluating one beneficiary: `facts_of` + `evaluate` for random people.
Targets: (a) <= 10 s, (b) <= 20 ms. Results: results/eligibility.json, plans:
results/explain-eligibility.md.
"""

import argparse
import datetime
import json
import os
import random
import time
from decimal import Decimal
from pathlib import Path

import common
from run import captured, summary

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REGIONS = ("riyadh", "makkah", "eastern")
CATEGORIES = (
    # code, Arabic name, share of the registry in it (per mille)
    ("widows", "أرامل", 90),
    ("orphans", "أسر أيتام", 70),
    ("disability", "ذوو إعاقة", 60),
    ("elderly", "كبار السن", 50),
)
# Requests for the measured service: a share of the registry, by status and age.
CASES_PER_MILLE = 80
# Among those the rules look at (registered, in the three regions): agreed to
# be contacted.
CONSENT_PER_MILLE = 350
# What the bench writes (and rolls back) or reads. The bench cluster runs with
# autovacuum off, and dead rows left by rolled-back runs slow every later
# measurement (index scans over dead entries, planning that probes them), so
# these are vacuumed before measuring and again after.
TABLES = (
    "registry_beneficiary",
    "registry_beneficiary_categories",
    "registry_category",
    "registry_document",
    "cases_case",
    "cases_delivery",
    "catalog_service",
    "contact_channel",
    "contact_outboxmessage",
    "eligibility_ruleset",
    "eligibility_criterion",
    "eligibility_matchinvitation",
    "core_auditevent",
    "core_membership",
    "auth_user",
    "django_session",
)


def vacuum(connection) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
    return round(time.perf_counter() - start, 1)


def _hash(column: str, salt: int) -> str:
    """A stable pseudo-random 0..999 of a row id, in SQL."""
    return f"mod(abs(hashint8extended({column}, {salt})), 1000)"


def prepare(cursor, org, user, service, other_service, channel) -> dict:
    """Categories, requests, deliveries and consent, set-based in SQL."""
    from mustafid.registry.models import Category

    counts = {}
    for position, (code, name, share) in enumerate(CATEGORIES):
        category = Category.objects.create(
            organization=org, code=code, name_ar=name, position=position
        )
        cursor.execute(
            "INSERT INTO registry_beneficiary_categories (beneficiary_id, category_id)"
            " SELECT id, %s FROM registry_beneficiary"
            f" WHERE organization_id = %s AND {_hash('id', position)} < %s",
            [category.pk, org.pk, share],
        )
        counts[f"category_{code}"] = cursor.rowcount
    now = datetime.datetime.now(datetime.UTC)
    # Requests: for the measured service, spread over three years, a fifth of
    # them still open; for another service, as many again.
    for target, salt, label in (
        (service, 11, "measured"),
        (other_service, 12, "other"),
    ):
        cursor.execute(
            "INSERT INTO cases_case (created_at, updated_at, number, status,"
            " return_status, version, decision_reasons, notes, beneficiary_id,"
            " channel_id, created_by_id, organization_id, service_id)"
            " SELECT %(now)s - make_interval(days => mod(id * 7919, 1095)::int),"
            " %(now)s, 'B' || %(salt)s || '-' || id,"
            " CASE WHEN mod(id, 5) = 0 THEN 'researching' ELSE 'closed' END,"
            " '', 1, '', '', id, %(channel)s, %(user)s, %(org)s, %(service)s"
            " FROM registry_beneficiary WHERE organization_id = %(org)s"
            f" AND {_hash('id', salt)} < %(share)s",
            {
                "now": now,
                "salt": salt,
                "channel": channel.pk,
                "user": user.pk,
                "org": org.pk,
                "service": target.pk,
                "share": CASES_PER_MILLE,
            },
        )
        counts[f"requests_{label}_service"] = cursor.rowcount
    # Closed requests were delivered, a month after they were made.
    cursor.execute(
        "INSERT INTO cases_delivery (created_at, updated_at, kind, amount,"
        " delivered_on, note, case_id, delivered_by_id, organization_id, proof,"
        " proof_content_type)"
        " SELECT created_at, created_at, 'cash', 1000,"
        " (created_at + interval '30 days')::date, '', id, created_by_id,"
        " organization_id, '', '' FROM cases_case"
        " WHERE organization_id = %s AND status = 'closed'",
        [org.pk],
    )
    counts["deliveries"] = cursor.rowcount
    cursor.execute(
        "UPDATE registry_beneficiary SET contact_consent = true"
        " WHERE organization_id = %s AND registration_status = 'registered'"
        f" AND region = ANY(%s) AND {_hash('id', 21)} < %s",
        [org.pk, list(REGIONS), CONSENT_PER_MILLE],
    )
    counts["consenting"] = cursor.rowcount
    for table in (
        "registry_beneficiary",
        "registry_beneficiary_categories",
        "registry_category",
        "cases_case",
        "cases_delivery",
    ):
        cursor.execute(f"ANALYZE {table}")
    return counts


def publish(user, service):
    from mustafid.eligibility.models import Combine, Subject
    from mustafid.eligibility.services import publish_rules

    def reason(text):
        return {"reason_ar": text, "reason_en": text}

    criteria = [
        {"subject": Subject.IN_SCOPE} | reason("النطاق"),
        {"subject": Subject.RESIDENCY, "values": ["citizen", "resident", "gcc"]}
        | reason("الإقامة"),
        {"subject": Subject.AGE, "minimum": Decimal(18), "maximum": Decimal(60)}
        | reason("العمر"),
        {"subject": Subject.REGION, "values": list(REGIONS)} | reason("المنطقة"),
        {"subject": Subject.INCOME_PER_PERSON, "maximum": Decimal(1500)}
        | reason("الدخل"),
        {"subject": Subject.HOUSEHOLD_SIZE, "minimum": Decimal(2)} | reason("الأسرة"),
        {"subject": Subject.NOT_RECEIVED, "months": 12} | reason("لم يستفد"),
        {"subject": Subject.CATEGORIES_ANY, "values": ["widows", "orphans"]}
        | reason("الفئة"),
    ]
    return publish_rules(
        actor=user, service=service, combine=Combine.ALL, criteria=criteria
    )


def timed(function, runs: int) -> tuple[dict, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter_ns()
        result = function()
        samples.append(time.perf_counter_ns() - start)
    return summary(samples), result


def raw_side(connection, orm) -> tuple[str, list, object, int]:
    """The statements `orm()` sends (the query, and `set_config` around it when
    JIT is turned off), captured, and a function replaying them raw."""
    from django.db import transaction

    statements: list = []
    with captured(connection, statements):
        orm()
    statements = [s for s in statements if "SAVEPOINT" not in s[0]]
    main = max(statements, key=lambda s: len(s[0]))

    def replay():
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        return rows

    return main[0], main[1], replay, len(statements)


def explain(connection, sql, params, jit: bool) -> str:
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', %s, true)", ["on" if jit else "off"])
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT set_config('jit', 'on', true)")
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each match query")
    parser.add_argument("--probes", type=int, default=200, help="evaluations")
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    args = parser.parse_args()

    # The test client below asks for the match page as a browser would.
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    common.setup_django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scope

    from mustafid.cases.models import Delivery
    from mustafid.catalog.models import Service
    from mustafid.contact.models import Channel
    from mustafid.core.models import Membership, Organization
    from mustafid.core.roles import Role
    from mustafid.eligibility import invitations
    from mustafid.eligibility.evaluation import evaluate, facts_of
    from mustafid.eligibility.invitations import invite_matches, unapplied_matches
    from mustafid.eligibility.matching import matching
    from mustafid.eligibility.services import current_rules
    from mustafid.registry.models import Beneficiary
    from tests.factories import UserFactory

    on = timezone.localdate()
    results: dict = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(),
        "load_average_before": os.getloadavg(),
        "runs": args.runs,
        "probes": args.probes,
        "on": on.isoformat(),
    }
    plans: list[str] = ["# EXPLAIN (ANALYZE, BUFFERS): eligibility bench\n"]
    org = Organization.objects.get(slug=common.ORG_SLUG)
    results["vacuum_before_seconds"] = vacuum(connection)
    with scope(organization=org), transaction.atomic():
        user = UserFactory(username="bench-matcher")
        Membership.objects.create(user=user, organization=org, role=Role.SERVICES)
        channel = Channel.objects.create(
            organization=org, kind="interview", name_ar="مقابلة"
        )
        service = Service.objects.create(
            organization=org, name_ar="مساعدة الإيجار", kind="financial_aid"
        )
        other = Service.objects.create(
            organization=org, name_ar="سلة غذائية", kind="in_kind"
        )
        start = time.perf_counter()
        with connection.cursor() as cursor:
            results["data"] = prepare(cursor, org, user, service, other, channel)
        results["data"]["seconds"] = round(time.perf_counter() - start, 1)
        publish(user, service)
        rules = current_rules(service)
        print(json.dumps(results["data"]), flush=True)

        everyone = matching(rules, on, Beneficiary.objects.all())
        listed = unapplied_matches(service, on)

        def without_jit(function):
            def run():
                with invitations._without_jit():
                    return function()

            return run

        newest = everyone.order_by("-created_at", "-id")
        measures = {
            # The rules alone, as `matching` gives them, with PostgreSQL's JIT
            # as configured (on by default) and without it.
            "matching_count": (everyone.count, True),
            "matching_count_without_jit": (without_jit(everyone.count), False),
            "matching_first_page": (lambda: list(newest[:25]), True),
            "matching_first_page_without_jit": (
                without_jit(lambda: list(newest[:25])),
                False,
            ),
            # What the match page asks: unapplied_matches, its first page with
            # the count and the consent count in the same pass.
            "match_page_query": (
                lambda: invitations.slice_of_matches(listed, 0, 25),
                False,
            ),
        }
        for name, (orm, jit) in measures.items():
            sql, params, replay, statements = raw_side(connection, orm)
            figures, value = timed(orm, args.runs)
            raw_figures, _ = timed(replay, args.runs)
            if isinstance(value, invitations.MatchSlice):
                value = {
                    "rows": len(value.rows),
                    "total": value.total,
                    "consented": value.consented,
                }
            results[name] = {
                "orm": figures,
                "raw_same_sql": raw_figures,
                "statements": statements,
                "result": value if isinstance(value, int | dict) else len(value),
            }
            print(name, json.dumps(results[name]), flush=True)
            if name.endswith("_without_jit"):
                continue
            plans += [f"## {name}\n", "```sql", sql, "```", f"params: {params!r}\n"]
            plans += [f"JIT {'on' if jit else 'off'}:\n", "```"]
            plans += [explain(connection, sql, params, jit), "```\n"]
            if jit:
                plans += ["JIT off:\n", "```"]
                plans += [explain(connection, sql, params, False), "```\n"]

        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = reverse("eligibility:match_list", args=[service.pk])
        statuses = set()

        def page_view():
            response = client.get(url)
            statuses.add(response.status_code)

        # Without DEBUG, static files need collectstatic's manifest: not here.
        plain = {
            "default": settings.STORAGES["default"],
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
        with override_settings(STORAGES=plain):
            page_view()  # warm-up: templates, translations
            results["match_page"], _ = timed(page_view, args.runs)
        results["match_page"]["status"] = sorted(statuses)
        print("match_page", json.dumps(results["match_page"]), flush=True)

        invites = []
        for _ in range(3):
            start = time.perf_counter_ns()
            run = invite_matches(actor=user, service=service, on=on)
            invites.append(time.perf_counter_ns() - start)
            results.setdefault("invitation_runs", []).append(
                {"invited": run.invited, "remaining": run.remaining}
            )
        results["invitation_run"] = summary(invites)
        print("invite", json.dumps(results["invitation_run"]), flush=True)

        rng = random.Random(args.seed)
        pks = Beneficiary.objects.order_by("pk").values_list("pk", flat=True)
        first, last = pks.first(), pks.last()
        ids = [rng.randint(first, last) for _ in range(args.probes)]
        for pk in ids[:10]:  # warm-up
            evaluate(rules, Beneficiary.objects.get(pk=pk), on)
        with_load, evaluation_only, eligible = [], [], 0
        for pk in ids:
            start = time.perf_counter_ns()
            beneficiary = Beneficiary.objects.get(pk=pk)
            loaded = time.perf_counter_ns()
            result = evaluate(
                rules, beneficiary, on, facts_of(beneficiary, service, on)
            )
            done = time.perf_counter_ns()
            with_load.append(done - start)
            evaluation_only.append(done - loaded)
            eligible += result.eligible
        results["evaluate_one"] = summary(evaluation_only)
        results["load_and_evaluate_one"] = summary(with_load)
        results["evaluate_eligible_probes"] = eligible
        print("evaluate", json.dumps(results["evaluate_one"]), flush=True)
        # The plans of one evaluation's queries, for someone who received the
        # service (the delivery query has rows to read).
        received = Delivery.objects.filter(case__service=service).values_list(
            "case__beneficiary", flat=True
        )[0]
        beneficiary = Beneficiary.objects.get(pk=received)
        statements: list = []
        with captured(connection, statements):
            facts_of(beneficiary, service, on)
        plans.append("## evaluate_one: the queries of `facts_of`\n")
        for sql, params in statements:
            plans += ["```sql", sql, "```", f"params: {params!r}\n", "```"]
            plans += [explain(connection, sql, params, True), "```\n"]
        transaction.set_rollback(True)

    results["load_average_after"] = os.getloadavg()
    results["vacuum_after_seconds"] = vacuum(connection)
    results["finished"] = datetime.datetime.now(datetime.UTC).isoformat()
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "eligibility.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    (RESULTS_DIR / "explain-eligibility.md").write_text("\n".join(plans))
    print(f"written to {RESULTS_DIR}")


if __name__ == "__main__":
    main()
