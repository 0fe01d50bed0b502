"""Content formats: GIFT question banks, lesson files, Markdown and HTML rendering."""
