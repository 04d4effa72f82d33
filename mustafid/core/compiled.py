"""ORM statements compiled once and run many times with new values.

For the few lookups asked on every keystroke or sign-in, where Django's building
and compiling of a queryset (~0.4 ms) costs more than PostgreSQL's answer
(~0.3 ms for an identity lookup among a million records). The statement is the
ORM's own, compiled on first use for each database, so a schema change reaches
it; only the values change between runs. It runs through Django's cursor, so
query counters and execute wrappers still see it.
"""

from collections.abc import Callable, Sequence
from itertools import count
from threading import Lock

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models
from django_scopes import scopes_disabled

_SENTINELS = count(1)


def _sentinel(kind: type) -> int | str:
    # Values no real query carries, so each is found once among the parameters.
    number = next(_SENTINELS)
    if kind is int:
        return -(10**15) - number
    if kind is str:
        return f"\x1fcompiled-parameter-{number}\x1f"
    raise ImproperlyConfigured(f"A compiled parameter is an int or a str: {kind!r}")


class CompiledQuery:
    """`build(**values)` compiled once per database, then run with new values.

    `parameters` names each value and its type (int or str). Values are sent as
    they are: the fields' conversions do not run, so pass what the column holds
    (a primary key, a hash). The queryset must use each value exactly once as a
    parameter, which compiling checks. Tenant scoping is the caller's: `build`
    runs with scopes disabled and must filter on the association itself.
    """

    def __init__(self, build: Callable[..., models.QuerySet], **parameters: type):
        self.build = build
        self.parameters = parameters
        self._compiled: dict[str, tuple[str, list, dict[str, int]]] = {}
        self._lock = Lock()

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """The rows of the statement for these values, as tuples."""
        if values.keys() != self.parameters.keys():
            raise TypeError(f"Expected the values {sorted(self.parameters)}.")
        sql, template, positions = self.compiled(using)
        params = list(template)
        for name, position in positions.items():
            params[position] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def compiled(self, using: str = "default") -> tuple[str, list, dict[str, int]]:
        """(sql, parameters, {value name: its position}) for this database."""
        if using not in self._compiled:
            with self._lock:
                if using not in self._compiled:
                    self._compiled[using] = self._compile(using)
        return self._compiled[using]

    def _compile(self, using: str) -> tuple[str, list, dict[str, int]]:
        sentinels = {name: _sentinel(kind) for name, kind in self.parameters.items()}
        with scopes_disabled():
            queryset = self.build(**sentinels).using(using)
            sql, params = queryset.query.sql_with_params()
        params = list(params)
        return sql, params, _positions(sentinels, params)


def _positions(sentinels: dict, params: Sequence) -> dict[str, int]:
    positions = {}
    for name, sentinel in sentinels.items():
        found = [at for at, value in enumerate(params) if value == sentinel]
        if len(found) != 1:
            raise ImproperlyConfigured(
                f"The compiled query uses {name!r} {len(found)} times, not once."
            )
        positions[name] = found[0]
    return positions
