"""Arrays inside tree objects (``Extract1dIFUModel.data.wavelength``): typed and checked by their schema.

An array member of an object outside ``meta`` lives in the ASDF tree, like the object's other members (an
``ObjectField`` of ``numpy.ndarray``). ``TreeArrayField`` adds what top-level arrays (``ArrayField``) have:
the type ``NDArray[np.float32]`` of its schema dtype, and a check on assignment (and on reading) of the
dimensionality and the dtype. An array of another dtype that casts to it safely (as asdf's ``datatype``
validation, and the reference, accept) is converted; anything else is refused with an error naming the
model, the member's place and the expected dtype::

    wavelength = TreeArrayField(np.float32, ndim=1, title="...")
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from jwstmodels._core.objects import ObjectField

NDARRAY_TAG = "tag:stsci.edu:asdf/core/ndarray-1.*"
"""The ASDF tag of the member in files (documentation, as for every ``ObjectField``)."""

DT = TypeVar("DT", bound=np.generic)


class TreeArrayField(ObjectField[NDArray[DT]]):
    """An array member of a tree object: ``NDArray[DT] | None``, of the schema's dtype (and dimensionality,
    when the schema gives one)."""

    def __init__(self, dtype: type[DT], *, ndim: int | None = None, title: str = "") -> None:
        super().__init__("numpy:ndarray", tag=NDARRAY_TAG, title=title)
        self.dtype: np.dtype[DT] = np.dtype(dtype)
        self.ndim = ndim

    def describe(self) -> str:
        dims = f"{self.ndim}-D " if self.ndim is not None else ""
        return f"a {dims}{self.dtype.name} array (or one of a dtype that casts to it safely) or None"

    def check(self, value: object, model: str | None = None) -> NDArray[DT] | None:
        """``value`` as an array of the field's dtype; ValidationError when it is no array, has another
        dimensionality, or a dtype that does not cast safely to the field's."""
        if value is None:
            return None
        if not isinstance(value, np.ndarray) and not hasattr(value, "__array__"):  # asdf's lazy NDArrayType
            return cast("NDArray[DT]", super().check(value, model))  # refused, as any non-array
        array: NDArray[Any] = np.asarray(cast(Any, value))
        shown = f"<{array.ndim}-D {array.dtype.name} array>"
        if self.ndim is not None and array.ndim != self.ndim:
            raise self.error(model, shown)
        if array.dtype != self.dtype:
            if not np.can_cast(array.dtype, self.dtype, "safe"):
                raise self.error(model, shown)
            array = array.astype(self.dtype)
        return cast("NDArray[DT]", array)
