"""Benchmark: `sansho iac` against a plain `checkov -d` (its default checks) on one generated corpus.

Run:  .venv/bin/python tests/bench/bench_iac.py [--modules 6] [--per-module 24] [--repeat 3]

Generates a Terraform root that calls several local modules (each a small service: S3 buckets
with their split-off encryption / public-access-block / versioning / policy resources, RDS,
security groups and rules, KMS keys, EBS volumes, listeners), several instances per module,
so that the configuration holds ≥ 500 resources. Times both tools in the same run, on the same
directory, each as a user would start it (a subprocess), and prints the figures and the ratio.
Target (issue #5): sansho ≤ 0.5 × checkov. Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

MODULE = """
variable "name" {{ type = string }}
variable "cidr" {{ type = string }}
variable "tags" {{ type = map(string) }}
{resources}
output "bucket_arns" {{ value = [{outputs}] }}
"""

UNIT = """
resource "aws_kms_key" "k{i}" {{
  description         = "${{var.name}}-{i}"
  enable_key_rotation = {rot}
}}
resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{var.name}}-data-{i}"
  tags   = var.tags
}}
resource "aws_s3_bucket_server_side_encryption_configuration" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k{i}.arn
    }}
  }}
}}
resource "aws_s3_bucket_public_access_block" "b{i}" {{
  bucket                  = aws_s3_bucket.b{i}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = {restrict}
}}
resource "aws_s3_bucket_versioning" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  versioning_configuration {{ status = "{versioning}" }}
}}
resource "aws_s3_bucket_policy" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Deny", Principal = "*", Action = "s3:*"
      Resource  = ["arn:aws:s3:::${{var.name}}-data-{i}/*"]
      Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
    }}]
  }})
}}
resource "aws_db_instance" "db{i}" {{
  identifier              = "${{var.name}}-db-{i}"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  storage_encrypted       = {enc}
  kms_key_id              = aws_kms_key.k{i}.arn
  publicly_accessible     = false
  backup_retention_period = {retention}
  tags                    = var.tags
}}
resource "aws_ebs_volume" "v{i}" {{
  availability_zone = "ap-northeast-1a"
  size              = 20
  encrypted         = {enc}
  tags              = var.tags
}}
resource "aws_security_group" "sg{i}" {{
  name = "${{var.name}}-sg-{i}"
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }}
}}
resource "aws_security_group_rule" "admin{i}" {{
  type              = "ingress"
  security_group_id = aws_security_group.sg{i}.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["{admin_cidr}"]
}}
"""
PER_UNIT = 11  # resources in UNIT

ROOT = """
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = ">= 5.0" }}
  }}
}}
provider "aws" {{ region = var.region }}
provider "aws" {{
  alias  = "osaka"
  region = "ap-northeast-3"
}}
variable "region" {{ default = "ap-northeast-1" }}
locals {{
  tags = {{ "sansho:medical" = "true", "data-classification" = "medical", "retention" = "5y" }}
}}
{calls}
"""


def generate(root: Path, modules: int, per_module: int, instances: int) -> int:
    units = max(1, per_module // PER_UNIT)
    calls = []
    for m in range(modules):
        body = []
        for i in range(units):
            odd = (i + m) % 3 == 0
            body.append(UNIT.format(
                i=i, rot="false" if odd else "true", restrict="false" if odd else "true",
                versioning="Suspended" if odd else "Enabled", enc="false" if odd else "true",
                retention=1 if odd else 14, admin_cidr="0.0.0.0/0" if odd else "10.0.0.0/8"))
        outputs = ", ".join(f"aws_s3_bucket.b{i}.arn" for i in range(units))
        d = root / "modules" / f"svc{m}"
        d.mkdir(parents=True)
        (d / "main.tf").write_text(MODULE.format(resources="\n".join(body), outputs=outputs), encoding="utf-8")
        for n in range(instances):
            provider = "\n  providers = { aws = aws.osaka }" if n % 2 else ""
            calls.append(f'module "svc{m}_{n}" {{\n  source = "./modules/svc{m}"\n  name   = "svc{m}-{n}"\n'
                         f'  cidr   = "10.{m}.{n}.0/24"\n  tags   = local.tags{provider}\n}}\n')
    (root / "main.tf").write_text(ROOT.format(calls="\n".join(calls)), encoding="utf-8")
    return modules * units * PER_UNIT * instances


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env)
    return time.perf_counter() - t0, p


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", type=int, default=6)
    ap.add_argument("--per-module", type=int, default=44, help="resources per module (rounded to units of 11)")
    ap.add_argument("--instances", type=int, default=2, help="calls of each module")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("SANSHO_LANG", "SANSHO_DEBUG")}
    # checkov without a platform key still tries to fetch its guideline mappings; keep it offline
    env.update(BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    with tempfile.TemporaryDirectory(prefix="sansho-bench-iac-") as tmp:
        root = Path(tmp) / "estate"
        root.mkdir()
        n = generate(root, args.modules, args.per_module, args.instances)
        print(f"corpus: {n} resources in {args.modules} modules × {args.instances} calls ({root})")
        sansho = [str(BIN / "sansho"), "iac", str(root), "--format", "json", "-o", str(Path(tmp) / "sansho.json"),
                  "--as-of", "2026-11-01"]
        checkov = [str(BIN / "checkov"), "-d", str(root), "--framework", "terraform", "-o", "json",
                   "--output-file-path", str(Path(tmp) / "checkov-out"), "--quiet", "--compact"]
        s_times, c_times = [], []
        for _ in range(args.repeat):
            t, p = timed(sansho, Path(tmp), env)
            assert p.returncode in (0, 1), p.stderr[-2000:]
            s_times.append(t)
            t, p = timed(checkov, Path(tmp), env)
            assert p.returncode in (0, 1), p.stderr[-2000:]
            c_times.append(t)
        doc = json.loads((Path(tmp) / "sansho.json").read_text(encoding="utf-8"))
        judged = len({f["resource"]["id"] for f in doc["findings"]})
        ck = json.loads((Path(tmp) / "checkov-out" / "results_json.json").read_text(encoding="utf-8"))
        ck_summary = ck["summary"] if isinstance(ck, dict) else ck[0]["summary"]
        s, c = statistics.median(s_times), statistics.median(c_times)
        print(f"sansho iac : median {s:6.2f} s of {args.repeat} ({', '.join(f'{x:.2f}' for x in s_times)}); "
              f"{len(doc['findings'])} findings on {judged} normalized resources")
        print(f"checkov -d : median {c:6.2f} s of {args.repeat} ({', '.join(f'{x:.2f}' for x in c_times)}); "
              f"{ck_summary['passed']} passed, {ck_summary['failed']} failed, "
              f"{ck_summary['resource_count']} resources")
        print(f"ratio sansho / checkov: {s / c:.2f}× (target ≤ 0.50×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
