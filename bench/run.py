"""Measure lookups, name search and the duplicate check against raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_bench \\
        .venv/bin/python bench/run.py --probes 200

Each probe runs through the application (the ORM inside the bench association's
scope, with everything the application does in Python: hashing, normalising,
decrypting, building model instances) and then as raw SQL: the very statements
the ORM sent for that probe, captured once and replayed through
`connection.cursor()` with `fetchall()`. The ratio ORM / raw is therefore the
application's own overhead over the database's work. Where the ORM's SQL could
be written to use an index better, that rewrite is measured too ("raw, rewrite").

Results go to bench/results/run.json and EXPLAIN (ANALYZE, BUFFERS) of one
probe of each kind to bench/results/explain.md.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import common

RESULTS_DIR = Path(__file__).resolve().parent / "results"
KINDS = ("identity", "mobile", "name", "duplicate")


# ---------------------------------------------------------------------------
# Timing and capture


def summary(samples_ns: list[int]) -> dict:
    ms = sorted(s / 1e6 for s in samples_ns)
    if len(ms) < 2:
        ms = ms * 2  # one sample: it is every percentile
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "n": len(samples_ns),
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "max_ms": round(ms[-1], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


@contextmanager
def captured(connection, statements: list):
    """Record (sql, params) of every statement the ORM sends."""

    def wrapper(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


_TRANSACTION_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def replay(connection, statements) -> int:
    """Run captured statements as raw SQL in one transaction; rows fetched."""
    from django.db import transaction

    rows = 0
    # A transaction only where the ORM needed one (SET LOCAL): BEGIN and COMMIT
    # are two more round trips the ORM did not make otherwise.
    needs_transaction = any(sql.startswith("SET LOCAL") for sql, _ in statements)
    with (
        transaction.atomic() if needs_transaction else nullcontext(),
        connection.cursor() as cursor,
    ):
        for sql, params in statements:
            if sql.startswith(_TRANSACTION_STATEMENTS):
                continue
            cursor.execute(sql, params)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
    return rows


def measure(probes, orm, raw_variants, *, warmup: int, connection):
    """Time orm(probe) and each raw variant on every probe, interleaved.

    raw_variants: {label: fn(probe, statements) -> rows}; the statements the ORM
    sent for the probe (captured in a first, untimed pass) are handed to each.
    Returns ({label: [ns per probe]}, [statements per probe]).
    """
    plans = []
    for probe in probes:
        statements: list = []
        with captured(connection, statements):
            orm(probe)
        plans.append(statements)
    # Warm-up: caches, prepared plans, Python imports.
    for probe, statements in list(zip(probes, plans, strict=True))[:warmup]:
        orm(probe)
        for fn in raw_variants.values():
            fn(probe, statements)
    times = {"orm": [], **{label: [] for label in raw_variants}}
    order = ["orm", *raw_variants]
    for number, (probe, statements) in enumerate(zip(probes, plans, strict=True)):
        # Alternate who goes first, so neither always finds the other's cache.
        for label in order if number % 2 == 0 else reversed(order):
            start = time.perf_counter_ns()
            if label == "orm":
                orm(probe)
            else:
                raw_variants[label](probe, statements)
            times[label].append(time.perf_counter_ns() - start)
    return times, plans


def summarise(times: dict, keep=None) -> dict:
    """Summaries (with ratios) of the probes whose position `keep` accepts."""
    result = {}
    for label, samples in times.items():
        chosen = [s for i, s in enumerate(samples) if keep is None or keep(i)]
        result[label] = summary(chosen)
    return with_ratios(result)


def with_ratios(result: dict) -> dict:
    for label, stats in result.items():
        if label != "orm":
            stats["orm_over_raw_p50"] = round(
                result["orm"]["p50_ms"] / stats["p50_ms"], 2
            )
            stats["orm_over_raw_p95"] = round(
                result["orm"]["p95_ms"] / stats["p95_ms"], 2
            )
    return result


def explain(connection, statements) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT among the statements."""
    from django.db import transaction

    out = []
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            if sql.startswith(_TRANSACTION_STATEMENTS):
                continue
            if not sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(sql, params)
                out.append(f"-- {sql % tuple(map(repr, params or ()))}")
                continue
            text = cursor.mogrify(sql, params)  # before execute: it resets results
            out.append(text.decode() if isinstance(text, bytes) else text)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            out.extend(row[0] for row in cursor.fetchall())
            out.append("")
    return out


# ---------------------------------------------------------------------------
# Probes


def sample_rows(connection, org_id: int, count: int, rng: random.Random) -> list:
    """`count` random existing beneficiaries (ids are dense after generate.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM registry_beneficiary "
            "WHERE organization_id = %s",
            [org_id],
        )
        low, high = cursor.fetchone()
        ids = rng.sample(range(low, high + 1), count)
        cursor.execute(
            "SELECT id, first_name, father_name, grandfather_name, family_name, "
            "birth_date, gender FROM registry_beneficiary "
            "WHERE organization_id = %s AND id = ANY(%s) ORDER BY id",
            [org_id, ids],
        )
        return cursor.fetchall()


def identity_probes(rng, total: int, count: int) -> list[str]:
    indexes = rng.sample(range(total), count)
    return [common.identity_number(i, common.is_citizen(i)) for i in indexes]


def mobile_probes(rng, total: int, count: int) -> list[str]:
    """Mobiles as people type them (05…); about 5 % of people have none, so a
    few probes find nobody, as in real use."""
    return [
        common.local_mobile(common.mobile_number(i))
        for i in rng.sample(range(total), count)
    ]


def name_probes(rng, names, rows) -> list[tuple[str, str]]:
    """(kind, query): what staff type into the search box."""
    probes = []
    for number, row in enumerate(rows):
        _, first, father, grandfather, family, *_ = row
        kind = number % 20
        if kind < 6:
            probes.append(("first+family", f"{first} {family}"))
        elif kind < 10:
            probes.append(("first+father+family", f"{first} {father} {family}"))
        elif kind < 12:
            probes.append(("family", family))
        elif kind < 19:
            probes.append(("full name", f"{first} {father} {grandfather} {family}"))
        else:
            # Misspelt: no exact words match, so search falls back to trigrams.
            words = [first, family] if number % 40 == 19 else [first, father, family]
            words[-1] = common.typo(rng, words[-1])
            words[0] = common.typo(rng, words[0])
            probes.append(("misspelt", " ".join(words)))
    rng.shuffle(probes)
    return probes


def duplicate_probes(rng, names, rows) -> list[tuple[str, dict]]:
    """New records: half are people already registered, written differently."""
    probes = []
    for number, row in enumerate(rows):
        _, first, father, grandfather, family, born, gender = row
        fresh_index = 50_000_000 + number  # beyond every generated person
        citizen = common.is_citizen(fresh_index)
        record = {
            "identity_number": common.identity_number(fresh_index, citizen),
            "gender": gender,
        }
        if number % 2 == 0:
            parts = [
                common.spelling_variant(rng, p)
                for p in (first, father, grandfather, family)
            ]
            if rng.random() < 0.3:
                at = rng.randrange(4)
                parts[at] = common.typo(rng, parts[at])
            record |= dict(
                zip(
                    ("first_name", "father_name", "grandfather_name", "family_name"),
                    parts,
                    strict=True,
                )
            )
            record["birth_date"] = born
            kind = "near-duplicate"
        else:
            gender = rng.choice(("male", "female"))
            given = (names.males if gender == "male" else names.females)(rng, 1)[0]
            father, grandfather = names.males(rng, 2)
            record |= {
                "first_name": given,
                "father_name": father,
                "grandfather_name": grandfather,
                "family_name": names.families(rng, 1)[0],
                "birth_date": common.birth_date(rng),
                "gender": gender,
            }
            kind = "new person"
        mobile_index = 60_000_000 + number
        record["mobile"] = common.local_mobile(common.mobile_number(mobile_index))
        probes.append((kind, record))
    return probes


# ---------------------------------------------------------------------------
# The benchmarks


def bench_identity(ctx) -> dict:
    from mustafid.core.crypto import blind_index
    from mustafid.registry.lookups import holder_of
    from mustafid.registry.models import Beneficiary

    connection, org_id = ctx["connection"], ctx["org"].pk
    probes = identity_probes(ctx["rng"], ctx["total"], ctx["probes"])

    def orm_filter(number):
        found = Beneficiary.objects.filter(identity_hash=blind_index(number)).first()
        assert found is not None, number
        return found

    def orm_search(number):
        found = Beneficiary.objects.search(number).first()
        assert found is not None, number
        return found

    def app_holder(number):
        # The app's own check (the registration form): the name only, by a
        # statement the ORM compiled once (registry.lookups).
        found = holder_of(number)
        assert found is not None, number
        return found

    def minimal(number, _statements):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM registry_beneficiary "
                "WHERE organization_id = %s AND identity_hash = %s",
                [org_id, blind_index(number)],
            )
            return cursor.fetchall()

    raw = {
        "raw (same SQL)": lambda _p, s: replay(connection, s),
        "raw (minimal)": minimal,
    }
    warm = ctx["warmup"]
    times_filter, plans = measure(
        probes, orm_filter, raw, warmup=warm, connection=connection
    )
    times_search, plans_search = measure(
        probes, orm_search, raw, warmup=warm, connection=connection
    )
    times_holder, plans_holder = measure(
        probes, app_holder, raw, warmup=warm, connection=connection
    )
    ctx["explain"]["identity: filter(identity_hash=…).first()"] = explain(
        connection, plans[0]
    )
    ctx["explain"]["identity: search(number).first()"] = explain(
        connection, plans_search[0]
    )
    ctx["explain"]["identity: holder_of(number)"] = explain(connection, plans_holder[0])
    return {
        "filter(identity_hash=blind_index(n)).first()": summarise(times_filter),
        "search(n).first()": summarise(times_search),
        "holder_of(n)": summarise(times_holder),
    }


def bench_mobile(ctx) -> dict:
    from mustafid.core.crypto import blind_index
    from mustafid.core.phones import normalize_mobile
    from mustafid.registry.models import Beneficiary

    connection, org_id = ctx["connection"], ctx["org"].pk
    probes = mobile_probes(ctx["rng"], ctx["total"], ctx["probes"])

    def orm_filter(mobile):
        return list(
            Beneficiary.objects.filter(
                mobile_hash=blind_index(normalize_mobile(mobile))
            )[:10]
        )

    def orm_search(mobile):
        return list(Beneficiary.objects.search(mobile)[:10])

    def minimal(mobile, _statements):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM registry_beneficiary "
                "WHERE organization_id = %s AND mobile_hash = %s LIMIT 10",
                [org_id, blind_index(normalize_mobile(mobile))],
            )
            return cursor.fetchall()

    raw = {
        "raw (same SQL)": lambda _p, s: replay(connection, s),
        "raw (minimal)": minimal,
    }
    warm = ctx["warmup"]
    times_filter, plans = measure(
        probes, orm_filter, raw, warmup=warm, connection=connection
    )
    times_search, plans_search = measure(
        probes, orm_search, raw, warmup=warm, connection=connection
    )
    ctx["explain"]["mobile: filter(mobile_hash=…)[:10]"] = explain(connection, plans[0])
    ctx["explain"]["mobile: search(mobile)[:10]"] = explain(connection, plans_search[0])
    return {
        "filter(mobile_hash=…)[:10]": summarise(times_filter),
        "search(mobile)[:10]": summarise(times_search),
    }


def bench_name(ctx) -> dict:
    from mustafid.registry.models import Beneficiary

    connection = ctx["connection"]
    probes = name_probes(ctx["rng"], ctx["names"], ctx["rows"])

    def orm(probe):
        return list(Beneficiary.objects.search(probe[1])[:25])

    raw = {"raw (same SQL)": lambda _p, s: replay(connection, s)}
    times, plans = measure(
        probes, orm, raw, warmup=ctx["warmup"], connection=connection
    )
    out = {"all queries": summarise(times)}
    kinds = sorted({kind for kind, _ in probes})
    for kind in kinds:
        positions = [i for i, p in enumerate(probes) if p[0] == kind]
        out[kind] = summarise(times, keep=set(positions).__contains__)
        example = probes[positions[0]][1]
        out[kind]["example"] = example
        ctx["explain"][f"name search, {kind}: {example}"] = explain(
            connection, plans[positions[0]]
        )
    out["fell back to letters"] = sum(
        1
        for plan in plans
        if any("LIKE" in sql and "nameword" not in sql for sql, _ in plan)
    )
    out["fell back to name words"] = sum(
        1 for plan in plans if any("registry_nameword" in sql for sql, _ in plan)
    )
    out["probe_kinds"] = {k: sum(1 for p in probes if p[0] == k) for k in kinds}
    return out


def _statement_label(sql: str) -> str:
    if "registry_nameword" in sql:
        return "name words resembling a misspelt part (%)"
    if "registry_beneficiarynamekey" in sql:
        parts = sql.count("registry_beneficiarynamekey")
        return f"name keys: {parts} parts in common"
    if "identity_hash" in sql.split("WHERE", 1)[-1]:
        return "identity hash"
    if "mobile_hash" in sql.split("WHERE", 1)[-1]:
        return "mobile hash"
    return sql[:60]


def bench_duplicate(ctx) -> dict:
    try:
        from mustafid.registry.duplicates import PROBABLE, find_candidates
    except ImportError as exc:
        return {"skipped": f"mustafid.registry.duplicates is missing: {exc}"}
    connection, org = ctx["connection"], ctx["org"]
    probes = duplicate_probes(ctx["rng"], ctx["names"], ctx["rows"])

    def orm(probe):
        return find_candidates(organization=org, **probe[1])

    raw = {"raw (same SQL)": lambda _p, s: replay(connection, s)}
    times, plans = measure(
        probes, orm, raw, warmup=ctx["warmup"], connection=connection
    )
    out = {"all records": summarise(times)}
    for kind in ("near-duplicate", "new person"):
        positions = [i for i, p in enumerate(probes) if p[0] == kind]
        out[kind] = summarise(times, keep=set(positions).__contains__)
        ctx["explain"][f"duplicate check, {kind}"] = explain(
            connection, plans[positions[0]]
        )
    # Where the time goes: each captured statement timed alone, over all probes.
    per_statement: dict[str, list] = {}
    for plan in plans:
        setting = []
        for sql, params in plan:
            if sql.startswith("SET LOCAL"):
                setting = [(sql, params)]  # belongs to the statement after it
                continue
            if sql.startswith(_TRANSACTION_STATEMENTS):
                continue
            label = _statement_label(sql)
            start = time.perf_counter_ns()
            replay(connection, [*setting, (sql, params)])
            setting = []
            per_statement.setdefault(label, []).append(time.perf_counter_ns() - start)
    out["per statement (raw, alone)"] = {
        label: summary(samples) for label, samples in per_statement.items()
    }
    found = [orm(p) for p in probes]
    near = [f for p, f in zip(probes, found, strict=True) if p[0] == "near-duplicate"]
    out["near-duplicates found (probable)"] = (
        f"{sum(1 for f in near if f and f[0].score >= PROBABLE)} of {len(near)}"
    )
    out["statements per check"] = sorted({len(p) for p in plans})
    return out


# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default=",".join(KINDS), help=",".join(KINDS))
    args = parser.parse_args()
    common.setup_django()
    from django.db import connection
    from django_scopes import scope

    from mustafid.core.models import Organization

    org = Organization.objects.get(slug=common.ORG_SLUG)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_beneficiary WHERE organization_id = %s",
            [org.pk],
        )
        total = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    if not total:
        sys.exit("no bench beneficiaries: run bench/generate.py first")
    rng = random.Random(args.seed)
    ctx = {
        "connection": connection,
        "org": org,
        "total": total,
        "probes": args.probes,
        "warmup": args.warmup,
        "rng": rng,
        "names": common.Names(),
        "rows": sample_rows(connection, org.pk, args.probes, rng),
        "explain": {},
    }
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "postgresql": version,
        "beneficiaries": total,
        "probes": args.probes,
        "warmup": args.warmup,
        "load_average_before": os.getloadavg(),
    }
    wanted = args.only.split(",")
    with scope(organization=org):
        for kind in KINDS:
            if kind in wanted:
                started = time.perf_counter()
                results[kind] = globals()[f"bench_{kind}"](ctx)
                print(f"{kind}: {time.perf_counter() - started:.1f} s", flush=True)
                print(
                    json.dumps(results[kind], indent=1, ensure_ascii=False), flush=True
                )
    results["load_average_after"] = os.getloadavg()
    RESULTS_DIR.mkdir(exist_ok=True)
    suffix = "" if wanted == list(KINDS) else "-" + "-".join(wanted)
    (RESULTS_DIR / f"run{suffix}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    lines = ["# EXPLAIN (ANALYZE, BUFFERS), one probe of each kind", ""]
    for title, plan in ctx["explain"].items():
        lines += [f"## {title}", "", "```", *plan, "```", ""]
    (RESULTS_DIR / f"explain{suffix}.md").write_text("\n".join(lines))
    print(f"written to {RESULTS_DIR}")


if __name__ == "__main__":
    main()
