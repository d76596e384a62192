"""Suppression of one table: no published number lets a reader recover a small count."""

from __future__ import annotations

import random

import pytest

from passage.reports.suppression import SMALL, WITHHELD, Protection, extend, is_small, protect

BIG = 10**9


def attack(entries: list[list[int | str]]) -> dict[tuple[int, int], int]:
    """What a reader can work out from a published extended grid: every line's equation
    solved where one entry is unknown, and bounds tightened line by line ("<5" is 1..4, "x"
    is 0 or at least 5). Returns the hidden entries pinned to one value."""
    rows, cols = len(entries), len(entries[0])
    low: dict[tuple[int, int], int] = {}
    high: dict[tuple[int, int], int] = {}
    for r in range(rows):
        for c in range(cols):
            value = entries[r][c]
            if value == SMALL:
                low[(r, c)], high[(r, c)] = 1, 4
            elif value == WITHHELD:
                low[(r, c)], high[(r, c)] = 0, BIG

    def lines() -> list[list[tuple[tuple[int, int], int]]]:
        # (entry, sign): the entries of the line with their sign in "sum = 0"
        found = []
        for r in range(rows):
            found.append([((r, c), 1 if c < cols - 1 else -1) for c in range(cols)])
        for c in range(cols):
            found.append([((r, c), 1 if r < rows - 1 else -1) for r in range(rows)])
        return found

    changed = True
    while changed:
        changed = False
        for line in lines():
            known = sum(
                sign * entries[r][c] for (r, c), sign in line if isinstance(entries[r][c], int)
            )
            unknown = [(cell, sign) for cell, sign in line if cell in low]
            for cell, sign in unknown:
                others = [(o, s) for o, s in unknown if o != cell]
                # sign*x = -known - sum(s*y for others)
                lo_rest = sum(s * (low[o] if s > 0 else high[o]) for o, s in others)
                hi_rest = sum(s * (high[o] if s > 0 else low[o]) for o, s in others)
                lo, hi = sorted(((-known - hi_rest) * sign, (-known - lo_rest) * sign))
                new_lo, new_hi = max(low[cell], lo), min(high[cell], hi)
                if entries[cell[0]][cell[1]] == WITHHELD:
                    if 1 <= new_lo <= 4:
                        new_lo = 5
                    if 1 <= new_hi <= 4:
                        new_hi = 0
                if (new_lo, new_hi) != (low[cell], high[cell]):
                    low[cell], high[cell] = new_lo, new_hi
                    changed = True
    return {cell: low[cell] for cell in low if low[cell] == high[cell]}


def check(cells: list[list[int]]) -> list[list[int | str]]:
    published = protect(cells)
    grid = extend(cells)
    entries = published.entries
    flat = [v for row in entries for v in row]
    # No count from 1 to 4 is ever shown.
    assert not any(isinstance(v, int) and is_small(v) for v in flat)
    if published.withheld_entirely:
        assert all(v == WITHHELD for v in flat)
        return entries
    # Shown numbers are the true ones; every true small count is "<5".
    for r, row in enumerate(entries):
        for c, value in enumerate(row):
            if isinstance(value, int):
                assert value == grid[r][c]
            if is_small(grid[r][c]):
                assert value == SMALL
    # The attack recovers no small count...
    pinned = attack(entries)
    assert not [cell for cell in pinned if entries[cell[0]][cell[1]] == SMALL]
    # ...and for each, a different table agrees with everything published.
    small = {
        (r, c) for r in range(len(grid)) for c in range(len(grid[0])) if entries[r][c] == SMALL
    }
    withheld = {
        (r, c) for r in range(len(grid)) for c in range(len(grid[0])) if entries[r][c] == WITHHELD
    }
    state = Protection(grid, small, withheld)
    for cell in small:
        change = state.witness(cell)
        assert change is not None and change[cell] != 0
        other = [row[:] for row in grid]
        for (r, c), step in change.items():
            other[r][c] += step
        body = [row[:-1] for row in other[:-1]]
        assert extend(body) == other  # every line still adds up
        for r, row in enumerate(entries):
            for c, value in enumerate(row):
                if isinstance(value, int):
                    assert other[r][c] == value
                elif value == SMALL:
                    assert 1 <= other[r][c] <= 4
                else:
                    assert other[r][c] >= 0 and not is_small(other[r][c])
    return entries


def test_a_lone_small_cell_is_hidden_with_complements() -> None:
    entries = check([[20, 3, 15], [12, 30, 9], [7, 8, 40]])
    assert entries[0][1] == SMALL
    assert sum(v == WITHHELD for row in entries for v in row) >= 3


def test_a_small_row_total_is_protected() -> None:
    check([[2, 0, 0], [10, 12, 30], [9, 7, 6]])


def test_small_totals_of_a_tiny_table_are_withheld() -> None:
    published = protect([[1, 2], [0, 1]])
    assert published.withheld_entirely


def test_no_small_counts_publishes_everything() -> None:
    entries = check([[10, 20], [30, 0]])
    assert entries == [[10, 20, 30], [30, 0, 30], [40, 20, 60]]


@pytest.mark.parametrize("seed", range(60))
def test_random_tables(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 8), rng.randint(1, 10)
    cells = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 40, 120]) for _ in range(cols)]
        for _ in range(rows)
    ]
    check(cells)


def test_the_attack_recovers_a_cell_hidden_without_complements() -> None:
    """The attacker above is not toothless: with small-cell suppression alone, it works."""
    grid = extend([[20, 3, 15], [12, 30, 9], [7, 8, 40]])
    naive: list[list[int | str]] = [[SMALL if is_small(v) else v for v in row] for row in grid]
    assert attack(naive) == {(0, 1): 3}
    # Two small cells in one row, their total known: 1 + 1 = 2 pins both.
    grid = extend([[1, 1, 30], [20, 20, 30]])
    paired: list[list[int | str]] = [[SMALL if is_small(v) else v for v in row] for row in grid]
    paired[1][0] = paired[1][1] = WITHHELD
    assert attack(paired)[(0, 0)] == 1
