"""A one-model user schema folder's schema (a "widget" camera): what `jwstmodels generate` is tried on,
from the checkout (tests/cli) and from an installed wheel (tests/packaging)."""

WIDGET_SCHEMA = """\
%YAML 1.1
---
$schema: http://stsci.edu/schemas/asdf/asdf-schema-1.1.0
id: http://example.org/schemas/widget.schema
title: A widget camera frame
type: object
properties:
  meta:
    type: object
    properties:
      model_type:
        title: Type of data model
        type: string
        fits_keyword: DATAMODL
      widget:
        title: Widget settings
        type: object
        properties:
          speed:
            title: Rotation speed of the widget
            type: number
            fits_keyword: WSPEED
  data:
    title: Widget pixels
    fits_hdu: SCI
    default: 0.0
    ndim: 2
    datatype: float32
"""
