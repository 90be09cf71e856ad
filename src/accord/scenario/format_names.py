"""The scenario file formats Accord reads, importable without the readers (for the command
line's help)."""

FORMATS = ("yaml", "ktab", "ktab-xml", "decide", "table")
