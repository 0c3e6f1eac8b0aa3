"""Official environmental-quality indicators, computed to the letter of the national standards.

Pure computation: numpy / polars in, arrays / frames out. Nothing here imports Django, so the engine is
usable as a library, from the command line (``ecoinspect indicators ...``) and from the web application.
"""
