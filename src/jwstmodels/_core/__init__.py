"""Core: metadata nodes, field descriptors, validation and the file-value policy, errors; the interface
between models and backends (``content``). Imports nothing else of the runtime."""
