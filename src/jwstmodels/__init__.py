"""jwstmodels: statically typed data models for James Webb Space Telescope data."""
