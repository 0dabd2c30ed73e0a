"""Pieces every Imperfect information section uses: the three meters under each map, and label lookups."""

from __future__ import annotations

import streamlit as st

from embedcore.meters import MapMeters
from embedcore.synthetic import DATASETS

# Menus show labels (and links carry them); embedcore wants names.
DATASET_OF = {label: name for name, (label, *_) in DATASETS.items()}


def show_meters(meters: MapMeters, *, key: str, linear: bool = True) -> None:
    """The three meters every 2-D map on this page carries (in a container named ``key``)."""
    a, b, c = st.container(key=key).columns(3)
    a.metric(
        f"Neighbourhood recall@{meters.k}",
        f"{meters.recall:.0%}",
        help=f"Share of each point's {meters.k} nearest neighbours in the full space that are still among "
        f"its {meters.k} nearest on the map. 100% = every neighbourhood survived.",
    )
    b.metric(
        "Trustworthiness",
        f"{meters.trustworthiness:.2f}",
        help="1.00 = no false neighbours: nothing is close on the map that was far in the full space "
        "(Venna & Kaski, 2001; same as sklearn.manifold.trustworthiness).",
    )
    if linear:
        c.metric(
            "PCA explained variance",
            f"{meters.explained_variance:.0%}",
            help="Share of the full space's variance that this flat 2-D map (PCA) keeps.",
        )
    else:
        # Explained variance belongs to PCA maps: under any other map it would describe a different picture.
        c.metric(
            "Explained variance",
            "n/a",
            help=f"Only a PCA map has one. This map is not PCA; a PCA map of the same points would keep "
            f"{meters.explained_variance:.0%} of their variance.",
        )
