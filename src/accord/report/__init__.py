"""Ways to show results: terminal tables, JSON, Markdown, CSV."""
