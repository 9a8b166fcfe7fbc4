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

import functools
import os
import re
import sys
from pathlib import Path

import torch
from docutils import nodes
from sphinx.util import logging
from sphinx_gallery.sorting import ExplicitOrder

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
    "sphinx_design",
    "result_directives",
]

exclude_patterns = ["_build", "examples/README.rst"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# -- API pages -------------------------------------------------------------

autosummary_generate = True
# No "inherited-members" default: a default that is not a string replaces the
# option the class template gives, whatever its value.
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
# The class template lists the members with autodoc; numpydoc's own member
# tables would repeat them.
numpydoc_show_class_members = False
# The class template documents inherited public methods (fit_resample,
# get_params, ...) except those of torch.nn.Module: a network's page would
# otherwise list the hundred methods every torch module has, which torch's
# own documentation covers.
autosummary_context = {
    "torch_modules": sorted(
        name
        for name in imblearn_baegan.__all__
        if isinstance(getattr(imblearn_baegan, name), type)
        and issubclass(getattr(imblearn_baegan, name), torch.nn.Module)
    ),
}

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
    # Sections from first steps to internals, and in each the shortest first.
    "subsection_order": ExplicitOrder(
        [f"examples/{name}" for name in ("basics", "tables", "images", "inside")]
    ),
    "within_subsection_order": "NumberOfCodeLinesSortKey",
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


# -- links from docstrings to the user guide ---------------------------------

_DOCS = Path(__file__).parent
# "the user guide", optionally followed by a page's or section's quoted title.
_USER_GUIDE = re.compile(r'the user\s+guide(?:,\s+"(?P<title>[^"]+)")?')
_LABEL = re.compile(r"^\.\. _([\w-]+):\s*$")


@functools.cache
def _titles() -> dict[str, str]:
    """Label of every labelled title of the docs' pages, by the title in lower case."""
    titles = {}
    for path in sorted(_DOCS.glob("**/*.rst")):
        parts = path.relative_to(_DOCS).parts
        if parts[0].startswith(("_", "generated", "auto_examples")):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            match = _LABEL.match(line)
            following = [text.strip() for text in lines[i + 1 : i + 4] if text.strip()]
            if match and len(following) >= 2 and set(following[1]) <= set("=-~^*#"):
                titles[" ".join(following[0].split()).lower()] = match.group(1)
    return titles


def _link_user_guide(app, what, name, obj, options, lines):
    """Turn the docstrings' mentions of the user guide into links.

    The package's docstrings are also read in a terminal (``help()``), where
    a ``:ref:`` would be noise, so they name the user guide in words:
    ``Read more in the user guide, "How BAEGAN works".`` Here that becomes a
    link to the page or section of that title, and a bare "the user guide"
    a link to its index. A title that no page has is reported, so that a
    renamed page cannot leave a stale pointer behind.
    """
    # Inherited methods keep their own project's docstrings, whose "user
    # guide" is that project's.
    if not (getattr(obj, "__module__", None) or "").startswith("imblearn_baegan") or not lines:
        return
    titles = _titles()

    def link(match: re.Match) -> str:
        title = match.group("title")
        if title is None:
            return ":ref:`the user guide <user-guide>`"
        title = " ".join(title.split())
        label = titles.get(title.lower())
        if label is None:
            logging.getLogger(__name__).warning(
                'The docstring of %s points to "%s" in the user guide, which has no '
                "page or section of that title.",
                name,
                title,
            )
            return match.group(0)
        return f"the user guide, :ref:`{title} <{label}>`"

    text = "\n".join(lines)
    linked = _USER_GUIDE.sub(link, text)
    if linked != text:
        lines[:] = linked.split("\n")


# Pages of scikit-learn's user guide that the docstrings of inherited
# methods point to (get_metadata_routing, set_fit_request, ...), by label.
_SKLEARN_PAGES = {"metadata_routing": "https://scikit-learn.org/stable/metadata_routing.html"}


def _link_sklearn_pages(app, env, node, contnode):
    """Resolve scikit-learn's user-guide labels without its inventory.

    The API pages document inherited methods with scikit-learn's docstrings,
    which refer to its user guide by label. With intersphinx off (offline
    builds) such a label is unknown here: link it to its page instead.
    """
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    url = _SKLEARN_PAGES.get(node.get("reftarget", "").removeprefix("sklearn:"))
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference += contnode
    return reference


def setup(app):
    """Link the docstrings' mentions of the user guide (before numpydoc parses
    them) and scikit-learn's labels in inherited docstrings."""
    app.connect("autodoc-process-docstring", _link_user_guide, priority=400)
    app.connect("missing-reference", _link_sklearn_pages)
