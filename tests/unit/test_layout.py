"""The package's layout (docs/architecture.md, "Layout"): the import graph read from the source of
every module, every import counted, those inside functions too, and a submodule's import counted
as an import of the packages above it (Python runs their __init__ first).

- no cycle: no module imports, directly or not, a module that imports it;
- the leaves (errors, bounded, config, formats, params, resultsfile) import nothing from the
  package but errors (which imports nothing) and bounded (which imports only errors);
- data flows one way: the report (facts → analysis → present and figures) never imports the
  run (pipeline → render → publish) nor the tools (tools: intake, sweep, compare, lab); the
  run never imports the tools; intake reads only the fact base; explore (the notebooks'
  widgets) reads what present and figures read and show, and nothing imports it;
- the stages of the run never import the orchestrator (pipeline.run) or the command line;
- no module is longer than 400 lines (a chapter's sentences too: a long chapter is a package of
  one module per section, as present.money is);
- the kernel session sends the kernel one-line calls of pipeline.inkernel's functions, no code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "stability_report"
LEAVES = {"errors", "bounded", "config", "durable", "formats", "params", "resultsfile"}
# The rooms each room may import from (besides itself and the leaves).
ROOMS = {
    "facts": set(),
    "analysis": {"facts"},
    "present": {"facts", "analysis"},
    "figures": {"facts", "analysis"},
    # the run: the notebooks executed in one kernel, the page rendered and printed, published
    "pipeline": {"facts", "analysis", "present", "figures", "render", "publish"},
    "render": {"facts"},
    "publish": set(),
    # the tools around the report: adding articles (intake), sweep, compare, make lab
    "tools": {"facts", "analysis", "pipeline", "render", "publish"},
    "explore": {"facts", "analysis", "present", "figures"},  # notebook 02's widgets
    "cli": {"pipeline", "render", "publish", "tools"},  # the command line
}
# Within the tools, intake (adding articles) reads only the fact base.
INTAKE_MAY_IMPORT = {"facts", "tools.intake"}
ORCHESTRATOR = {"pipeline.run", "cli"}
MAX_LINES = 400


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules `name` imports (names relative to the package; "" is the package)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [p for p in package if p]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                module = "stability_report" + ("." + module if module else "")
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" for a in node.names] + [module]
        else:
            continue
        for t in targets:
            if t == "stability_report" or not t.startswith("stability_report."):
                continue
            t = t.removeprefix("stability_report.")
            while t and t not in MODULES:  # `from .x import name`: the module is x
                t = t.rpartition(".")[0]
            if t:
                found.add(t)
                found.update(p for p in _parents(t) if p in MODULES)
    # A module's own packages run before it: importing one of their modules from it is no edge.
    return found - {name, *_parents(name)}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _room(name: str) -> str:
    return name.split(".")[0]


def test_the_graph_is_read():
    """The reader finds the imports it must: a relative one, one inside a function, one of a
    package (its __init__), and a module's parent packages."""
    assert "errors" in GRAPH["pipeline.run"]
    assert "facts.load" in GRAPH["pipeline.inkernel"]  # imported inside start()
    assert {"analysis", "analysis.cited", "present.markdown"} <= GRAPH["present.tables"]
    assert "present" not in GRAPH["present.tables"]  # its own package ran before it
    assert "cli" in GRAPH["__main__"]
    rooms = {"facts", "analysis", "present", "figures", "pipeline", "render", "publish", "tools"}
    assert rooms | {"tools.intake"} <= set(MODULES)


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    cycles = []

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for dep in sorted(GRAPH[name]):
            if state.get(dep) == 1:
                cycles.append(" → ".join(path[path.index(dep) :] + [dep]))
            elif dep not in state:
                walk(dep, path + [dep])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            walk(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_leaves_import_nothing_from_the_package_but_errors():
    for leaf in LEAVES:
        assert GRAPH[leaf] <= {"errors", "bounded"}, f"{leaf} imports {sorted(GRAPH[leaf])}"
    assert GRAPH["errors"] == set() and GRAPH["bounded"] <= {"errors"}


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_data_flows_one_way(room):
    allowed = LEAVES | {room} | ROOMS[room]
    wrong = {
        f"{name} imports {dep}"
        for name in GRAPH
        if _room(name) == room
        for dep in GRAPH[name]
        if dep and _room(dep) not in allowed
    }
    assert not wrong, sorted(wrong)


def test_intake_reads_only_the_fact_base():
    wrong = {
        f"{name} imports {dep}"
        for name, deps in GRAPH.items()
        if name.startswith("tools.intake")
        for dep in deps
        if dep
        and _room(dep) not in LEAVES
        and not any(dep == r or dep.startswith(r + ".") for r in INTAKE_MAY_IMPORT)
    }
    assert not wrong, sorted(wrong)


def test_nothing_imports_the_explorer():
    """Only the notebook calls it: the report's run never loads ipywidgets through it."""
    assert "explore" in MODULES
    assert not {name for name, deps in GRAPH.items() if "explore" in deps}


def test_stages_never_import_the_orchestrator():
    wrong = {
        f"{name} imports {dep}"
        for name, deps in GRAPH.items()
        for dep in deps & ORCHESTRATOR
        if (name, dep) not in {("cli", "pipeline.run"), ("__main__", "cli")}
    }
    assert not wrong, sorted(wrong)


def test_no_module_is_longer_than_400_lines():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_the_kernel_is_sent_calls_not_code():
    """Every text the kernel session sends its kernel (`control` and `_control_named`, which
    passes its text on to `control`) is a call of a function of pipeline.inkernel, and each
    function named exists."""
    from stability_report.pipeline import inkernel

    tree = ast.parse((PACKAGE / "pipeline" / "kernel.py").read_text(encoding="utf-8"))
    sent = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("control", "_control_named")
            ):
                (text, *_) = node.args
                if function.name == "_control_named" and ast.unparse(text) == "code":
                    continue  # the text it was given, checked where it is called
                sent.append(text)
    assert len(sent) == 4  # start, reset, write_results, wait_figures
    for text in sent:
        assert isinstance(text, ast.Call) and ast.unparse(text.func) == "inkernel.CALL.format"
        (function,) = text.args
        assert isinstance(function, ast.Constant) and callable(getattr(inkernel, function.value))
    assert "\n" not in inkernel.CALL and inkernel.CALL.count("{}") == 1
