"""The plan's data: the model, reading YAML with its lines, schemas, dates, problems."""
