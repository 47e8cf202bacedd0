"""I/O backends: FITS, ASDF, the ASDF extension of FITS files, format sniffing, file sources, atomic
saves. They read and write ``_core.content.FileContent``, never a model."""
