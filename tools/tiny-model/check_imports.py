"""Fail if the Python modules of this folder import each other in a cycle.

    python3 check_imports.py          # prints the import graph; exit 1 and the cycle(s) if there is one

Reads every .py file here with ast (nothing is imported or run) and collects every import of a module of
this folder: `import x`, `import x as y`, `from x import name`, `from . import x`, and
importlib.import_module("x") / __import__("x") with a literal name, at the top level or anywhere inside
functions, classes, conditionals and try blocks. A module that imports itself counts as a cycle.
Standard library only.
"""
import ast
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def local_modules(folder):
    return sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py"))


def imported_names(tree):
    """Every module name the tree imports, wherever the import statement is, with its line number."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level and not node.module:          # from . import x
                for alias in node.names:
                    yield alias.name, node.lineno
            elif node.module:
                yield node.module.split(".")[0], node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in ("import_module", "__import__"):
                yield node.args[0].value.split(".")[0], node.lineno


def import_graph(folder):
    """{module: {imported local module: [line numbers]}} for the .py files of folder."""
    mods = local_modules(folder)
    graph = {}
    for m in mods:
        path = os.path.join(folder, m + ".py")
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
        edges = {}
        for name, line in imported_names(tree):
            if name in mods:
                edges.setdefault(name, []).append(line)
        graph[m] = {d: sorted(set(lines)) for d, lines in edges.items()}
    return graph


def cycles(graph):
    """The strongly connected components with more than one module, or a module importing itself (Tarjan)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(graph, comp):
    """A concrete path m1 -> m2 -> ... -> m1 inside a strongly connected component."""
    start = comp[0]
    members = set(comp)
    prev = {start: None}
    queue = [start]
    while queue:                                   # breadth-first back to start: the shortest cycle through it
        v = queue.pop(0)
        for w in sorted(graph[v]):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else HERE
    graph = import_graph(folder)
    for m in sorted(graph):
        deps = ", ".join(f"{d} (line {', '.join(map(str, lines))})" for d, lines in sorted(graph[m].items()))
        print(f"{m}: {deps or '-'}")
    found = cycles(graph)
    if found:
        for comp in found:
            path = one_cycle(graph, comp)
            steps = " -> ".join(path)
            detail = "; ".join(f"{a} imports {b} at line {', '.join(map(str, graph[a][b]))}" for a, b in zip(path, path[1:]))
            print(f"CYCLE: {steps}  ({detail}; modules in the cycle: {', '.join(comp)})")
        sys.exit(1)
    print(f"no import cycle among the {len(graph)} modules of {folder}")


if __name__ == "__main__":
    main()
