"""A real reasoner and a real OWL 2 DL profile checker for the ontology tests.

Both come from owlready2 (PyPI), which bundles HermiT and the OWL API 3.4 in
``owlready2/hermit/HermiT.jar``; both run on Java. The profile check is the small class
``tests/java/DLProfileCheck.java``, compiled here with ``javac`` (a JDK) into a temporary
folder. A missing ``java``/``javac`` makes the test skip with a message saying what to
install, or fail when ``IGFGRAPH_REQUIRE_JAVA=1`` (as ``.ci/run`` sets).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest
from rdflib import Graph

REQUIRE_ENV = "IGFGRAPH_REQUIRE_JAVA"
JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "DLProfileCheck.java"
MISSING_JAVA = (
    "Java is not installed: apt-get install default-jdk-headless (Debian) gives java and "
    "javac, which HermiT and the OWL API profile check need"
)


def java_unavailable(message: str) -> NoReturn:
    """Skip the test, or fail it when ``IGFGRAPH_REQUIRE_JAVA=1`` (as CI sets)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_java(*tools: str) -> None:
    """Skip (or fail in CI) unless each of ``tools`` (``java``, ``javac``) is on the PATH."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        java_unavailable(f"{', '.join(missing)} not found. {MISSING_JAVA}")


def hermit_jar() -> Path:
    import owlready2

    return Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


@cache
def _compiled() -> Path:
    out = Path(tempfile.mkdtemp(prefix="igfgraph-owlapi-"))
    subprocess.run(
        ["javac", "-nowarn", "-cp", str(hermit_jar()), "-d", str(out), str(JAVA_SOURCE)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def profile_violations(*graphs: Graph) -> list[str]:
    """Return the OWL 2 DL profile violations the OWL API reports for the merged graphs.

    The graphs are merged into one document first: the OWL API parses each document on its
    own, so a declaration in one file would not type the use of a term in another.
    """
    require_java("java", "javac")
    merged = Graph()
    for g in graphs:
        merged += g
    with tempfile.TemporaryDirectory(prefix="igfgraph-profile-") as tmp:
        path = Path(tmp) / "merged.rdf"
        merged.serialize(path, format="xml")
        paths = [str(path)]
        classpath = os.pathsep.join([str(hermit_jar()), str(_compiled())])
        done = subprocess.run(
            ["java", "-cp", classpath, "DLProfileCheck", *paths],
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
        )
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and lines and lines[-1].startswith("VIOLATIONS "), (
        done.stdout[-2000:] + done.stderr[-2000:]
    )
    return [line for line in lines if line.startswith("VIOLATION\t")]


def reason(*graphs: Graph) -> tuple[bool, list[str]]:
    """Run HermiT on the merged graphs.

    Returns
    -------
    (bool, list of str)
        Whether the ontology is consistent, and the IRIs of unsatisfiable classes
        (empty when inconsistent).
    """
    require_java("java")
    import owlready2

    merged = Graph()
    for g in graphs:
        merged += g
    with tempfile.TemporaryDirectory(prefix="igfgraph-hermit-") as tmp:
        path = Path(tmp) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, []
        unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing
        )
        world.close()
    return True, unsatisfiable
