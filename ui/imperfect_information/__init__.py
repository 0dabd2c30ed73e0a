"""The "Imperfect information" lesson: its sections, charts and caches.

One module per section, in the lesson's order (``pages/imperfect_information.py``
calls them):

* ``digits`` - 1. from thousands of numbers to one bit;
* ``regions`` - 2. axes versus regions;
* ``meters`` - 3. what a projection keeps and what it loses;
* ``homework`` - 4. is this a good embedding?;
* ``tsne`` - 5. t-SNE has knobs.

Shared by the sections: ``common`` (the three meters, label lookups),
``charts`` and ``tsne_charts`` (figures) and ``cache`` (cached embedcore calls).
"""
