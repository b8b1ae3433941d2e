"""A report as plain data (sections of paragraphs, tables and figures) and its two renderings.

The same :class:`Document` is written as one self-contained HTML file (figures inlined as base64
PNG, no script, a Content-Security-Policy that forbids any network access) and as Markdown next
to ``figures/*.png`` and ``tables/*.csv``. Every text that reaches the HTML is escaped here.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class Paragraph:
    """Plain text (no markup)."""

    text: str


@dataclass
class Bullets:
    """A list of plain-text items."""

    items: list[str]


@dataclass
class Table:
    """A table shown formatted (``display``, strings) and saved with full precision (``data``).

    With ``display`` None the table is only saved (``tables/<name>.csv``), not shown.
    """

    name: str
    caption: str
    display: pd.DataFrame | None
    data: pd.DataFrame | None = None


@dataclass
class Figure:
    """A PNG figure with its caption (also its alt text)."""

    name: str
    caption: str
    png: bytes


@dataclass
class Section:
    """A titled section."""

    title: str
    blocks: list[Paragraph | Bullets | Table | Figure] = field(default_factory=list)


@dataclass
class Document:
    """The whole report."""

    title: str
    subtitle: str
    sections: list[Section]

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #111; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #333; margin-top: 2.2rem; }
.subtitle { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0 1.4rem; font-size: 0.92rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3rem 0; }
figure { margin: 1rem 0 1.6rem; } figure img { width: 100%; max-width: 900px; border: 1px solid #ccc; }
figcaption { font-size: 0.92rem; color: #333; }
.wide { overflow-x: auto; }
nav ol { columns: 2; }
@media print { main { max-width: none; } figure, table { break-inside: avoid; } nav { display: none; } }
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def render_html(doc: Document) -> str:
    """One self-contained HTML page: figures as ``data:`` URIs, inline CSS, no script."""
    esc = html.escape
    toc = "".join(f'<li><a href="#s{i}">{esc(s.title)}</a></li>' for i, s in enumerate(doc.sections, 1))
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(doc.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", "<main>",
             f"<h1>{esc(doc.title)}</h1>", f'<p class="subtitle">{esc(doc.subtitle)}</p>',
             f"<nav><ol>{toc}</ol></nav>"]
    for i, section in enumerate(doc.sections, 1):
        parts.append(f'<section id="s{i}"><h2>{esc(section.title)}</h2>')
        parts.extend(_html_block(b) for b in section.blocks if _shown(b))
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _html_block(block) -> str:
    esc = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{esc(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{esc(block.caption)}">'
                f"<figcaption>{esc(block.caption)}</figcaption></figure>")
    head = "".join(f"<th>{esc(str(c))}</th>" for c in block.display.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in block.display.itertuples(index=False))
    return (f'<div class="wide"><table><caption>{esc(block.caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def render_markdown(doc: Document) -> str:
    """Markdown with figures linked from ``figures/`` (text escaped for Markdown, so labels cannot
    inject HTML; see :func:`_md`)."""
    lines = [f"# {_md(doc.title)}", "", _md(doc.subtitle), ""]
    for section in doc.sections:
        lines += [f"## {_md(section.title)}", ""]
        for block in filter(_shown, section.blocks):
            if isinstance(block, Paragraph):
                lines += [_md(block.text), ""]
            elif isinstance(block, Bullets):
                lines += [f"- {_md(item)}" for item in block.items] + [""]
            elif isinstance(block, Figure):
                lines += [f"![{_md(block.caption)}](figures/{block.name}.png)", "", f"*{_md(block.caption)}*",
                          ""]
            else:
                lines += [f"**{_md(block.caption)}** (`tables/{block.name}.csv`)", "",
                          *_md_table(block.display), ""]
    return "\n".join(lines)


def write_document(doc: Document, out: Path) -> Path:
    """Write ``report.html``, ``report.md``, ``figures/*.png`` and ``tables/*.csv`` into ``out``.

    Earlier ``*.png`` in ``figures/`` and ``*.csv`` in ``tables/`` are removed first, so the folder
    never mixes two reports.
    """
    figures, tables = out / "figures", out / "tables"
    for folder, pattern in ((figures, "*.png"), (tables, "*.csv")):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(pattern):
            stale.unlink()
    for fig in doc.figures():
        (figures / f"{fig.name}.png").write_bytes(fig.png)
    for table in doc.tables():
        (table.data if table.data is not None else table.display).to_csv(tables / f"{table.name}.csv",
                                                                          index=False)
    (out / "report.md").write_text(render_markdown(doc), encoding="utf-8")
    (out / "report.html").write_text(render_html(doc), encoding="utf-8")
    return out / "report.html"


def slug(text: str) -> str:
    """A file-name-safe version of a label.

    >>> slug("attack=cautious, monitoring=us_led_tech")
    'attack-cautious-monitoring-us_led_tech'
    """
    return re.sub(r"[^a-z0-9_]+", "-", str(text).lower()).strip("-")[:80] or "all"


def _shown(block) -> bool:
    return not isinstance(block, Table) or block.display is not None


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _md(text: str) -> str:
    r"""Text for Markdown, shown as written: ``< 0.001`` stays as it is, while what a Markdown
    renderer would read as HTML (a tag, a comment, an entity) or a table's cell border is
    backslash-escaped. HTML escapes (``&lt;``) belong to the HTML page only.

    Examples
    --------
    >>> _md("p < 0.001 | a & b")
    'p < 0.001 \\| a & b'
    >>> _md('<img src=x onerror=alert(1)> &amp; </b> <!-- x')
    '\\<img src=x onerror=alert(1)> \\&amp; \\</b> \\<!-- x'
    """
    text = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def _md_table(df: pd.DataFrame) -> list[str]:
    head = "| " + " | ".join(_md(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(_md(_cell(v)) for v in row) + " |" for row in df.itertuples(index=False)]
    return [head, rule, *rows]
