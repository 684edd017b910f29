"""Screens of the walkthrough, one module each."""
