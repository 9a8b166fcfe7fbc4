"""Sphinx configuration of the imblearn-baegan documentation.

Build it, with the example gallery executed and warnings as errors, from the
repository root::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Links to other projects' docs (intersphinx) need their inventories, which
are downloaded from the web; they are off unless ``BAEGAN_DOCS_INTERSPHINX=1``
is set, so the build also works without internet. ``BAEGAN_DOCS_GALLERY=0``
skips running the examples, for quick edits of the prose.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch

import imblearn_baegan

sys.path.insert(0, str(Path(__file__).parent / "sphinxext"))

# The gallery's networks are tiny: several threads gain nothing on them, and
# when the cores are shared, threads spinning while they wait for each other
# made the adversarial epochs several times slower.
torch.set_num_threads(1)

project = "imblearn-baegan"
author = "imblearn-baegan developers"
copyright = "imblearn-baegan developers"
release = imblearn_baegan.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "benchmark_results",
]

exclude_patterns = ["_build", "generated/*.inc", "examples/README.rst"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# -- API pages -------------------------------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
# The class template lists the members with autodoc; numpydoc's own member
# tables would repeat them.
numpydoc_show_class_members = False

# -- links to other projects -------------------------------------------------

_INTERSPHINX = {
    "imblearn": ("https://imbalanced-learn.org/stable/", None),
    "matplotlib": ("https://matplotlib.org/stable/", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
    "python": ("https://docs.python.org/3/", None),
    "sklearn": ("https://scikit-learn.org/stable/", None),
    "skorch": ("https://skorch.readthedocs.io/en/stable/", None),
    "torch": ("https://docs.pytorch.org/docs/stable/", None),
}
intersphinx_mapping = _INTERSPHINX if os.environ.get("BAEGAN_DOCS_INTERSPHINX") == "1" else {}

# -- example gallery ---------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": os.environ.get("BAEGAN_DOCS_GALLERY", "1") != "0",
    "abort_on_example_error": True,
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("imblearn_baegan",),
    "reference_url": {"imblearn_baegan": None},
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "min_reported_time": 1,
    "matplotlib_animations": False,
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"imblearn-baegan {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"index": [], "benchmarks": []}
