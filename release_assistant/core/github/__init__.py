"""The GitHub REST API, read-only, through the standard library."""
