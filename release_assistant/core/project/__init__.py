"""The project under release: pyproject.toml, its version sources and our configuration."""
