"""The walkthrough's widgets: the step list, the details pane, the status line."""
