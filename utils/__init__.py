"""Helpers shared by the course's notebooks.

Each module has one job (see README): ``papers`` holds the published numbers,
``counting`` counts parameters and operations, ``data`` loads datasets,
``training`` fits models, ``viz`` and ``widgets`` draw, ``results`` records
values, ``parameters`` checks notebook parameters. The course is installed in
editable mode (``pip install -e .``), so ``from utils import ...`` works from
any working directory.
"""
