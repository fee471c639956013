"""Pure computation: every figure the plan's data implies."""
