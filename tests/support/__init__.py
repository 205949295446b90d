"""Independent readers of an exported vault, and generated inputs, for the tests.

Nothing here imports ``vault_export``: these helpers judge its output the way Obsidian, a YAML 1.2
reader (js-yaml) and markdownlint would, so a bug in the exporter cannot hide in a shared helper.

- ``support.vault_reader``: PyYAML front matter, Obsidian's wikilink resolution, Obsidian's tag rules.
- ``support.node_tools``: js-yaml (YAML 1.2 core schema) and markdownlint-cli2, run with Node.js
  from ``tests/node`` (``npm ci`` on first use).
- ``support.roundtrip``: what a reader sees in HTML and in Markdown rendered as Obsidian shows it
  (markdown-it plus Obsidian's own syntax), and the backslashes whose removal changes nothing.
- ``support.corpus``: synthetic collector notes of every kind, deterministic by seed (also what
  ``benchmarks/bench_export.py`` exports).
"""
