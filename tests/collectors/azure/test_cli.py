"""The real commands as a user runs them: `sansho collect azure` signing in through
DefaultAzureCredential (environment service principal) against the local server, `sansho scan`
on the inventory, and the same estate as an `az graph query -o json` export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sansho.collectors.azure.queries import EXPORT_QUERY

from .estate import CONN_CANARY, KEY_CANARY, SAS_CANARY, SUB_A, SUB_B
from .fake_azure import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, TENANT

SANSHO = str(Path(sys.executable).with_name("sansho"))
DOCS = Path(__file__).resolve().parents[3] / "docs" / "azure.md"


def run(*args: str, url: str | None = None, cert: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "MSAL_")) and k != "SANSHO_LANG"}
    if url:
        env.update(AZURE_TENANT_ID=TENANT, AZURE_CLIENT_ID=CLIENT_ID, AZURE_CLIENT_SECRET=CLIENT_SECRET,
                   AZURE_AUTHORITY_HOST=url, REQUESTS_CA_BUNDLE=str(cert), SSL_CERT_FILE=str(cert),
                   CURL_CA_BUNDLE=str(cert))
    return subprocess.run([SANSHO, *args], capture_output=True, text=True, env=env, timeout=120)


def verdicts(inventory: Path) -> dict[str, dict[str, set[str]]]:
    r = run("scan", str(inventory), "--format", "json", "--lang", "en")
    assert r.returncode == 1, r.stderr  # critical and high FAILs in the estate
    out: dict[str, dict[str, set[str]]] = {}
    for f in json.loads(r.stdout)["findings"]:
        out.setdefault(f["control_id"], {}).setdefault(f["status"], set()).add(f["resource"]["id"])
    return out


def failing(v: dict, control: str) -> set[str]:
    return v.get(control, {}).get("FAIL", set())


def unknown(v: dict, control: str) -> set[str]:
    return v.get(control, {}).get("UNKNOWN", set())


# Controls judged from what Resource Graph itself shows: an export must give the same verdicts.
GRAPH_CONTROLS = ("SAN-LOC-001", "SAN-ENC-001", "SAN-ENC-003", "SAN-ENC-004", "SAN-NET-001", "SAN-NET-002",
                  "SAN-BKP-002", "SAN-MAL-001")


def test_collect_live_then_scan(azure, estate, certificate, tmp_path):
    fake, url = azure
    inv = tmp_path / "azure.json"
    r = run("collect", "azure", "--endpoint-url", url, "-o", str(inv), url=url, cert=certificate[0])
    assert r.returncode == 0, r.stderr
    assert "from 2 subscription(s)" in r.stderr and "1 items could not be read" in r.stderr, r.stderr
    # msal discovered the tenant's endpoints and fetched a token from them.
    assert ("GET", f"/{TENANT}/v2.0/.well-known/openid-configuration") in fake.requests
    assert ("POST", f"/{TENANT}/oauth2/v2.0/token") in fake.requests
    text = inv.read_text(encoding="utf-8")
    for canary in (SAS_CANARY, KEY_CANARY, CONN_CANARY, ACCESS_TOKEN, CLIENT_SECRET, "CANARY"):
        assert canary not in text and canary not in r.stderr
    v = verdicts(inv)
    ids = estate.ids
    assert failing(v, "SAN-LOC-001") == {ids["st_us"], ids["disk_us"], ids["bv_us"]}
    assert failing(v, "SAN-LOC-002") == {ids["st_us"], ids["db_lab"], ids["bv_us"]}
    # st_open: no container is public, but the account allows anonymous access from every network
    assert failing(v, "SAN-NET-003") == {ids["st_web"], ids["st_open"]}
    assert failing(v, "SAN-ENC-004") == {ids["st_web"]}
    assert failing(v, "SAN-BKP-006") == set()  # versioning is off only where no medical data is kept
    assert v["SAN-BKP-006"]["NOT_APPLICABLE"] == {ids[k] for k in ("st_web", "st_logs", "st_open", "st_partner",
                                                                    "st_logs_unlocked")}
    assert failing(v, "SAN-NET-004") == {ids["db_emr"]}
    assert failing(v, "SAN-ENC-002") == {ids["db_lab"]}
    assert failing(v, "SAN-BKP-005") == {ids["db_lab"]}
    # lab is audited neither by its server nor by itself; pacs, on the same server, by its own policy,
    # but for logins only: no read of medical information is recorded (no longer a PASS).
    assert failing(v, "SAN-LOG-007") == {ids["db_lab"], ids["db_pacs"]}
    assert v["SAN-LOG-007"]["PASS"] == {ids["db_emr"]}
    assert failing(v, "SAN-NET-001") == {ids["rule_allow-ssh-any"], ids["rule_allow-sql-rdp"]}
    assert failing(v, "SAN-NET-002") == {ids["rule_allow-sql-rdp"]}
    assert failing(v, "SAN-ENC-006") == {ids["key_cmk-never"], ids["key_cmk-slow"]}
    # rsv-imaging's immutability is on but Unlocked: a privileged user can turn it off (no longer a PASS)
    assert failing(v, "SAN-BKP-002") == {ids["rsv_open"], ids["bv_us"], ids["rsv_unlocked"]}
    assert failing(v, "SAN-LOG-004") == {ids["trail_b"]}  # 30 days of immutability, no longer
    # hospital-dr's Activity Log goes to a container whose immutability policy is Unlocked
    assert failing(v, "SAN-LOG-003") == {ids["trail_b"]} and unknown(v, "SAN-LOG-003") == set()
    assert failing(v, "SAN-REC-001") == {ids["st_records_unlocked"]}
    assert v["SAN-REC-001"]["PASS"] == {ids["st_records"]}
    assert failing(v, "SAN-MAL-001") == {ids["plan_1_StorageAccounts"], ids["plan_2_VirtualMachines"]}
    assert failing(v, "SAN-ENC-001") == failing(v, "SAN-ENC-003") == set()
    assert unknown(v, "SAN-LOG-002") == {ids["trail_a"], ids["trail_b"]}

    # The same estate exported with az graph query gives the same verdicts where Resource Graph
    # shows the setting, and UNKNOWN with the reason where only the management plane does.
    export = tmp_path / "export.json"
    records = estate.export_records()
    export.write_text(json.dumps({"count": len(records), "data": records, "skip_token": None,
                                  "total_records": len(records)}), encoding="utf-8")
    inv2 = tmp_path / "from-export.json"
    r = run("collect", "azure", "--from-export", str(export), "-o", str(inv2))
    assert r.returncode == 0, r.stderr
    v2 = verdicts(inv2)
    for control in GRAPH_CONTROLS:
        assert v2.get(control) == v.get(control), control
    # Public storage from the account's properties alone: the same failures as live; only the account
    # whose firewall lets a partner range in needs its containers, which an export does not show.
    assert failing(v2, "SAN-NET-003") == failing(v, "SAN-NET-003")
    assert unknown(v2, "SAN-NET-003") == {ids["st_partner"]} and not unknown(v, "SAN-NET-003")
    doc2 = {x["id"]: x for x in json.loads(inv2.read_text(encoding="utf-8"))["resources"]}
    assert doc2[ids["st_partner"]]["read_errors"]["public"].startswith("blob containers (public access, immutability policies): not in a Resource Graph")
    databases = {ids["db_emr"], ids["db_lab"], ids["db_pacs"]}
    assert unknown(v2, "SAN-ENC-002") == databases
    assert unknown(v2, "SAN-LOG-007") == databases  # both auditing policies are management-plane reads
    doc = json.loads(inv2.read_text(encoding="utf-8"))
    lab = next(x for x in doc["resources"] if x["id"] == ids["db_lab"])
    assert lab["read_errors"]["encrypted"].startswith("transparent data encryption: not in a Resource Graph export")
    assert lab["read_errors"]["audit_logging"] == (
        "SQL server auditing: not in a Resource Graph export (Resource Graph does not show it); collect live "
        "with `sansho collect azure` to read it; SQL database auditing: not in a Resource Graph export "
        "(Resource Graph does not show it); collect live with `sansho collect azure` to read it")
    assert lab["source"] == {"type": "inventory", "file": str(export)}


def test_scan_live_with_a_refused_query(azure_denying, estate, certificate):
    fake, url = azure_denying
    fake.denied_tables.add("securityresources")
    fake.denied_paths.add(estate.ids["sql_jp"].lower() + "/firewallrules")
    fake.denied_paths.add(estate.ids["db_lab"].lower() + "/auditingsettings")
    r = run("scan", "--live", "azure", "--endpoint-url", url, "--subscriptions", f"{SUB_A},{SUB_B}",
            "--controls", "SAN-MAL-001,SAN-NET-004,SAN-ENC-002,SAN-LOG-007", "--format", "json", "--lang", "en",
            url=url, cert=certificate[0])
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    got = {(f["control_id"], f["resource"]["id"]): f for f in doc["findings"]}
    ids = estate.ids
    for sub in (SUB_A, SUB_B):
        f = got[("SAN-MAL-001", f"/subscriptions/{sub}/providers/Microsoft.Security/pricings")]
        assert f["status"] == "UNKNOWN"
        assert "AuthorizationFailed: Microsoft.ResourceGraph/resources/read" in f["message"]
    assert got[("SAN-NET-004", ids["db_emr"])]["status"] == "UNKNOWN"
    assert "Microsoft.Sql/servers/firewallRules/read" in got[("SAN-NET-004", ids["db_emr"])]["message"]
    assert got[("SAN-NET-004", ids["db_lab"])]["status"] == "PASS"
    assert got[("SAN-ENC-002", ids["db_lab"])]["status"] == "FAIL"
    # lab's own auditing policy could not be read and its server's is off: not known, never FAIL.
    lab = got[("SAN-LOG-007", ids["db_lab"])]
    assert lab["status"] == "UNKNOWN"
    assert "AuthorizationFailed: Microsoft.Sql/servers/databases/auditingSettings/read" in lab["message"]
    assert {i: got[("SAN-LOG-007", ids[i])]["status"] for i in ("db_emr", "db_pacs")} == {
        "db_emr": "PASS", "db_pacs": "FAIL"}  # pacs audits logins only
    pacs = got[("SAN-LOG-007", ids["db_pacs"])]["message"]
    assert "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP" in pacs and "BATCH_COMPLETED_GROUP" in pacs


def test_bare_list_export_and_malformed_exports(estate, tmp_path):
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(estate.export_records()), encoding="utf-8")
    r = run("collect", "azure", "--from-export", str(bare), "-o", str(tmp_path / "inv.json"))
    assert r.returncode == 0, r.stderr
    records = estate.export_records()
    bad = json.loads(json.dumps(records))
    st = next(i for i, x in enumerate(bad) if x["id"] == estate.ids["st_web"])
    bad[st]["properties"]["supportsHttpsTrafficOnly"] = "false"
    cases = {
        "notjson.json": ("{", "not JSON (line 1, column 2"),
        "nodata.json": (json.dumps({"count": 1}), "field 'data' is missing"),
        "noid.json": (json.dumps([{"type": "microsoft.compute/disks"}]), "record 0: field 'id' is missing"),
        "badtype.json": (json.dumps(bad), f"record {st} ({estate.ids['st_web']}): field "
                                          "'properties.supportsHttpsTrafficOnly': expected true or false, got 'false'"),
    }
    for name, (body, message) in cases.items():
        p = tmp_path / name
        p.write_text(body, encoding="utf-8")
        r = run("collect", "azure", "--from-export", str(p))
        assert r.returncode == 2, (name, r.stderr)
        assert r.stderr.startswith(f"sansho: error: {p}: ") and message in r.stderr, (name, r.stderr)
        assert "Traceback" not in r.stderr


def test_print_permissions_and_docs():
    r = run("collect", "azure", "--print-permissions", "--lang", "en")
    assert r.returncode == 0 and "built-in Reader role" in r.stdout
    assert "Microsoft.Storage/storageAccounts/read" in r.stdout
    assert "Microsoft.Sql/servers/databases/transparentDataEncryption/read" in r.stdout
    assert "Microsoft.Sql/servers/databases/auditingSettings/read" in r.stdout
    r = run("collect", "azure", "--print-permissions", "--lang", "ja")
    assert r.returncode == 0 and "閲覧者" in r.stdout
    # The export query users are told to run is the one the collector's queries make.
    assert EXPORT_QUERY in DOCS.read_text(encoding="utf-8")


def test_http_endpoint_is_refused_in_one_line():
    r = run("collect", "azure", "--endpoint-url", "http://127.0.0.1:9")
    assert r.returncode == 2
    assert r.stderr.startswith("sansho: error: --endpoint-url: http://127.0.0.1:9 is not an https:// URL")
