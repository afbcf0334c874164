"""The version, written once: the package metadata (pyproject.toml reads it), the API's
``info.version`` and home document, and the webhooks' ``User-Agent``."""

__version__ = "0.1.0"
