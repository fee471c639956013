"""Changing plan data: spreadsheets in and out, new items, round-trip YAML, versions."""
