"""The course's one-sentence errors.

Every error a student can cause by a parameter, a missing dataset or a
missing weights file is a ``CourseError``: JupyterLab and papermill show its
one sentence instead of a traceback, so the student reads what to change,
not where in the library it was noticed. Taught nowhere; used everywhere.
"""
import http.client
import pickle
import tarfile
import zipfile

# What fetching or reading a downloaded file can raise: no network or a refused download (OSError, HTTP errors,
# torchvision's RuntimeError), a partial or corrupt file (EOFError, pickle, tar, zip, NumPy's ValueError).
# A bug (TypeError, AttributeError, KeyError, NameError, ...) is none of these: it surfaces as itself.
FILE_ERRORS = (OSError, RuntimeError, EOFError, ValueError, pickle.UnpicklingError, http.client.HTTPException,
               tarfile.TarError, zipfile.BadZipFile)


class CourseError(Exception):
    """An error whose message is one sentence saying what is wrong and what to do instead."""

    def _render_traceback_(self):
        # IPython calls this instead of printing a traceback: the sentence is the whole message.
        return [f"{type(self).__name__}: {self}"]


class ParameterError(CourseError, ValueError):
    """A notebook parameter has a value the notebook cannot use."""


class DatasetUnavailable(CourseError, RuntimeError):
    """A dataset is neither cached nor downloadable here, or its cached copy is corrupt."""


class WeightsUnavailable(CourseError, RuntimeError):
    """Pretrained weights are neither cached nor downloadable, or fail their checksum."""


def reason(error: Exception) -> str:
    """A caught exception as a phrase inside a one-sentence error: its type and its message's first line."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
