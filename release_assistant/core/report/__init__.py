"""The report model and its reporters (text, JSON, Markdown, SARIF, GitHub annotations)."""
