"""utils.photos: squares of the right size, normalisations with known answers."""
import pytest
import torch

from utils import photos
from utils.errors import ParameterError


def test_square_crops_the_centre_and_resizes():
    image = torch.zeros(3, 4, 8)
    image[:, :, 2:6] = 1.0  # the centre 4x4 square is white, the sides black
    assert torch.equal(photos.square(image, 4), torch.ones(3, 4, 4))
    assert photos.square(torch.rand(3, 300, 451), 224).shape == (3, 224, 224)


def test_normalisations():
    grey = torch.full((1, 3, 2, 2), 127 / 255)
    assert torch.allclose(photos.normalise(grey, "lite0"), torch.zeros_like(grey))
    mean = torch.tensor(photos.IMAGENET_MEAN)[None, :, None, None].expand(1, 3, 2, 2)
    assert torch.allclose(photos.normalise(mean, "imagenet"), torch.zeros(1, 3, 2, 2))
    assert torch.equal(photos.normalise(grey, "none"), grey)


def test_batch_of_real_photos():
    x = photos.batch(("chelsea", "coffee"), size=64, normalisation="none")
    assert x.shape == (2, 3, 64, 64) and 0 <= x.min() and x.max() <= 1 and x.std() > 0.1


def test_unknown_names_give_one_sentence():
    with pytest.raises(ParameterError, match="PHOTO is 'dog'"):
        photos.photo("dog")
    with pytest.raises(ParameterError, match="normalisation is 'tf'"):
        photos.normalise(torch.zeros(1, 3, 2, 2), "tf")


@pytest.mark.parametrize("names", [[], "chelsea", ["chelsea", "dog"]], ids=["empty", "a string", "an unknown name"])
def test_batch_refuses_anything_but_a_list_of_known_names_in_one_sentence(names):
    with pytest.raises(ParameterError, match=r"^names is .*, but it must be a non-empty list of photo names from"):
        photos.batch(names, size=16)


def test_normalise_refuses_images_without_three_colour_channels():
    with pytest.raises(ParameterError, match=r"shape \(1, 1, 4, 4\).*3 colour channels"):
        photos.normalise(torch.zeros(1, 1, 4, 4))
