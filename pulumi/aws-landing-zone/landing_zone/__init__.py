"""The landing zone's modules. (This package lives inside the project folder, so it never shadows
the ``pulumi`` SDK; the project folder itself has no ``__init__.py``.)"""
