"""The distribution's name: free on the public registry, unlike ``connect``."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from connect.services.delivery import USER_AGENT

DISTRIBUTION = "rustnyc-connect"


def test_the_distribution_is_rustnyc_connect_and_provides_the_connect_package() -> None:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["name"] == DISTRIBUTION
    scripts = metadata.distribution(DISTRIBUTION).entry_points.select(group="console_scripts")
    assert scripts["connect"].value == "connect.entrypoints.cli:main"


def test_webhooks_name_the_installed_version() -> None:
    version = metadata.version(DISTRIBUTION)
    assert f"Connect-Webhooks/{version}" == USER_AGENT


def test_no_document_tells_anyone_to_pip_install_connect() -> None:
    root = Path(__file__).parents[1]
    for document in [root / "README.md", *(root / "docs").glob("*.md")]:
        for line in document.read_text().splitlines():
            assert "pip install connect" not in line or "unrelated" in line, (document, line)
