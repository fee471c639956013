"""The site's view of the plan, its renderer, and the templates it renders."""
