"""Load N made-up beneficiaries with their households into the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_bench \\
        .venv/bin/python bench/generate.py --count 1000000

Creates the database if it is missing, migrates it, creates the `bench`
association and loads the people with COPY in one transaction. Derived columns
are computed by the project's own functions, as Beneficiary.save() does:
`encrypt()` for identity numbers and mobiles, `blind_index()` for their hashes,
`normalize_name()` for the search key, and the name keys of
`registry.name_keys` when that table exists. The rows are made by worker
processes (Fernet is the slow part) while the main process streams them to
PostgreSQL. The secondary indexes and constraints are dropped for the load and
built again afterwards, as pg_restore does; then ANALYZE.

Deterministic: the same --seed and --count give the same people.
"""

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

import common
import psycopg
from psycopg import sql

CHUNK = 10_000
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Household sizes 0..6 besides the beneficiary: about 2.6 members on average.
_MEMBER_WEIGHTS = (18, 12, 14, 17, 16, 12, 11)
_MEMBER_CUM = list(accumulate(_MEMBER_WEIGHTS))
_STATUS = ("registered", "incomplete", "prospective")
_STATUS_CUM = list(accumulate((75, 15, 10)))
_NATIONALITIES = ("EG", "YE", "SY", "PK", "IN", "SD", "JO", "BD")
_INCOMES = ("0", "1500", "2500", "3000", "4200", "6000", "8500")
_EDUCATION = (
    "none",
    "primary",
    "intermediate",
    "secondary",
    "diploma",
    "bachelor",
    "master",
)
_EMPLOYMENT = (
    "employed",
    "self_employed",
    "job_seeker",
    "not_working",
    "student",
    "retired",
    "unable",
)
# A registry holds some people twice, written differently (the duplicate check
# has to find them): this share of rows repeats an earlier person of the chunk.
NEAR_DUPLICATE_SHARE = 0.01


# ---------------------------------------------------------------------------
# COPY text format


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _copy_line(values) -> str:
    return "\t".join(map(_copy_value, values)) + "\n"


# ---------------------------------------------------------------------------
# Rows (in the worker processes)


class Tables:
    """Column lists and defaults, read from the models so they follow the code."""

    def __init__(self) -> None:
        from django.apps import apps

        self.beneficiary = apps.get_model("registry", "Beneficiary")
        self.member = apps.get_model("registry", "HouseholdMember")
        try:
            self.name_key = apps.get_model("registry", "BeneficiaryNameKey")
        except LookupError:
            self.name_key = None

    @staticmethod
    def columns(model) -> list[str]:
        return [field.column for field in model._meta.concrete_fields]

    @staticmethod
    def defaults(model) -> dict[str, object]:
        values = {}
        for field in model._meta.concrete_fields:
            if field.has_default() and not callable(field.default):
                values[field.attname] = field.default
            elif field.null:
                values[field.attname] = None
            else:
                values[field.attname] = ""
        return values


_STATE: dict[str, object] = {}


def _init_worker() -> None:
    common.setup_django()
    _STATE["tables"] = Tables()
    _STATE["names"] = common.Names()


def _person(rng, names, index, people):
    """One beneficiary's own fields (plain values) and household."""
    citizen = common.is_citizen(index)
    if people and rng.random() < NEAR_DUPLICATE_SHARE:
        # The same person again under another number: names written another way,
        # sometimes with a typo, the same birth date and often the same mobile.
        source = rng.choice(people)
        parts = [common.spelling_variant(rng, part) for part in source["parts"]]
        if rng.random() < 0.3:
            at = rng.randrange(4)
            parts[at] = common.typo(rng, parts[at])
        gender, born = source["gender"], source["birth_date"]
        mobile = source["mobile"] if rng.random() < 0.6 else None
    else:
        gender = "male" if rng.random() < 0.55 else "female"
        first = (names.males if gender == "male" else names.females)(rng, 1)[0]
        father, grandfather = names.males(rng, 2)
        parts = [first, father, grandfather, names.families(rng, 1)[0]]
        born = common.birth_date(rng)
        mobile = None
    if mobile is None:
        mobile = common.mobile_number(index) if rng.random() < 0.95 else ""
    person = {
        "parts": parts,
        "gender": gender,
        "birth_date": born,
        "mobile": mobile,
        "citizen": citizen,
        "identity_number": common.identity_number(index, citizen),
    }
    people.append(person)
    return person


def _members(rng, names, index, person, make):
    """Household members: a spouse, children, sometimes a parent."""
    count = rng.choices(range(len(_MEMBER_WEIGHTS)), cum_weights=_MEMBER_CUM)[0]
    first, _, _, family = person["parts"]
    born_year = person["birth_date"].year
    members = []
    for number in range(count):
        if number == 0 and rng.random() < 0.7:
            relation = "spouse"
            male = person["gender"] == "female"
        elif number == count - 1 and rng.random() < 0.1:
            relation = "mother"
            male = False
        else:
            male = rng.random() < 0.5
            relation = "son" if male else "daughter"
        given = (names.males if male else names.females)(rng, 1)[0]
        if relation in ("son", "daughter"):
            full_name = f"{given} {first} {family}"
            year = min(max(born_year + rng.randint(18, 40), 1970), 2024)
        elif relation == "mother":
            full_name = f"{given} {names.males(rng, 1)[0]} {names.families(rng, 1)[0]}"
            year = max(born_year - rng.randint(18, 40), 1930)
        else:
            full_name = f"{given} {names.males(rng, 1)[0]} {names.families(rng, 1)[0]}"
            year = born_year + rng.randint(-8, 8)
        adult = year <= 2007
        number_text = ""
        if adult and rng.random() < 0.6:
            # Beyond every beneficiary's index, so never a beneficiary's number.
            member_index = 20_000_000 + index * 8 + number
            number_text = common.identity_number(member_index, person["citizen"])
        members.append(
            make(
                relation=relation,
                full_name=full_name,
                identity_type=("national_id" if person["citizen"] else "iqama")
                if number_text
                else "",
                identity_number=number_text,
                birth_date=f"{year:04d}-{rng.randint(1, 12):02d}-01",
                gender="male" if male else "female",
                has_disability=rng.random() < 0.08,
                education=rng.choice(_EDUCATION) if adult else "",
                monthly_income=rng.choice(("0", "0", "0", "800", "2000", "3500")),
            )
        )
    return members


def make_chunk(task):
    """COPY text for beneficiaries [start, stop): (beneficiaries, members, keys)."""
    from mustafid.core.arabic import normalize_name
    from mustafid.core.crypto import blind_index, encrypt

    tables: Tables = _STATE["tables"]
    names: common.Names = _STATE["names"]
    seed, start, stop = task["seed"], task["start"], task["stop"]
    org_id, now = task["org_id"], task["now"]
    id_offset, member_id = task["id_offset"], task["member_id_start"]
    rng = random.Random(f"{seed}:{start}")

    ben_columns = [f.attname for f in tables.beneficiary._meta.concrete_fields]
    ben_defaults = Tables.defaults(tables.beneficiary)
    member_columns = [f.attname for f in tables.member._meta.concrete_fields]
    member_defaults = Tables.defaults(tables.member)
    key_model = tables.name_key if task["name_keys"] else None
    if key_model is not None:
        from mustafid.registry.name_keys import keys_of

        key_columns = [f.attname for f in key_model._meta.concrete_fields]
        key_defaults = Tables.defaults(key_model)
    regions = list(names.cities)

    ben_lines, member_lines, key_lines = [], [], []
    people: list[dict] = []
    key_id = task["key_id_start"]
    encryptions = 0
    for index in range(start, stop):
        person = _person(rng, names, index, people)
        pk = id_offset + index + 1
        first, father, grandfather, family = person["parts"]
        region = rng.choice(regions)
        number, mobile = person["identity_number"], person["mobile"]
        row = dict(ben_defaults)
        row.update(
            id=pk,
            organization_id=org_id,
            created_at=now,
            updated_at=now,
            first_name=first,
            father_name=father,
            grandfather_name=grandfather,
            family_name=family,
            name_normalized=normalize_name(f"{first} {father} {grandfather} {family}"),
            identity_type="national_id" if person["citizen"] else "iqama",
            identity_number=encrypt(number),
            identity_hash=blind_index(number),
            nationality="SA" if person["citizen"] else rng.choice(_NATIONALITIES),
            residency_status="citizen" if person["citizen"] else "resident",
            gender=person["gender"],
            birth_date=person["birth_date"],
            mobile=encrypt(mobile) if mobile else "",
            mobile_hash=blind_index(mobile),
            building_number=f"{rng.randint(1000, 9999)}",
            postal_code=f"{rng.randint(11000, 99999)}",
            city=rng.choice(names.cities[region]),
            region=str(region),
            education=rng.choice(_EDUCATION),
            employment_status=rng.choice(_EMPLOYMENT),
            monthly_income=Decimal(rng.choice(_INCOMES)),
            registration_status=rng.choices(_STATUS, cum_weights=_STATUS_CUM)[0],
        )
        encryptions += 2 if mobile else 1
        ben_lines.append(_copy_line([row[c] for c in ben_columns]))

        def make_member(_pk=pk, **fields):
            nonlocal member_id
            member_id += 1
            values = dict(member_defaults)
            values.update(fields)
            values.update(
                id=member_id,
                organization_id=org_id,
                beneficiary_id=_pk,
                created_at=now,
                updated_at=now,
            )
            if values["identity_number"]:
                values["identity_number"] = encrypt(values["identity_number"])
            return _copy_line([values[c] for c in member_columns])

        members = _members(rng, names, index, person, make_member)
        encryptions += sum(1 for line in members if "\tgAAAA" in line)
        member_lines.extend(members)

        if key_model is not None:
            parts = dict(
                zip(
                    ("first", "father", "grandfather", "family"),
                    person["parts"],
                    strict=True,
                )
            )
            for position, (key, loose) in keys_of(parts).items():
                key_id += 1
                values = dict(key_defaults)
                values.update(
                    id=key_id,
                    organization_id=org_id,
                    beneficiary_id=pk,
                    created_at=now,
                    updated_at=now,
                    position=position,
                    key=key,
                    loose_key=loose,
                )
                key_lines.append(_copy_line([values[c] for c in key_columns]))
        if len(people) > 500:
            del people[:250]
    return {
        "beneficiaries": "".join(ben_lines).encode(),
        "members": "".join(member_lines).encode(),
        "keys": "".join(key_lines).encode(),
        "member_rows": len(member_lines),
        "key_rows": len(key_lines),
        "encryptions": encryptions,
    }


# ---------------------------------------------------------------------------
# The load (in the main process)


def ensure_database(url: str) -> bool:
    """Create the bench database if it is missing; True when it was created."""
    name = common.check_url(url)
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return not exists


def migrate(env: dict[str, str]) -> None:
    mustafid = Path(sys.executable).parent / "mustafid"
    subprocess.run(
        [str(mustafid), "migrate", "--noinput", "-v", "0"], env=env, check=True
    )


def bench_organization():
    from mustafid.core.models import Organization

    org, _ = Organization.objects.update_or_create(
        slug=common.ORG_SLUG,
        defaults={
            "name_ar": "جمعية القياس",
            "name_en": "Bench association",
            "region": "riyadh",
            "city": "الرياض",
        },
    )
    return org


def _secondary_objects(conn, table: str):
    """(drop statements, create statements) for the table's indexes and
    constraints other than its primary key and CHECK constraints."""
    drops, creates = [], []
    constraints = conn.execute(
        """SELECT conname, contype, pg_get_constraintdef(oid), conindid
           FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'x')""",
        (table,),
    ).fetchall()
    constraint_indexes = {row[3] for row in constraints if row[3]}
    for name, _kind, definition, _index in constraints:
        drops.append(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
        creates.append(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                sql.Identifier(table), sql.Identifier(name)
            )
            + sql.SQL(definition)
        )
    indexes = conn.execute(
        """SELECT indexrelid, indexrelid::regclass::text, pg_get_indexdef(indexrelid)
           FROM pg_index
           WHERE indrelid = %s::regclass AND NOT indisprimary""",
        (table,),
    ).fetchall()
    index_creates = []
    for oid, name, definition in indexes:
        if oid in constraint_indexes:
            continue
        drops.insert(0, sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        index_creates.append(sql.SQL(definition))
    # Indexes first (unique constraints build their own), foreign keys last.
    creates.sort(key=lambda statement: "FOREIGN KEY" in statement.as_string(conn))
    return drops, index_creates + creates


def load(args) -> dict:
    env = common.bench_env()
    url = env["DATABASE_URL"]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    created = ensure_database(url)
    migrate(env)
    timings["create_and_migrate_s"] = time.perf_counter() - started
    common.setup_django()
    from django.db import connections

    tables = Tables()
    org = bench_organization()
    connections.close_all()

    with psycopg.connect(url) as conn:
        existing = conn.execute(
            "SELECT count(*) FROM registry_beneficiary WHERE organization_id = %s",
            (org.pk,),
        ).fetchone()[0]
    if existing and not args.reset:
        sys.exit(
            f"{existing} bench beneficiaries are already loaded; --reset replaces them"
        )

    ben_table = tables.beneficiary._meta.db_table
    member_table = tables.member._meta.db_table
    key_table = tables.name_key._meta.db_table if tables.name_key else None
    load_tables = [t for t in (ben_table, member_table, key_table) if t]
    name_keys = key_table is not None and not args.no_name_keys

    now = datetime.now(UTC).isoformat()
    chunk = args.chunk
    offsets = {}
    with psycopg.connect(url) as conn:
        for table in load_tables:
            query = sql.SQL("SELECT coalesce(max(id), 0) FROM {}")
            # After --reset the tables are truncated: the ids start again at 1.
            offsets[table] = (
                0
                if existing
                else conn.execute(query.format(sql.Identifier(table))).fetchone()[0]
            )
    tasks = [
        {
            "seed": args.seed,
            "start": start,
            "stop": min(start + chunk, args.count),
            "org_id": org.pk,
            "now": now,
            "id_offset": offsets[ben_table],
            # Ids from ranges wide enough for any chunk: households have at most
            # 6 members and names 4 keys; the sequences are set after the load.
            "member_id_start": offsets[member_table] + start * 8,
            "key_id_start": offsets.get(key_table, 0) + start * 8,
            "name_keys": name_keys,
        }
        for start in range(0, args.count, chunk)
    ]
    counts = {"beneficiaries": args.count, "members": 0, "keys": 0, "encryptions": 0}
    ctx = multiprocessing.get_context("fork")
    with (
        ctx.Pool(args.workers, initializer=_init_worker) as pool,
        psycopg.connect(url) as conn,
    ):
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET synchronous_commit = off")
        if existing:
            t0 = time.perf_counter()
            conn.execute(
                sql.SQL("TRUNCATE {} CASCADE").format(
                    sql.SQL(", ").join(map(sql.Identifier, load_tables))
                )
            )
            timings["truncate_s"] = time.perf_counter() - t0
        drops, creates = [], []
        for table in load_tables:
            table_drops, table_creates = _secondary_objects(conn, table)
            drops += table_drops
            creates += table_creates
        for statement in drops:
            conn.execute(statement)

        t0 = time.perf_counter()
        columns = {
            ben_table: Tables.columns(tables.beneficiary),
            member_table: Tables.columns(tables.member),
        }
        if name_keys:
            columns[key_table] = Tables.columns(tables.name_key)
        cursor = conn.cursor()
        # Three COPY streams cannot be open at once on one connection: members and
        # keys are spooled to memory per chunk and sent after the beneficiaries.
        spool_members, spool_keys = [], []
        copy_ben = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(ben_table),
            sql.SQL(", ").join(map(sql.Identifier, columns[ben_table])),
        )
        with cursor.copy(copy_ben) as copy:
            for done, result in enumerate(pool.imap(make_chunk, tasks), start=1):
                copy.write(result["beneficiaries"])
                spool_members.append(result["members"])
                spool_keys.append(result["keys"])
                counts["members"] += result["member_rows"]
                counts["keys"] += result["key_rows"]
                counts["encryptions"] += result["encryptions"]
                if done % 10 == 0 or done == len(tasks):
                    print(
                        f"  {min(done * chunk, args.count):>9,} beneficiaries "
                        f"{time.perf_counter() - t0:6.1f} s",
                        flush=True,
                    )
        timings["generate_and_copy_beneficiaries_s"] = time.perf_counter() - t0
        for table, spool in ((member_table, spool_members), (key_table, spool_keys)):
            if table not in columns:
                continue
            t1 = time.perf_counter()
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table),
                sql.SQL(", ").join(map(sql.Identifier, columns[table])),
            )
            with cursor.copy(statement) as copy:
                for block in spool:
                    copy.write(block)
            spool.clear()
            timings[f"copy_{table}_s"] = time.perf_counter() - t1
        if name_keys:
            # Search's dictionary of name words, as name_keys._remember_words
            # keeps it (the bench association's rows only; nothing is removed).
            t1 = time.perf_counter()
            conn.execute(
                "INSERT INTO registry_nameword"
                " (organization_id, word, created_at, updated_at)"
                " SELECT organization_id, loose_key, now(), now()"
                " FROM registry_beneficiarynamekey WHERE organization_id = %s"
                " GROUP BY organization_id, loose_key ON CONFLICT DO NOTHING",
                [org.pk],
            )
            timings["name_words_s"] = time.perf_counter() - t1
            # The duplicate check's name blocks, as refresh_name_keys keeps them.
            from mustafid.registry.name_keys import BLOCKS_FROM_KEYS_SQL

            t1 = time.perf_counter()
            conn.execute(BLOCKS_FROM_KEYS_SQL)
            timings["name_blocks_s"] = time.perf_counter() - t1
        timings["rows_total_s"] = time.perf_counter() - t0

        index_times = {}
        t0 = time.perf_counter()
        for statement in creates:
            t1 = time.perf_counter()
            conn.execute(statement)
            index_times[statement.as_string(conn)[:140]] = round(
                time.perf_counter() - t1, 2
            )
        timings["indexes_and_constraints_s"] = time.perf_counter() - t0
        for table in columns:
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({}, 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM {}))"
                ).format(sql.Literal(table), sql.Identifier(table))
            )
        t0 = time.perf_counter()
        conn.commit()
        timings["commit_s"] = time.perf_counter() - t0

    with psycopg.connect(url, autocommit=True) as conn:
        t0 = time.perf_counter()
        # The tables filled from the name keys too: without statistics the
        # planner reads all the name words instead of their trigram index.
        derived = ["registry_nameword", "registry_nameblock"] if name_keys else []
        for table in [*load_tables, *derived]:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
        timings["vacuum_analyze_s"] = time.perf_counter() - t0
        sizes = {
            table: conn.execute(
                "SELECT pg_size_pretty(pg_table_size(%s::regclass)), "
                "pg_size_pretty(pg_indexes_size(%s::regclass))",
                (table, table),
            ).fetchone()
            for table in load_tables
        }
    timings["total_s"] = time.perf_counter() - started
    return {
        "database_created": created,
        "count": args.count,
        "seed": args.seed,
        "workers": args.workers,
        "load_average_after": os.getloadavg(),
        "rows": counts,
        "name_keys_loaded": name_keys,
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "index_build_s": index_times,
        "sizes": {t: {"table": s[0], "indexes": s[1]} for t, s in sizes.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--chunk", type=int, default=CHUNK)
    parser.add_argument(
        "--reset", action="store_true", help="replace the bench association's rows"
    )
    parser.add_argument(
        "--no-name-keys",
        action="store_true",
        help="leave registry_beneficiarynamekey empty",
    )
    args = parser.parse_args()
    if not 0 < args.count <= 10_000_000:
        sys.exit("--count must be between 1 and 10,000,000")
    report = load(args)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / "generate.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
