"""``curate``: run, validate and inspect pipelines.

Exit codes: 0 success, 1 run failure, 2 invalid manifest or usage (including a state locked by another run),
3 the run finished but crossed an alarm threshold of the manifest's ``nightly.alarms``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from pipeline import cluster
from pipeline.accounting import AccountingError
from pipeline.export import ExportError, ExportOptions, export_manifest, load_export, mixture_table
from pipeline.incremental import IncrementalOutcome, run_history, run_incremental
from pipeline.inputs import InputError
from pipeline.manifest import ManifestError, load_manifest, parse_manifest
from pipeline.plan import map_specs_of, stage_names_for
from pipeline.report import NotARunDirectory, build_compare, build_report
from pipeline.runner import RunDirConflict, RunOptions, execute_run, load_stats
from pipeline.state import StateLocked
from pipeline.summary import StageProgress, nightly_lines, runs_table, stats_table
from pipeline.train_lm import REFERENCE_MODEL_ERRORS, train_lm_command

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_ALARM = 0, 1, 2, 3


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
    run.add_argument(
        "--incremental",
        action="store_true",
        help="only inputs not processed before; state and history in the output directory (nightly runs)",
    )

    validate = commands.add_parser("validate", help="check a manifest and print every problem")
    validate.add_argument("manifest", type=Path)

    stats = commands.add_parser("stats", help="print the accounting table of a finished run")
    stats.add_argument("run_dir", type=Path)

    runs = commands.add_parser("runs", help="the history of incremental runs in an output directory")
    runs.add_argument("output_dir", type=Path)

    submit = commands.add_parser("submit", help="run a manifest as a Ray job on a cluster")
    submit.add_argument("manifest", type=Path)
    submit.add_argument("--address", required=True, help="the cluster's dashboard, e.g. http://HEAD:8265")
    submit.add_argument("--incremental", action="store_true", help="pass --incremental to the run")
    submit.add_argument("--wait", type=float, metavar="SECONDS", help="wait for the job and exit with its outcome")
    submit.add_argument("--python", default="python", help="the Python on the cluster's nodes (default: python)")
    for name, text in (("status", "a submitted job's status"), ("logs", "a submitted job's log")):
        job = commands.add_parser(name, help=text)
        job.add_argument("job_id")
        job.add_argument("--address", required=True, help="the cluster's dashboard, e.g. http://HEAD:8265")
        if name == "logs":
            job.add_argument("--follow", type=float, metavar="SECONDS", help="stream new lines for up to SECONDS")
    report = commands.add_parser("report", help="write RUN_DIR/report.html, or compare two runs")
    report.add_argument("run_dir", type=Path, nargs="?")
    report.add_argument("--compare", nargs=2, type=Path, metavar=("RUN_A", "RUN_B"), help="what changed from A to B")
    report.add_argument("--output", type=Path, help="HTML path (default RUN_DIR/report.html, RUN_B/compare.html)")
    train_lm = commands.add_parser("train-lm", help="train (or reuse) the KenLM and quality-classifier models")
    train_lm.add_argument("manifest", type=Path)
    train_lm.add_argument("--model-dir", type=Path, help="override reference_models.model_dir")
    train_lm.add_argument("--force", action="store_true", help="retrain even when the inputs have not changed")
    tagger = commands.add_parser("train-pii-tagger", help="train the learned secret tagger on labelled JSONL files")
    tagger.add_argument("labelled", type=Path, nargs="+", help="files in the bench/pii_eval/*.jsonl format")
    tagger.add_argument("--output", type=Path, help="model path (default: the bundled model)")
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


def _train_pii_tagger(args: argparse.Namespace, console: Console, errors: Console) -> int:
    from filters.pii_tagger import MODEL_PATH, train_from_files

    output = args.output or MODEL_PATH
    try:
        meta = train_from_files(args.labelled, output)
    except ValueError as error:
        errors.print(f"[red]train-pii-tagger:[/] {error}", markup=True, highlight=False)
        return EXIT_USAGE
    console.print(
        f"secret tagger: {meta['records']} records, {meta['sequences']} sequences, {meta['train_seconds']} s "
        f"-> {output} (sha256 {meta['model_sha256'][:12]})"
    )
    return EXIT_OK


def _run(args: argparse.Namespace, console: Console) -> int:
    manifest = load_manifest(args.manifest)
    if args.limit is not None and args.limit <= 0:
        console.print("[red]--limit must be a positive number of records[/]")
        return EXIT_USAGE
    options = RunOptions(args.executor, args.address, args.resume, args.overwrite, args.output, args.limit)
    stages = {s.name: list(stage_names_for(map_specs_of(s))) for s in manifest.sources}
    show = not args.no_progress and console.is_terminal
    if args.incremental or manifest.nightly.incremental:
        with StageProgress(console, stages, enabled=show) as progress:
            nightly = run_incremental(manifest, options, progress)
        return print_nightly(console, nightly)
    with StageProgress(console, stages, enabled=show) as progress:
        outcome = execute_run(manifest, options, progress)
    console.print(stats_table(outcome.stats))
    if outcome.report_error:
        console.print(f"[yellow]report.html not written:[/] {outcome.report_error}", highlight=False)
    elif outcome.report_path:
        console.print(f"report: {outcome.report_path}")
    if manifest.export is not None and (outcome.rundir.root / "export" / "export.json").exists():
        record = load_export(outcome.rundir.root)
        console.print(
            f"export: {outcome.rundir.root / 'export'}  ({len(record['shards'])} shard(s), "
            f"{record['tokens_written']:,} tokens, blend.txt for Megatron-LM)"
        )
    console.print(
        f"run directory: {outcome.rundir.root}  (parts processed {outcome.processed_parts}, "
        f"skipped as complete {outcome.skipped_parts}, {outcome.wall_seconds:.1f} s)"
    )
    return EXIT_OK


def _cluster_command(args: argparse.Namespace, console: Console) -> int:
    if args.command == "submit":
        load_manifest(args.manifest)  # refuse an invalid manifest here, not on the cluster
        job_id = cluster.submit(args.manifest, args.address, ["--incremental"] if args.incremental else [], args.python)
        console.print(f"submitted job {job_id} to {args.address}")
        if args.wait is None:
            return EXIT_OK
        status = cluster.wait_for(job_id, args.address, args.wait)
    elif args.command == "logs":
        if args.follow:
            cluster.follow_logs(args.job_id, args.address, lambda text: console.out(text, end=""), args.follow)
        else:
            console.out(cluster.job_logs(args.job_id, args.address), end="")
        return EXIT_OK
    else:
        status = cluster.job_status(args.job_id, args.address)
    console.print(f"job {status['job_id']}: {status['status']} {status['message'] or ''}".rstrip())
    if status["status"] == "SUCCEEDED" or (args.command == "status" and status["status"] not in cluster.FINISHED):
        return EXIT_OK
    code = status.get("driver_exit_code")
    return code if status["status"] == "FAILED" and code in (EXIT_FAILURE, EXIT_USAGE, EXIT_ALARM) else EXIT_FAILURE


def print_nightly(console: Console, nightly: IncrementalOutcome) -> int:
    if nightly.outcome is not None:
        console.print(stats_table(nightly.outcome.stats))
    for line in nightly_lines(nightly.summary):
        console.print(line, highlight=False)
    console.print(f"summary: {nightly.summary_path}")
    return EXIT_ALARM if nightly.alarms else EXIT_OK


def _report(args: argparse.Namespace, console: Console, errors: Console) -> int:
    if (args.run_dir is None) == (args.compare is None):
        errors.print("[red]give either RUN_DIR or --compare RUN_A RUN_B[/]")
        return EXIT_USAGE
    try:
        if args.compare:
            summary: list[str] = []
            path = build_compare(*args.compare, output=args.output, lines=summary)
            for line in summary:
                console.print(line, highlight=False, markup=False)
        else:
            path = build_report(args.run_dir, output=args.output)
    except NotARunDirectory as error:
        errors.print(f"[red]{error}[/]")
        return EXIT_USAGE
    console.print(f"report: {path} ({path.stat().st_size / 1024:,.0f} KiB)")
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
        if args.command in ("submit", "status", "logs"):
            return _cluster_command(args, console)
        if args.command == "runs":
            console.print(runs_table(run_history(args.output_dir), args.output_dir))
            return EXIT_OK
        if args.command == "report":
            return _report(args, console, errors)
        if args.command == "train-lm":
            return train_lm_command(load_manifest(args.manifest), args.model_dir, args.force, console)
        if args.command == "export":
            return _export(args, console, errors)
        if args.command == "train-pii-tagger":
            return _train_pii_tagger(args, console, errors)
        return _run(args, console)
    except REFERENCE_MODEL_ERRORS as error:
        errors.print(f"[red]reference models:[/] {error}", markup=True, highlight=False)
        return EXIT_FAILURE
    except ManifestError as error:
        _print_manifest_error(errors, error)
        return EXIT_USAGE
    except (RunDirConflict, StateLocked) as error:
        errors.print(f"[red]{error}[/]")
        return EXIT_USAGE
    except (InputError, AccountingError, FileNotFoundError) as error:
        errors.print(f"[red]run failed:[/] {error}")
        return EXIT_FAILURE
    except ExportError as error:
        errors.print(f"[red]export failed:[/] {error}")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
