"""What the compare page sends, per preset, at the app's defaults: python -m bench.compare

Prints, for each preset on the book's data, the runs, the frames on the one epoch clock, the
player's bytes (all runs' steps as float32) and the views' JSON, and the time to compute it all.
"""

from __future__ import annotations

import time

from linreg_viz import comparison
from linreg_viz.settings import defaults
from linreg_viz.view_spec import ViewSpec
from ui.compare_runs import make_compared, resolved
from ui.runs import synthetic


def main() -> None:
    v = defaults()
    data = synthetic(2, (v["w1"], v["w2"]), v["b"], v["noise"], v["n"], v["seed"])
    view = ViewSpec("en", "both", ("w1", "w2"), "normal", False)
    print("| preset | runs | epochs | player bytes | views' JSON bytes | computed in |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (_, epochs) in comparison.PRESETS.items():
        runs = resolved(lambda key, **fields: key, name, data)
        began = time.perf_counter()
        compared = make_compared(data, runs, epochs, v["seed"], view)
        took = time.perf_counter() - began
        views = sum(len(figure.to_json()) for figure in compared.figures.values())
        print(
            f"| {name} | {len(runs)} | {epochs} | {len(compared.player):,} | {views:,} "
            f"| {took:.2f} s |"
        )


if __name__ == "__main__":
    main()
