"""The trusted publisher on the package index: its form rules and the setup checklist."""
