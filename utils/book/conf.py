# Sphinx configuration of the course website (`make book`, utils/book.py): MyST-NB renders the committed,
# executed notebooks without running them, in the book theme; nothing is fetched from the network at build
# time or when a page is opened (MathJax is copied from the pinned sphinx-mathjax-offline package).
project = "CNN architectures: an interactive course"
html_title = project
author = "the course's authors"
extensions = ["myst_nb"]
exclude_patterns = ["_files"]  # the downloadable notebook files, linked from each page, are not pages

nb_execution_mode = "off"  # the committed outputs are the course's last run (kept fresh by the tests)
nb_ipywidgets_js = {}  # no widget manager from a CDN: utils/book.py replaces widgets by static output
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # the deck's title slide has a subtitle in H3 under its H1

mathjax_path = "mathjax/tex-chtml.js"  # a local copy under _static/, see utils/book.py

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
}
html_static_path = ["static"]
html_css_files = ["course.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
