"""The "Format matters" lesson: its sections, charts and caches.

One module per section, in the lesson's order (``pages/format_matters.py``
calls them):

* ``encode`` - 0. encode and decode, with noise;
* ``toy_plane`` - 1. concepts as coordinates, and 2. why not one-hot;
* ``arithmetic`` - 3. word arithmetic and averages on real vectors;
* ``axes`` - 4. axes made of words, and a note on bias;
* ``car_land`` - 5. a map where similar things sit close;
* ``exercises`` - 6. try it yourself.

Shared by the sections: ``common`` (takeaway, word-pieces note, tables),
``words`` (what the word settings hold on an upload), ``charts`` (figures)
and ``cache`` (cached embedcore calls).
"""
