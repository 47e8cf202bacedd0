"""What keeps a type checker's work proportional to the classes a script uses (issue 13; measured by
``benchmarks.catalog_scaling``, row 9-pyright).

Pyright synthesises a pydantic model's ``__init__`` when a script first touches the class. For a field
``x: T = Field(...)`` that does not pass ``init`` and ``kw_only`` it resolves ``Field``'s overloads with the
whole call to learn them, evaluating every argument -- and ``default_factory=Exposure`` makes it synthesise
``Exposure`` in turn, and so the whole metadata tree. With both given as literals it reads them from the
call's text. The generator writes them into every metadata ``Field(...)`` (``codegen.render.FIELD_FLAGS``);
these tests fail when a generated field lacks them. Only nested objects and lists of items still need a
``Field(default_factory=...)``: scalars are plain defaults (``x: int | None = None``), which pyright reads
without any call at all, their facts in the class's ``__jwst_fields__`` table.
"""

import ast
from pathlib import Path

import jwstmodels_generated

PACKAGE = Path(jwstmodels_generated.__file__).parent


def _field_calls(tree: ast.Module) -> list[ast.Call]:
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.AnnAssign)
                    and isinstance(statement.value, ast.Call)
                    and isinstance(statement.value.func, ast.Name)
                    and statement.value.func.id == "Field"
                ):
                    calls.append(statement.value)
    return calls


def _flags(call: ast.Call) -> dict[str, object]:
    return {
        keyword.arg: keyword.value.value
        for keyword in call.keywords
        if keyword.arg in ("init", "kw_only") and isinstance(keyword.value, ast.Constant)
    }


def test_every_generated_field_names_init_and_kw_only() -> None:
    missing: list[str] = []
    counted = 0
    for path in sorted(PACKAGE.glob("*.py")):
        for call in _field_calls(ast.parse(path.read_text())):
            counted += 1
            if _flags(call) != {"init": True, "kw_only": True}:
                missing.append(f"{path.name}:{call.lineno}")
    assert counted > 100, f"only {counted} metadata fields found in {PACKAGE}: did the layout change?"
    assert not missing, f"metadata fields without init=True, kw_only=True: {missing[:10]}"


def test_metadata_fields_call_field_only_for_a_default_factory() -> None:
    """Every other metadata field is a plain annotated default: no call for pyright to resolve."""
    calls: list[str] = []
    plain = 0
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for call in _field_calls(tree):
            if not any(keyword.arg == "default_factory" for keyword in call.keywords):
                calls.append(f"{path.name}:{call.lineno}")
        plain += sum(
            1
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for statement in node.body
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.value, ast.Constant)
        )
    assert plain > 500, f"only {plain} plain defaults found in {PACKAGE}: did the layout change?"
    assert not calls, f"Field(...) without a default_factory: {calls[:10]}"


def test_the_check_sees_a_field_without_flags() -> None:
    """Negative control: the walk finds a field written the plain way and reports it."""
    tree = ast.parse(
        "class A(MetaNode):\n"
        "    x: int | None = Field(default=None, init=True, kw_only=True)\n"
        "    y: int | None = Field(default=None)\n"
    )
    calls = _field_calls(tree)
    assert [call.lineno for call in calls] == [2, 3]
    assert [_flags(call) for call in calls] == [{"init": True, "kw_only": True}, {}]
