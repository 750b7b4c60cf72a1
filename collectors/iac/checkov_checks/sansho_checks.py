"""checkov loads this file from ``--external-checks-dir``: it registers one check per sansho control.

The checks call the installed sansho (its IaC normalization and its Engine); see
``sansho.collectors.iac.checkov_checks`` and docs/iac.md. sansho must be installed in checkov's
Python environment (``pip install 'sansho[iac]'``).
"""

from sansho.collectors.iac.checkov_checks import register

checks = register()
