"""Facet values of one kind of document as in-memory bitmaps, for counting and filtering fast. Framework-free.

A `FacetIndex` holds, for every document of a kind, its position in browse order (newest first), and for
every facet value a bitmap over those positions (numpy bits packed eight to a byte). Filtering is a few
vectorised ORs and ANDs, and counting a field's values over any selection of documents is an AND and a
population count per value, whatever the number of matches: at 100,000 documents with ~70 facet values the
bitmaps take under 1 MB and counting them all about a millisecond.

The index is built from text the database aggregates (comma-separated ids), because parsing one long string
is far cheaper than a million Python tuples. Who builds it, caches it and decides when it is stale is the
selectors' business (they compare the database's index-version token).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


def parse_ids(text: str | None) -> np.ndarray:
    """Comma-separated integers ('' or None: none) as an int64 array."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


@dataclass(frozen=True)
class FieldColumns:
    values: tuple[str, ...]
    labels: tuple[str, ...]
    column: dict[str, int]
    bits: np.ndarray  # uint8, (values, packed documents): bit i of row k is set when document i has value k


@dataclass(frozen=True)
class FacetIndex:
    token: int | None
    order: np.ndarray  # document ids, newest first
    position: np.ndarray  # document id -> its position in `order`, -1 for ids not in this index
    fields: dict[str, FieldColumns]

    @property
    def size(self) -> int:
        return len(self.order)

    @property
    def nbytes(self) -> int:
        return self.order.nbytes + self.position.nbytes + sum(f.bits.nbytes for f in self.fields.values())

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Positions of those ids that are documents of this index (others, e.g. other kinds, are dropped)."""
        ids = ids[(ids >= 0) & (ids < len(self.position))]
        found = self.position[ids]
        return found[found >= 0]

    def mask_of(self, ids: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.positions_of(ids)] = True
        return mask

    def everything(self) -> np.ndarray:
        return np.ones(self.size, dtype=bool)

    def field_mask(self, name: str, values: Iterable[str]) -> np.ndarray:
        """Documents with any of the values in the field (unknown fields or values match nothing)."""
        columns = self.fields.get(name)
        if columns is None:
            return np.zeros(self.size, dtype=bool)
        wanted = [columns.column[value] for value in values if value in columns.column]
        if not wanted:
            return np.zeros(self.size, dtype=bool)
        bits = np.bitwise_or.reduce(columns.bits[wanted], axis=0)
        return np.unpackbits(bits, count=self.size).view(bool)

    def counts(
        self, name: str, selection: np.ndarray, packed: np.ndarray | None = None
    ) -> list[tuple[str, str, int]]:
        """(value, label, count) of the field's values among the selected documents, counts above zero only.
        `packed` is np.packbits(selection), when the caller counts several fields over one selection."""
        columns = self.fields.get(name)
        if columns is None or not columns.values:
            return []
        if not selection.any():
            return []
        chosen = np.packbits(selection) if packed is None else packed
        totals = np.bitwise_count(columns.bits & chosen).sum(axis=1, dtype=np.int64)
        return [
            (columns.values[k], columns.labels[k], int(totals[k])) for k in np.flatnonzero(totals).tolist()
        ]

    def ids_in_order(self, selection: np.ndarray) -> np.ndarray:
        """Ids of the selected documents, newest first."""
        return self.order[selection]


def build(
    *, token: int | None, order_ids: str | None, groups: Iterable[tuple[str, str, str, str | None]]
) -> FacetIndex:
    """Build from the documents' ids in browse order and (field, value, label, ids) per facet value."""
    order = parse_ids(order_ids)
    position = np.full(int(order.max()) + 1 if len(order) else 0, -1, dtype=np.int32)
    position[order] = np.arange(len(order), dtype=np.int32)
    grouped: dict[str, list[tuple[str, str, np.ndarray]]] = {}
    for name, value, label, ids in groups:
        grouped.setdefault(name, []).append((value, label or value, parse_ids(ids)))
    fields: dict[str, FieldColumns] = {}
    for name, entries in grouped.items():
        matrix = np.zeros((len(entries), len(order)), dtype=bool)
        for k, (_value, _label, ids) in enumerate(entries):
            ids = ids[(ids >= 0) & (ids < len(position))]
            found = position[ids]
            matrix[k, found[found >= 0]] = True
        values = tuple(value for value, _label, _ids in entries)
        fields[name] = FieldColumns(
            values=values, labels=tuple(label for _value, label, _ids in entries),
            column={value: k for k, value in enumerate(values)}, bits=np.packbits(matrix, axis=1),
        )
    return FacetIndex(token=token, order=order, position=position, fields=fields)
