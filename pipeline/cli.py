"""``curate``: run, validate and inspect pipelines.

Exit codes: 0 success, 1 run failure, 2 invalid manifest or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from pipeline.accounting import AccountingError
from pipeline.export import ExportError, ExportOptions, export_manifest, mixture_table
from pipeline.inputs import InputError
from pipeline.manifest import ManifestError, load_manifest, parse_manifest
from pipeline.plan import map_specs_of, stage_names_for
from pipeline.runner import RunDirConflict, RunOptions, execute_run, load_stats
from pipeline.summary import StageProgress, stats_table

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="curate", description="Pretraining-corpus curation pipeline.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a manifest")
    run.add_argument("manifest", type=Path)
    run.add_argument("--executor", choices=["ray", "local"], help="override executor.kind")
    run.add_argument("--address", help="Ray cluster address (default: start a local Ray on loopback)")
    run.add_argument("--resume", action="store_true", help="finish an interrupted run in the same output")
    run.add_argument("--overwrite", action="store_true", help="delete the output directory first")
    run.add_argument("--output", help="override run.output")
    run.add_argument("--limit", type=int, help="read at most N records from each input file")
    run.add_argument("--no-progress", action="store_true", help="no progress bars (logs, CI)")

    validate = commands.add_parser("validate", help="check a manifest and print every problem")
    validate.add_argument("manifest", type=Path)

    stats = commands.add_parser("stats", help="print the accounting table of a finished run")
    stats.add_argument("run_dir", type=Path)

    export = commands.add_parser("export", help="write tokenized Megatron shards of a finished run (RUN_DIR/export)")
    export.add_argument("run_dir", type=Path)
    export.add_argument("--manifest", type=Path, help="take the export: section from here (default: the run's own)")
    export.add_argument("--executor", choices=["ray", "local"], help="override executor.kind for tokenization")
    export.add_argument("--address", help="Ray cluster address (default: start a local Ray on loopback)")
    return parser


def _print_manifest_error(console: Console, error: ManifestError) -> None:
    console.print(f"[bold red]invalid manifest[/] {error.source}: {len(error.problems)} problem(s)")
    for path, message in error.problems:
        console.print(f"  [yellow]{path}[/]: {message}", markup=True, highlight=False)


def _run(args: argparse.Namespace, console: Console) -> int:
    manifest = load_manifest(args.manifest)
    if args.limit is not None and args.limit <= 0:
        console.print("[red]--limit must be a positive number of records[/]")
        return EXIT_USAGE
    options = RunOptions(args.executor, args.address, args.resume, args.overwrite, args.output, args.limit)
    stages = {s.name: list(stage_names_for(map_specs_of(s))) for s in manifest.sources}
    show = not args.no_progress and console.is_terminal
    with StageProgress(console, stages, enabled=show) as progress:
        outcome = execute_run(manifest, options, progress)
    console.print(stats_table(outcome.stats))
    console.print(
        f"run directory: {outcome.rundir.root}  (parts processed {outcome.processed_parts}, "
        f"skipped as complete {outcome.skipped_parts}, {outcome.wall_seconds:.1f} s)"
    )
    return EXIT_OK


def _export(args: argparse.Namespace, console: Console, errors: Console) -> int:
    run_json = args.run_dir / "run.json"
    if not run_json.exists():
        errors.print(f"[red]{args.run_dir}: no run.json (not a curate run directory)[/]")
        return EXIT_USAGE
    if args.manifest is not None:
        manifest = load_manifest(args.manifest)
    else:
        manifest = parse_manifest(json.loads(run_json.read_text())["manifest"], f"{run_json} (manifest)")
    if manifest.export is None:
        errors.print("[red]the manifest has no export: section; pass --manifest with one[/]")
        return EXIT_USAGE
    options = ExportOptions(
        args.executor or manifest.executor.kind, args.address or manifest.executor.address, manifest.executor.num_cpus
    )
    record = export_manifest(manifest, args.run_dir, options)
    console.print(mixture_table(record))
    console.print(
        f"export: {args.run_dir / 'export'}  ({len(record['shards'])} shard(s), {record['tokens_written']:,} tokens, "
        f"{record['timings']['wall_seconds']:.1f} s)"
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=160)  # logs and CI: do not fold the table at 80 columns
    errors = Console(stderr=True, highlight=False)
    try:
        if args.command == "validate":
            manifest = load_manifest(args.manifest)
            console.print(f"{args.manifest}: valid ({len(manifest.sources)} source(s))")
            return EXIT_OK
        if args.command == "stats":
            try:
                stats = load_stats(args.run_dir)
            except FileNotFoundError:
                errors.print(f"[red]{args.run_dir}: no stats.json (not a finished run directory)[/]")
                return EXIT_USAGE
            console.print(stats_table(stats))
            return EXIT_OK
        if args.command == "export":
            return _export(args, console, errors)
        return _run(args, console)
    except ManifestError as error:
        _print_manifest_error(errors, error)
        return EXIT_USAGE
    except RunDirConflict as error:
        errors.print(f"[red]{error}[/]")
        return EXIT_USAGE
    except (InputError, AccountingError) as error:
        errors.print(f"[red]run failed:[/] {error}")
        return EXIT_FAILURE
    except ExportError as error:
        errors.print(f"[red]export failed:[/] {error}")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
