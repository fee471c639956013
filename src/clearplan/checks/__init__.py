"""The check: every rule a plan must meet beyond its shape."""
