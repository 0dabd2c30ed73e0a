"""The "Features, embeddings & losses" lesson: its sections, charts and caches.

One module per section (its order, numbers and titles are in
``app_state.lessons.FEATURES_LOSSES``, the one list of the lesson's
sections): ``data`` (coloured shapes), ``twins`` (same features, different
loss; with ``features``: features set the limit), ``mixer`` (the loss
mixer), ``taxi`` (the taxi example), ``levers`` (the three levers and the
experiment log) and ``model_map`` (looking at a model's map).

Shared by the sections: ``common`` (the twins, probe table, maps),
``checks`` (the lesson's checkpoints), ``charts`` and ``replay`` (figures)
and ``cache`` (sample pictures, layer maps). Trained models are shared
through ``ui.training``.
"""
