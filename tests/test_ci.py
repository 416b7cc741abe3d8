"""The browser test cannot be skipped silently in CI: Chromium is found with shutil.which, and its absence
fails a CI run (CI=true) with one sentence while a student's `make test` skips with its reason."""
import os
import stat
import subprocess
import sys

import pytest

from tests.notebook_runs import ROOT, chromium_or_skip, find_chromium


def executable(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_chromium_is_found_on_the_path_by_either_name_then_at_the_fallback(tmp_path):
    missing = tmp_path / "no-chromium"
    assert find_chromium(path=str(tmp_path), fallback=missing) is None
    ubuntu = executable(tmp_path, "chromium-browser")
    assert find_chromium(path=str(tmp_path), fallback=missing) == ubuntu
    debian = executable(tmp_path, "chromium")
    assert find_chromium(path=str(tmp_path), fallback=missing) == debian
    (tmp_path / "elsewhere").mkdir()
    fallback = executable(tmp_path / "elsewhere", "chromium")
    assert find_chromium(path=str(missing), fallback=fallback) == fallback


def test_a_student_without_chromium_skips_with_the_reason():
    with pytest.raises(pytest.skip.Exception, match="no Chromium .* install Debian's chromium package"):
        chromium_or_skip(None, environ={})


def test_ci_without_chromium_fails_the_browser_test_in_one_sentence(tmp_path):
    """The browser test module run as CI would run it, on a PATH without Chromium and no fallback."""
    script = ("import sys, pytest, tests.notebook_runs as runs; "
              f"runs.CHROMIUM_FALLBACK = runs.Path({str(tmp_path / 'none')!r}); "
              "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-k', 'news_pop_up', 'tests/test_browser.py']))")
    env = {**os.environ, "CI": "true", "PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0, done.stdout
    assert "CI=true but there is no Chromium" in done.stdout and " skipped" not in done.stdout
