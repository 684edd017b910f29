"""The walkthrough screen's parts, one concern each: its state and rendering (``view``), its
workers, the release in one go (``ship``) and the show-confirm-do dialogs (``plans``)."""
