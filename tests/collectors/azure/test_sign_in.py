"""`sansho collect azure` with no credential at all: one line that carries the reason, not the
~15 lines azure-identity logs before it."""

from __future__ import annotations

from .test_cli import run


def test_no_credential_is_one_line_with_the_reason():
    r = run("collect", "azure", "--endpoint-url", "https://127.0.0.1:9", "-o", "/dev/null")
    assert r.returncode == 2
    [line] = r.stderr.splitlines()
    assert line.startswith("sansho: error: cannot sign in to Azure: no credential of DefaultAzureCredential worked "
                           "(EnvironmentCredential: Environment variables are not fully configured; "), line
    assert line.endswith("; sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "
                         "/ Azure にサインインできません"), line
    assert "AzureCliCredential: " in line and "https://aka.ms" not in line
