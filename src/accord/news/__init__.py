"""Read the news: clean an article, extract actors, events, dates and quotes, propose updates."""
