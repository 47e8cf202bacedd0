"""``open``, ``read_metadata``, ``search_schema``, ``ModelContainer``, ``scan`` and ``map``: above the
generated classes."""
