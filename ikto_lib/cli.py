"""The ``ikto`` command line: demo | validate | prepare | batch | report | audit.

Exit status: 0 all ok; 1 some organisations failed (the rest are written) or the audit found
something; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .safe import output_path, terminal

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
        _err(f"{args.wave_dir}: {total} problem(s); nothing was computed or written")
        for p in problems:
            _err(f"  {p}")
        return EXIT_BAD_INPUT
    print(terminal(f"{args.wave_dir}: valid"))
    return EXIT_OK


def _load(path):
    from .validate import load_wave

    return load_wave(Path(path)) if path else None


def _cmd_prepare(args) -> int:
    from .prepare import ensure_prepared

    settings = _settings(args)
    wave, previous = _load(args.wave_dir), _load(args.previous)
    with _locked(Path(args.out) / wave.name) as out_dir:
        out, reused = ensure_prepared(wave, previous, settings, out_dir / "prepared")
    print(terminal(f"{'unchanged, kept' if reused else 'wrote'} {out}"))
    return EXIT_OK


def _cmd_batch(args) -> int:
    from .batch import run_batch

    result = run_batch(
        Path(args.wave_dir), previous=Path(args.previous) if args.previous else None, out=Path(args.out),
        language=args.language, orgs=args.orgs.split(",") if args.orgs else None, min_n=args.min_n,
        weighting=False if args.no_weighting else None, workers=args.workers, scheduler=args.scheduler,
        force=args.force, settings=args.settings, units=args.units,
    )
    if result.index is not None:
        print(f"{result.count('ok', 'unchanged')} reports ok, {result.count('failed')} failed, "
              f"{result.count('skipped')} skipped (too few respondents) in {result.seconds:.0f} s")
        if args.units:
            made = sum(st.status in ("ok", "unchanged") for st in result.units.values())
            print(f"{made} unit reports ok, {sum(st.status == 'failed' for st in result.units.values())} "
                  "failed" if result.units else "no unit reports: no unit has its figures shown in its "
                  "organisation's report and enough respondents (unit_report_min_n), or the survey has no units")
        for problem in result.audit_problems[:20]:
            _err(f"privacy audit: {problem}")
        print(terminal(f"open {result.index.resolve()}"))
    return result.exit_code


def _cmd_report(args) -> int:
    from .prepared import prepared_current
    from .report.run import render_report

    settings = _settings(args)
    wave, previous = _load(args.wave_dir), _load(args.previous)
    codes = sorted(wave.organisations["org"].astype(str))
    if args.org not in codes:  # before anything is computed or written
        raise ValueError(f"unknown organisation {args.org!r}; the wave has {', '.join(codes)}")
    with _locked(Path(args.out) / wave.name) as out_dir:
        prepared_dir = out_dir / "prepared"
        if not prepared_current(wave, previous, settings, prepared_dir):  # else no scipy import
            from .prepare import ensure_prepared

            prepared_dir, _ = ensure_prepared(wave, previous, settings, prepared_dir)
        target = output_path(out_dir, args.org, ".html")
        out = render_report(args.org, prepared_dir, target, language=settings.language,
                            previous_wave=previous.name if previous is not None else "")
    print(terminal(f"wrote {out}"))
    return EXIT_OK


def _cmd_audit(args) -> int:
    from .attack import attack_outputs
    from .audit import audit_outputs

    out_dir = Path(args.out_dir)
    if not out_dir.is_dir():
        raise ValueError(f"{args.out_dir}: not an output folder (e.g. outputs/2015)")
    if not any(out_dir.rglob("results.parquet")):
        raise ValueError(f"{args.out_dir}: no prepared tables (prepared/results.parquet) to audit")
    settings = _settings(args)
    findings = audit_outputs(out_dir, settings, attack=False)
    attack = attack_outputs(out_dir, settings)
    findings += attack.audit_findings()
    print(f"privacy audit of {args.out_dir} (min_n = {settings.min_n}): {len(findings)} finding(s)")
    print(f"attack on all published tables together: {attack.describe()}")
    for f in findings[:args.show]:
        print(f"  {f}")
    if len(findings) > args.show:
        print(f"  ... and {len(findings) - args.show} more")
    return EXIT_FAILED if findings else EXIT_OK


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
    p.add_argument("--workers", type=_positive_int, help="local worker processes (default: settings)")
    p.add_argument("--scheduler", help="address of a running dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--force", action="store_true", help="rebuild reports whose inputs did not change")
    p.add_argument("--units", action="store_true",
                   help="also a report per unit with at least unit_report_min_n respondents (settings)")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("report", help="one organisation's benchmark report")
    p.add_argument("org", help="organisation code")
    _common(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("audit", help="privacy audit of an output folder; exit 0 clean, 1 findings, 2 bad input")
    p.add_argument("out_dir", help="output folder of a wave, e.g. outputs/2015")
    p.add_argument("--min-n", type=int, dest="min_n", help="anonymity threshold (default: settings)")
    p.add_argument("--settings", help="settings file (default: parameters/settings.yml)")
    p.add_argument("--show", type=int, default=50, help="findings listed (default: 50)")
    p.set_defaults(func=_cmd_audit)
    return ap


@contextmanager
def _locked(out_dir: Path):
    """Hold the output folder's lock (no batch, prepare or report writes it at the same time)."""
    from .batch.lock import OutputLock

    out_dir.mkdir(parents=True, exist_ok=True)
    with OutputLock(out_dir) as lock:
        if lock.notice:
            _err(f"ikto: {lock.notice}")
        yield out_dir


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, not {value}")
    return value


def _err(message: object) -> None:
    """Print to stderr without escape sequences or control characters from the data."""
    print(terminal(message), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    from .batch.lock import FolderLocked
    from .config import ConfigError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        _err(f"ikto: configuration error:\n{exc}")
        return EXIT_BAD_INPUT
    except FolderLocked as exc:
        _err(f"ikto: {exc}")
        return EXIT_BAD_INPUT
    except ValueError as exc:  # WaveInvalid and other bad input
        _err(f"ikto: {exc}")
        return EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        _err(f"ikto: {exc}")
        return EXIT_BAD_INPUT
    except OSError as exc:  # disk full, no permission, read-only file system
        where = f" {exc.filename}" if exc.filename else ""
        _err(f"ikto: cannot write{where}: {exc.strerror or exc}; files are written to a temporary "
             "name and renamed when complete, so nothing is half-written under a final name")
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
