"""The interactive Textual walkthrough (``release-assistant`` / ``release-assistant tui``).

Screens are thin: they call ``release_assistant.core`` from workers and render its results.
"""
