"""Commands for the analyses: overlap, gaps, recommendations, centrality, communities, coverage."""

from __future__ import annotations

from pathlib import Path

import click

from igfgraph.cli.common import (
    GraphSource,
    cli,
    emit,
    evidence_option,
    format_option,
    graph_options,
    load_store,
    out_option,
)
from igfgraph.kinds import BODY_KINDS

#: IRI columns left out of the human-readable formats (table, md); csv and json keep them
_IRI_COLUMNS = ["body_a", "body_b", "node", "theme", "recommendation", "party_a", "party_b"]

_KINDS = sorted(BODY_KINDS)
#: the predictors ``gaps --model`` takes (igfgraph.analysis.backtest.PREDICTORS but "learned")
_MODELS = [
    "random", "pref-attachment", "common-neighbours", "adamic-adar", "katz", "common-themes",
    "jaccard", "skos-jaccard", "gap-score", "theme-adamic-adar", "theme-resource-allocation",
    "same-main-session", "same-track",
]  # fmt: skip


def load_model(data):
    """Open the graph (:func:`igfgraph.cli.common.load_store`) and read its model once."""
    from igfgraph.model import read_model

    return read_model(load_store(data))


def _resolve_body(data, text: str | None) -> str | None:
    """Resolve ``--body`` at once, from the tables, before any graph is built."""
    if text is None:
        return None
    from igfgraph.resolve import resolver_for
    from igfgraph.stores import parse_store, store_holds_graph

    source = data if isinstance(data, GraphSource) else GraphSource(data=data)
    if store_holds_graph(parse_store(source.store)):
        return text  # resolved against the store's own graph (see _body_iri)
    return resolver_for(source.data).resolve(text).iri


def _body_iri(model, text: str) -> str:
    from igfgraph.resolve import Resolver

    if text in model.bodies:
        return text
    bodies = model.bodies.values()
    names = [(b.id, "acronym", b.acronym) for b in bodies if b.acronym]
    names += [
        (b.id, f"{h}-name" if h == "alt" else "former-name", n)
        for b in bodies
        for h, n in b.other_names
    ]
    return Resolver(((b.id, b.kind, b.name, b.iri) for b in bodies), names).resolve(text).iri


def body_option(f):
    """Add ``--body``: one body against all others (id, IRI, acronym or name)."""
    return click.option(
        "--body",
        "body",
        default=None,
        metavar="BODY",
        help="Only pairs with this body (an id, IRI, acronym, name or former name).",
    )(f)


def _echo(frame, fmt: str, out: Path | None, *, head: str = "") -> None:
    from igfgraph.sparql import format_frame

    if fmt in ("table", "md"):
        frame = frame.drop(columns=[c for c in _IRI_COLUMNS if c in frame.columns])
    emit(head + format_frame(frame, fmt), out)


def _not_nan(ctx, param, value: float) -> float:
    if value != value:  # NaN passes click's FloatRange
        raise click.BadParameter("must be a number between 0 and 1, not nan")
    return value


def _split_kinds(ctx, param, values: tuple[str, ...]) -> tuple[str, ...] | None:
    kinds = tuple(k.strip() for v in values for k in v.split(",") if k.strip())
    unknown = [k for k in kinds if k not in _KINDS]
    if unknown:
        msg = f"unknown kind {', '.join(map(repr, unknown))}; choose from: {', '.join(_KINDS)}"
        raise click.BadParameter(msg)
    return kinds or None


def session_tracks_option(f):
    """Add ``--with-session-tracks``: also count the themes of the tracks of a body's sessions."""
    return click.option(
        "--with-session-tracks",
        "with_session_tracks",
        is_flag=True,
        default=False,
        help="Also count, for each body, the themes of the programme tracks its sessions were "
        "filed under (track_themes.csv); off by default.",
    )(f)


def kinds_option(f):
    """Add ``--kinds``/``--kind``: only bodies of these kinds (comma-separated or repeated)."""
    return click.option(
        "--kinds",
        "--kind",
        "kinds",
        multiple=True,
        metavar="KIND[,KIND…]",
        callback=_split_kinds,
        help="Only bodies of these kinds, e.g. dynamic-coalition,policy-network (repeatable).",
    )(f)


@cli.command()
@graph_options
@kinds_option
@body_option
@click.option(
    "--text/--no-text", default=True, show_default=True, help="Compute the TF-IDF text cosine."
)
@session_tracks_option
@format_option()
@out_option
def overlap(
    data: Path | None,
    kinds,
    body: str | None,
    text: bool,
    with_session_tracks: bool,
    fmt: str,
    out,
) -> None:
    """Pairwise thematic overlap of bodies, one column per measure, with the shared themes.

    \b
    jaccard              shared themes / all themes of the pair
    overlap_coefficient  shared / themes of the smaller set
    weighted_jaccard     Jaccard where rare and narrow themes weigh more (the gap score)
    skos_jaccard         counts sibling or parent/child themes as half a match
    adamic_adar, resource_allocation   sums over shared themes of 1/ln(n) and 1/n
    text_cosine          TF-IDF cosine of names and summaries (a separate, text signal)
    """  # noqa: D301  (click needs a real \b line, not a raw string)
    from igfgraph.analysis import theme_network, theme_overlap

    body = _resolve_body(data, body)
    model = load_model(data)
    B = theme_network(model, session_tracks=with_session_tracks)
    frame = theme_overlap(B, kinds=kinds, text=text)
    if body is not None:
        iri = _body_iri(model, body)
        frame = frame[(frame["body_a"] == iri) | (frame["body_b"] == iri)].reset_index(drop=True)
    _echo(frame, fmt, out)


@cli.command()
@graph_options
@click.option(
    "--min-overlap",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    callback=_not_nan,
    help="Smallest Jaccard overlap of theme sets.",
)
@click.option(
    "--max-hops",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Pairs within this many liaison hops are not gaps.",
)
@kinds_option
@click.option(
    "--as-of",
    type=click.IntRange(2006, 2100),
    default=None,
    metavar="YEAR",
    help="Only bodies active in YEAR (default: bodies not inactive in the latest year of the "
    "data; 'active' as ontology/README.md defines it).",
)
@click.option(
    "--min-confidence",
    type=click.Choice(["low", "medium", "high"]),
    default=None,
    help="Only bodies recorded with at least this confidence.",
)
@click.option("--all-pairs", is_flag=True, help="Consider every pair, not only pairs with a DC.")
@body_option
@click.option(
    "--top", type=click.IntRange(min=1), default=None, help="Show only the N strongest gaps."
)
@evidence_option
@click.option(
    "--model",
    "predictor",
    type=click.Choice(_MODELS),
    default=None,
    help="Rank by this predictor of `igfgraph backtest` (default: the one the back-test chose, "
    "see igfgraph.analysis.gaps.DEFAULT_MODEL). The rows are the same whatever ranks them.",
)
@session_tracks_option
@format_option()
@out_option
def gaps(
    data,
    min_overlap,
    max_hops,
    kinds,
    as_of,
    min_confidence,
    all_pairs,
    body,
    top,
    evidence,
    predictor,
    with_session_tracks,
    fmt,
    out,
) -> None:
    """Liaison gaps: bodies with thematic overlap and no recorded liaison, ranked with evidence.

    The score is a Jaccard of the two theme sets weighted by theme rarity and
    specificity; each row names the shared themes, every overlap measure, the liaison
    distance and the DCCG recommendation covering the pair, if any. "No recorded
    liaison" means none in our sources, not that the bodies never talk. The rule every
    row obeys is printed above the table (table and md formats). The column
    evidence_counted names the evidence types of liaison counted (see --evidence).
    """
    from igfgraph.analysis import DEFAULT_MODEL, find_gaps

    body = _resolve_body(data, body)
    model = load_model(data)
    frame = find_gaps(
        model,
        min_overlap=min_overlap,
        max_hops=max_hops,
        kinds=kinds,
        as_of=as_of,
        min_confidence=min_confidence,
        all_pairs=all_pairs,
        body=None if body is None else _body_iri(model, body),
        evidence=evidence,
        predictor=predictor or DEFAULT_MODEL,
        with_session_tracks=with_session_tracks,
    )
    rule = frame.attrs["rule"]
    if with_session_tracks:
        rule += " Themes include those of the programme tracks of each body's sessions."
    n = frame.attrs.get("unknown", 0)
    if n:
        rule += f" {n} {'body' if n == 1 else 'bodies'} in these rows {'is' if n == 1 else 'are'}"
        rule += " of unknown activity."
    n = frame.attrs.get("left_out_unknown", 0)
    if n:
        rule += f" Left out: {n} {'body' if n == 1 else 'bodies'} of unknown activity in {as_of}."
    head = rule + "\n\n" if fmt in ("table", "md") else ""  # csv and json stay plain data
    _echo(frame.head(top) if top else frame, fmt, out, head=head)


@cli.command()
@graph_options
@click.option("--unrealised", is_flag=True, help="Only pairs no recorded liaison realises.")
@format_option()
@out_option
def recommendations(data, unrealised: bool, fmt: str, out) -> None:
    """List the DCCG's recommendations: each pair of parties named, and liaisons realising it."""
    from igfgraph.analysis import unrealised_recommendations

    frame = unrealised_recommendations(load_model(data))
    if unrealised:
        frame = frame[~frame["realised"]]
    _echo(frame, fmt, out)


@cli.command()
@graph_options
@evidence_option
@format_option()
@out_option
def centrality(data, evidence, fmt: str, out) -> None:
    """Degree, betweenness, eigenvector centrality and Burt's brokerage.

    Measured on the one centrality network: recorded collaborations and the governance
    relations (coordinates, accredits, supports, hosts, appoints, establishes, mandates,
    convenes, recognises, unit of, part of); succession and merger are not ties. The
    column evidence_counted names the evidence types of liaison counted (see --evidence).
    Betweenness is exact up to 1,000 nodes and sampled above (500 sources, seed 42); a
    note on standard error says when it was sampled.
    """
    from igfgraph.analysis import centrality as run
    from igfgraph.analysis import centrality_network

    frame = run(centrality_network(load_model(data), evidence))
    if frame.attrs.get("betweenness", "exact") != "exact":
        click.echo(f"Note: betweenness {frame.attrs['betweenness']}", err=True)
    _echo(frame, fmt, out)


@cli.command()
@graph_options
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Louvain seed (same seed, same result)."
)
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Louvain resolution: larger gives more, smaller communities.",
)
@evidence_option
@format_option()
@out_option
def communities(data, seed: int, resolution: float, evidence, fmt: str, out) -> None:
    """Louvain communities of the centrality network (seeded), with the partition's modularity."""
    from igfgraph.analysis import centrality_network
    from igfgraph.analysis import communities as run

    G = centrality_network(load_model(data), evidence)
    frame, modularity = run(G, seed=seed, resolution=resolution)
    _echo(frame, fmt, out)
    click.echo(
        f"modularity {modularity:.4f} ({frame['community'].nunique()} communities)", err=True
    )


@cli.command()
@graph_options
@format_option()
@out_option
def coverage(data, fmt: str, out) -> None:
    """Which themes many bodies address, which one or none, and which kinds of body cover each."""
    from igfgraph.analysis import theme_coverage, theme_network

    _echo(theme_coverage(theme_network(load_model(data))), fmt, out)


_EXTENSIONS = {"table": "csv", "csv": "csv", "json": "json", "md": "md"}


@cli.command()
@graph_options
@click.option(
    "--from", "start", type=click.IntRange(2000, 2100), default=None, metavar="YEAR",
    help="First cut-off year (default: the year of the first annual meeting).",
)  # fmt: skip
@click.option(
    "--to", "end", type=click.IntRange(2000, 2100), default=None, metavar="YEAR",
    help="Last cut-off year (default: the latest year of the data minus the horizon).",
)  # fmt: skip
@click.option(
    "--horizon", type=click.IntRange(min=1), default=3, show_default=True, metavar="N",
    help="A pair is a positive if its first collaboration falls in the N years after the cut-off.",
)  # fmt: skip
@evidence_option
@click.option("--all-pairs", is_flag=True, help="Candidates need not include a DC.")
@click.option(
    "--seed", type=int, default=42, show_default=True,
    help="Seeds the bootstrap intervals and the learned predictor (same seed, same bytes).",
)  # fmt: skip
@format_option()
@click.option(
    "--out", "out", type=click.Path(path_type=Path, file_okay=False), default=None,
    metavar="DIR",
    help="Also write every table (backtest-*.csv, or .json/.md with that --format), the plot "
    "(backtest.png, backtest.svg) and the report section (backtest.md) into DIR.",
)  # fmt: skip
def backtest(data, start, end, horizon, evidence, all_pairs, seed, fmt, out) -> None:
    """Back-test the gap ranking on the IGF's own history (would it have seen it coming?).

    For every cut-off year Y: the graph as known at the end of Y (bodies active in Y;
    collaborations, sessions and theme links dated up to Y); candidates are pairs not
    linked by Y (at least one DC unless --all-pairs); positives those whose first
    collaboration falls in Y+1..Y+N. Each predictor ranks the candidates; the table gives
    precision@k (k = positives, 10, 20), the factor over random, recall, average precision
    and ROC AUC, pooled and per cut-off, with seeded bootstrap intervals (pairs resampled
    within a cut-off; cut-offs, then pairs, for pooled figures). Predictors that read the
    undated theme descriptions are a separate variant, never pooled with the clean ones.
    """
    from igfgraph.analysis.backtest import CLEAN, UNDATED
    from igfgraph.analysis.backtest import backtest as run
    from igfgraph.fileio import write_atomic
    from igfgraph.plots import backtest_plot
    from igfgraph.report import backtest_section
    from igfgraph.sparql import format_frame

    try:
        result = run(
            load_model(data), start=start, end=end, horizon=horizon, evidence=evidence,
            all_pairs=all_pairs, seed=seed,
        )  # fmt: skip
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    pooled = result.pooled
    if fmt in ("csv", "json"):
        emit(format_frame(pooled, fmt))
    else:
        c = result.choice
        head = (
            f"Back-test: cut-offs {result.settings['from']}–{result.settings['to']}, horizon "
            f"{horizon}, evidence {result.settings['evidence']}, seed {seed}; intervals: "
            f"{result.settings['bootstrap']} bootstrap replicates resampling pairs within a "
            "cut-off, and cut-offs then pairs for pooled figures.\n\n"
        )
        keep = ["predictor", "variant", "years", "positives", "precision_at_k",
                "precision_at_k_lo", "precision_at_k_hi", "factor", "factor_lo", "factor_hi",
                "precision_at_10", "precision_at_20", "average_precision", "roc_auc"]  # fmt: skip
        parts = [head, "Cut-offs:\n\n", format_frame(result.cutoffs, fmt), "\n"]
        for variant, title in ((CLEAN, "Clean predictors"), (UNDATED, "Uses undated descriptions")):
            for cut in ("all", "common", "choice", "report"):
                rows = pooled[(pooled["variant"] == variant) & (pooled["cutoffs"] == cut)]
                parts += [f"{title}, pooled over the '{cut}' cut-offs:\n\n"]
                parts += [format_frame(rows[keep].round(3), fmt), "\n"]
        parts += [
            f"Default of gaps: {c['default']} ({c['reason']}). Winner: {c['winner']} "
            f"({c['winner_figures']}).\n\nHits of {c['winner']}:\n\n",
            format_frame(result.hits.drop(columns=["body_a", "body_b"]).round(3), fmt),
        ]
        emit("".join(parts))
    if out is not None:
        ext = _EXTENSIONS[fmt]
        kind = "csv" if fmt == "table" else fmt
        files = {
            f"backtest-cutoffs.{ext}": format_frame(result.cutoffs, kind),
            f"backtest-scores.{ext}": format_frame(result.scores, kind),
            f"backtest-pooled.{ext}": format_frame(pooled, kind),
            f"backtest-hits.{ext}": format_frame(result.hits, kind),
            "backtest.md": backtest_section(result) + "\n",
        }
        files.update(
            {p.name: b for p, b in backtest_plot(result, Path("backtest"), write=False).items()}
        )
        for name, content in files.items():
            write_atomic(out / name, content)
        click.echo(f"wrote {len(files)} files into {out}", err=True)
