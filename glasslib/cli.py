"""`glasslib` command line: reproduce, datasets, MD campaign, screening, RDF prediction."""

from __future__ import annotations

import argparse
import os
import sys


def _cmd_reproduce(args):
    from .reproduce import ReproduceError, parse_settings, run

    try:
        run(args.profile, args.notebooks, args.kernel, parse_settings(args.set))
    except ValueError as err:          # bad input: nothing ran
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ReproduceError as err:      # a notebook failed
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _cmd_sciglass_build(args):
    from .tg import dataset as tg_dataset, sciglass

    table, prov = sciglass.build(args.raw)
    tg_dataset.make_splits(table)
    for key, value in prov["row_counts"].items():
        print(f"{key:>28}: {value}")
    return 0


def _cmd_md_campaign(args):
    from .pcf.campaign import CAMPAIGN_PROTOCOL, GLASSES_DIR, run_campaign
    from .pcf.compositions import campaign_grid
    from .pcf.md import SMOKE_PROTOCOL

    glasses = campaign_grid()
    if args.only:
        names = {g.name: g for g in glasses}
        unknown = [n for n in args.only if n not in names]
        if unknown:
            print(f"error: unknown glass(es) {unknown}; choose from {', '.join(names)}", file=sys.stderr)
            return 2
        glasses = [names[n] for n in args.only]
    results = run_campaign(glasses, root=args.root or GLASSES_DIR, n_atoms=args.atoms,
                           protocol=SMOKE_PROTOCOL if args.smoke else CAMPAIGN_PROTOCOL,
                           scheduler=args.scheduler, n_workers=args.workers, commit=args.commit)
    failed = [r for r in results if not r["ok"]]
    print(f"campaign: {len(results) - len(failed)} finished, {len(failed)} failed this run")
    return 1 if failed else 0


def _study_runs(args):
    """The quench-study runs that --rates, --seeds and --glasses select (ValueError names a bad one)."""
    from .pcf.campaign import STUDY_GLASSES, STUDY_RATES_K_PER_PS, STUDY_SEEDS, quench_study_runs

    rates = args.rates or STUDY_RATES_K_PER_PS
    bad = [r for r in rates if r not in STUDY_RATES_K_PER_PS]
    if bad:
        raise ValueError(f"--rates {bad[0]:g} is not a study rate; choose from "
                         f"{', '.join(f'{r:g}' for r in STUDY_RATES_K_PER_PS)}")
    seeds = args.seeds or STUDY_SEEDS
    if any(s < 1 for s in seeds):
        raise ValueError(f"--seeds {min(seeds)} must be at least 1 (seeds 1 and 2 are the study's; 3 and up add replicas)")
    glasses = args.glasses or STUDY_GLASSES
    bad = [g for g in glasses if g not in STUDY_GLASSES]
    if bad:
        raise ValueError(f"--glasses {bad[0]} is not a study glass; choose from {', '.join(STUDY_GLASSES)}")
    return quench_study_runs(rates=rates, seeds=seeds, glasses=glasses)


def _cmd_md_quench_study(args):
    from .pcf.campaign import STUDY_DIR, run_campaign

    if args.workers is not None and args.workers < 1:
        print(f"error: --workers {args.workers} must be at least 1", file=sys.stderr)
        return 2
    try:
        runs = _study_runs(args)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    results = run_campaign(runs=runs, root=STUDY_DIR, n_atoms=args.atoms,
                           scheduler=args.scheduler, n_workers=args.workers, commit=args.commit,
                           rdf_table=False)
    return 1 if any(not r["ok"] for r in results) else 0


def _cmd_md_advance(args):
    from .pcf.campaign import STUDY_DIR, V2_GLASSES, advance_runs, v2_campaign_runs

    if args.workers < 1:
        print(f"error: --workers {args.workers} must be at least 1", file=sys.stderr)
        return 2
    try:
        runs, root = ((_study_runs(args), STUDY_DIR) if args.rate is None
                      else (v2_campaign_runs(args.rate), V2_GLASSES))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    results = advance_runs(runs, args.root or root, args.workers, n_atoms=args.atoms)
    return 1 if any(not r["ok"] for r in results) else 0


def _cmd_md_campaign_v2(args):
    from .pcf.campaign import V2_GLASSES, run_campaign, v2_campaign_runs

    try:
        runs = v2_campaign_runs(args.rate, args.glasses, args.extra_seeds)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print(f"error: --workers {args.workers} must be at least 1", file=sys.stderr)
        return 2
    results = run_campaign(runs=runs, root=V2_GLASSES, n_atoms=args.atoms, scheduler=args.scheduler,
                           n_workers=args.workers, commit=args.commit)
    return 1 if any(not r["ok"] for r in results) else 0


def _cmd_md_density_reference(args):
    from .pcf.validation import DENSITY_REFERENCE, SCIGLASS_MOL_COLUMNS, density_reference
    from .tg.sciglass import ATTRIBUTION, read_raw_columns

    raw = read_raw_columns(list(SCIGLASS_MOL_COLUMNS.values()) + ["DENSITY"], args.raw)
    table = density_reference(raw)
    with open(DENSITY_REFERENCE, "w") as handle:
        handle.write(f"# Measured densities (g/cm3) of SciGlass glasses matching each MD composition "
                     f"(base oxides within 2 mol%, the dopant within 30 % of its mol%, the six oxides >= 98 mol%); written by "
                     f"`glasslib md-density-reference`. {ATTRIBUTION}\n")
        table.to_csv(handle, index=False, float_format="%.4f")
    print(table.to_string(index=False))
    return 0


def _cmd_md_smoke(args):
    import tempfile
    import time

    from .pcf.campaign import simulate_and_store
    from .pcf.compositions import Glass
    from .pcf.md import SMOKE_PROTOCOL

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as root:
        meta = simulate_and_store(Glass("NBS", "ZnO", 10.0), root, n_atoms=args.atoms,
                                  protocol=SMOKE_PROTOCOL)
    print(f"{meta['glass']}: {sum(meta['atom_counts'].values())} atoms, density "
          f"{meta['final_density_g_cm3']:.2f} g/cm3, {meta['rdf_frames']} frames, "
          f"{time.perf_counter() - start:.1f} s")
    return 0


def _cmd_screen(args):
    from .tg.screening import PAPER_COMPONENTS, SimplexGrid, model_for_band, save_table, screen

    try:
        if args.top < 1:
            raise ValueError(f"--top {args.top} must be a positive number of candidates")
        if args.workers < 1:
            raise ValueError(f"--workers {args.workers} must be at least 1")
        grid = SimplexGrid(args.components or PAPER_COMPONENTS, args.step)
        model = model_for_band(tuple(args.band), args.model)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from .tg.trust import ScreenTrust

    trust = None if args.no_trust else ScreenTrust.cached()
    band = None if args.no_trust else tuple(args.band)
    table, n = screen(model, grid, top=args.top, trust=trust, band=band, in_domain_only=args.in_domain_only,
                      workers=args.workers, progress=len(grid) > 5_000_000)
    import pandas as pd

    with pd.option_context("display.width", 250, "display.max_columns", 40, "display.precision", 3):
        print(f"band [{args.band[0]:g}, {args.band[1]:g}) °C: top {args.top} of {n:,} candidates "
              f"({len(grid.components)} components, {grid.step:g} wt% steps), wt%:")
        print(table.to_string(index=False))
    if trust is not None:
        print(f"p_in_band: split-conformal probability that Tg is in the band (gradient-boosting Tg "
              f"regressor); nearest_wt: wt% from the nearest training glass; in_domain: nearest_wt <= "
              f"{trust.threshold_wt:.1f} wt% (95 % of held-out glasses are that close)")
        if args.in_domain_only and len(table) < args.top:
            print(f"only {len(table)} of the best-scored candidates are in the domain")
    out = args.out or f"screen_{args.band[0]:g}-{args.band[1]:g}.csv"
    print(f"written {save_table(table, out)}")
    return 0


def _cmd_predict_rdf(args):
    # TensorFlow prints start-up lines on import unless told before it loads; a CLI user wants
    # the answer only (this process is the program, so setting its environment is ours to do)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from .pcf.pipeline import load_pipeline

    try:
        pipe = load_pipeline(args.model)
        r, g = pipe.predict_rdf(args.base, args.dopant, args.mol_percent, args.pair)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    import pandas as pd

    table = pd.DataFrame({"r_angstrom": r, "g": g})
    out = args.out or f"rdf_{args.base}_{args.dopant}_{args.mol_percent:g}_{args.pair}.csv"
    table.to_csv(out, index=False, float_format="%.5g")
    from .pcf.rdf import first_peak

    position, height = first_peak(r, g)
    print(f"{args.pair} in {args.base} + {args.mol_percent:g} mol% {args.dopant}: first peak at r={position:.3f} A "
          f"(parabola through the {r[1] - r[0]:.3f} A image bins), g={height:.2f} on that grid; written {out}")
    return 0


def _cmd_tg_study(args):
    from . import paths
    from .tg import study
    from .tg.dataset import SPLITS

    bad = [s for s in args.splits or () if s not in SPLITS]
    if bad:
        print(f"error: split {bad[0]!r} is not known; choose from {', '.join(SPLITS)}", file=sys.stderr)
        return 2
    plan = study.StudyPlan()
    keep = {"wide": {"narrow_bands": ()}, "narrow": {"wide_bands": ()}, "all": {}}[args.bands]
    from dataclasses import replace

    plan = replace(plan, splits=tuple(args.splits or plan.splits), **keep)
    cache = paths.TG_STUDY

    def commit(record):
        if args.commit:
            from .vcs import commit_paths

            commit_paths([cache], f"tg study: {record['split']} {record['band']}")

    if args.workers < 1:
        print(f"error: --workers {args.workers} must be at least 1", file=sys.stderr)
        return 2
    index, _, count = args.shard.partition("/")
    if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
        print(f"error: --shard {args.shard!r} must be I/N with 0 <= I < N, e.g. 0/2", file=sys.stderr)
        return 2
    study.run_study(plan, cache, on_block=commit, workers=args.workers, shard=(int(index), int(count)))
    return 0


def _cmd_report(args):
    from . import report

    try:
        return report.main(check=args.check)
    except ValueError as err:               # a repository that is no GitHub address; nothing written
        print(f"error: {err}", file=sys.stderr)
        return 2


def _cmd_book(args):
    from .book import build

    index = build(args.out)
    print(f"book built: {index}")
    return 0


def _add_study_selection(p) -> None:
    """--seeds and --glasses of the quench-study commands (read by _study_runs)."""
    p.add_argument("--seeds", nargs="*", type=int, default=None, metavar="SEED",
                   help="study seeds (default: 1 2; e.g. --seeds 3 adds a third replica)")
    p.add_argument("--glasses", nargs="*", default=None, metavar="GLASS",
                   help="only these study glasses (SiO2-undoped, NBS-undoped; default: both)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glasslib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("reproduce", help="execute the numbered notebooks with papermill")
    p.add_argument("--profile", default="quick", help="quick (CI) or full (paper scale)")
    p.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebooks')")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override a notebook parameter, e.g. --set md_dataset=v1 (output named after it)")
    p.add_argument("notebooks", nargs="*", help="only these notebooks (name, stem or number)")
    p.set_defaults(func=_cmd_reproduce)

    p = sub.add_parser("sciglass-build", help="rebuild data/sciglass from the raw SciGlass table")
    p.add_argument("--raw", default=None, help="glasspy wheel, select_SciGK.csv.zip or its .csv")
    p.set_defaults(func=_cmd_sciglass_build)

    p = sub.add_parser("md-campaign", help="run (or continue) the LAMMPS campaign on dask")
    p.add_argument("--workers", type=int, default=None, help="local workers (default: one per core)")
    p.add_argument("--scheduler", default=None, help="address of an existing dask scheduler")
    p.add_argument("--atoms", type=int, default=1000)
    p.add_argument("--only", nargs="*", help="glass names, e.g. NBS-ZnO-05")
    p.add_argument("--commit", action="store_true", help="git-commit each finished glass")
    p.add_argument("--root", default=None, help="folder of the finished glasses (default: data/md/glasses)")
    p.add_argument("--smoke", action="store_true", help="the seconds-long smoke protocol (tests)")
    p.set_defaults(func=_cmd_md_campaign)

    p = sub.add_parser("md-campaign-v2", help="dataset v2: all glasses + replicas at the study's rate (resumable)")
    p.add_argument("--rate", type=float, required=True, help="quench rate in K/ps chosen by the study (<= 20)")
    p.add_argument("--workers", type=int, default=None, help="local workers (default: one per core)")
    p.add_argument("--scheduler", default=None, help="address of an existing dask scheduler")
    p.add_argument("--atoms", type=int, default=1000)
    p.add_argument("--commit", action="store_true", help="git-commit each finished glass")
    p.add_argument("--glasses", nargs="*", default=None, metavar="GLASS",
                   help="only these campaign glasses (e.g. NBS-undoped SiO2-BaO-10; default: all)")
    p.add_argument("--extra-seeds", nargs="*", type=int, default=(), metavar="SEED",
                   help="further replicas beyond seeds 1-3 of --glasses (default: of the replica glasses)")
    p.set_defaults(func=_cmd_md_campaign_v2)

    p = sub.add_parser("md-quench-study", help="quench-rate study of the undoped glasses (resumable)")
    p.add_argument("--workers", type=int, default=None, help="local workers (default: one per core)")
    p.add_argument("--scheduler", default=None, help="address of an existing dask scheduler")
    p.add_argument("--atoms", type=int, default=1000)
    p.add_argument("--commit", action="store_true", help="git-commit each finished run")
    p.add_argument("--rates", nargs="*", type=float, default=None, metavar="K_PER_PS",
                   help="only these quench rates (default: all of the study's)")
    _add_study_selection(p)
    p.set_defaults(func=_cmd_md_quench_study)

    p = sub.add_parser("md-advance", help="advance unfinished study (or --rate: v2 campaign) runs up to their "
                       "production on a lent many-core machine: checkpoints only, no dask or OVITO")
    p.add_argument("--rate", type=float, default=None, help="the v2 campaign at this rate (default: the quench study)")
    p.add_argument("--workers", type=int, required=True, help="processes, one LAMMPS each")
    p.add_argument("--atoms", type=int, default=1000)
    p.add_argument("--root", default=None, help="a copy of the runs' folder to work in (default: the repository's)")
    p.add_argument("--rates", nargs="*", type=float, default=None, metavar="K_PER_PS",
                   help="study runs only: these quench rates (default: all)")
    _add_study_selection(p)
    p.set_defaults(func=_cmd_md_advance)

    p = sub.add_parser("md-density-reference", help="SciGlass densities of the campaign compositions")
    p.add_argument("--raw", default=None, help="glasspy wheel, select_SciGK.csv.zip or its .csv")
    p.set_defaults(func=_cmd_md_density_reference)

    p = sub.add_parser("md-smoke", help="one tiny glass end to end (LAMMPS + OVITO)")
    p.add_argument("--atoms", type=int, default=200)
    p.set_defaults(func=_cmd_md_smoke)

    p = sub.add_parser("screen", help="screen simplex-grid compositions for a Tg band")
    p.add_argument("--band", nargs=2, type=float, required=True, metavar=("A", "B"))
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--components", nargs="*", default=None)
    p.add_argument("--step", type=float, default=10.0, help="grid step in wt%% (must divide 100)")
    p.add_argument("--model", default=None, help="saved DeepGlassNet (.pt); default: shipped or trained")
    p.add_argument("--out", default=None, help="CSV path")
    p.add_argument("--in-domain-only", action="store_true",
                   help="keep only candidates within the applicability domain")
    p.add_argument("--no-trust", action="store_true",
                   help="skip the domain and probability columns (no Tg regressor is fitted)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes (one thread each); worth it for fine grids, e.g. --step 5 --workers 2")
    p.set_defaults(func=_cmd_screen)

    p = sub.add_parser("predict-rdf", help="paper 1 pipeline: RDF of a pair in a doped glass")
    p.add_argument("--base", required=True)
    p.add_argument("--dopant", required=True)
    p.add_argument("--mol-percent", type=float, required=True)
    p.add_argument("--pair", required=True, help="e.g. Si-O")
    p.add_argument("--model", default=None, help="saved pipeline folder")
    p.add_argument("--out", default=None)
    p.set_defaults(func=_cmd_predict_rdf)
    p = sub.add_parser("book", help="build the static HTML book of the executed notebooks (offline)")
    p.add_argument("--out", default=None, help="output folder (default: build/book)")
    p.set_defaults(func=_cmd_book)

    p = sub.add_parser("report", help="rewrite the README's tables from the metrics files and the Binder badges")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 when the README differs")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("tg-study", help="paper 2's seeded comparison with intervals (resumable, hours)")
    p.add_argument("--splits", nargs="*", default=None, help="only these splits (default: all four)")
    p.add_argument("--bands", choices=["wide", "narrow", "all"], default="all",
                   help="the 100 °C bands, the narrower ones, or all (default)")
    p.add_argument("--commit", action="store_true", help="git-commit the cache after each block")
    p.add_argument("--workers", type=int, default=1,
                   help="blocks in this many processes of one thread each (e.g. one per free core)")
    p.add_argument("--shard", default="0/1", metavar="I/N",
                   help="only every N-th block, starting at block I (N processes or machines sharing the cache)")
    p.set_defaults(func=_cmd_tg_study)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
