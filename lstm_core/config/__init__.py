"""The experiment's settings: one table of fields (bounds, help, link name) and the presets."""
