"""A file `sansho iac` cannot parse is an error naming it (issue 15 item 3).

Before, a folder whose only ``.tf`` file had a syntax error exited 0 with an empty SARIF: the
parse error was a warning on stderr and the folder counted as scanned. Now every such file is
one line (``<file>: cannot parse: <reason>``, exit 2), unless ``--skip-unparsable``: then the
outputs carry it (SARIF toolExecutionNotifications, tested against the schema in
test_sarif_schema.py; the JSON and table summaries count it) and the rest is judged.

checkov's HCL parser reports syntax errors, but leaves out two things without one: ``*.tf.json``
files (never read) and blocks with a wrong number of labels (dropped or truncated); both are
detected by comparing what is on disk with what it read.
"""

from __future__ import annotations

import json

import pytest

from ..support.cli import run

BROKEN = 'resource "aws_security_group" "x" {\n  name = "x"\n  ingress {\n    from_port = 22\n'
GOOD = 'resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n}\n'
REASON = "invalid HCL: Unexpected token end of file at line 4, column 19."


@pytest.fixture
def only_broken(tmp_path):
    d = tmp_path / "infra"
    d.mkdir()
    (d / "main.tf").write_text(BROKEN, encoding="utf-8")
    return d


@pytest.fixture
def one_broken(tmp_path):
    d = tmp_path / "infra"
    d.mkdir()
    (d / "main.tf").write_text(GOOD, encoding="utf-8")
    (d / "broken.tf").write_text(BROKEN, encoding="utf-8")
    return d


def test_a_folder_whose_only_tf_file_is_broken_is_exit_2(only_broken, tmp_path):
    out = tmp_path / "iac.sarif"
    r = run("iac", str(only_broken), "--format", "sarif", "-o", str(out))
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {only_broken / 'main.tf'}: cannot parse: {REASON}\n")
    assert not out.exists()
    r = run("iac", str(only_broken), "--skip-unparsable")  # and nothing else to judge
    assert r.returncode == 2 and "sansho: error: nothing could be scanned" in r.stderr


def test_every_unparsable_file_is_one_line(tmp_path):
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(GOOD, encoding="utf-8")
    (tf / "a.tf").write_text(BROKEN, encoding="utf-8")
    (tf / "b.tf").write_text('resource "aws_s3_bucket" {\n  bucket = "no name"\n}\n', encoding="utf-8")
    (tf / "c.tf.json").write_text('{"resource": {"aws_s3_bucket": {"j": {"bucket": "y"}}}}', encoding="utf-8")
    cfn = tmp_path / "broken.cfn.yaml"
    cfn.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n'
                   '    Properties: {BucketName: [x\n', encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": "1.2", "planned_values": {', encoding="utf-8")
    r = run("iac", str(tf), str(cfn), str(plan))
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines == [
        f"sansho: error: {tf / 'a.tf'}: cannot parse: {REASON}",
        f"sansho: error: {tf / 'b.tf'}: cannot parse: invalid HCL: a resource block needs 2 label(s), found 1 "
        "at line 1",
        f"sansho: error: {tf / 'c.tf.json'}: cannot parse: not read by checkov's HCL parser: Terraform JSON "
        "syntax (.tf.json) is not supported; write it as .tf, or scan a plan",
        lines[3],
        f"sansho: error: {plan}: cannot parse: malformed JSON: Expecting property name enclosed in double quotes "
        "(line 1)",
    ]
    assert lines[3] == f"sansho: error: {cfn}: cannot parse: invalid YAML/JSON: did not find expected ',' or ']' (line 6)"


def test_skip_unparsable_judges_the_rest_and_counts_what_was_not_parsed(one_broken):
    r = run("iac", str(one_broken), "--format", "json", "--skip-unparsable", "--controls", "SAN-ENC-001")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["unparsed_files"] == 1
    assert doc["unparsed"] == [{"location": f"{one_broken / 'broken.tf'}:4", "reason": REASON}]
    assert [f["resource"]["id"] for f in doc["findings"]] == ["aws_s3_bucket.ok"]
    r = run("iac", str(one_broken), "--skip-unparsable", "--controls", "SAN-ENC-001")
    assert r.returncode == 0, r.stderr
    assert "1 file(s) not parsed and not judged." in " ".join(r.stdout.split())
