"""release-assistant: safe, boring PyPI releases with Trusted Publishing."""

__version__ = "0.1.0"
