"""Files with every kind of content a model keeps (arrays, items, history, extra_fits, unknown HDUs and tree
entries), and a plain summary of a model for comparing two of them; used by the pickling, thread and
distributed tests (the summary is also computed in spawned processes, so it lives in an importable module)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np

import jwstmodels
from jwstmodels import DataModel, MetaNode

SHAPE = (32, 40)


def image_model(salt: int = 0, shape: tuple[int, int] = SHAPE) -> jwstmodels.ImageModel:
    size = shape[0] * shape[1]
    model = jwstmodels.ImageModel(data=np.arange(size, dtype=np.float32).reshape(shape) + salt)
    model.dq = (np.arange(size, dtype=np.uint32).reshape(shape) * 7 + salt) % 1024
    model.err = np.full(shape, 0.25 + salt, dtype=np.float32)
    model.var_poisson = np.linspace(0, 1, size, dtype=np.float32).reshape(shape)
    model.meta.exposure.nframes = 4 + salt
    model.meta.instrument.name = "NIRCAM"
    model.meta.observation.program_number = f"{1234 + salt:05d}"
    model.meta.exposure.exposure_time = 10.5 * (salt + 1)
    model.meta.exposure.zero_frame = salt % 2 == 0
    model.add_history_entry(f"made by the tests ({salt})", software={"name": "tests", "version": "1"})
    model.extra_fits["PRIMARY"] = [("MYCARD", 7 + salt, "a card the schema does not name")]
    return model


def multislit_model(slits: int = 3) -> jwstmodels.MultiSlitModel:
    multi = jwstmodels.MultiSlitModel()
    multi.meta.instrument.name = "NIRSPEC"
    multi.meta.exposure.nframes = 2
    for index in range(slits):
        slit = jwstmodels.SlitModel(data=np.full((5, 6), index, dtype=np.float32))
        slit.dq = np.full((5, 6), index + 1, dtype=np.uint32)
        slit.wavelength = np.linspace(1, 2, 30, dtype=np.float32).reshape(5, 6) + index
        slit.name = f"S{index}"
        slit.source_id = 10 + index
        multi.slits.append(slit)
    return multi


def write_image(folder: Path, suffix: str, salt: int = 0, name: str = "image") -> Path:
    """An ImageModel file with an HDU (FITS) or a tree entry (ASDF) the schema does not describe."""
    path = folder / f"{name}{suffix}"
    image_model(salt).save(path)
    if suffix == ".fits":
        from astropy.io import fits

        fits.append(path, np.arange(12, dtype=np.int16).reshape(3, 4), fits.Header([("EXTNAME", "MYHDU")]))
    else:
        import asdf

        with asdf.open(path) as af:
            tree = dict(af.tree)
            tree["kept_aside"] = {"note": "not in the schema", "block": np.arange(6, dtype=np.int64)}
            asdf.AsdfFile(tree).write_to(path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)
    return path


def write_multislit(folder: Path, suffix: str, slits: int = 3) -> Path:
    path = folder / f"multislit{suffix}"
    multislit_model(slits).save(path)
    return path


def write_reference_image(folder: Path, suffix: str) -> Path:
    """An ImageModel written by the reference implementation (stdatamodels)."""
    from stdatamodels.jwst import datamodels  # pyright: ignore[reportMissingTypeStubs]

    path = folder / f"reference{suffix}"
    theirs: Any = datamodels.ImageModel(SHAPE)  # pyright: ignore[reportUnknownMemberType]
    theirs.data[...] = np.arange(SHAPE[0] * SHAPE[1], dtype=np.float32).reshape(SHAPE)
    theirs.dq = np.full(SHAPE, 3, dtype=np.uint32)
    theirs.meta.exposure.nframes = 5
    theirs.meta.instrument.name = "MIRI"
    theirs.save(str(path))
    theirs.close()
    return path


def summary(model: DataModel[MetaNode]) -> dict[str, Any]:
    """Everything a model holds, as plain values (reads every array)."""
    out: dict[str, Any] = {
        "class": type(model).__name__,
        "meta": model.to_flat_dict(include_arrays=False),
        "history": [entry.model_dump() for entry in model.meta.history],
        "arrays": {name: np.array(getattr(model, name)) for name in model.array_names()},
        "extra_fits": {hdu: list(cards) for hdu, cards in model.extra_fits.items()},
        "extra_hdus": [(str(hdu.name), np.array(hdu.data)) for hdu in model.__jwst_state__.extra_hdus],
        "extra_tree": _plain(model.__jwst_state__.extra_tree),
        "filename": model.filename,
    }
    for name in model.__jwst_layout__.list_fields:
        out[name] = [summary(item) for item in model.__jwst_state__.lists.get(name, [])]
    return out


def _plain(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {str(k): _plain(v) for k, v in tree.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(tree, list):
        return [_plain(v) for v in tree]  # pyright: ignore[reportUnknownVariableType]
    if hasattr(tree, "__array__"):
        return np.array(tree)
    return tree


def assert_same(ours: Any, theirs: Any, where: str = "") -> None:
    """Deep equality of two summaries, arrays compared by value and dtype."""
    if isinstance(ours, dict):
        assert isinstance(theirs, dict), where
        assert ours.keys() == theirs.keys(), where  # pyright: ignore[reportUnknownMemberType]
        for key in ours:  # pyright: ignore[reportUnknownVariableType]
            assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(ours, list | tuple):
        assert isinstance(theirs, list | tuple), where
        assert len(ours) == len(theirs), where  # pyright: ignore[reportUnknownArgumentType]
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):  # pyright: ignore[reportUnknownArgumentType]
            assert_same(a, b, f"{where}[{index}]")
    elif isinstance(ours, np.ndarray):
        assert isinstance(theirs, np.ndarray), where
        assert ours.dtype.newbyteorder("=") == theirs.dtype.newbyteorder("="), where
        np.testing.assert_array_equal(ours, theirs, err_msg=where)
    else:
        assert ours == theirs, where


def unread(model: DataModel[MetaNode]) -> list[str]:
    """Arrays of ``model`` and its items not read yet (``slits[1].data``)."""
    names = sorted(model.__jwst_state__.store.loaders)
    for list_name, items in model.__jwst_state__.lists.items():
        for index, item in enumerate(items):
            names += [f"{list_name}[{index}].{name}" for name in unread(item)]
    return names


def far_side(blob: bytes) -> tuple[list[str], dict[str, Any], bytes]:
    """Run in a spawned process: unpickle a model, note what it had not read, read everything; return that
    list, the summary, and the model pickled again (now holding every array by value)."""
    model: DataModel[MetaNode] = pickle.loads(blob)
    before = unread(model)
    return before, summary(model), pickle.dumps(model)


def write_spec(folder: Path, suffix: str) -> Path:
    """A SpecModel file: one table (``spec_table``), a FITS binary table or an ASDF structured array."""
    path = folder / f"spec{suffix}"
    dtype = jwstmodels.SpecModel.spec_table.dtype
    table = np.zeros(5, dtype=dtype)
    for offset, name in enumerate(dtype.names or ()):
        if dtype[name].kind in "iuf":
            table[name] = np.arange(5) + offset
    model = jwstmodels.SpecModel()
    model.spec_table = table
    model.meta.instrument.name = "NIRSPEC"
    model.save(path)
    return path
