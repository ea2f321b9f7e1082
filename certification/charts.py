"""The pictures of the status pages, as pure geometry: the member's hours per year against
the requirement, and the staff's members per status at each month end (the month walk
that derives them from the status history included). No ORM, no clock: the view passes
the engine's years, the selector passes today's counts and the changes per month. The
templates draw the SVG from these numbers (viewBox units); the numbers are Decimal, as
everywhere in the portal, quantized to a tenth of a unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from certification.status import YearRow

ZERO = Decimal("0")
TENTH = Decimal("0.1")

# The drawing area of both charts, in viewBox units (the SVG scales to its box's width).
WIDTH = Decimal("480")
HEIGHT = Decimal("220")
LEFT = Decimal("44")  # room for the axis numbers
RIGHT = Decimal("8")
TOP = Decimal("22")  # room for the numbers above the bars
BOTTOM = Decimal("42")  # room for the years (and "exempt") under the bars
MAX_YEARS = 10  # the chart shows the latest years; the ledger below shows them all
MONTHS = 12


def _q(value: Decimal) -> Decimal:
    return value.quantize(TENTH)


HOUR_STEPS = (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10"))
COUNT_STEPS = (Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"))


def nice_top(value: Decimal, steps: Sequence[Decimal] = HOUR_STEPS) -> Decimal:
    """The axis top for a largest value: the next of ``steps`` × 10ⁿ at or above it
    (10 for nothing at all), so the axis numbers are round."""
    if value <= 0:
        return Decimal("10")
    power = Decimal(10) ** (value.adjusted())
    for step in steps:
        if step * power >= value:
            return (step * power).normalize()
    return (10 * power).normalize()  # pragma: no cover - 10 × power is always enough


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line with its number on the axis."""

    y: Decimal
    value: Decimal

    @property
    def label(self) -> str:
        """The number as the axis shows it: 50, 12.5 (never 5E+1)."""
        return format(self.value.normalize(), "f")


def _ticks(top: Decimal, plot_height: Decimal) -> list[Tick]:
    quarter = top / 4
    return [
        Tick(y=_q(TOP + plot_height - plot_height * i / 4), value=(quarter * i).normalize())
        for i in range(5)
    ]


@dataclass(frozen=True)
class YearBar:
    """One reporting year: the bar of its earned hours and the mark of its requirement."""

    year: int
    earned: Decimal
    required: Decimal
    exempt: bool  # exempt (or retired) with nothing required
    met: bool
    in_progress: bool
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    required_y: Decimal | None  # None when nothing is required
    center: Decimal
    label_y: Decimal  # where the number above the bar stands
    mark_x1: Decimal  # the required mark reaches a little beyond the bar
    mark_x2: Decimal

    @property
    def kind(self) -> str:
        """The bar's CSS class: exempt, met, short or (this year, not yet met) progress."""
        if self.exempt:
            return "exempt"
        if self.met:
            return "met"
        return "progress" if self.in_progress else "short"


@dataclass(frozen=True)
class YearChart:
    width: Decimal
    height: Decimal
    bars: list[YearBar]
    ticks: list[Tick]
    axis_y: Decimal
    left: Decimal
    right: Decimal
    tick_x: Decimal  # where the axis numbers end
    year_y: Decimal  # the baseline of the year labels
    note_y: Decimal  # the baseline of "exempt" under a year

    @property
    def kinds(self) -> set[str]:
        """The kinds of bar drawn (and "required" when a year has a mark): the legend
        names only these."""
        kinds = {bar.kind for bar in self.bars}
        if any(bar.required_y is not None for bar in self.bars):
            kinds.add("required")
        return kinds


def year_chart(rows: Sequence[YearRow], *, limit: int = MAX_YEARS) -> YearChart:
    """Bars of the earned hours of the engine's years (the latest ``limit``, oldest first),
    each with a mark at its required hours; an exempt year is marked and has no mark. The
    numbers are the rows' own: nothing is recomputed here."""
    shown = list(rows)[-limit:] if limit else list(rows)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top = nice_top(max([ZERO, *(r.earned for r in shown), *(r.required for r in shown)]))
    slot = plot_width / max(1, len(shown))
    bar_width = min(slot * Decimal("0.6"), Decimal("64"))
    bars = []
    for i, row in enumerate(shown):
        height = plot_height * row.earned / top
        x = LEFT + slot * i + (slot - bar_width) / 2
        y = TOP + plot_height - height
        exempt = row.exempt and not row.required
        required_y = (
            None if not row.required else _q(TOP + plot_height - plot_height * row.required / top)
        )
        bars.append(
            YearBar(
                year=row.year,
                earned=row.earned,
                required=row.required,
                exempt=exempt,
                met=exempt or row.earned >= row.required,
                in_progress=row.shortfall is None,
                x=_q(x),
                y=_q(y),
                width=_q(bar_width),
                height=_q(height),
                required_y=required_y,
                center=_q(x + bar_width / 2),
                label_y=_q(y - 6),
                mark_x1=_q(x - 4),
                mark_x2=_q(x + bar_width + 4),
            )
        )
    return YearChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=_ticks(top, plot_height),
        axis_y=TOP + plot_height,
        left=LEFT,
        right=WIDTH - RIGHT,
        tick_x=LEFT - 6,
        year_y=TOP + plot_height + 18,
        note_y=TOP + plot_height + 36,
    )


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The first days of the last ``months`` months, oldest first, ``today``'s month last."""
    index = today.year * 12 + today.month - 1
    return [dt.date((i // 12), i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


@dataclass(frozen=True)
class MonthCounts:
    """How many members had each status at the end of ``month`` (for this month: today)."""

    month: dt.date  # the first day of the month
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


Change = tuple[dt.date, str, str, int]  # month (first day), from status, to status, how many


def walk_back(
    current: Mapping[str, int], changes: Iterable[Change], months: Sequence[dt.date]
) -> list[MonthCounts]:
    """The counts per status at the end of each of ``months`` (oldest first; the last is
    the month in progress, whose counts are ``current``), walking back from today's counts:
    a month's end counts are the next month's with that month's changes undone (each change
    gave one member to its ``to`` status and took one from its ``from`` status). A change
    from '' is a member's first status: before it the member is not counted (new members
    are computed when they join); '' in ``current`` counts the members not yet computed."""
    net: dict[dt.date, dict[str, int]] = {m: {} for m in months}
    for month, from_status, to_status, n in changes:
        if month not in net:
            continue
        moved = net[month]
        moved[to_status] = moved.get(to_status, 0) + n
        if from_status:  # a first status: before it the member is not counted at all
            moved[from_status] = moved.get(from_status, 0) - n
    counts = dict(current)
    walked = []
    for month in reversed(months):
        walked.append(MonthCounts(month=month, counts={k: v for k, v in counts.items() if v > 0}))
        for status, n in net[month].items():
            counts[status] = counts.get(status, 0) - n
    return list(reversed(walked))


@dataclass(frozen=True)
class Segment:
    """One status's part of a month's stacked bar."""

    status: str
    count: int
    y: Decimal
    height: Decimal


@dataclass(frozen=True)
class MonthBar:
    month: dt.date
    total: int
    x: Decimal
    width: Decimal
    center: Decimal
    segments: list[Segment]


@dataclass(frozen=True)
class MonthChart:
    width: Decimal
    height: Decimal
    bars: list[MonthBar]
    ticks: list[Tick]
    axis_y: Decimal
    left: Decimal
    right: Decimal
    tick_x: Decimal  # where the axis numbers end
    month_y: Decimal  # the baseline of the month labels


def month_chart(walked: Sequence[MonthCounts], order: Sequence[str]) -> MonthChart:
    """A stacked bar per month: one segment per status with members, in ``order`` from
    the bottom up (statuses not in ``order`` are left out of the picture)."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    totals = [sum(m.counts.get(s, 0) for s in order) for m in walked]
    # Four steps of whole members: the top is 4 × 1, 2 or 5 × 10ⁿ.
    top = 4 * max(Decimal("1"), nice_top(Decimal(max([0, *totals])) / 4, COUNT_STEPS))
    slot = plot_width / max(1, len(walked))
    bar_width = slot * Decimal("0.7")
    bars = []
    for i, (month, total) in enumerate(zip(walked, totals, strict=True)):
        x = LEFT + slot * i + (slot - bar_width) / 2
        base = TOP + plot_height
        segments = []
        for status in order:
            count = month.counts.get(status, 0)
            if count <= 0:
                continue
            height = plot_height * count / top
            base -= height
            segments.append(Segment(status=status, count=count, y=_q(base), height=_q(height)))
        bars.append(
            MonthBar(
                month=month.month,
                total=total,
                x=_q(x),
                width=_q(bar_width),
                center=_q(x + bar_width / 2),
                segments=segments,
            )
        )
    return MonthChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=_ticks(top, plot_height),
        axis_y=TOP + plot_height,
        left=LEFT,
        right=WIDTH - RIGHT,
        tick_x=LEFT - 6,
        month_y=TOP + plot_height + 18,
    )
