"""The composite action, the example workflow and the pre-commit hook: they parse, and every
input they use exists."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / ".github" / "actions" / "sansho-iac" / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "example-iac-gate.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _load(p: Path):
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def _strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def test_action_uses_only_declared_inputs_and_writes_a_report():
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"path", "fail-on", "format"}
    used = {m.group(1) for s in _strings(action["runs"]) for m in re.finditer(r"inputs\.([A-Za-z0-9_-]+)", s)}
    assert used and used <= set(action["inputs"]), used - set(action["inputs"])
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash"  # composite run steps must name their shell
    # outputs point at a step that exists and sets them
    ids = {s.get("id") for s in action["runs"]["steps"]}
    for out in action["outputs"].values():
        step = re.search(r"steps\.([\w-]+)\.outputs\.([\w-]+)", out["value"])
        assert step and step.group(1) in ids
    script = "\n".join(s["run"] for s in action["runs"]["steps"])
    assert "sansho iac" in script and "--fail-on" in script and "-o" in script
    assert "pip install" in script and "GITHUB_ACTION_PATH" in script
    # inputs reach the shell through env, never spliced into the script text
    assert not EXPR.search(script)


def test_example_workflow_passes_existing_inputs_and_uploads_sarif():
    wf = _load(WORKFLOW)
    action = _load(ACTION)
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    local = [s for s in steps if s.get("uses") == "./.github/actions/sansho-iac"]
    assert len(local) == 1
    given = set(local[0].get("with", {}))
    assert given <= set(action["inputs"]), given - set(action["inputs"])
    required = {k for k, v in action["inputs"].items() if v.get("required") and "default" not in v}
    assert required <= given
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1
    ref = re.search(r"steps\.([\w-]+)\.outputs\.([\w-]+)", upload[0]["with"]["sarif_file"])
    assert ref and ref.group(1) == local[0]["id"] and ref.group(2) in action["outputs"]
    assert local[0]["with"].get("format", "sarif") == "sarif"
    perms = next(iter(wf["jobs"].values())).get("permissions") or wf.get("permissions")
    assert perms["security-events"] == "write"
    # every path it scans exists in this repository
    for p in str(local[0]["with"]["path"]).split():
        assert (ROOT / p).exists(), p


def test_pre_commit_hook_runs_an_existing_console_script():
    hooks = _load(HOOKS)
    hook = next(h for h in hooks if h["id"] == "sansho-iac")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    argv = shlex.split(hook["entry"])
    assert argv[0] in scripts and argv[1:] == ["iac"]
    assert hook["language"] == "python"
    assert re.compile(hook["files"]).search("infra/main.tf")
    assert any(d.startswith("checkov==") for d in hook.get("additional_dependencies", []))
