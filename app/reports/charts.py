"""The annual report's charts: plain horizontal bar charts written as SVG text on the server, so
that they show and print with no script. Each chart is an image (role="img") named by its
<title>, and points at the table it was drawn from (aria-describedby): the table is the source
and the accessible alternative. A hidden figure is drawn as an outlined, hatched bar reading
the suppression mark, never as a length that would give its value away."""

from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 640
BAR_SPACE = 520  # the longest bar; room to its right for its value
ROW = 44  # each bar: its label above, then the bar
BAR_HEIGHT = 16
MARGIN = 8
HIDDEN_WIDTH = 40  # a hidden bar's fixed length: the same whatever the hidden value


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None where the figure is hidden
    text: str  # the value as the reader reads it: formatted for the locale, or the mark


def bar_chart(chart_id: str, title: str, bars: list[Bar], table_id: str) -> Markup:
    """An SVG bar chart; every text is escaped by Markup.format. chart_id must be unique on the
    page."""
    longest = max((bar.value for bar in bars if bar.value is not None), default=0) or 1
    height = MARGIN * 2 + ROW * max(len(bars), 1)
    title_id, hatch_id = f"{chart_id}-title", f"{chart_id}-hatch"
    head = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart}" role="img" '
        'aria-labelledby="{title_id}" aria-describedby="{table}" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}"><title id="{title_id}">{title}</title>'
        '<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" stroke-width="2"/></pattern></defs>'
    ).format(chart=chart_id, title_id=title_id, table=table_id, width=WIDTH, height=height,
             title=title, hatch=hatch_id)
    drawn = Markup("").join(_bar(bar, MARGIN + index * ROW, longest, hatch_id)
                            for index, bar in enumerate(bars))
    return head + drawn + Markup("</svg>")


def _bar(bar: Bar, top: int, longest: int, hatch_id: str) -> Markup:
    bar_top = top + 20
    if bar.value is None:
        length = HIDDEN_WIDTH
        shape = Markup(
            '<rect class="bar-hidden" x="0" y="{top}" width="{length}" height="{height}" '
            'fill="url(#{hatch})" stroke="#0b0c0c" stroke-width="1.5"/>'
        ).format(top=bar_top, length=length, height=BAR_HEIGHT, hatch=hatch_id)
    else:
        length = round(BAR_SPACE * bar.value / longest)
        shape = Markup(
            '<rect class="bar" x="0" y="{top}" width="{length}" height="{height}" fill="#1d70b8"/>'
        ).format(top=bar_top, length=length, height=BAR_HEIGHT)
    return Markup(
        '<g class="chart-bar"><text class="chart-label" x="0" y="{label_y}" font-size="14" '
        'fill="#0b0c0c">{label}</text>{shape}<text class="chart-value" x="{value_x}" '
        'y="{value_y}" font-size="14" fill="#0b0c0c">{text}</text></g>'
    ).format(label_y=top + 14, label=bar.label, shape=shape, value_x=length + 6,
             value_y=bar_top + 13, text=bar.text)
