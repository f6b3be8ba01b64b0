"""The ``ikto`` command line: demo | validate | prepare | batch | report.

Exit status: 0 all ok; 1 some organisations failed (the rest are written); 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _settings(args, **extra):
    from .config import load_settings

    return load_settings(
        getattr(args, "settings", None),
        min_n=getattr(args, "min_n", None),
        language=getattr(args, "language", None),
        weighting=False if getattr(args, "no_weighting", False) else None,
        workers=getattr(args, "workers", None),
        **extra,
    )


def _cmd_demo(args) -> int:
    from .config import load_settings
    from .demo import generate

    seed = args.seed if args.seed is not None else load_settings().seed
    if getattr(args, "instrument", None):
        from .config import ConfigError
        from .demo.generic import generate_for_instrument

        try:
            folders = generate_for_instrument(Path(args.out), args.instrument, seed=seed, orgs=args.orgs,
                                              respondents=args.respondents)
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return EXIT_BAD_INPUT
        for f in folders:
            print(f"wrote {f}")
        return EXIT_OK
    folders = generate(Path(args.out), seed=seed, orgs=args.orgs, respondents=args.respondents)
    for f in folders:
        print(f"wrote {f}")
    return EXIT_OK


def _cmd_instrument_draft(args) -> int:
    from .draft import draft_yaml

    path = Path(args.file)
    if not path.is_file():
        print(f"ikto: {path}: file not found", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        sys.stdout.write(draft_yaml(path))
    except ValueError as exc:
        print(f"ikto: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - an unreadable file is bad input, not a crash
        print(f"ikto: {path}: not a readable SPSS .sav file ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _cmd_validate(args) -> int:
    from .validate import validate_wave

    problems = validate_wave(Path(args.wave_dir))
    if problems:
        total = sum(p.more or 1 for p in problems)
        print(f"{args.wave_dir}: {total} problem(s); nothing was computed or written", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{args.wave_dir}: valid")
    return EXIT_OK


def _load(path):
    from .validate import load_wave

    return load_wave(Path(path)) if path else None


def _cmd_prepare(args) -> int:
    from .prepare import ensure_prepared

    settings = _settings(args)
    wave, previous = _load(args.wave_dir), _load(args.previous)
    out, reused = ensure_prepared(wave, previous, settings, Path(args.out) / wave.name / "prepared")
    print(f"{'unchanged, kept' if reused else 'wrote'} {out}")
    return EXIT_OK


def _cmd_batch(args) -> int:
    from .batch import run_batch

    result = run_batch(
        Path(args.wave_dir), previous=Path(args.previous) if args.previous else None, out=Path(args.out),
        language=args.language, orgs=args.orgs.split(",") if args.orgs else None, min_n=args.min_n,
        weighting=False if args.no_weighting else None, workers=args.workers, scheduler=args.scheduler,
        force=args.force, settings=args.settings,
    )
    if result.index is not None:
        print(f"{result.count('ok', 'unchanged')} reports ok, {result.count('failed')} failed, "
              f"{result.count('skipped')} skipped (too few respondents) in {result.seconds:.0f} s")
        for problem in result.audit_problems[:20]:
            print(f"privacy audit: {problem}", file=sys.stderr)
        print(f"open {result.index.resolve()}")
    return result.exit_code


def _cmd_report(args) -> int:
    from .prepare import ensure_prepared
    from .report.run import render_report

    settings = _settings(args)
    wave, previous = _load(args.wave_dir), _load(args.previous)
    out_dir = Path(args.out) / wave.name
    prepared_dir, _ = ensure_prepared(wave, previous, settings, out_dir / "prepared")
    out = render_report(args.org, prepared_dir, out_dir / f"{args.org}.html", language=settings.language,
                        previous_wave=previous.name if previous is not None else "")
    print(f"wrote {out}")
    return EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("wave_dir", help="folder of the wave (responses, headcount, organisations)")
    p.add_argument("--previous", metavar="PREV_WAVE_DIR", help="folder of the previous wave (trend)")
    p.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    p.add_argument("--language", choices=["nl", "en"], help="report language (default: settings)")
    p.add_argument("--min-n", type=int, dest="min_n", help="anonymity threshold (default: settings)")
    p.add_argument("--no-weighting", action="store_true", help="do not weight to the headcount")
    p.add_argument("--settings", help="settings file (default: parameters/settings.yml)")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ikto", description="Internal customer satisfaction survey (iKTO) workbench")
    ap.add_argument("--version", action="version", version=f"ikto {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="write two synthetic demo waves (2013, 2015)")
    p.add_argument("--out", default="data/demo")
    p.add_argument("--seed", type=int, help="random seed (default: settings seed)")
    p.add_argument("--orgs", type=int, default=40)
    p.add_argument("--respondents", type=int, default=30000)
    p.add_argument("--instrument", help="an instrument file: two demo waves (2022, 2024) of that survey instead "
                                        "of the iKTO demo, each with a copy of the instrument")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("instrument", help="instrument files: draft one from an SPSS export")
    isub = p.add_subparsers(dest="instrument_command", required=True)
    d = isub.add_parser("draft", help="print a starting instrument.yml drafted from an SPSS file's labels")
    d.add_argument("file", help="responses.sav")
    d.set_defaults(func=_cmd_instrument_draft)

    p = sub.add_parser("validate", help="check a wave folder; exit 0 valid, 2 not")
    p.add_argument("wave_dir")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("prepare", help="compute the prepared results of a wave (outputs/<wave>/prepared)")
    _common(p)
    p.set_defaults(func=_cmd_prepare)

    p = sub.add_parser("batch", help="every organisation's report, the group report, Excel and index.html")
    _common(p)
    p.add_argument("--orgs", help="comma-separated organisation codes (default: all)")
    p.add_argument("--workers", type=int, help="local worker processes (default: settings)")
    p.add_argument("--scheduler", help="address of a running dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--force", action="store_true", help="rebuild reports whose inputs did not change")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("report", help="one organisation's benchmark report")
    p.add_argument("org", help="organisation code")
    _common(p)
    p.set_defaults(func=_cmd_report)
    return ap


def main(argv: list[str] | None = None) -> int:
    from .config import ConfigError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"ikto: configuration error:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:  # WaveInvalid and other bad input
        print(f"ikto: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        print(f"ikto: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
