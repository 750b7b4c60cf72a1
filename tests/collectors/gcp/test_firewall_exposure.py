"""GCP firewall rules from a `gcloud asset export`: the rules of one network judged together,
an inverted port range refused (issue 15 item 1).

Before, two rules of one network opening port 22 to 0.0.0.0/1 and 128.0.0.0/1 passed
SAN-NET-001, and a port range `23-22` was read as a range of no ports.
"""

from __future__ import annotations

import json

from ...support.cli import run
from .hospital import _firewall, export_line

PID = "hosp-ehr"
SSH = [{"IPProtocol": "tcp", "ports": ["22"]}]


def _export(tmp_path, assets: list[dict]):
    p = tmp_path / "resource.json"
    p.write_text("".join(export_line(a) + "\n" for a in assets), encoding="utf-8")
    return p


def test_rules_of_one_network_are_unioned(tmp_path):
    export = _export(tmp_path, [
        _firewall(PID, "ssh-lower-half", sourceRanges=["0.0.0.0/1"], allowed=SSH),
        _firewall(PID, "ssh-upper-half", sourceRanges=["128.0.0.0/1"], allowed=SSH, targetTags=["bastion"]),
        _firewall(PID, "ssh-ipv6", sourceRanges=["2000::/3"], allowed=SSH),
        _firewall(PID, "ssh-web-tagged", sourceTags=["web"], allowed=SSH),
        _firewall(PID, "other-net-slash-7", sourceRanges=["4.0.0.0/7"], allowed=SSH,
                  network=f"https://www.googleapis.com/compute/v1/projects/{PID}/global/networks/lab-vpc"),
        _firewall(PID, "ssh-slash-7", sourceRanges=["200.0.0.0/7"], allowed=SSH, targetTags=["db"]),
    ])
    inv = tmp_path / "gcp.json"
    r = run("collect", "gcp", "--from-export", str(export), "-o", str(inv))
    assert r.returncode == 0, r.stderr
    r = run("scan", str(inv), "--controls", "SAN-NET-001", "--format", "json")
    assert r.returncode == 1, r.stderr
    got = {f["resource"]["id"].rsplit("/", 1)[1]: f["status"] for f in json.loads(r.stdout)["findings"]}
    # ssh-slash-7 (0.9 %) targets "db": the lower half (every instance of ehr-vpc) reaches those
    # instances too, and the /7 adds to it, so the union on port 22 is the internet; the /7 of
    # lab-vpc is another network; ssh-web-tagged admits other instances only.
    assert got == {"ssh-lower-half": "FAIL", "ssh-upper-half": "FAIL", "ssh-ipv6": "FAIL",
                   "ssh-web-tagged": "PASS", "other-net-slash-7": "PASS", "ssh-slash-7": "FAIL"}


def test_an_inverted_port_range_in_an_export_is_an_input_error(tmp_path):
    export = _export(tmp_path, [_firewall(PID, "ssh", sourceRanges=["10.0.0.0/8"],
                                          allowed=[{"IPProtocol": "tcp", "ports": ["23-22"]}])])
    r = run("collect", "gcp", "--from-export", str(export))
    assert r.returncode == 2
    assert "resource.data.allowed[0].ports[0]" in r.stderr
    assert r.stderr.endswith("inverted port range 23-22: from_port is greater than to_port\n")
