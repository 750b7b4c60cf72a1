"""A moto server for the whole session, the hospital account built once, and its collection."""

from __future__ import annotations

import logging
import time

import pytest

from . import hospital

# Canary credentials: obviously fake, and unique enough to find anywhere they leak to.
CANARY_KEY = "AKIAFAKEFAKEFAKECANARY"
CANARY_SECRET = "fake-secret-CANARY-0123456789abcdefghijklmnop"
CANARY_TOKEN = "fake-session-token-CANARY-9876543210zyxwvut"


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    from .moto_shims import install

    install()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with pytest.MonkeyPatch.context() as mp:
        # moto otherwise gives every region thousands of AMI snapshots "owned" by the account
        mp.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        # AWS managed policies (AdministratorAccess, ReadOnlyAccess) as real documents, for SAN-IAM-011
        mp.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@pytest.fixture(scope="session")
def estate(moto_endpoint):
    return hospital.build(moto_endpoint)


@pytest.fixture(scope="session")
def fake_env():
    with pytest.MonkeyPatch.context() as mp:
        for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
            mp.delenv(var, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", CANARY_KEY)
        mp.setenv("AWS_SECRET_ACCESS_KEY", CANARY_SECRET)
        mp.setenv("AWS_SESSION_TOKEN", CANARY_TOKEN)
        mp.setenv("AWS_CONFIG_FILE", "/nonexistent/sansho-test-aws-config")
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sansho-test-aws-credentials")
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield mp


@pytest.fixture(scope="session")
def collection(moto_endpoint, estate, fake_env):
    from sansho.collectors.aws import collect

    t0 = time.perf_counter()
    result = collect(regions=",".join(hospital.REGIONS), endpoint_url=moto_endpoint)
    result.seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return result
