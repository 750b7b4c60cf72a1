import pytest

from sansho.policies.catalog import load_catalog


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(autouse=True)
def _own_user_data_folder(tmp_path_factory, monkeypatch):
    """`scan --save` without a configured store writes to the user's data folder: every test gets
    its own, so no test reads or writes the history of the person running the suite."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
