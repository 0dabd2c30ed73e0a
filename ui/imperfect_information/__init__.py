"""The "Imperfect information" lesson: its sections, charts and caches.

One module per section (its order, numbers and titles are in
``app_state.lessons.IMPERFECT_INFORMATION``, the one list of the lesson's
sections): ``digits`` (from 64 numbers to a few), ``borders`` (one bit needs
only the borders), ``regions`` (axes versus regions), ``meters`` (what a flat
map keeps and loses), ``homework`` (is this a good embedding?) and ``tsne``
(t-SNE has knobs).

Shared by the sections: ``common`` (the three meters, label lookups),
``checks`` (the lesson's checkpoints), ``charts`` and ``tsne_charts``
(figures), ``tsne_player`` (the knobs' figure that answers in the browser)
and ``cache`` (cached embedcore calls).
"""
