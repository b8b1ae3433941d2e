"""Design-comparison reports of a sweep (``deterrence-sim-report``): HTML, Markdown, figures, tables.

Reads only the sweep's files through :mod:`deterrence_sim.analysis`; imports neither Mesa nor Hydra.
"""

from deterrence_sim.report.cli import main
from deterrence_sim.report.content import build_document
from deterrence_sim.report.document import Document, render_html, render_markdown, write_document

__all__ = ["Document", "build_document", "main", "render_html", "render_markdown", "write_document"]
