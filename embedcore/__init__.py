"""embedcore: the maths behind *Why Embeddings*.

A small, pure library: numpy arrays in and out, shapes documented, every
random choice seeded through ``random_state``. It never imports streamlit and
does no I/O beyond loading its own bundled data files, so every figure the
app shows can be reproduced and tested without a browser.

Modules (one idea each):

Words and their vectors

* ``wordvectors`` - the bundled pretrained word vectors: neighbours, analogies.
* ``encoding`` - encode and decode: text to vector and back, noise, ranking.
* ``expressions`` - a safe parser for vector expressions (``king - man + woman``).
* ``wordlists`` - curated word lists, axis presets, analogies, Car-Land.
* ``wordaxes`` - axes made of words, and words placed on them.
* ``wordmap`` - maps of words (clusters, pair distances, analogy pictures).
* ``userdata`` - uploaded vector sets: read, validate, export.
* ``exercises`` - checked exercises with feedback and hints.
* ``checkpoints`` - predict-then-reveal questions, judged from the lessons' measured numbers.

Concepts and maps

* ``toyplane`` - hand-made concept coordinates (gender x royalty, + age).
* ``toylink`` - the toy table's words and coordinates as a link's compact, checked text.
* ``concepts`` - curated concept groups of common words.
* ``compression`` - digit images encoded to k numbers and decoded back.
* ``projection`` - 2-D maps (the registry of projection methods).
* ``tsne`` - a small exact t-SNE that photographs its optimisation (the t-SNE knobs play it).
* ``distances`` - distances between vectors, top-k and nearest neighbours.
* ``meters`` - meters of what a map keeps (recall, trustworthiness, explained variance) and its lost neighbours.
* ``knn`` - k-nearest-neighbour classification: do the groups stay apart?
* ``clusters`` - cluster geometry: spreads, gaps between centres, clumps a map shows.
* ``regions`` - which concept owns each patch of a map.
* ``synthetic`` - data with known structure, for reading t-SNE maps.
* ``precomputed`` - the shipped precomputed maps (read-only, with their fingerprint).
* ``homework`` - the homework's regions map of many concepts, and its evidence.

Models

* ``shapes`` - coloured-shape and vehicle pictures, and their features.
* ``nn`` - a small numpy MLP with a named embedding layer.
* ``probes`` - linear probes that measure what an embedding kept.
* ``experiments`` - one experiment = features + architecture + loss, trained and measured.
"""

__version__ = "0.1.0"
