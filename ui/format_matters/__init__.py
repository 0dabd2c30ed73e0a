"""The "Format matters" lesson: its sections, charts and caches.

One module per section (its order, numbers and titles are in
``app_state.lessons.FORMAT_MATTERS``, the one list of the lesson's sections):
``toy_plane`` (concepts as coordinates, and why not one-hot), ``arithmetic``
(word arithmetic and averages on real vectors), ``encode`` (encode and
decode), ``axes`` (axes made of words), ``car_land`` (a map where similar
things sit close) and ``exercises`` (try it yourself).

Shared by the sections: ``common`` (takeaway, word-pieces note, tables),
``words`` (what the word settings hold on an upload), ``checks`` (the
lesson's checkpoints), ``charts`` (figures) and ``cache`` (cached embedcore
calls).
"""
