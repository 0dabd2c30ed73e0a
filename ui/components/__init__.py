"""Pieces that answer in the browser, with no rerun while a student moves them.

* :mod:`ui.components.plane` - the draggable toy plane, a custom component
  (``st.components.v2``, inline HTML, CSS and JS; no build step, nothing
  fetched): the maths follows the drag in the browser, Python hears the drop.
* :mod:`ui.components.frames` - a plotly figure of precomputed frames with a
  slider: moving it swaps frames in the browser, the numbers beside the chart
  included.
"""
