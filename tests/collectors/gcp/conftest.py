"""One local Cloud Asset server over HTTPS for the session, trusted through REQUESTS_CA_BUNDLE."""

from __future__ import annotations

import json

import pytest

from . import hospital
from .server import AssetServer, State, make_certificate

# Canaries: obviously fake credentials, unique enough to find anywhere they leak to.
CANARY_SECRET = "fake-client-secret-CANARY-0123456789abcdef"
CANARY_REFRESH = "fake-refresh-token-CANARY-fedcba9876543210"
CANARY_ACCESS = "fake-access-token-CANARY-ya29-not-real"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("gcp-cert"))


@pytest.fixture(scope="session")
def server(certificate):
    state = State(access_token=CANARY_ACCESS)
    hospital.serve(state)
    srv = AssetServer(*certificate, state).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def gcp_env(certificate, server, tmp_path_factory):
    """The test process trusts the server's certificate (requests prefers CURL_CA_BUNDLE, so both
    are set) and no metadata server is probed. Application Default Credentials come from an
    ``external_account_authorized_user`` file (what `gcloud auth application-default login
    --login-config` writes for workforce identity) whose ``token_url`` is the local server: an
    ``authorized_user`` file would not do, as google-auth always sends it to Google's token
    endpoint."""
    adc = tmp_path_factory.mktemp("gcp-adc") / "adc.json"
    adc.write_text(json.dumps({
        "type": "external_account_authorized_user",
        "audience": "//iam.googleapis.com/locations/global/workforcePools/sansho-test/providers/local",
        "client_id": "sansho-test-client", "client_secret": CANARY_SECRET, "refresh_token": CANARY_REFRESH,
        "token_url": f"{server.url}/token", "universe_domain": "googleapis.com"}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
        mp.setenv("CURL_CA_BUNDLE", str(certificate[0]))
        mp.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(adc))
        mp.setenv("NO_GCE_CHECK", "true")  # compared with "true" exactly
        mp.setenv("CLOUDSDK_CONFIG", str(adc.parent / "gcloud"))
        for var in ("GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "GOOGLE_CLOUD_QUOTA_PROJECT"):
            mp.delenv(var, raising=False)
        yield mp
