"""The repository's links (edit this page, view its source), known only when GitHub's
workflow builds. GitHub Actions names the repository in three variables; with all
three set, every page gets Material's edit and view-source buttons on that branch,
and the header links to the repository. A local build, with none of them set, has
no repository links at all, so none of them can be broken.

A notebook page also gets "Open in Colab". Colab opens a notebook only from GitHub, so
the workflow's notebooks job publishes the standalone notebooks (docs_build/notebooks.py,
portable) to the branch NOTEBOOKS of their own, and the link opens <name>.ipynb there."""

import os

NAMES = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_REF_NAME")
NOTEBOOKS = "notebooks"  # the branch .github/workflows/site.yml publishes the notebooks to


def configure(config):
    server, repository, branch = (os.environ.get(name, "") for name in NAMES)
    if not (server and repository and branch):
        config["repo_url"] = config["repo_name"] = config["edit_uri"] = config["extra"]["colab"] = None
        return
    config["repo_url"] = f"{server.rstrip('/')}/{repository}"
    config["repo_name"] = repository
    config["edit_uri"] = f"edit/{branch}/docs/"  # Material's view button swaps edit for raw
    github = server.rstrip("/") == "https://github.com"  # Colab opens GitHub's notebooks only
    config["extra"]["colab"] = f"https://colab.research.google.com/github/{repository}/blob/{NOTEBOOKS}/" if github else None


def edit_text_source(page):
    """A notebook page's buttons open its text source, docs/<name>.py: the repository
    holds no <name>.ipynb (docs_build/notebooks.py makes it at build time)."""
    if page.edit_url and page.edit_url.endswith(".ipynb"):
        page.edit_url = page.edit_url.removesuffix(".ipynb") + ".py"
