"""Code generator: YAML schemas -> statically typed pydantic classes (see docs/architecture.md)."""
