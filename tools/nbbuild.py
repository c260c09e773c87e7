"""Write a notebook from a compact cell list (used to author the numbered notebooks).

Cells: ("md", text) | ("params", code) | ("code", code) | ("check", code). "check" cells
carry the nbval marker so their stored output is compared when the tests run.
"""

from __future__ import annotations

import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNEL = {"name": "glass-ml", "display_name": "Python (glass-ml)", "language": "python"}


def build(path: str, cells: list[tuple[str, str]]) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in cells:
        text = text.strip("\n")
        if kind == "md":
            nb.cells.append(new_markdown_cell(text))
        elif kind == "params":
            cell = new_code_cell(text)
            cell.metadata["tags"] = ["parameters"]
            nb.cells.append(cell)
        elif kind == "check":
            nb.cells.append(new_code_cell("# NBVAL_CHECK_OUTPUT\n" + text))
        elif kind == "code":
            nb.cells.append(new_code_cell(text))
        else:
            raise ValueError(f"cell kind {kind!r} is not one of md, params, code, check")
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    sys.exit("import build() from this module")
