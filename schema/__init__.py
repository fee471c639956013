"""The JSON Schemas of the plan's data files (one per kind), generated from the model by
`clearplan schema --write`. Installed as `clearplan.schemas`, so a wheel ships them too."""
