"""JSON Schemas generated from the model, so published data and its schema cannot drift apart."""

from __future__ import annotations

from typing import Any

from .model import PlanData


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the whole plan as published in data/plan.json (PlanData in JSON form)."""
    schema = PlanData.model_json_schema(mode="serialization")
    # plan.json names its schema in "$schema"; allow that one key beside the model's own.
    schema["properties"]["$schema"] = {"type": "string", "description": "The address of this schema"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Plan data", **schema}
