"""Helpers shared by the course's notebooks, one job per module.

- ``nets``: every paper network's final builder (LeNet to EfficientNet-Lite0).
- ``papers``: the papers' published numbers, each with its source; ``evolution``: every network in one table.
- ``counting``: parameters, output shapes and multiply-adds; ``receptive``: receptive fields.
- ``data``: datasets by name, offline first; ``photos``: scikit-image's photos for ImageNet networks;
  ``pretrained``: ImageNet weights (EfficientNet-Lite0 offline, torchvision's where they can be had).
- ``training``: the training loop; ``seeds``: comparisons over seeds and verdicts worded from the spread.
- ``transfer``: feature extraction and fine-tuning from a pretrained network, and the rules of thumb tested.
- ``viz``, ``diagrams``, ``widgets``: figures, architecture diagrams, explorers.
- ``parameters`` and ``errors``: notebook parameters checked, one-sentence errors.
- ``i18n``: the words ``utils`` draws, in English or Russian (the deck's two editions).
- ``probe``: run a network once and look inside (its device, an input, eval mode put back, layers' outputs).
- ``results``: values a notebook records for tests; ``exercises``: self-checking exercises;
  ``student``: the students' copies; ``slides``: the deck as HTML; ``book``: the course as a website.
- ``course``: where the course's files live; ``runner``: run and refresh every notebook; ``fingerprints``: when
  committed outputs are older than the code; ``bench``: the notebooks timed against their budgets.

The course is installed in editable mode (``pip install -e .``), so ``from utils import ...`` works from any
working directory.
"""
