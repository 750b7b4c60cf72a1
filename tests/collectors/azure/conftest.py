from __future__ import annotations

import datetime as dt

import pytest

from .estate import Estate
from .fake_azure import ACCESS_TOKEN, FakeAzure, Server, make_certificate


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("azure-tls"))


@pytest.fixture(scope="session")
def estate():
    return Estate()


def _serve(estate: Estate, certificate):
    fake = FakeAzure(estate.rows, estate.docs)
    fake.denied_paths |= estate.denied
    server = Server(fake, *certificate)
    return fake, server


@pytest.fixture(scope="session")
def azure(estate, certificate):
    """The estate served as Azure; shared by the tests that do not change what it denies."""
    fake, server = _serve(estate, certificate)
    yield fake, server.url
    server.close()


@pytest.fixture
def azure_denying(estate, certificate):
    """A server of its own, for tests that refuse more calls (403)."""
    fake, server = _serve(estate, certificate)
    yield fake, server.url
    server.close()


class StaticCredential:
    """A TokenCredential for in-process tests: returns a fixed bearer token."""

    def get_token(self, *scopes, **kwargs):
        from azure.core.credentials import AccessToken

        return AccessToken(ACCESS_TOKEN, int(dt.datetime.now(dt.UTC).timestamp()) + 3600)
