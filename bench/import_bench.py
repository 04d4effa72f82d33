"""Time `mustafid import_beneficiaries` on the 100k-row files against COPY.

    .venv/bin/python bench/make_import_file.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_bench \\
        .venv/bin/python bench/import_bench.py --rows 100000

For each file (.csv, .xlsx): the command end to end, as a separate process,
into the bench association that already holds the generated beneficiaries;
then the raw comparison, the same rows read from the same file and written with
COPY (derived columns computed as Beneficiary.save() does, name keys included)
in one transaction with the indexes in place. After each run the imported rows
are deleted again, so every run starts from the same registry.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import common
import psycopg
from psycopg import sql

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def remove_after(url: str, org_id: int, last_id: int) -> int:
    """Delete the bench beneficiaries above `last_id` and what points at them."""
    with psycopg.connect(url) as conn:
        referencing = conn.execute(
            """SELECT cl.relname, att.attname
               FROM pg_constraint con
               JOIN pg_class cl ON cl.oid = con.conrelid
               JOIN pg_attribute att
                 ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
               WHERE con.contype = 'f'
                 AND con.confrelid = 'registry_beneficiary'::regclass"""
        ).fetchall()
        for table, column in referencing:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE {} > %s").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                (last_id,),
            )
        deleted = conn.execute(
            "DELETE FROM registry_beneficiary WHERE organization_id = %s AND id > %s",
            (org_id, last_id),
        ).rowcount
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("registry_beneficiary", "registry_beneficiarynamekey"):
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    return deleted


def state(url: str, org_id: int) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM registry_beneficiary "
            "WHERE organization_id = %s",
            (org_id,),
        ).fetchone()


def run_command(path: Path, env: dict) -> dict:
    mustafid = Path(sys.executable).parent / "mustafid"
    started = time.perf_counter()
    done = subprocess.run(
        [str(mustafid), "import_beneficiaries", str(path), "--org", common.ORG_SLUG],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "returncode": done.returncode,
        "stdout_tail": done.stdout.strip().splitlines()[-3:],
        "stderr_tail": done.stderr.strip().splitlines()[-5:],
    }


# ---------------------------------------------------------------------------
# The raw comparison: the same rows with COPY.


def read_rows(path: Path) -> list[list]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))[1:]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.to_python()[1:]


def copy_rows(path: Path, url: str, org_id: int) -> dict:
    """Read, derive and COPY the rows; seconds for each step."""
    import generate
    import make_import_file

    from mustafid.core.arabic import normalize_name
    from mustafid.core.crypto import blind_index, encrypt
    from mustafid.core.phones import normalize_mobile
    from mustafid.registry.name_keys import keys_of

    tables = generate.Tables()
    ben_columns = [f.attname for f in tables.beneficiary._meta.concrete_fields]
    ben_defaults = generate.Tables.defaults(tables.beneficiary)
    targets = [target for _, target in make_import_file.HEADERS]
    kinds = {"هوية وطنية": "national_id", "إقامة": "iqama"}
    started = time.perf_counter()
    rows = read_rows(path)
    read_s = time.perf_counter() - started
    now = datetime.now(UTC).isoformat()
    with psycopg.connect(url) as conn:
        ids = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('registry_beneficiary', 'id')) "
            "FROM generate_series(1, %s)",
            (len(rows),),
        ).fetchall()
        beneficiaries, keys = [], []
        t0 = time.perf_counter()
        for (pk,), values in zip(ids, rows, strict=True):
            row = dict(zip(targets, values, strict=True))
            number = str(row["identity_number"])
            mobile = normalize_mobile(str(row["mobile"]))
            parts = [str(row[t]) for t in targets[:4]]
            citizen = row["identity_type"] == "هوية وطنية"
            values = dict(ben_defaults)
            values.update(
                id=pk,
                organization_id=org_id,
                created_at=now,
                updated_at=now,
                first_name=parts[0],
                father_name=parts[1],
                grandfather_name=parts[2],
                family_name=parts[3],
                name_normalized=normalize_name(" ".join(parts)),
                identity_type=kinds[row["identity_type"]],
                identity_number=encrypt(number),
                identity_hash=blind_index(number),
                nationality="SA" if citizen else "",
                residency_status="citizen" if citizen else "resident",
                gender="male" if row["gender"] == "ذكر" else "female",
                birth_date=row["birth_date"],
                mobile=encrypt(mobile),
                mobile_hash=blind_index(mobile),
                city=row["city"],
                monthly_income=row["monthly_income"],
            )
            beneficiaries.append(generate._copy_line(values[c] for c in ben_columns))
            named = dict(
                zip(("first", "father", "grandfather", "family"), parts, strict=True)
            )
            for position, (key, loose) in keys_of(named).items():
                keys.append(
                    generate._copy_line((org_id, pk, now, now, position, key, loose))
                )
        derive_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cursor = conn.cursor()
        columns = sql.SQL(", ").join(
            map(sql.Identifier, generate.Tables.columns(tables.beneficiary))
        )
        with cursor.copy(
            sql.SQL("COPY registry_beneficiary ({}) FROM STDIN").format(columns)
        ) as copy:
            copy.write("".join(beneficiaries))
        with cursor.copy(
            "COPY registry_beneficiarynamekey (organization_id, beneficiary_id, "
            "created_at, updated_at, position, key, loose_key) FROM STDIN"
        ) as copy:
            copy.write("".join(keys))
        conn.commit()
        copy_s = time.perf_counter() - t0
    return {
        "read_s": round(read_s, 2),
        "derive_s": round(derive_s, 2),
        "copy_s": round(copy_s, 2),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", default="csv,xlsx")
    parser.add_argument("--skip-command", action="store_true")
    args = parser.parse_args()
    env = common.bench_env()
    url = env["DATABASE_URL"]
    common.setup_django()
    from mustafid.core.models import Organization

    org = Organization.objects.get(slug=common.ORG_SLUG)
    count, last_id = state(url, org.pk)
    print(f"registry: {count:,} beneficiaries, last id {last_id}", flush=True)
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "registry_before": count,
        "load_average_before": os.getloadavg(),
    }
    for suffix in args.only.split(","):
        path = RESULTS_DIR / f"import_{args.rows}.{suffix}"
        if not path.exists():
            sys.exit(f"{path} is missing: run bench/make_import_file.py first")
        entry = {}
        if not args.skip_command:
            entry["command"] = run_command(path, env)
            entry["command"]["imported"] = state(url, org.pk)[0] - count
            print(suffix, "command", entry["command"], flush=True)
            remove_after(url, org.pk, last_id)
        entry["copy"] = copy_rows(path, url, org.pk)
        entry["copy"]["imported"] = state(url, org.pk)[0] - count
        print(suffix, "copy", entry["copy"], flush=True)
        remove_after(url, org.pk, last_id)
        if "command" in entry:
            entry["command_over_copy"] = round(
                entry["command"]["seconds"] / entry["copy"]["seconds"], 1
            )
        entry["load_average_after"] = os.getloadavg()
        results[suffix] = entry
    RESULTS_DIR.mkdir(exist_ok=True)
    name = "import-" + args.only.replace(",", "-")
    name += "-copy-only" if args.skip_command else ""
    (RESULTS_DIR / f"{name}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    )
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
