"""Plain-language definitions of the lessons' terms, shown where each term first appears.

A lesson calls :func:`define` with the terms a section introduces; the
definitions sit behind one small "What do these words mean?" fold, so
the lesson's text stays short and a student who knows the words can skip
them. Each definition is one or two sentences, concrete before abstract.
"""

from __future__ import annotations

import re

import streamlit as st

from app_state import APP

#: term -> definition. Keys are how the lessons write the term.
TERMS: dict[str, str] = {
    "vector": "A list of numbers, such as [1, 1]. Each number is a coordinate: a position along one axis.",
    "embedding": (
        "A vector that stands for a piece of information (a word, a picture), together with a way to "
        "encode information into it and to decode something useful back out."
    ),
    "cosine similarity": (
        "How closely two vectors point the same way: 1 for the same direction, 0 for right angles, "
        "-1 for opposite. It ignores the vectors' lengths."
    ),
    "nearest neighbour": "The known item whose vector is closest to a given vector (here, by cosine similarity).",
    "one-hot": (
        "A vector with one slot per word, all 0 except a single 1. Every word is then equally far "
        "from every other, so the format says nothing about meaning."
    ),
    "PCA": (
        "Principal component analysis: turns the cloud of points so that its widest spreads line up "
        "with the axes, then keeps the first few axes. A flat shadow of the data, like a photo."
    ),
    "t-SNE": (
        "t-distributed stochastic neighbour embedding: moves points on a 2-D map until each point's "
        "nearest neighbours on the map match its nearest neighbours in the full space. It keeps "
        "neighbourhoods and may bend distances and sizes."
    ),
    "perplexity": "t-SNE's knob for roughly how many neighbours each point pays attention to.",
    "MDS": (
        "Multidimensional scaling: places points on a 2-D map so that the distances between them "
        "match the full-space distances as closely as it can."
    ),
    "k-means": (
        "Splits points into k groups: each point joins the nearest of k centres, each centre moves to "
        "the middle of its group, and the two steps repeat until nothing changes."
    ),
    "k-NN": (
        "k-nearest-neighbours: guess an item's label from the labels of the k items closest to it "
        "(a vote)."
    ),
    "compression": "Storing information in fewer numbers than it started with; some of it is lost.",
    "recall@10": (
        "Of each word's 10 nearest words in the full space, the share that are still among its 10 "
        "nearest on the map. Low recall means lost neighbours."
    ),
    "trustworthiness": (
        "Whether neighbours on the map deserve trust: it drops when words that were far apart in the "
        "full space land close together (false neighbours). 1 is perfect."
    ),
    "explained variance": (
        "For a PCA map: the share of the data's total spread that the kept axes hold. It describes "
        "PCA maps only."
    ),
    "chance": (
        "The accuracy of guessing without looking: always answering the most common label. A score "
        "means something only above it."
    ),
    "probe": (
        "A small, simple classifier (here a logistic regression) trained on an embedding to read one "
        "label out of it. A high probe accuracy shows the information is in the embedding; a probe at "
        "chance shows a simple reader cannot find it, which is not proof that it is gone."
    ),
    "feature": "A number a model receives as input, such as the red value of one pixel.",
    "loss": (
        "The number training tries to make smaller: how wrong the model's answers are. What the loss "
        "rewards decides what the model's embedding keeps."
    ),
    "cross-entropy": (
        "The usual loss for choosing among labels: minus the log of the probability the model gave the "
        "right label. Confident and right costs almost 0; confident and wrong costs a lot."
    ),
    "epoch": "One pass of training over every training example.",
    "ReLU": "A layer's bend: max(0, x). Negative numbers become 0, positive ones pass through.",
    "softmax": "Turns a list of scores into probabilities that are positive and add up to 1.",
    "bottleneck": (
        "A narrow layer, with few numbers, that everything must pass through. Its width bounds how much "
        "the embedding can hold."
    ),
    "hidden layer": "A layer between the input and the output; its numbers are an embedding of the input.",
    "gradient": (
        "For each weight, which way and how steeply the loss changes if the weight moves. Training nudges "
        "every weight a little downhill, again and again."
    ),
}


def define(*terms: str, label: str = "What do these words mean?") -> None:
    """Show the definitions of ``terms`` in one fold, in the order given."""
    unknown = [t for t in terms if t not in TERMS]
    if unknown:
        raise KeyError(f"no definition for {unknown}")
    slug = "-".join(re.sub(r"[^a-z0-9]+", "_", t.lower()) for t in terms)
    # An expander, not a popover: a popover's overlay scrolls on a phone and takes no keyboard focus.
    with st.expander(label, icon=":material/menu_book:", key=APP.glossary.at(slug)):
        for term in terms:
            st.markdown(f"**{term}**: {TERMS[term]}")
