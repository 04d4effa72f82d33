"""Write an import file of N new, valid beneficiaries (.xlsx and .csv).

    .venv/bin/python bench/make_import_file.py --rows 100000

The file looks like an association's own spreadsheet: Arabic headers, choices
written as their Arabic labels, mobiles as 05…, birth dates as date cells in
the workbook and as YYYY-MM-DD in the CSV. Identity numbers and mobiles come
from an index range no generated beneficiary uses, so every row is new.
Deterministic for a given --seed and --rows.
"""

import argparse
import csv
import datetime
import random
import time
from pathlib import Path

import common

OUT_DIR = Path(__file__).resolve().parent / "results"
# Beyond the generated beneficiaries (< 10M), their households (20M-28M) and
# the duplicate-check probes (50M+).
INDEX_BASE = 30_000_000

HEADERS = (
    ("الاسم الأول", "first_name"),
    ("اسم الأب", "father_name"),
    ("اسم الجد", "grandfather_name"),
    ("اسم العائلة", "family_name"),
    ("نوع الهوية", "identity_type"),
    ("رقم الهوية", "identity_number"),
    ("الجنسية", "nationality"),
    ("الجنس", "gender"),
    ("تاريخ الميلاد", "birth_date"),
    ("الجوال", "mobile"),
    ("المنطقة", "region"),
    ("المدينة", "city"),
    ("المستوى التعليمي", "education"),
    ("الحالة الوظيفية", "employment_status"),
    ("الدخل الشهري", "monthly_income"),
)
_NATIONALITIES = ("مصري", "يمني", "سوري", "باكستاني", "هندي", "سوداني", "أردني")
_EDUCATION = ("primary", "intermediate", "secondary", "diploma", "bachelor")
_EMPLOYMENT = ("employed", "job_seeker", "not_working", "retired", "unable")


def rows(count: int, seed: int):
    """(dict of values by target) for each row, labels in Arabic."""
    from django.utils import translation

    from mustafid.core.regions import Region
    from mustafid.registry.models import Education, Employment

    names = common.Names()
    rng = random.Random(f"import:{seed}")
    with translation.override("ar"):
        regions = {code: str(Region(code).label) for code in names.cities}
        education = {code: str(Education(code).label) for code in _EDUCATION}
        employment = {code: str(Employment(code).label) for code in _EMPLOYMENT}
    for number in range(count):
        index = INDEX_BASE + number
        citizen = common.is_citizen(index)
        male = rng.random() < 0.55
        region = rng.choice(list(names.cities))
        yield {
            "first_name": (names.males if male else names.females)(rng, 1)[0],
            "father_name": names.males(rng, 1)[0],
            "grandfather_name": names.males(rng, 1)[0],
            "family_name": names.families(rng, 1)[0],
            "identity_type": "هوية وطنية" if citizen else "إقامة",
            "identity_number": common.identity_number(index, citizen),
            "nationality": "سعودي" if citizen else rng.choice(_NATIONALITIES),
            "gender": "ذكر" if male else "أنثى",
            "birth_date": common.birth_date(rng),
            "mobile": common.local_mobile(common.mobile_number(index)),
            "region": regions[region],
            "city": rng.choice(names.cities[region]),
            "education": education[rng.choice(_EDUCATION)],
            "employment_status": employment[rng.choice(_EMPLOYMENT)],
            "monthly_income": rng.choice((0, 1500, 2500, 3000, 4200)),
        }


def write_csv(path: Path, data: list[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _ in HEADERS])
        for row in data:
            writer.writerow(
                [
                    row[t].isoformat() if isinstance(row[t], datetime.date) else row[t]
                    for _, t in HEADERS
                ]
            )


def write_xlsx(path: Path, data: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("المستفيدون")
    sheet.sheet_view.rightToLeft = True
    sheet.append([header for header, _ in HEADERS])
    for row in data:
        cells = []
        for _, target in HEADERS:
            value = row[target]
            if target in ("identity_number", "mobile"):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "@"  # text, or Excel drops the leading 0
                cells.append(cell)
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    common.setup_django()
    args.out.mkdir(parents=True, exist_ok=True)
    data = list(rows(args.rows, args.seed))
    stem = args.out / f"import_{args.rows}"
    for suffix, write in ((".csv", write_csv), (".xlsx", write_xlsx)):
        started = time.perf_counter()
        write(stem.with_suffix(suffix), data)
        print(
            f"{stem.with_suffix(suffix)}: {args.rows:,} rows "
            f"in {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
