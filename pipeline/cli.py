"""``arabic-ner``: the command line. It parses options and wires reader -> engine -> writer; nothing else.

Heavy libraries (pandas, pyarrow, dask, tqdm, the model) are imported only by the code paths that use them.
"""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import List, Optional

import typer

EXIT_CODES = """\b
Exit codes:
  0    success: every document was processed (reader warnings allowed)
  1    finished, but some documents failed (see --errors PATH and the summary line)
  2    usage or input error, nothing processed: bad option, missing or unreadable
       input, unknown format, missing text field/column, wrong Parquet schema,
       output exists (see --overwrite), output not writable
  3    the run stopped on an I/O or engine fault (disk full, worker died, model
       cannot load); finished chunks are kept in OUTPUT.partial/, rerun with --resume
  130  interrupted (Ctrl-C, SIGTERM); rerun with --resume to continue"""

app = typer.Typer(
    name="arabic-ner",
    help="Arabic entity extraction (PER, ORG, LOC, DATE) from text files and tables into mention tables.",
    epilog=EXIT_CODES,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Usage(Exception):
    """A usage error: one line on stderr, exit code 2."""


def _err(msg: str) -> None:
    print(f"arabic-ner: {msg}", file=sys.stderr)


def _split(value: Optional[str]) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _pipeline_config(config_path: Optional[Path], types: str, model: Optional[Path]) -> dict:
    from .finish import ALL_TYPES
    from .pipeline import default_config

    wanted = [t.upper() for t in _split(types)]
    unknown = sorted(set(wanted) - ALL_TYPES)
    if unknown or not wanted:
        raise Usage(f"--types: unknown type(s) {', '.join(unknown) or '(none given)'}; "
                    f"choose from {', '.join(sorted(ALL_TYPES))}")
    if config_path is not None:
        try:
            config = json.loads(Path(config_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Usage(f"--config {config_path}: cannot read JSON ({exc})") from None
        if not isinstance(config, dict) or not isinstance(config.get("stages"), list):
            raise Usage(f"--config {config_path}: expected an object with a 'stages' list")
        return config
    config = default_config(types=wanted, model_dir=str(model) if model else None)
    for stage in config["stages"]:
        if stage["name"] == "ner":
            from .paths import default_model_dir

            model_dir = Path(stage.get("model_dir") or default_model_dir())
            if not model_dir.is_dir():
                raise Usage(f"NER model not found at {model_dir}; pass --model DIR (or --types DATE for dates only)")
            stage["model_dir"] = str(model_dir.resolve())
    return config


@app.command(epilog=EXIT_CODES)
def extract(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...",
        help="A .txt file (one document, id = file stem), a folder of .txt, .jsonl/.ndjson, .csv/.tsv "
             "(each optionally .gz/.bz2/.xz/.zst), .parquet, a glob, or - for stdin."),
    output: str = typer.Option(..., "--output", "-o", help="Output file (.csv, .jsonl or .parquet)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
        help="csv | jsonl | parquet (default: from the output suffix)."),
    text_field: str = typer.Option("text", help="Field/column holding the text."),
    id_field: str = typer.Option("id", help="Field/column holding the document id (else <file stem>:<line>)."),
    date_field: Optional[str] = typer.Option(None,
        help="Field with the publication date, used to resolve relative dates (default: 'published' if present)."),
    keep_fields: Optional[str] = typer.Option(None, help="Comma-separated input fields copied into every row."),
    stdin_format: str = typer.Option("text", help="For '-': text (one document) or jsonl."),
    types: str = typer.Option("PER,ORG,LOC,DATE", help="Entity types to extract: PER,ORG,LOC,DATE[,MISC]."),
    model: Optional[Path] = typer.Option(None, help="NER model folder (default: the shipped models/ner)."),
    ner: str = typer.Option("ours", help="NER backend: ours | camel (camel-tools' BERT NER; needs its data, "
                                         "installed with `camel_data -i ner-arabert`)."),
    config: Optional[Path] = typer.Option(None, help="Pipeline config as JSON ({\"stages\": [...]}); "
                                                      "replaces --types/--model."),
    bom: bool = typer.Option(False, "--bom", "--excel",
        help="Spreadsheet mode (CSV): UTF-8 with BOM, and cells starting with = + - @ are neutralized with '."),
    context_chars: int = typer.Option(60, min=0, help="Characters of context each side of a mention."),
    workers: Optional[int] = typer.Option(None, min=1, help="Worker processes (default: all cores)."),
    engine: str = typer.Option("local",
        help="local | dask (with dask, OUTPUT becomes a folder of part files, e.g. out.parquet/part-00000.parquet)."),
    scheduler: Optional[str] = typer.Option(None,
        help="Dask scheduler address (default: a LocalCluster with --workers processes)."),
    errors: Optional[str] = typer.Option(None, help="Write per-document failures here (doc_id, stage, error)."),
    summary: Optional[str] = typer.Option(None,
        help="Write a per-document summary table here (doc_id, type, canonical, count, then --keep-fields)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run (same inputs and options)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    chunk_size: int = typer.Option(128, min=1,
        help="Documents per chunk (the unit of work and of checkpointing)."),
) -> None:
    """Extract entity mentions from INPUT... into OUTPUT (one row per mention)."""
    from .io.readers import InputError, ReadOptions, open_sources, total_count
    from .io.writers import ERROR_COLUMNS, SUMMARY_COLUMNS, OutputError, infer_format
    from .table import columns_for

    if engine not in ("local", "dask"):
        raise Usage(f"--engine: unknown engine {engine!r}; use local or dask")
    if resume and overwrite:
        raise Usage("--resume and --overwrite exclude each other")
    keep = _split(keep_fields)
    from .table import kept_column

    for name in keep:
        if kept_column(name) != name:
            _err(f"note: --keep-fields {name!r} is written as column {kept_column(name)!r} "
                 f"({name!r} is a column of the mention table)")
    try:
        out_fmt = infer_format(output, fmt)
        sink_specs = [("mentions", output, out_fmt, columns_for(keep))]
        if errors:
            sink_specs.append(("errors", errors, infer_format(errors), list(ERROR_COLUMNS)))
        if summary:
            sink_specs.append(("summary", summary, infer_format(summary),
                               list(SUMMARY_COLUMNS) + [kept_column(f, SUMMARY_COLUMNS) for f in keep]))
    except OutputError as exc:
        raise Usage(str(exc)) from None
    if bom and out_fmt != "csv":
        raise Usage("--bom/--excel applies to CSV output only")
    paths = [os.path.abspath(p) for _, p, _, _ in sink_specs]
    if len(set(paths)) != len(paths):
        raise Usage("--output, --errors and --summary must be different files")
    if os.path.isdir(output) and engine == "local":
        raise Usage(f"{output} is a folder; give an output file")

    read_opts = ReadOptions(text_field=text_field, id_field=id_field, date_field=date_field,
                            keep_fields=keep, stdin_format=stdin_format)
    try:
        sources = open_sources(inputs, read_opts)
    except InputError as exc:
        raise Usage(str(exc)) from None
    pipeline_config = _pipeline_config(config, types, model)
    if ner != "ours":
        from .integrations.camel import CamelDataError, with_ner_backend

        try:
            pipeline_config = with_ner_backend(pipeline_config, ner)
        except (CamelDataError, ValueError) as exc:
            raise Usage(str(exc)) from None

    from .engines.base import RunSpec, Sink, WorkDir

    spec = RunSpec(
        config=pipeline_config,
        sinks=[Sink(name, os.path.abspath(path), f, cols, bom and f == "csv") for name, path, f, cols in sink_specs],
        workdir=WorkDir.for_output(output),
        keep_fields=keep,
        context_chars=context_chars,
        part_header=engine == "dask",
    )
    if resume and os.path.exists(output) and not os.path.isdir(spec.workdir):
        _err(f"{output} is already complete; nothing to resume")
        return
    manifest = {"engine": engine, "inputs": [s.fingerprint() for s in sources],
                "read": {"text_field": text_field, "id_field": id_field, "date_field": date_field,
                         "stdin_format": stdin_format}}
    if any(s.fmt.startswith("stdin") for s in sources) and engine == "dask":
        raise Usage("--engine dask cannot read stdin; give files")
    show = not quiet and sys.stderr.isatty()

    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupt)
    from .io.writers import OutputError as _OutputError

    try:
        if engine == "local":
            from .engines import local
            from .io.readers import iter_documents

            total = total_count(sources)  # cheap: known for .txt, folders and Parquet, else None
            result = local.run(iter_documents(sources, read_opts), spec, manifest=manifest, workers=workers,
                               chunk_size=chunk_size, resume=resume, overwrite=overwrite, total=total,
                               progress=show)
        else:
            from .engines import dask as dask_engine

            result = dask_engine.run_sources(sources, read_opts, spec, manifest=manifest, workers=workers,
                                             scheduler=scheduler, chunk_size=chunk_size, resume=resume,
                                             overwrite=overwrite, progress=show)
    except _OutputError as exc:
        raise Usage(str(exc)) from None
    except KeyboardInterrupt:
        _err(f"interrupted; finished chunks are kept in {spec.workdir}, rerun with --resume to continue")
        raise typer.Exit(130)
    except Exception as exc:
        from .engines.base import describe

        name = type(exc).__name__
        msg = str(exc) if name in ("EngineError",) else describe(exc)
        _err(f"error: {' '.join(msg.split())}")
        if os.path.isdir(spec.workdir):
            _err(f"finished chunks are kept in {spec.workdir}; rerun with --resume")
        raise typer.Exit(3)
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
    for e in result.error_samples[:5]:
        _err(f"failed: {e['doc_id']} [{e['stage']}] {e['error']}")
    if result.errors > 5:
        _err(f"... {result.errors - 5} more failures" + ("" if errors else " (write them with --errors PATH)"))
    _err(f"{result.summary_line()} -> {output}")
    if result.errors:
        raise typer.Exit(1)


@app.command(epilog="Exit codes: 0 success, 2 usage error (missing gold file or model).")
def evaluate(
    gold: Path = typer.Argument(..., help="Gold CoNLL file (token TAG per line, blank line between sentences)."),
    model: Optional[Path] = typer.Option(None, help="NER model folder (default: the shipped models/ner)."),
) -> None:
    """Score the NER model on a gold CoNLL file: per-type and micro P/R/F1 (exact spans)."""
    if not gold.is_file():
        raise Usage(f"{gold}: no such file")
    from .paths import default_model_dir

    model_dir = model or default_model_dir()
    if not Path(model_dir).is_dir():
        raise Usage(f"NER model not found at {model_dir}; pass --model DIR")
    from .evaluation.ner import evaluate_conll, format_result
    from .recognize.model import EntityRecognizer

    recognizer = EntityRecognizer(model_dir)
    res = evaluate_conll(gold, recognizer)
    print(format_result(res, f"{gold} ({model_dir})"))


@app.command(epilog="Exit codes: 0 success, 2 usage or input error (nothing written).")
def render(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="Files, folders or globs, as for extract."),
    output: Path = typer.Option(..., "--output", "-o", help="HTML page to write."),
    chart: Optional[Path] = typer.Option(None, help="Also write a PNG chart of the top entities per type "
                                                    "(needs the render extra: pip install -e '.[render]')."),
    top: int = typer.Option(10, min=1, help="Entities listed per type in the summary and the chart."),
    max_docs: int = typer.Option(500, min=0, help="Documents shown in full (the summary counts all)."),
    text_field: str = typer.Option("text", help="Field/column holding the text."),
    id_field: str = typer.Option("id", help="Field/column holding the document id."),
    types: str = typer.Option("PER,ORG,LOC,DATE", help="Entity types: PER,ORG,LOC,DATE[,MISC]."),
    model: Optional[Path] = typer.Option(None, help="NER model folder (default: the shipped models/ner)."),
    config: Optional[Path] = typer.Option(None, help="Pipeline config as JSON ({\"stages\": [...]})."),
    ner: str = typer.Option("ours", help="NER backend: ours | camel (camel-tools' BERT, needs camel_data)."),
) -> None:
    """Right-to-left HTML page with the entities highlighted by type, and a summary."""
    from .integrations.camel import CamelDataError, with_ner_backend
    from .integrations.render import render as render_page
    from .engines.base import build_pipeline
    from .io.readers import InputError
    from .pipeline import default_config

    try:
        cfg = with_ner_backend(default_config(types=_split(types)) if ner == "camel" and not config
                               else _pipeline_config(config, types, model), ner)
        render_page(inputs, output, nlp=build_pipeline(cfg), chart=chart, top_n=top, max_docs=max_docs, text_field=text_field, id_field=id_field)
    except (InputError, CamelDataError, ValueError) as exc:
        raise Usage(str(exc)) from None
    print(f"wrote {output}" + (f" and {chart}" if chart else ""), file=sys.stderr)


def _raise_interrupt(signum, frame):  # SIGTERM behaves like Ctrl-C: stop, keep finished chunks
    raise KeyboardInterrupt


def main(argv: Optional[list[str]] = None) -> int:
    """Console entry point (``arabic-ner``). Usage errors are one line on stderr, exit code 2."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=argv, prog_name="arabic-ner", standalone_mode=False)
        code = rv if isinstance(rv, int) else 0
    except Usage as exc:
        _err(f"error: {exc}")
        code = 2
    except (KeyboardInterrupt, EOFError):
        _err("interrupted")
        code = 130
    except Exception as exc:
        # click's (typer-vendored) exceptions, matched by shape rather than by a private import path
        name = type(exc).__name__
        if name == "NoArgsIsHelpError" and getattr(exc, "ctx", None) is not None:
            print(exc.ctx.get_help(), file=sys.stderr)
            code = 2
        elif hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            ctx = getattr(exc, "ctx", None)
            where = f"arabic-ner {ctx.info_name} --help" if ctx is not None and ctx.parent is not None \
                else "arabic-ner --help"
            _err(f"error: {exc.format_message()} (see {where})")
            code = exc.exit_code
        elif hasattr(exc, "exit_code"):
            code = exc.exit_code
        elif name == "Abort":
            _err("interrupted")
            code = 130
        else:
            raise
    if argv is None:
        sys.exit(code)
    return code


if __name__ == "__main__":
    main()
