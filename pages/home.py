"""Home: what an embedding is, and a map of the three lessons."""

import streamlit as st

import app_state
from ui.guide import show_teaching_guide
from ui.layout import page_header
from ui.state import init_page

init_page(app_state.HOME)

page_header(
    "Why Embeddings",
    "An interactive case for the most useful idea in modern machine learning.",
)

st.markdown(
    """
An **embedding** is a list of floating-point numbers - a vector - that stands
for a piece of information: a word, a picture, a customer, a taxi ride. An
embedding is never just the numbers. It comes with a way to **encode**
information into the vector and a way to **decode** something useful back out
of it, such as the nearest known word or a prediction.

Why bother? Because **the format of information decides what you can do with
it**. A word spelled as letters can only be compared letter by letter. The
same word as a vector can be *compared* with others (how far apart are
"cat" and "dog"?), *added* and *subtracted* (king - man + woman), and
*averaged* (the point halfway between two ideas). Concepts become something
a computer can calculate with.

Good embeddings are also *imperfect on purpose*: they keep what matters for a
task and throw the rest away. What they keep is decided by what a model
sees (its features) and what it is rewarded for (its loss).
"""
)

st.header("The three lessons")
st.page_link(
    "pages/format_matters.py",
    label="**Format matters** - concepts as coordinates, word arithmetic on real vectors, maps of similar things.",
    icon=":material/calculate:",
)
st.page_link(
    "pages/imperfect_information.py",
    label="**Imperfect information** - compression, regions instead of axes, and meters for what a 2-D map keeps and loses.",
    icon=":material/compress:",
)
st.page_link(
    "pages/features_losses.py",
    label="**Features, embeddings & losses** - twin networks that see the same pictures but learn different maps.",
    icon=":material/hub:",
)

st.header("Using this in class")
st.markdown(
    """
- **Project it.** Each lesson reads top to bottom; move one control at a time
  and ask the room to predict what will change before you move it.
- **Let students drive.** Host it once and share the link: every student gets
  their own session, and nothing one student types reaches another.
- **Check, don't tell.** Every lesson asks students to **predict** before they
  move the control that answers the question, then checks the prediction
  against the number the app computes and keeps a **score** for the lesson.
  *Format matters* adds exercises the app checks, and *Imperfect information*
  a vote that students then test against the measurements.
- **Teacher's guide** (below, and `docs/teaching-guide.md` in the app's folder):
  a 45-minute plan for each lesson, where to pause, each checkpoint's answer and
  the usual wrong predictions, and how to run a live class.
"""
)
show_teaching_guide()
