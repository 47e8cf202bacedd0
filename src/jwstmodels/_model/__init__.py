"""DataModel and the operations it delegates (schema extension, update, FITS WCS, DQ bits, pickling)."""
