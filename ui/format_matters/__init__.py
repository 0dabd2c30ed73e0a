"""The "Format matters" lesson: its sections, charts and caches.

One module per section (its order, numbers and titles are in
``app_state.lessons.FORMAT_MATTERS``, the one list of the lesson's sections):
``toy_plane`` (concepts as coordinates, on a plane the student drags),
``one_hot`` (why not one-hot), ``arithmetic`` (word arithmetic on real
vectors), ``averages`` (averaging words), ``encode`` (encode and decode, with
a noise slider that answers in the browser), ``axes`` (axes made of words),
``car_land`` (a map where similar things sit close) and ``exercises`` (try it
yourself).

Shared by the sections: ``common`` (takeaway, word-pieces note, tables, linked
values no widget binds), ``words`` (what the word settings hold on an upload),
``checks`` (the lesson's checkpoints), ``charts`` (figures) and ``cache``
(cached embedcore calls).
"""
