"""The changelog: discovery of the file and parsing of its dialects."""
