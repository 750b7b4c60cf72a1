"""``python -m sansho.policies.cli``."""

from . import main

main()
