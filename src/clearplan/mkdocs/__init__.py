"""The MkDocs adapter: the only part of clearplan that imports mkdocs."""
