"""Small support modules with no domain: bounded file reading, TOML line marks."""
