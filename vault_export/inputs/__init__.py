"""Stage 1, inputs: find the sources' files, decode them, fetch feed URLs, and read each input into
`Note` records with the reader for its format."""
