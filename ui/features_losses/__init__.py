"""The "Features, embeddings & losses" lesson: its sections, charts and caches.

One module per section, in the lesson's order (``pages/features_losses.py``
calls them):

* ``data`` - 1. the data: coloured shapes;
* ``twins`` - 2. twin models: same features, different loss;
* ``mixer`` - 3. the loss mixer;
* ``taxi`` - 4. the taxi example;
* ``levers`` - 5. the three levers and the experiment log;
* ``model_map`` - 6. looking at a model's map.

Shared by the sections: ``common`` (the twins, probe table, maps),
``charts`` (figures) and ``cache`` (sample pictures, layer maps). Trained
models are shared through ``ui.training``.
"""
