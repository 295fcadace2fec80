"""Bar charts drawn on the server as SVG, so figures show without JavaScript and on any intranet.

A chart is only geometry computed from labelled values; ``templates/_macros/charts.html`` draws it and
puts the same numbers in a table for screen readers. Counts in the chart and table come from one list, so
the two can never disagree.
"""

from dataclasses import dataclass, field

# Each label sits on its own line above its bar: Chinese unit names are long, and a narrow drawing keeps the
# text near its real size on a phone instead of being scaled down to unreadable (the viewBox is 360 wide).
WIDTH = 360
LABEL_LINE = 20
BAR_HEIGHT = 20
BAR_GAP = 12
VALUE_WIDTH = 64
PLOT_WIDTH = WIDTH - VALUE_WIDTH
#: distinguishable for colour-blind readers and at least 3:1 against white (the palette of Okabe and Ito)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    #: the number as printed beside the bar and in the table (e.g. "12" or "87.5%")
    text: str
    #: top of the bar's row: the label's line, then the bar
    y: int
    width: float
    colour: str

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_LINE


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    #: heading of the value column in the accessible table
    value_heading: str = ""
    width: int = WIDTH
    height: int = 0
    bar_height: int = BAR_HEIGHT

    @property
    def total(self) -> float:
        return sum(bar.value for bar in self.bars)


def bar_chart(title, values, *, value_heading="", maximum=None, formatter=None, colours=PALETTE) -> BarChart:
    """A horizontal bar chart of ``values`` (pairs of label and number), scaled to ``maximum`` or the largest.

    ``formatter`` turns a value into the text shown (default: the integer); each bar takes the next colour.
    """
    values = list(values)
    formatter = formatter or (lambda value: f"{value:g}")
    top = maximum if maximum is not None else max((value for _, value in values), default=0)
    bars = []
    for index, (label, value) in enumerate(values):
        width = PLOT_WIDTH * value / top if top else 0
        y = index * (LABEL_LINE + BAR_HEIGHT + BAR_GAP)
        bars.append(Bar(str(label), value, formatter(value), y, round(width, 1), colours[index % len(colours)]))
    height = max(len(bars) * (LABEL_LINE + BAR_HEIGHT + BAR_GAP) - BAR_GAP, LABEL_LINE + BAR_HEIGHT)
    return BarChart(title=str(title), bars=bars, value_heading=str(value_heading), height=height)
