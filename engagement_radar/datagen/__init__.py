"""Demo data that follows the input contract: `python -m engagement_radar.datagen --help`."""

from .generate import GeneratorConfig, generate

__all__ = ["GeneratorConfig", "generate"]
