from .image import ImageModel, RampModel
from .meta import Exposure, Meta

__all__ = ["Exposure", "ImageModel", "Meta", "RampModel"]
