"""ecoinspect — the district's one system for the central ecological-environmental protection inspection."""

__version__ = "0.1.0"
