"""callcoach models: list the known speech models and download them."""

from __future__ import annotations

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from .. import models


def add_parser(sub) -> None:
    p = sub.add_parser(
        "models",
        help="list or download Vosk speech models",
        description="Known Vosk models; downloads go to $CALLCOACH_MODELS (default ~/.local/share/callcoach/models).",
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    ls = verbs.add_parser("list", help="known models, whether installed, and where")
    ls.set_defaults(run=run_list)
    dl = verbs.add_parser("download", help="download, verify and install a model")
    dl.add_argument("name", help="registry name, e.g. vosk-model-small-cn-0.22")
    dl.add_argument("--sha256", metavar="HEX", help="expected sha256 of the zip (required when the registry has none)")
    dl.add_argument("--allow-unverified", action="store_true", help="install without a checksum")
    dl.add_argument("--url", metavar="BASE", help="download from a mirror (folder URL holding NAME.zip)")
    dl.set_defaults(run=run_download)


def run_list(args, console) -> int:
    items = models.listing()
    table = Table(title="Vosk models")
    # Names are never cut or wrapped (they are typed back into `models download`); the last column folds.
    table.add_column("name", no_wrap=True, min_width=max((len(i.spec.name) for i in items), default=4))
    table.add_column("lang", no_wrap=True)
    table.add_column("size", no_wrap=True)
    table.add_column("installed", no_wrap=True)
    table.add_column("where / description", overflow="fold")
    for item in items:
        s = item.spec
        table.add_row(
            s.name,
            s.language,
            f"{s.size_mb:g} MB",
            "yes" if item.installed else "no",
            str(item.path) if item.path else s.description,
        )
    console.print(table)
    console.print(f"models directory: {models.models_dir()}", highlight=False)
    return 0


def run_download(args, console) -> int:
    with Progress(
        TextColumn(f"[bold]{args.name}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=console
    ) as bar:
        task = bar.add_task("download", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        spec = models.registry()[1].get(args.name)
        first_use = spec is not None and spec.trust_on_first_use and models.recorded_sha256(args.name) is None
        path = models.download(
            args.name, sha256=args.sha256, allow_unverified=args.allow_unverified, base_url=args.url, progress=progress
        )
    console.print(f"installed {args.name} in {path}", highlight=False, soft_wrap=True)
    recorded = models.recorded_sha256(args.name) if spec is not None and spec.trust_on_first_use else None
    if recorded:
        trust_file = models.models_dir() / models.TRUST_FILE
        if first_use:
            console.print(
                f"trust on first use: no sha256 is published for {args.name}; its size matched, and "
                f"this download's sha256 {recorded} is recorded in {trust_file}; "
                "later downloads must match it",
                highlight=False,
                soft_wrap=True,
            )
        else:
            console.print(
                f"verified against the sha256 recorded on its first download ({recorded}, {trust_file})",
                highlight=False,
                soft_wrap=True,
            )
    return 0
