"""Layout checks of a printed document (issue 17 §6): the HTML it was rendered from says which table
rows and headers there are; the PDF (pdfplumber: ruled tables, each character's position) says where
they landed. :func:`layout_problems` lists, in words:

- a table row that is not whole on one page (a PDF row that is not exactly one row of the HTML, or a
  row of the HTML found on no page);
- a continuation page whose table fragment does not start with the table's header row;
- a word broken over lines inside its cell (a column narrower than its longest word: 合格 stacked
  one character per line) — words are the whitespace-separated tokens of a cell, ASCII ones up to
  :data:`MAX_ASCII_WORD` characters and those with Chinese up to :data:`MAX_CJK_WORD` characters
  (longer Chinese runs are prose and may wrap);
- a page without ``第 N 页`` and ``共 M 页``.

Ruled boxes that are not tables of the HTML (KPI tiles, headings with a rule, the colour grid) match
no HTML row and are ignored; a table whose rows are all lost is still caught (its rows are found on
no page). Tables without rules (``class="meta"``, the cover's) are not checked.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pdfplumber

MAX_ASCII_WORD = 20
MAX_CJK_WORD = 5
_CJK = re.compile(r"[\u3400-\u9fff]")
_WS = re.compile(r"\s+")


def squeeze(text: str | None) -> str:
    return _WS.sub("", text or "")


@dataclass
class HtmlTable:
    header: list[list[str]] = field(default_factory=list)  # thead rows (cell texts, whitespace collapsed)
    body: list[list[str]] = field(default_factory=list)
    ruled: bool = True


class _Tables(HTMLParser):
    """Every <table>'s rows (thead apart) with each cell's text, whitespace collapsed; <caption> skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[HtmlTable] = []
        self._stack: list[HtmlTable] = []
        self._in_head = self._in_caption = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append(HtmlTable())
            self._stack[-1].ruled = "meta" not in (dict(attrs).get("class") or "").split()
        elif tag == "thead":
            self._in_head = True
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "thead":
            self._in_head = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_WS.sub(" ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._stack:
            (self._stack[-1].header if self._in_head else self._stack[-1].body).append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_caption:
            self._cell.append(data)


def html_tables(html: str) -> list[HtmlTable]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _key(cells: list[str | None]) -> tuple[str, ...]:
    return tuple(squeeze(c) for c in cells if c is not None)


def words_of(cell: str) -> list[str]:
    """The tokens of a cell that must not break over lines (see the module docstring)."""
    out = []
    for token in cell.split():
        limit = MAX_CJK_WORD if _CJK.search(token) else MAX_ASCII_WORD
        if len(token) <= limit:
            out.append(token)
    return out


def layout_problems(html: str, pdf: bytes, *, min_pages: int = 1) -> tuple[list[str], dict]:
    """(problems in words, facts: pages, continued tables) of the PDF rendered from ``html``."""
    tables = [t for t in html_tables(html) if t.ruled]
    expected: dict[tuple[str, ...], list[tuple[int, bool, list[str]]]] = {}
    for ti, t in enumerate(tables):
        for row in t.header:
            expected.setdefault(_key(row), []).append((ti, True, row))
        for row in t.body:
            expected.setdefault(_key(row), []).append((ti, False, row))
    problems: list[str] = []
    seen: set[tuple[str, ...]] = set()
    pages_of_table: dict[int, list[tuple[int, bool]]] = {}  # table → [(page, fragment starts with header)]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        n = len(doc.pages)
        if n < min_pages:
            problems.append(f"only {n} pages (expected at least {min_pages})")
        for pno, page in enumerate(doc.pages, start=1):
            text = squeeze(page.extract_text())
            if f"第{pno}页" not in text or f"共{n}页" not in text:
                problems.append(f"page {pno}: no page number 第 {pno} 页 / 共 {n} 页")
            for table in page.find_tables():
                rows = table.extract()
                if max((len(r) for r in rows), default=0) < 2:
                    continue  # a bordered box, not a table
                if not any(_key(row) in expected for row in rows):
                    continue  # a ruled box, not a table of the HTML
                first = True
                for row in rows:
                    key = _key(row)
                    if not any(key):
                        continue
                    matches = expected.get(key)
                    if not matches:
                        problems.append(f"page {pno}: row not whole on this page: {[c for c in row if c is not None]}")
                        first = False
                        continue
                    seen.add(key)
                    ti, is_header, html_row = matches[0]
                    if first:
                        pages_of_table.setdefault(ti, []).append((pno, is_header))
                        first = False
                    cells = [c for c in row if c is not None]
                    for html_cell, pdf_cell in zip(html_row, cells, strict=False):
                        lines = [squeeze(line) for line in (pdf_cell or "").split("\n")]
                        for word in words_of(html_cell):
                            if not any(word in line for line in lines):
                                problems.append(f"page {pno}: {word!r} broken over lines in its cell "
                                                f"{pdf_cell!r} (column narrower than the word)")
    for key in expected:
        if any(key) and key not in seen:
            problems.append(f"row found on no page (split or lost): {list(key)}")
    continued = {}
    for ti, frags in pages_of_table.items():
        pages = sorted({p for p, _ in frags})
        if len(pages) > 1:
            continued[ti] = pages
        if tables[ti].header:
            for pno, starts_with_header in frags:
                if not starts_with_header:
                    problems.append(f"page {pno}: table {ti} continues without its header row {tables[ti].header[0]}")
    return problems, {"pages": n, "continued": continued}


def cell_texts(pdf: bytes) -> list[str]:
    """Every ruled table cell's text of the PDF, whitespace removed (a wrapped cell reads whole)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [squeeze(cell) for page in doc.pages for table in page.find_tables() for row in table.extract()
                for cell in row if cell]


def table_rows(pdf: bytes) -> list[list[str]]:
    """Every ruled table row of the PDF, page by page: its cells' texts, whitespace removed (merged cells left out)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[squeeze(c) for c in row if c is not None] for page in doc.pages for table in page.find_tables()
                for row in table.extract()]
