"""callcoach models: list the known speech models and download them."""

from __future__ import annotations

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from .. import models


def add_parser(sub) -> None:
    p = sub.add_parser("models", help="list or download Vosk speech models",
                       description="Known Vosk models; downloads go to $CALLCOACH_MODELS "
                                   "(default ~/.local/share/callcoach/models).")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    ls = verbs.add_parser("list", help="known models, whether installed, and where")
    ls.set_defaults(run=run_list)
    dl = verbs.add_parser("download", help="download, verify and install a model")
    dl.add_argument("name", help="registry name, e.g. vosk-model-small-cn-0.22")
    dl.add_argument("--sha256", metavar="HEX", help="expected sha256 of the zip (required when the "
                    "registry has none)")
    dl.add_argument("--allow-unverified", action="store_true", help="install without a checksum")
    dl.add_argument("--url", metavar="BASE", help="download from a mirror (folder URL holding NAME.zip)")
    dl.set_defaults(run=run_download)


def run_list(args, console) -> int:
    table = Table(title="Vosk models")
    for col in ("name", "lang", "size", "installed", "where / description"):
        table.add_column(col)
    for item in models.listing():
        s = item.spec
        table.add_row(s.name, s.language, f"{s.size_mb:g} MB", "yes" if item.installed else "no",
                      str(item.path) if item.path else s.description)
    console.print(table)
    console.print(f"models directory: {models.models_dir()}", highlight=False)
    return 0


def run_download(args, console) -> int:
    with Progress(TextColumn(f"[bold]{args.name}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  console=console) as bar:
        task = bar.add_task("download", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        path = models.download(args.name, sha256=args.sha256, allow_unverified=args.allow_unverified,
                               base_url=args.url, progress=progress)
    console.print(f"installed {args.name} in {path}", highlight=False)
    return 0
