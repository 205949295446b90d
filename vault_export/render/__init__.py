"""Stage 3, rendering: a `Note` becomes the text of its file (front matter, summary callout, body),
in worker processes when the run is big enough. The HTML body is converted by `vault_export.convert`."""
