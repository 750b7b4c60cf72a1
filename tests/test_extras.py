"""Without an optional extra installed, every command that needs it says which extra to install,
one line and exit 2, never `internal error: ModuleNotFoundError`. The missing module is simulated
by a None in sys.modules, which makes its import fail as if it were not installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "iac" / "corpus"
DEMO = Path(__file__).resolve().parents[1] / "policies" / "demo" / "estate"


def sansho_without(modules: tuple[str, ...], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    code = ("import sys\n"
            f"for m in {modules!r}: sys.modules[m] = None\n"
            "sys.argv = ['sansho', *sys.argv[1:]]\n"
            "from sansho.policies.cli import main\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("modules,args,line", [
    (("boto3",), ("collect", "aws", "--regions", "ap-northeast-1"),
     "the AWS collector needs boto3, which is not installed: pip install 'sansho[aws]'"),
    (("boto3",), ("scan", "--live", "aws", "--regions", "ap-northeast-1"),
     "the AWS collector needs boto3, which is not installed: pip install 'sansho[aws]'"),
    (("botocore",), ("collect", "aws"), "botocore is not installed: pip install 'sansho[aws]'"),
    (("checkov",), ("iac", str(CORPUS / "terraform" / "estate")),
     "sansho iac on Terraform and CloudFormation needs checkov, which is not installed: pip install 'sansho[iac]'"),
    (("checkov",), ("iac", str(CORPUS / "cloudformation" / "network.json")),
     "sansho iac on Terraform and CloudFormation needs checkov, which is not installed: pip install 'sansho[iac]'"),
    (("azure",), ("collect", "azure"),
     "the Azure collector needs azure-identity and azure-mgmt-resourcegraph: pip install 'sansho[azure]'"),
    (("google",), ("collect", "gcp", "--projects", "p"),
     "the GCP collector needs google-cloud-asset: pip install 'sansho[gcp]'"),
    (("distributed",), ("scan", str(DEMO / "aws.json"), "--cluster", "local:2"),
     "--cluster needs distributed, which is not installed: pip install 'sansho[distributed]'"),
    (("psycopg",), ("history", "list", "--history", "postgresql://u@127.0.0.1:1/h"),
     "postgresql+psycopg://u@127.0.0.1:1/h: the database driver is not installed: psycopg "
     "(pip install 'sansho[postgres]')"),
])
def test_a_missing_extra_is_named(modules, args, line):
    r = sansho_without(modules, *args)
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {line}\n")


def test_iac_reads_plans_without_checkov(tmp_path):
    r = sansho_without(("checkov",), "iac", str(CORPUS / "plan" / "stg.tfplan.json"), "--format", "json")
    assert r.returncode in (0, 1) and r.stderr == "", r.stderr


def test_pdf_report_names_its_extra(tmp_path):
    r = subprocess.run([str(Path(sys.executable).with_name("sansho")), "demo", "-o", str(tmp_path / "demo")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = sansho_without(("weasyprint",), "report", "--period", "2026Q4", "--history", str(tmp_path / "demo" / "history.db"),
                       "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("sansho: error: --format pdf needs weasyprint and Pango: pip install 'sansho[pdf]'")
