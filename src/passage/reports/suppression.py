"""Small-cell and complementary suppression of a two-dimensional table with its totals.

A table is a grid of counts with a total per row, per column and a grand total: the *extended
grid* (the totals as its last row and column). Every published relation is a line of that grid:
the cells of a row add up to the row total, the cells of a column to the column total, the row
totals (and the column totals) to the grand total.

1. **Primary suppression**: every entry from 1 to 4 (cells and totals alike) is shown as "<5".
2. **Complementary suppression**: more entries (shown as "x", meaning "withheld") until each
   primary entry is *protected*: there is another table, different in that entry, that agrees
   with everything published (every shown number, every line's sum, "<5" entries within 1..4,
   "x" entries outside 1..4). Then no amount of adding and subtracting published numbers can
   recover it.

How protection is decided (exactly, not by a rule of thumb). Multiply each entry by -1 once
for being in the totals row and once for being in the totals column: every line relation
becomes "the entries of this line add up to zero". A change to the hidden entries that keeps
every line sum is then a set of +1/-1 changes with zero sum on every row and column: an
alternating cycle in the bipartite graph whose nodes are the rows and columns and whose edges
are the hidden entries. An entry can take +1 (or -1) if its value stays within what the
reader knows of it; an entry is protected when such a cycle runs through it. The grand total
is never part of a cycle (it is treated as known, since other tables of a release share it);
a table whose grand total is itself from 1 to 4 is withheld entirely.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

SMALL = "<5"
WITHHELD = "x"
LOW, HIGH = 1, 4  # the counts suppressed as small

Cell = tuple[int, int]


def extend(cells: list[list[int]]) -> list[list[int]]:
    """``cells`` with a total per row (last column), per column (last row) and the grand total."""
    width = len(cells[0]) if cells else 0
    rows = [[*row, sum(row)] for row in cells]
    totals = [sum(row[c] for row in rows) for c in range(width + 1)]
    return [*rows, totals]


def is_small(value: int) -> bool:
    return LOW <= value <= HIGH


def _sign(index: int, last: int) -> int:
    return -1 if index == last else 1


def _can_move(value: int, step: int, small: bool) -> bool:
    """Whether a hidden entry can change by ``step`` and stay within what the reader knows:
    1..4 for "<5", outside 1..4 (and not below 0) for "x"."""
    moved = value + step
    if small:
        return LOW <= moved <= HIGH
    return moved >= 0 and not is_small(moved)


@dataclass
class Protection:
    grid: list[list[int]]  # the extended grid (true values)
    small: set[Cell]
    withheld: set[Cell]

    @property
    def hidden(self) -> set[Cell]:
        return self.small | self.withheld

    def _arcs(self, skip: Cell) -> dict[tuple[str, int], list[tuple[tuple[str, int], Cell, int]]]:
        """Directed arcs: row -> column where an entry may take +1 in the transformed grid,
        column -> row where it may take -1. Each arc carries its entry and its real step."""
        last_r, last_c = len(self.grid) - 1, len(self.grid[0]) - 1
        arcs: dict[tuple[str, int], list[tuple[tuple[str, int], Cell, int]]] = {}
        for r, c in self.hidden:
            if (r, c) == skip or (r, c) == (last_r, last_c):
                continue
            flip = _sign(r, last_r) * _sign(c, last_c)
            small = (r, c) in self.small
            if _can_move(self.grid[r][c], flip, small):
                arcs.setdefault(("r", r), []).append((("c", c), (r, c), flip))
            if _can_move(self.grid[r][c], -flip, small):
                arcs.setdefault(("c", c), []).append((("r", r), (r, c), -flip))
        return arcs

    def witness(self, cell: Cell) -> dict[Cell, int] | None:
        """A change of hidden entries (entry -> step) that moves ``cell`` and keeps every
        published number and line sum, or None if there is none (``cell`` is exposed)."""
        last_r, last_c = len(self.grid) - 1, len(self.grid[0]) - 1
        r, c = cell
        if cell == (last_r, last_c):
            return None
        flip = _sign(r, last_r) * _sign(c, last_c)
        small = cell in self.small
        arcs = self._arcs(skip=cell)
        for direction in (1, -1):
            if not _can_move(self.grid[r][c], direction * flip, small):
                continue
            # +1 (transformed) on the cell is an arc row -> column: close it column ... -> row.
            start, goal = (("c", c), ("r", r)) if direction == 1 else (("r", r), ("c", c))
            path = _path(arcs, start, goal)
            if path is not None:
                change = {cell: direction * flip}
                for entry, step in path:
                    change[entry] = step
                return change
        return None

    def exposed(self) -> list[Cell]:
        return sorted(cell for cell in self.small if self.witness(cell) is None)


def _path(
    arcs: dict[tuple[str, int], list[tuple[tuple[str, int], Cell, int]]],
    start: tuple[str, int],
    goal: tuple[str, int],
) -> list[tuple[Cell, int]] | None:
    """A simple directed path from ``start`` to ``goal`` (breadth first), as (entry, step)."""
    previous: dict[tuple[str, int], tuple[tuple[str, int], Cell, int] | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for target, entry, step in arcs.get(node, ()):
            if target not in previous:
                previous[target] = (node, entry, step)
                queue.append(target)
    if goal not in previous:
        return None
    path = []
    node = goal
    while (back := previous[node]) is not None:
        node, entry, step = back
        path.append((entry, step))
    return path


def _candidates(grid: list[list[int]], hidden: set[Cell], cell: Cell) -> Iterator[set[Cell]]:
    """Sets of entries to withhold so that ``cell`` may lie on a cycle: the other three
    corners of each rectangle through it (cheapest first), then its whole row and column."""
    rows, cols = len(grid), len(grid[0])
    last = (rows - 1, cols - 1)
    r, c = cell
    options = []
    for r2 in range(rows):
        for c2 in range(cols):
            if r2 == r or c2 == c:
                continue
            corners = {(r, c2), (r2, c), (r2, c2)}
            if last in corners:
                continue
            fresh = corners - hidden
            options.append((sum(grid[a][b] for a, b in fresh), len(fresh), sorted(fresh)))
    for _cost, _n, chosen in sorted(options):
        yield set(chosen)
    yield {(r, b) for b in range(cols)} | {(a, c) for a in range(rows)} - {last}


@dataclass(frozen=True)
class Published:
    """The extended grid as published: numbers, "<5" or "x" (all "x" when withheld)."""

    entries: list[list[int | str]]
    withheld_entirely: bool


def protect(cells: list[list[int]]) -> Published:
    """Suppress small counts and enough others that none of the small ones can be recovered."""
    grid = extend(cells)
    rows, cols = len(grid), len(grid[0])
    last = (rows - 1, cols - 1)
    if is_small(grid[last[0]][last[1]]):
        return Published([[WITHHELD] * cols for _ in range(rows)], True)
    small = {(r, c) for r in range(rows) for c in range(cols) if is_small(grid[r][c])}
    state = Protection(grid, small, set())
    for _round in range(rows * cols):
        open_cells = state.exposed()
        if not open_cells:
            break
        cell = open_cells[0]
        for extra in _candidates(grid, state.hidden, cell):
            trial = Protection(grid, small, state.withheld | (extra - small))
            if trial.witness(cell) is not None:
                state = trial
                break
        else:
            return Published([[WITHHELD] * cols for _ in range(rows)], True)
    if state.exposed():  # pragma: no cover - every round protects one more cell
        return Published([[WITHHELD] * cols for _ in range(rows)], True)
    entries: list[list[int | str]] = [
        [
            SMALL if (r, c) in state.small else WITHHELD if (r, c) in state.withheld else grid[r][c]
            for c in range(cols)
        ]
        for r in range(rows)
    ]
    return Published(entries, False)
