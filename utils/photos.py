"""scikit-image's photos, prepared for an ImageNet network: one helper for the whole course.

Taught in ``02_alexnet`` (what a pretrained network expects as input); used by
``03_vgg``, ``08_transfer_learning`` and the tests. An ImageNet network reads
a square image of a fixed size, normalised the way its weights were trained:

- ``"imagenet"``: torchvision's models, (x - mean) / std per channel with the
  ImageNet statistics below, on images scaled to [0, 1];
- ``"lite0"``: the TensorFlow Lite models (EfficientNet-Lite0), (x - 127) / 128
  on the 0-255 scale;
- ``"none"``: the pixels in [0, 1], unchanged.
"""
import torch
import torch.nn.functional as F

from utils.errors import ParameterError
from utils.parameters import check_choice, check_int, check_list

NAMES = ("chelsea", "coffee", "astronaut", "rocket")
IMAGENET_MEAN = (0.485, 0.456, 0.406)  # what torchvision's models were trained with
IMAGENET_STD = (0.229, 0.224, 0.225)
LITE0_MEAN = (127 / 255,) * 3  # (x - 127) / 128, on images scaled to [0, 1]
LITE0_STD = (128 / 255,) * 3
NORMALISATIONS = {
    "imagenet": (IMAGENET_MEAN, IMAGENET_STD),
    "lite0": (LITE0_MEAN, LITE0_STD),
    "none": ((0.0,) * 3, (1.0,) * 3),
}


def photo(name: str) -> torch.Tensor:
    """scikit-image's photo ``name`` as a 3 x H x W float tensor in [0, 1]."""
    import skimage.data

    check_choice("PHOTO", name, NAMES)
    return torch.as_tensor(getattr(skimage.data, name)()).permute(2, 0, 1) / 255.0


def square(image: torch.Tensor, size: int) -> torch.Tensor:
    """Centre-crop a C x H x W image to a square and resize it to ``size`` pixels (antialiased)."""
    h, w = image.shape[-2:]
    s = min(h, w)
    crop = image[:, (h - s) // 2 : (h - s) // 2 + s, (w - s) // 2 : (w - s) // 2 + s]
    resized = F.interpolate(crop[None].float(), size=(size, size), mode="bilinear", antialias=True)[0]
    return resized.clamp(0, 1)


def normalise(x: torch.Tensor, normalisation: str = "imagenet") -> torch.Tensor:
    """Images (... x 3 x H x W, in [0, 1]) normalised as the network named by ``normalisation`` expects."""
    mean, std = NORMALISATIONS[check_choice("normalisation", normalisation, NORMALISATIONS)]
    if x.dim() < 3 or x.shape[-3] != 3:
        raise ParameterError(f"the images have shape {tuple(x.shape)}, but normalise needs 3 colour channels "
                             "before height and width (... x 3 x H x W).")
    return (x - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None]


def batch(names=NAMES, size: int = 224, normalisation: str = "imagenet") -> torch.Tensor:
    """The photos ``names`` as one N x 3 x size x size batch, squared, resized and normalised."""
    check_int("size", size, minimum=8)
    check_list("names", names, lambda name, value: check_choice(name, value, NAMES), describe=f"photo names from {NAMES}")
    return normalise(torch.stack([square(photo(name), size) for name in names]), normalisation)
