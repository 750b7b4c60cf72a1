"""A Terraform directory → normalized resources, not-scanned entries and suppression blocks."""

from __future__ import annotations

from pathlib import Path

from sansho.policies.model import Resource

from .common import MAX_BYTES, display_path, sniff
from .normalize import block_address, normalize_all
from .suppress import Block


def load_terraform_dir(directory: Path, var_files: list[Path]
                       ) -> tuple[list[Resource], list[tuple[str, str]], list[Block], dict[str, Path]]:
    from .hcl import load_directory

    problems: list[tuple[str, str]] = []
    # A binary or huge *.tf file would make the HCL parser fail or crawl: report and skip it.
    bad = []
    for f in sorted(directory.rglob("*.tf")):
        if ".terraform" in f.parts:
            continue
        why = sniff(f)
        if why:
            bad.append(f)
            problems.append((display_path(f), why))
    if bad:
        # checkov has no per-file exclusion for parse_hcl_module's directory walk other than
        # excluded_paths; a bad root file would otherwise abort the whole directory.
        raise_if_all_bad = all(f.parent == directory for f in bad) and not any(
            f not in bad for f in directory.glob("*.tf"))
        if raise_if_all_bad:
            return [], problems, [], {}
    hcl = load_directory(directory, var_files, exclude=[str(f.resolve()) for f in bad])
    problems += hcl.problems
    resources = normalize_all(hcl.resources, hcl.links)

    # Suppression blocks: every resource block (by file and line), and module calls.
    blocks: list[Block] = []
    files: dict[str, Path] = {}
    ends = {r.address: r.extra.get("end") for r in hcl.resources}
    ids_by_block: dict[tuple[str, int], list[str]] = {}
    for r in resources:
        if r.source.file and r.source.line:
            base = block_address(r.id)
            key = (r.source.file, r.source.line if base == r.id else _line_of(hcl, base) or r.source.line)
            ids_by_block.setdefault(key, []).append(r.id)
    for (file, line), ids in ids_by_block.items():
        addr = block_address(ids[0])
        blocks.append(Block(file, line, ends.get(addr), tuple(ids)))
    for inst, (call_file, call_line) in hcl.module_calls.items():
        members = tuple(r.id for r in resources if r.id.startswith(inst + "."))
        if call_line and members:
            blocks.append(Block(call_file, call_line, call_line, members))
    for f in sorted(directory.rglob("*.tf")):
        if ".terraform" not in f.parts and f.stat().st_size <= MAX_BYTES:
            files[display_path(f)] = f
    for tf in hcl.resources:
        if tf.file and tf.file not in files:
            p = Path(tf.file)
            if p.is_file():
                files[tf.file] = p
    return resources, problems, blocks, files


def _line_of(hcl: object, address: str) -> int | None:
    for r in hcl.resources:  # type: ignore[attr-defined]
        if r.address == address:
            return r.line
    return None
