"""`--engine opa`: the same verdicts from an OPA server as from the embedded regorus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError

from .support.examples import example_paths, load_example
from .support.opa_server import OpaServer

EXAMPLE = Path(__file__).resolve().parents[1] / "policies" / "demo" / "estate" / "aws.json"


def _statuses(result):
    return {(f.control_id, f.resource.id): f.status for f in result.findings}


def test_opa_push_then_same_verdicts_as_regorus(catalog):
    examples = [load_example(p) for p in example_paths()]
    resources, seen = [], set()
    for ex in examples:
        for r in ex.resources:
            if (r.kind, r.id) not in seen:
                seen.add((r.kind, r.id))
                resources.append(r)
    rego_controls = Engine(catalog).rego_controls
    controls = [c for c in catalog if c.id in rego_controls]
    today = dt.date(2026, 11, 1)
    with OpaServer() as opa:
        eng = Engine(catalog, engine="opa", opa_url=opa.url, opa_push=True)
        via_opa = eng.scan(resources, controls, today=today)
        methods = {m for m, _ in opa.state.requests}
        assert ("PUT", "/v1/data/sansho") in opa.state.requests
        assert any(p.startswith("/v1/policies/sansho/") for _, p in opa.state.requests)
        assert "POST" in methods
    via_regorus = Engine(catalog).scan(resources, controls, today=today)
    assert _statuses(via_opa) == _statuses(via_regorus)
    assert via_opa.engine == "opa"


def test_opa_without_policies_is_a_clear_error(catalog):
    from sansho.policies.model import ObjectStorage

    with OpaServer() as opa:
        eng = Engine(catalog, engine="opa", opa_url=opa.url)
        with pytest.raises(InputError, match="has no rule data.sansho.*load the bundle"):
            eng.scan([ObjectStorage(id="b", provider="aws", encrypted=True)], [catalog["SAN-ENC-001"]])


# -- transport: https, bearer token, the URL's path; the answer checked against the question ------

def _bucket(rid: str, encrypted: bool = True):
    from sansho.policies.model import ObjectStorage

    return ObjectStorage(id=rid, provider="aws", region="ap-northeast-1", encrypted=encrypted)


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    from .collectors.gcp.server import make_certificate

    return make_certificate(tmp_path_factory.mktemp("opa-tls"))


def test_https_with_a_token_behind_a_proxy_path(catalog, tls, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls[0]))
    monkeypatch.setenv("SANSHO_OPA_TOKEN", "opa-token-canary")
    resources = [_bucket("arn:aws:s3:::a"), _bucket("arn:aws:s3:::b", encrypted=False)]
    controls = [catalog["SAN-ENC-001"], catalog["SAN-LOC-001"]]
    with OpaServer(tls=tls, prefix="/opa", token="opa-token-canary") as opa:
        assert opa.url.startswith("https://127.0.0.1:") and opa.url.endswith("/opa/")
        via_opa = Engine(catalog, engine="opa", opa_url=opa.url, opa_push=True).scan(resources, controls)
        assert opa.state.authorization and set(opa.state.authorization) == {"Bearer opa-token-canary"}
        assert ("PUT", "/v1/data/sansho") in opa.state.requests  # the proxy's /opa stripped: the path was kept
        monkeypatch.delenv("SANSHO_OPA_TOKEN")
        with pytest.raises(InputError) as e:
            Engine(catalog, engine="opa", opa_url=opa.url).scan(resources, controls)
        assert str(e.value).startswith(f"--opa-url: OPA at {opa.url} answered 401: ")
    assert _statuses(via_opa) == _statuses(Engine(catalog).scan(resources, controls))
    assert _statuses(via_opa)[("SAN-ENC-001", "arn:aws:s3:::b")] == "FAIL"


def test_an_untrusted_certificate_is_an_input_error(catalog, tls, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with OpaServer(tls=tls) as opa, pytest.raises(InputError) as e:
        Engine(catalog, engine="opa", opa_url=opa.url).scan([_bucket("b")], [catalog["SAN-ENC-001"]])
    assert str(e.value).startswith(f"--opa-url: TLS with OPA at {opa.url} failed: "), str(e.value)


@pytest.mark.parametrize("url,expected", [
    ("http://opa.example.internal:8181", "--opa-url: http://opa.example.internal:8181: plain http to a host that "
     "is not this machine sends the inventory unencrypted; use https, or pass --opa-insecure"),
    ("https://sansho:pw-canary@opa.example.internal/", "--opa-url: https://sansho:***@opa.example.internal/: "
     "credentials in the URL are not sent; put a bearer token in SANSHO_OPA_TOKEN"),
    ("https://opa.example.internal/?token=tok-canary", "--opa-url: https://opa.example.internal/?token=***: "
     "give the server's base URL, without a query or fragment"),
])
def test_opa_url_refusals_are_one_line_exit_2(url, expected):
    from .support.cli import run

    r = run("scan", str(EXAMPLE), "--engine", "opa", "--opa-url", url)
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {expected}\n")
    assert "canary" not in r.stderr


def test_opa_insecure_allows_http_but_never_sends_the_token_over_it(catalog, monkeypatch):
    from sansho.policies.engine.rego import OpaBackend, rego_files

    data = {"sansho": {"controls": catalog.rego_data()}}
    OpaBackend(rego_files(), data, "http://opa.example.internal:8181", insecure=True)  # no request is made yet
    monkeypatch.setenv("SANSHO_OPA_TOKEN", "tok")
    with pytest.raises(InputError, match=r"^--opa-url: http://opa.example.internal:8181: SANSHO_OPA_TOKEN is not "
                                         r"sent over plain http to another host; use https$"):
        OpaBackend(rego_files(), data, "http://opa.example.internal:8181", insecure=True)
    OpaBackend(rego_files(), data, "http://127.0.0.1:8181", insecure=False)  # loopback: OPA's usual sidecar


def _drop(rid):
    return lambda path, result: [v for v in result if v["id"] != rid] if path == "sansho/encryption/verdicts" else result


def _add(extra):
    return lambda path, result: result + [extra] if path == "sansho/encryption/verdicts" else result


@pytest.mark.parametrize("tamper,expected", [
    (_drop("arn:aws:s3:::b"), {("SAN-ENC-001", "arn:aws:s3:::a"): "PASS", ("SAN-ENC-001", "arn:aws:s3:::b"): "ERROR"}),
    (_add({"control": "SAN-ENC-001", "kind": "storage.bucket", "id": "arn:aws:s3:::ghost", "status": "PASS",
           "en": "ok", "ja": "ok"}),
     {("SAN-ENC-001", "arn:aws:s3:::a"): "ERROR", ("SAN-ENC-001", "arn:aws:s3:::b"): "ERROR"}),
    (_add({"control": "SAN-NET-001", "kind": "storage.bucket", "id": "arn:aws:s3:::a", "status": "PASS",
           "en": "ok", "ja": "ok"}),
     {("SAN-ENC-001", "arn:aws:s3:::a"): "ERROR", ("SAN-ENC-001", "arn:aws:s3:::b"): "ERROR"}),
    (lambda path, result: {"verdicts": result} if path == "sansho/encryption/verdicts" else result,
     {("SAN-ENC-001", "arn:aws:s3:::a"): "ERROR", ("SAN-ENC-001", "arn:aws:s3:::b"): "ERROR"}),
])
def test_an_answer_that_does_not_match_the_question_is_never_a_pass(catalog, tamper, expected):
    resources = [_bucket("arn:aws:s3:::a"), _bucket("arn:aws:s3:::b")]
    with OpaServer() as opa:
        opa.state.tamper = tamper
        result = Engine(catalog, engine="opa", opa_url=opa.url, opa_push=True).scan(
            resources, [catalog["SAN-ENC-001"]])
    assert _statuses(result) == expected
    messages = {f.message_en for f in result.findings if f.status == "ERROR"}
    if len(messages) == 1 and "gave no verdict" in next(iter(messages)):
        assert messages == {f"OPA at {opa.url} gave no verdict for this resource (does it run another sansho's "
                            "bundle?)"}
    else:
        assert all(m.startswith(f"Rego evaluation of sansho.encryption failed: OPA at {opa.url} answered ")
                   for m in messages), messages
