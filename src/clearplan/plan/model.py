"""The plan's data model: what an officer may write in `data/`, and nothing else.

Every model forbids unknown keys, so a typo is an error, not silently ignored data.
This module must not import mkdocs (see README, "Design").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Union
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .dates import StatedDate, parse_stated_date

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]

# An address alone: no spaces, quotes, angle brackets or `?`, which a mailto: link would read as
# more headers (?body=…) or an HTML attribute as its end.
EMAIL = re.compile(r"[A-Za-z0-9._'+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
# Characters a web address may hold as written (RFC 3986); anything else must be %-encoded.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def check_email(value: str) -> str:
    if not EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an email address; write the address alone, like name@example.org")
    return value


def check_web_address(value: str) -> str:
    """A link readers may follow: http or https only (never javascript: or data:)."""
    try:
        parts = urlsplit(value) if URL_CHARACTERS.fullmatch(value) else None
    except ValueError:  # a malformed host, such as an unclosed [
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"{value!r} is not a web address; write it in full, like https://www.example.org/page, with any spaces or quotes written as %20 or %22"
        )
    return value


Email = Annotated[str, AfterValidator(check_email), WithJsonSchema({"type": "string", "pattern": f"^{EMAIL.pattern}$"})]
WebAddress = Annotated[str, AfterValidator(check_web_address), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]

FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def check_financial_year(value: str) -> str:
    match = FINANCIAL_YEAR.match(value)
    if not match:
        raise ValueError(f"expected a financial year like 2020/21, got {value!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValueError(f"{value!r} is not a financial year: {start}/ is followed by {(start + 1) % 100:02d}")
    return value


FinancialYear = Annotated[str, Field(examples=["2020/21"])]


def check_plan_date(value: str) -> str:
    """A date to the day (2021-04-30) or to the month (2021-04), as precise as the source."""
    try:
        dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        raise ValueError(f"{value!r} is not a real date; write YYYY-MM-DD, or YYYY-MM for a month") from None
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD, or YYYY-MM for a month")
    return value


PlanDate = Annotated[str, AfterValidator(check_plan_date)]


def first_day(value: str) -> dt.date:
    """The first day a plan date can mean: 2021-11 is 1 November 2021."""
    return dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")


# A month without a day, for the programme timeline, which the source draws month by month.
MonthDate = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
# A date as the source writes it ("End Sept 21", "Sept – Nov 21"), parsed keeping its precision;
# written out (plan.json) as those words, which the schema describes and which parse back the same.
SourceDate = Annotated[
    StatedDate,
    PlainValidator(parse_stated_date),
    PlainSerializer(lambda stated: stated.text, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["Sept 21", "Aug – March", "within 12 weeks of the work starting"]}),
]


MAX_WHOLE_DIGITS, MAX_DECIMAL_PLACES = 15, 6


def check_plan_number(value: Decimal) -> Decimal:
    """A number the site can show and compute with exactly: Decimal works to 28 digits, which
    holds 15 before the point and 6 after, with room for totals and a unit of millions."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a number plan data can use; write a finite number")
    _, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)  # a finite number's exponent is a number
    if len(digits) + exponent > MAX_WHOLE_DIGITS:
        raise ValueError(f"{value} is too large: plan figures have at most {MAX_WHOLE_DIGITS} digits before the decimal point")
    if value and -exponent > MAX_DECIMAL_PLACES:
        raise ValueError(f"{value} has too many decimal places: plan figures have at most {MAX_DECIMAL_PLACES}")
    return value


# Every number in plan data: Decimals enter the model only through this type.
PlanNumber = Annotated[Decimal, AfterValidator(check_plan_number)]


def financial_year_start(value: str) -> int:
    return int(value[:4])


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- Plan-wide facts -------------------------------------------------------------------------


class Organisation(Model):
    id: Slug
    name: Text
    short_name: Text
    kind: Literal["council", "health", "delivery", "voluntary", "other"]


class Contact(Model):
    email: Email
    purpose: Text | None = None  # the sentence before the address, e.g. "Send comments on this plan"


class Version(Model):
    label: Text
    date: PlanDate | None = None  # YYYY-MM-DD, or YYYY-MM for a month; left out when the source is undated


class Release(Model):
    """This version's release note; `previous` names the version the "What changed" page compares with."""

    reason: Literal["scheduled revision", "correction"]
    summary: Text
    previous: Text | None = None  # a git ref or a data directory; none for the first published version


def check_period_order(period: Period) -> Period:
    """A period ends no earlier than it starts."""
    if period.end is not None and financial_year_start(period.end) < financial_year_start(period.start):
        raise ValueError(f"the period ends ({period.end}) before it starts ({period.start})")
    return period


class Period(Model):
    """Financial years the plan covers; leave out `end` when the source gives none (open-ended)."""

    start: FinancialYear
    end: FinancialYear | None = None

    _check_start = field_validator("start", "end")(lambda value: value if value is None else check_financial_year(value))

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        return check_period_order(self)


class NamedText(Model):
    name: Text
    text: Text


class Principle(NamedText):
    """A principle; give it an `id` so activities, measures and risks can say they serve it."""

    id: Slug | None = None


class Theme(Model):
    """A theme with an `id`, so activities, measures and risks can say they serve it."""

    id: Slug
    text: Text


# A theme is a sentence, or {id, text} when things are tagged with it; a mapping is read as the
# latter only, so a mistake in it is reported once.
ThemeEntry = Annotated[
    Union[Annotated[Text, Tag("sentence")], Annotated[Theme, Tag("theme")]],
    Discriminator(lambda value: "theme" if isinstance(value, dict | Theme) else "sentence"),
]


class GovernanceBody(Model):
    name: Text
    chair: Text
    meets: Text
    reports_to: Text | None = None
    role: Text


# Easy Read lint rules an officer may accept on purpose (see README, "Easy Read"): on a point,
# or, for the rules about a whole page, on the page's easy_read.
PointRule = Literal["long-sentence", "percent", "big-number", "acronym", "hard-word", "punctuation"]
PageRule = Literal["too-many-words", "readability"]


class EasyReadPoint(Model):
    """One Easy Read point: short text beside one picture (a name from the picture manifest)."""

    text: Text
    picture: Text
    alt: Text
    accept: list[PointRule] = []


class HardWord(Model):
    word: Text
    meaning: Text


class EasyRead(Model):
    """A page's Easy Read twin: short points, each with a picture."""

    title: Text | None = None
    points: list[EasyReadPoint] = Field(min_length=1)
    hard_words: list[HardWord] = []
    accept: list[PageRule] = []


# --- Risk schemes ----------------------------------------------------------------------------


class RiskLevel(Model):
    name: Text
    description: Text


class LevelScheme(Model):
    """Risks are scored by naming a level, lowest first (Kingston: Low, Moderate, High)."""

    kind: Literal["levels"]
    levels: list[RiskLevel] = Field(min_length=1)


class Band(Model):
    name: Text
    min: int
    max: int


def check_bands_cover_scores(scheme: ProductScheme) -> ProductScheme:
    """The bands cover every score from 1 to the highest, with no gap or overlap."""
    expected = 1
    for band in sorted(scheme.bands, key=lambda b: b.min):
        if band.min != expected:
            raise ValueError(f"band {band.name!r} starts at {band.min}; expected {expected} so bands leave no gap or overlap")
        if band.max < band.min:
            raise ValueError(f"band {band.name!r} ends ({band.max}) before it starts ({band.min})")
        expected = band.max + 1
    top = scheme.scale_max * scheme.scale_max
    if expected - 1 != top:
        raise ValueError(f"bands end at {expected - 1}; they must reach the highest score, {top}")
    return scheme


class ProductScheme(Model):
    """Score = likelihood × impact, each on a 1..scale_max scale; the score falls in a band.
    The words a source uses ("probability", "value") and its names for scale points are optional."""

    kind: Literal["product"]
    scale_max: int = Field(ge=2, le=10)
    bands: list[Band] = Field(min_length=1)
    bands_note: Text | None = None  # where the band thresholds come from, e.g. when the source omits them
    likelihood_label: Text = "likelihood"
    score_label: Text = "score"
    likelihood_names: dict[int, Text] = {}
    impact_names: dict[int, Text] = {}

    @model_validator(mode="after")
    def _bands_cover_scores(self) -> "ProductScheme":
        return check_bands_cover_scores(self)


class GridLevel(Model):
    name: Text
    code: Text  # the letter used in the grid's cells, e.g. H
    response: Text | None = None


def check_grid_is_complete(scheme: LookupGridScheme) -> LookupGridScheme:
    """The grid has a cell for every row and column, each a level's code."""
    codes = {level.code for level in scheme.levels}
    if len(scheme.cells) != len(scheme.rows):
        raise ValueError(f"the grid has {len(scheme.cells)} rows of cells for {len(scheme.rows)} rows")
    for row, cells in zip(scheme.rows, scheme.cells):
        if len(cells) != len(scheme.columns):
            raise ValueError(f"row {row!r} has {len(cells)} cells for {len(scheme.columns)} columns")
        unknown = [c for c in cells if c not in codes]
        if unknown:
            raise ValueError(f"row {row!r} uses {unknown[0]!r}, which is not a level code ({', '.join(sorted(codes))})")
    return scheme


class LookupGridScheme(Model):
    """A rating looked up in a grid: a row (likelihood) and a column (severity) name a level.
    Rows are written most likely first, columns least severe first, as the source draws them."""

    kind: Literal["grid"]
    row_label: Text
    column_label: Text
    rows: list[Text] = Field(min_length=1)
    columns: list[Text] = Field(min_length=1)
    levels: list[GridLevel] = Field(min_length=1)  # lowest first
    cells: list[list[Text]] = Field(min_length=1)  # one list of level codes per row

    @model_validator(mode="after")
    def _grid_is_complete(self) -> "LookupGridScheme":
        return check_grid_is_complete(self)


class WordsScheme(Model):
    """Likelihood and impact each given as a word (High, Medium, Low) with no combined score: the
    site shows the pair as written, and invents no score, band or order between pairs."""

    kind: Literal["words"]
    likelihood: list[Text] = Field(min_length=1)  # the words the source allows for likelihood
    impact: list[Text] = Field(min_length=1)  # and for impact


RiskScheme = Annotated[Union[LevelScheme, ProductScheme, LookupGridScheme, WordsScheme], Field(discriminator="kind")]


class LevelRating(Model):
    level: Text


class ProductRating(Model):
    likelihood: int = Field(ge=1)
    impact: int = Field(ge=1)


class GridRating(Model):
    row: Text
    column: Text


class WordsRating(Model):
    likelihood: Text
    impact: Text


def _rating_kind(value: object) -> str:
    """Which rating a risk gives, from its keys, so a mistake is reported against one form only."""
    if isinstance(value, dict):
        if "row" in value or "column" in value:
            return "grid"
        if isinstance(value.get("likelihood"), str) or isinstance(value.get("impact"), str):
            return "words"
        return "product" if "likelihood" in value or "impact" in value else "level"
    kinds: dict[type, str] = {LevelRating: "level", ProductRating: "product", GridRating: "grid", WordsRating: "words"}
    return kinds.get(type(value), "level")


RiskRating = Annotated[
    Union[
        Annotated[LevelRating, Tag("level")],
        Annotated[ProductRating, Tag("product")],
        Annotated[GridRating, Tag("grid")],
        Annotated[WordsRating, Tag("words")],
    ],
    Discriminator(_rating_kind),
]


# --- Workstreams -----------------------------------------------------------------------------


class Reviewed(Model):
    """Who looks after an item, and when it was and should next be reviewed (see src/clearplan/checks/review.py)."""

    owner: Text | None = None  # a role, like the leads
    last_reviewed: dt.date | None = None
    review_by: dt.date | None = None


class Lead(Model):
    role: Text
    organisation: Slug | None = None
    name: Text | None = None


class ActivityStatus(str, Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    on_hold = "on_hold"


class Activity(Model):
    id: Slug
    text: Text
    lead: Text | None = None
    status: ActivityStatus = ActivityStatus.planned
    due: PlanDate | None = None
    when: SourceDate | None = None  # when, as the source writes it ("Aug – March", "within 12 weeks of ...")
    serves: list[Slug] = []  # ids of the plan's principles or themes this serves


class ActivityGroup(Model):
    title: Text | None = None
    activities: list[Activity] = Field(min_length=1)


def check_target_fields(target: Target) -> Target:
    """A target has a value exactly when its kind needs one, and text exactly when it is text."""
    needs_value = target.kind in ("percent", "count", "count_per_year")
    if needs_value and target.value is None:
        raise ValueError(f"a {target.kind} target needs a value")
    if not needs_value and target.value is not None:
        raise ValueError(f"a {target.kind} target takes no value")
    if (target.kind == "text") != (target.text is not None):
        raise ValueError("text goes with kind: text, and only with it")
    return target


class Target(Model):
    """A measure's target as the plan states it."""

    kind: Literal["percent", "count", "count_per_year", "better_than_previous_year", "tbc", "text"]
    value: PlanNumber | None = None
    direction: Literal["at_least", "at_most"] = "at_least"
    text: Text | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> "Target":
        return check_target_fields(self)


class Reading(Model):
    date: dt.date
    value: PlanNumber


class Measure(Reviewed):
    id: Slug
    name: Text
    target: Target
    baseline: Reading | None = None
    actuals: list[Reading] = []
    serves: list[Slug] = []


class Risk(Reviewed):
    id: Slug
    title: Text
    impact: Text | None = None  # what could happen, when the source says it apart from the title
    strategy: Literal["mitigate", "accept", "avoid", "transfer"] | None = None
    actions: list[Text] = []
    rating: RiskRating | None = None  # left out when the source gives none: the site says "Not rated"
    serves: list[Slug] = []


class Impact(Model):
    """An expected effect of a workstream, tagged as the source tags it."""

    text: Text
    kind: Literal["cost_avoidance", "cashable"] | None = None


class Workstream(Reviewed):
    id: Slug
    number: int | None = Field(default=None, ge=0)
    title: Text
    summary: Text
    leads: list[Lead] = []
    objectives: list[Text] = []
    children_say: list[Text] = []
    families_say: list[Text] = []
    work_with_families: list[Text] = []
    activity_groups: list[ActivityGroup] = []
    measures: list[Measure] = []
    risks: list[Risk] = []
    deliverables: list[Text] = []
    success_measures: list[Text] = []  # measures in words, without targets
    impacts: list[Impact] = []
    space: Literal["controllable", "influenceable"] | None = None
    figures: list["FigureDefinition"] = []
    tables: list["FigureTable"] = []
    easy_read: EasyRead | None = None


# --- Finance ---------------------------------------------------------------------------------

MoneyUnit = Literal["£", "£'000", "£m"]


class HistoryYear(Model):
    year: FinancialYear
    income: PlanNumber
    expenditure: PlanNumber
    other_underspend: PlanNumber = Decimal(0)
    note: Text | None = None
    stated_in_year: PlanNumber | None = None
    stated_cumulative: PlanNumber | None = None

    _check_year = field_validator("year")(check_financial_year)


class History(Model):
    """High Needs Block income and spending in past years. Positive figures are money in or out;
    the balance is negative when spending exceeds income (an overspend)."""

    unit: MoneyUnit
    opening_balance: PlanNumber
    years: list[HistoryYear] = Field(min_length=1)


def check_growth_start(value: int) -> int:
    """At most 1,000,000 EHCPs: compounded over the forecast, larger figures overflow the exact arithmetic."""
    if value > 1_000_000:
        raise ValueError(f"a start of {value:,} EHCPs is not plausible; write at most 1,000,000")
    return value


def check_growth_percent(value: Decimal) -> Decimal:
    """Growth from -100% to 100% a year."""
    if not -100 <= value <= 100:
        raise ValueError(f"growth of {value}% a year is not plausible; write a percentage from -100 to 100")
    return value


class Growth(Model):
    start_value: int = Field(ge=0)
    annual_percent: PlanNumber
    rounding: Literal["down", "half_up"]

    @field_validator("start_value")
    @classmethod
    def _plausible_start(cls, value: int) -> int:
        return check_growth_start(value)

    @field_validator("annual_percent")
    @classmethod
    def _plausible_growth(cls, value: Decimal) -> Decimal:
        return check_growth_percent(value)


class ForecastYear(Model):
    year: FinancialYear
    spend: PlanNumber
    funding_gap: PlanNumber
    stated_ehcps: int | None = None
    stated_average_spend: PlanNumber | None = None
    stated_cumulative_gap: PlanNumber | None = None

    _check_year = field_validator("year")(check_financial_year)


class Forecast(Model):
    """A forecast by year. EHCP numbers follow the growth rule from the first year; the
    cumulative gap starts from the history's closing balance."""

    unit: MoneyUnit
    ehcp_growth: Growth
    basis: Text
    years: list[ForecastYear] = Field(min_length=1, max_length=50)


class Opportunity(Model):
    number: int = Field(ge=1)
    text: Text
    workstream: Slug


class CostLine(Model):
    """One line of a cost plan: an amount per year; the line's total is computed."""

    id: Slug
    item: Text
    rationale: Text
    amounts: dict[FinancialYear, PlanNumber]  # years with no cost are left out
    note: Text | None = None
    stated_total: PlanNumber | None = None


class CostPlan(Model):
    """Costs by year. Line totals, year totals and the grand total are computed; totals the source
    states are recorded to be compared with them."""

    unit: MoneyUnit = "£"
    years: list[Annotated[FinancialYear, AfterValidator(check_financial_year)]] = Field(min_length=1)  # each year's error at its line
    lines: list[CostLine] = Field(min_length=1)
    stated_year_totals: dict[FinancialYear, PlanNumber] = {}
    stated_grand_total: PlanNumber | None = None


def check_amount_or_uplift(figure: ContingencyFigure) -> ContingencyFigure:
    """An amount, or an uplift's alternative and base: one of the two, whole."""
    uplift = figure.alternative is not None or figure.base is not None
    if uplift and (figure.alternative is None or figure.base is None):
        raise ValueError("an uplift needs both alternative and base")
    if uplift == (figure.amount is not None):
        raise ValueError("write either amount, or alternative and base for an uplift")
    return figure


class ContingencyFigure(Model):
    """A contingency amount: either written as an `amount`, or an uplift computed as
    `alternative` (the dearer option's cost) minus `base` (the cost already in the plan)."""

    amount: PlanNumber | None = None
    alternative: PlanNumber | None = None
    base: PlanNumber | None = None
    label: Text | None = None  # e.g. "Uplift for 9 months' consultancy"
    stated: PlanNumber | None = None

    @model_validator(mode="after")
    def _amount_or_uplift(self) -> "ContingencyFigure":
        return check_amount_or_uplift(self)


class ContingencyItem(Model):
    id: Slug
    item: Text
    rationale: Text
    high: ContingencyFigure
    low: ContingencyFigure


class Contingency(Model):
    unit: MoneyUnit = "£"
    summary: Text | None = None
    items: list[ContingencyItem] = Field(min_length=1)
    stated_high_total: PlanNumber | None = None
    stated_low_total: PlanNumber | None = None


# --- Figures and tables of figures (see src/clearplan/figures/graph.py and src/clearplan/figures/figure_tables.py) ---------

FIGURE_ID = r"^[a-z][a-z0-9_]{0,59}$"


def check_figure_id(value: str) -> str:
    if not re.fullmatch(FIGURE_ID, value):
        raise ValueError(f"expected an id of lower-case letters, digits and _ starting with a letter (like 'day_rate'), got {value!r}")
    return value


# Ids in formulas: `-` would read as minus, so figure ids use `_`.
FigureId = Annotated[str, AfterValidator(check_figure_id), WithJsonSchema({"type": "string", "pattern": FIGURE_ID, "examples": ["day_rate"]})]
# `£`, `£'000` or `£m` for money; any other word is what the figure counts (posts, places, plans, days).
FIGURE_UNIT = r"^(£|£'000|£m|[a-z][a-z -]{0,29})$"


def check_figure_unit(value: str) -> str:
    if not re.fullmatch(FIGURE_UNIT, value):
        raise ValueError(f"expected £, £'000 or £m for money, or what the figure counts in lower-case words (posts, places, plans), got {value!r}")
    return value


FigureUnit = Annotated[
    str, AfterValidator(check_figure_unit), WithJsonSchema({"type": "string", "pattern": FIGURE_UNIT, "examples": ["£", "£'000", "£m", "posts"]})
]


# A number as the document writes it, or an expression over other figures ("rate * days", "total * 30%").
def read_amount(value: object) -> Decimal | str:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return check_plan_number(Decimal(value))
    if isinstance(value, str) and value.strip() and len(value) <= 500:
        return value.strip()
    raise ValueError(f'expected a number, or a formula in quotes (like "rate * days"), got {value!r}')


Amount = Annotated[
    Union[PlanNumber, str],
    PlainValidator(read_amount),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "examples": ["rate * days"]}]}),
]
Rounding = Literal["half_up", "down"]


def check_value_or_formula(figure: FigureDefinition) -> FigureDefinition:
    """A figure is entered or worked out, not both."""
    if (figure.value is None) == (figure.formula is None):
        raise ValueError("write either value (as entered) or formula (worked out from other figures)")
    return figure


class FigureDefinition(Model):
    """One figure: a value as entered, or a formula over other figures. `stated` is what the
    document says it is; `up_to` is a cap the figure must not exceed."""

    id: FigureId
    label: Text
    unit: FigureUnit
    precision: int = Field(default=0, ge=0, le=6)  # decimal places, in the figure's unit
    rounding: Rounding = "half_up"
    value: PlanNumber | None = None
    formula: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    per: Text | None = None  # "day": an input shown as "£450 a day"
    stated: PlanNumber | None = None
    up_to: PlanNumber | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _value_or_formula(self) -> "FigureDefinition":
        return check_value_or_formula(self)


def check_year_or_label(column: TableColumn) -> TableColumn:
    """A column has a year or a label, and `onwards` only with a year."""
    if (column.year is None) == (column.label is None):
        raise ValueError("a column has either a year (like 2024/25) or a label")
    if column.onwards and column.year is None:
        raise ValueError("onwards: true goes with a year")
    return column


class TableColumn(Model):
    """A column: a financial year (`2024/25`, with `onwards: true` for every later year too) or
    any other heading (`label: High`). Cells name it by its id, its year or its label."""

    id: FigureId | None = None  # default: y2024_25 for a year, the label in lower case otherwise
    year: FinancialYear | None = None
    label: Text | None = None
    onwards: bool = False  # the amount recurs every year from this one ("2024/25 onwards")
    part_year: Text | None = None  # e.g. "six months, October to March"

    _check_year = field_validator("year")(lambda v: check_financial_year(v) if v is not None else v)

    @model_validator(mode="after")
    def _year_or_label(self) -> "TableColumn":
        return check_year_or_label(self)


def _column_shorthand(value: object) -> object:
    """`2024/25` or `2024/25 onwards` as a column; anything else is left for the model to judge."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(" onwards"):
            return {"year": text[: -len(" onwards")].strip(), "onwards": True}
        return {"year": text} if FINANCIAL_YEAR.match(text) else {"label": text}
    return value


def _columns_schema(schema: dict) -> None:
    """Editors accept a column written as text (`2024/25`, `2024/25 onwards`, `High`) or as a mapping."""
    schema["items"] = {"anyOf": [{"type": "string", "examples": ["2024/25", "2024/25 onwards"]}, schema["items"]]}


class TableInput(Model):
    """An input a row's formula uses, shown to the reader: {value: 450, unit: £, per: day}."""

    value: PlanNumber
    unit: FigureUnit
    per: Text | None = None
    label: Text | None = None


class TableRow(Model):
    """A line of a table. Cells are entered values or formulas by column; `formula` fills every
    column not given in `cells`. `stated` and `up_to` take a column, or `total`, as key."""

    id: FigureId
    item: Text
    note: Text | None = None
    saving: Literal["cashable", "cost_avoidance"] | None = None  # savings tables only
    inputs: dict[FigureId, TableInput] = {}
    cells: dict[str, Amount] = {}
    formula: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    stated: dict[str, PlanNumber] = {}
    up_to: dict[str, PlanNumber] = {}


class TableSplit(Model):
    """Who gains from a savings table's total: a share of each column (core budget 30%, DSG 70%)."""

    id: FigureId
    label: Text
    share: PlanNumber = Field(gt=0, le=100)  # per cent
    stated: dict[str, PlanNumber] = {}


class TableTotal(Model):
    label: Text = "Total"
    stated: dict[str, PlanNumber] = {}
    up_to: dict[str, PlanNumber] = {}


class FigureTable(Model):
    """A table of figures: rows of line items by column. Each row's total, each column's total
    and the grand total are worked out; anything the document states is checked against them."""

    id: FigureId
    title: Text
    kind: Literal["costs", "savings", "funding", "summary", "other"] = "costs"
    workstream: Slug | None = None  # in finance.yaml: the workstream it belongs to
    unit: FigureUnit = "£"
    precision: int = Field(default=0, ge=0, le=6)
    rounding: Rounding = "half_up"
    columns: list[TableColumn] = Field(min_length=1, json_schema_extra=_columns_schema)
    rows: list[TableRow] = Field(min_length=1)

    _read_columns = field_validator("columns", mode="before")(
        lambda columns: [_column_shorthand(c) for c in columns] if isinstance(columns, list) else columns
    )
    total_column: bool = True
    total_row: TableTotal = TableTotal()
    splits: list[TableSplit] = []
    note: Text | None = None


def check_value_or_cap(statement: FigureStatement) -> FigureStatement:
    """A statement gives a value or a cap, not both."""
    if (statement.value is None) == (statement.up_to is None):
        raise ValueError("write either value (what the document states) or up_to (a cap it states)")
    return statement


class FigureStatement(Model):
    """A figure stated again elsewhere in the document (`value`), or a cap on it (`up_to`)."""

    figure: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", examples=["ws1_costs.total"])]
    value: PlanNumber | None = None
    up_to: PlanNumber | None = None
    where: Text

    @model_validator(mode="after")
    def _value_or_cap(self) -> "FigureStatement":
        return check_value_or_cap(self)


def check_forecast_has_history(finance: Finance) -> Finance:
    """A forecast starts from the history's closing balance, so it needs one."""
    if finance.forecast is not None and finance.history is None:
        raise ValueError("a forecast needs a history: its funding gap starts from the history's closing balance")
    return finance


class Finance(Model):
    """Money. Every section is optional: a plan has the sections its source has."""

    summary: Text
    history: History | None = None
    forecast: Forecast | None = None
    cost_plan: CostPlan | None = None
    contingency: Contingency | None = None
    opportunities: list[Opportunity] = []
    figures: list[FigureDefinition] = []
    tables: list[FigureTable] = []
    statements: list[FigureStatement] = []
    easy_read: EasyRead | None = None
    figures_check_easy_read: EasyRead | None = None  # the Figures check page checks finance figures

    @model_validator(mode="after")
    def _forecast_needs_history(self) -> "Finance":
        return check_forecast_has_history(self)


# --- You said, we did ------------------------------------------------------------------------


class Gathered(Model):
    """When and how a view was gathered. `before: true` when only a latest date is known."""

    date: PlanDate
    before: bool = False
    how: Text


class YouSaidResponse(Model):
    """What we will do, or have done, about what was said, and the activities it changed."""

    text: Text
    status: ActivityStatus
    date: PlanDate
    activities: list[Slug] = []


class YouSaidEntry(Model):
    """One comment on the Local Offer, paraphrased, from a group (never a named person), and the
    response, as the SEND Code of Practice asks councils to publish. No response until the plan
    states an action that answers it."""

    id: Slug
    theme: Text
    said: Text
    who: Literal["children_and_young_people", "families", "schools"]
    gathered: Gathered
    added: dt.date
    response: YouSaidResponse | None = None


# --- Facts, programme, equality impact -------------------------------------------------------


class Fact(Model):
    """A figure as the source states it, with where it says so. The same `key` stated with
    different values is reported by the check."""

    key: Slug
    label: Text
    value: Text  # as stated, e.g. "£19.7m over three years"
    source: Text  # where, e.g. "Business case, summary box"
    headline: bool = False


class EnablingActivity(Model):
    letter: Annotated[str, Field(pattern=r"^[a-z]$")]
    title: Text
    text: Text


class Term(Model):
    name: Text
    start: MonthDate
    end: MonthDate


class TimelineRow(Model):
    """One bar of a programme plan. Leave out `end` when the source does not give it."""

    label: Text
    workstream: Slug | None = None
    start: MonthDate
    end: MonthDate | None = None
    basis: Text | None = None  # how the months were read from the source


class Timeline(Model):
    title: Text
    start: MonthDate
    end: MonthDate
    terms: list[Term] = []
    rows: list[TimelineRow] = Field(min_length=1)


class Milestone(Model):
    text: Text
    when: SourceDate


class MilestoneGroup(Model):
    title: Text
    starts: SourceDate | None = None  # a phase's start, as stated
    milestones: list[Milestone] = Field(min_length=1)


class Programme(Model):
    """When the work happens: the high-level timeline and the milestones."""

    timeline: Timeline | None = None
    milestone_groups: list[MilestoneGroup] = []


class GroupConsidered(Model):
    name: Text
    protected: bool  # a protected characteristic under the Equality Act 2010


class ImpactOn(Model):
    who: Text
    positive: list[Text] = []
    negative: list[Text] = []


class EqualityAction(Model):
    """A disproportionate negative impact, rated on the equality scheme, and what is done about it."""

    impact: Text
    groups: list[Text] = Field(min_length=1)
    rating: GridRating
    action: Text
    who: Text | None = None
    when: Text | None = None


class EqualityImpact(Model):
    summary: Text
    # What the assessment concluded, only as it says: with none, the page claims no finding.
    conclusion: Literal["no_disproportionate_negative_impact", "to_be_completed"] | None = None
    assessed_by: Lead | None = None
    approved_by: Lead | None = None
    affected: list[Text] = []
    groups_considered: list[GroupConsidered] = []
    impacts: list[ImpactOn] = []
    scheme: LookupGridScheme | None = None
    actions: list[EqualityAction] = []


Workstream.model_rebuild()


# --- Glossary and plan -----------------------------------------------------------------------


class GlossaryTerm(Model):
    term: Text
    stands_for: Text | None = None
    meaning: Text


class EasyReadCheck(Model):
    checked_by: Text | None = None
    date: dt.date | None = None


DocumentKind = Literal["plan", "strategy", "business_case", "funding_bid", "committee_report", "cabinet_report", "progress_report"]
PlanStatus = Literal["draft", "for_consultation", "published", "approved", "superseded", "withdrawn"]


class Sponsor(Model):
    role: Text
    name: Text | None = None


class Implications(Model):
    """A report's implications, each in the report's words."""

    financial: Text | None = None
    legal: Text | None = None
    equality: Text | None = None


class Report(Model):
    """A committee or cabinet report's facts. Every field is optional: the site shows what is stated."""

    decision_body: Text | None = None  # e.g. Children and Young People Committee
    meeting_date: PlanDate | None = None
    purpose: Literal["for_decision", "for_information"] | None = None
    key_decision: bool | None = None
    exempt_until: PlanDate | None = None  # when exempt information may be published
    recommendations: list[Text] = []
    implications: Implications | None = None
    sponsors: list[Sponsor] = []


class Plan(Model):
    title: Text
    council: Slug
    organisations: list[Organisation] = Field(min_length=1)
    authors: list[Slug] = []  # ids of the organisations that wrote the document, when it says so
    kind: DocumentKind | None = None
    report: Report | None = None
    period: Period | None = None
    status: PlanStatus | None = None
    version: Version
    release: Release | None = None
    contact: Contact | None = None
    summary: Text
    audience: Text | None = None
    vision: Text | None = None
    principles: list[Principle] = []
    outcomes: list[Text] = []
    themes: list[ThemeEntry] = []
    values: list[NamedText] = []
    governance: list[GovernanceBody] = []
    enabling_activities: list[EnablingActivity] = []
    risk_scheme: RiskScheme
    easy_read: EasyRead | None = None
    # The Measures and Risks pages gather every workstream's measures and risks: their Easy Read
    # sits here, beside the risk scheme, rather than in any one workstream.
    measures_easy_read: EasyRead | None = None
    risks_easy_read: EasyRead | None = None
    easy_read_check: EasyReadCheck = EasyReadCheck()


# --- Accessibility statement (data/accessibility.yaml) ---------------------------------------


class AccessibilityIssue(Model):
    """Content that does not yet meet WCAG 2.2 AA, with the success criterion it fails."""

    problem: Text
    criterion: Annotated[str, Field(pattern=r"^[1-4]\.[0-9]{1,2}\.[0-9]{1,2} \S.*$", examples=["4.1.3 Status Messages"])]
    fix_by: PlanDate | None = None


class AccessibilityTesting(Model):
    date: dt.date
    by: Text
    how: Text


class AccessibilityContact(Model):
    email: Email
    phone: Text | None = None
    reply_days: int = Field(ge=1, le=60)


def check_issues_fit_compliance(statement: AccessibilityStatement) -> AccessibilityStatement:
    """The issues fit the compliance stated, and the review is not before the statement."""
    if statement.compliance == "full" and statement.issues:
        raise ValueError("a fully compliant site lists no issues; use compliance: partial")
    if statement.compliance != "full" and not statement.issues:
        raise ValueError(f"compliance: {statement.compliance} needs the issues that stop the site meeting WCAG 2.2 AA")
    if statement.last_reviewed < statement.prepared:
        raise ValueError(f"last_reviewed ({statement.last_reviewed}) is before prepared ({statement.prepared})")
    return statement


class AccessibilityStatement(Model):
    """The facts of the site's accessibility statement; the legal wording is in the page template."""

    website: Text
    run_by: Slug
    compliance: Literal["full", "partial", "none"]
    issues: list[AccessibilityIssue] = []
    out_of_scope: list[Text] = []
    improving: list[Text] = []
    tested: AccessibilityTesting
    prepared: dt.date
    last_reviewed: dt.date
    contact: AccessibilityContact

    @model_validator(mode="after")
    def _issues_fit_compliance(self) -> "AccessibilityStatement":
        return check_issues_fit_compliance(self)


class PlanData(BaseModel):
    """Everything under `data/`, validated: what the computation and rendering work from."""

    model_config = ConfigDict(extra="forbid")

    plan: Plan
    workstreams: list[Workstream]
    finance: Finance | None = None
    glossary: list[GlossaryTerm] = []
    you_said: list[YouSaidEntry] = []
    accessibility: AccessibilityStatement | None = None
    risks: list[Risk] = []  # risks to the whole plan, from risks.yaml
    facts: list[Fact] = []
    programme: Programme | None = None
    equality: EqualityImpact | None = None
