"""Numbers that restart each Hijri year, per association: requests (1448-000123),
inquiries (INQ-…), complaints and other feedback (CMP-…, SUG-…)."""

import datetime

from mustafid.core.hijri import to_hijri


def take_number(
    counter_model, organization, day: datetime.date, year_field: str = "year"
) -> tuple[int, int]:
    """(Hijri year, next number) from the association's counter row for that year.

    Call inside a transaction: the counter row stays locked until it commits, so
    two requests at once never take the same number.
    """
    year = to_hijri(day).year
    counter, _created = counter_model.objects.select_for_update().get_or_create(
        organization=organization, **{year_field: year}
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number", "updated_at"])
    return year, counter.last_number
