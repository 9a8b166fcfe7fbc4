"""The Sphinx extension of the results: the result-table, -provenance, -sentence and -summary.

What each shows is computed by :mod:`results`, which needs no Sphinx.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from results import (
    SENTENCES,
    SUMMARIES,
    load,
    missing,
    provenance_lines,
    table,
    table_lines,
)
from sphinx.util.docutils import SphinxDirective


class _Directive(SphinxDirective):
    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        text = StringList("\n".join(lines).splitlines() or [""], source=self.arguments[0])
        self.state.nested_parse(text, self.content_offset, container)
        return container.children


def _names(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(";")] if text else None


class ResultTable(_Directive):
    required_arguments = 2
    option_spec = {
        "columns": directives.unchanged,
        "rows": directives.unchanged,
        "caption": directives.unchanged,
    }

    def run(self):
        stem, name = self.arguments
        records = table(load(stem), name)
        if not records:
            return self._parse(missing(stem))
        lines = table_lines(
            records,
            _names(self.options.get("columns")),
            _names(self.options.get("rows")),
            self.options.get("caption", ""),
        )
        return self._parse(lines or missing(stem))


class ResultProvenance(_Directive):
    required_arguments = 1

    def run(self):
        return self._parse(provenance_lines(load(self.arguments[0]), self.arguments[0]))


class ResultSentence(_Directive):
    required_arguments = 1

    def run(self):
        text = SENTENCES[self.arguments[0]]()
        return self._parse([text or "*Not measured yet.*", ""])


class ResultSummary(_Directive):
    required_arguments = 1

    def run(self):
        return self._parse(SUMMARIES[self.arguments[0]]() or ["*Not measured yet.*", ""])


def setup(app):
    app.add_directive("result-table", ResultTable)
    app.add_directive("result-provenance", ResultProvenance)
    app.add_directive("result-sentence", ResultSentence)
    app.add_directive("result-summary", ResultSummary)
    return {"parallel_read_safe": True, "version": "2"}
