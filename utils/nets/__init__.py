"""The model zoo: every paper network of the course, one module per family.

Each module holds its family's configuration table in the paper's own
notation and a builder of a few lines (torchvision's ``models/vgg.py`` is
the model), with a docstring naming the paper and the notebook that builds
the network step by step. The notebooks check that their step-by-step
network and the zoo's are the same; the evolution chart and the lecture deck
count from here.
"""
