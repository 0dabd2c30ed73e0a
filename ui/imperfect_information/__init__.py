"""The "Imperfect information" lesson: its sections, charts and caches.

One module per section (its order, numbers and titles are in
``app_state.lessons.IMPERFECT_INFORMATION``, the one list of the lesson's
sections): ``digits`` (from thousands of numbers to one bit), ``regions``
(axes versus regions), ``meters`` (what a projection keeps and loses),
``homework`` (is this a good embedding?) and ``tsne`` (t-SNE has knobs).

Shared by the sections: ``common`` (the three meters, label lookups),
``checks`` (the lesson's checkpoints), ``charts`` and ``tsne_charts``
(figures) and ``cache`` (cached embedcore calls).
"""
