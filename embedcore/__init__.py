"""embedcore: the maths behind *Why Embeddings*.

A small, pure library: numpy arrays in and out, shapes documented, every
random choice seeded through ``random_state``. It never imports streamlit and
does no I/O beyond loading its own bundled data files, so every figure the
app shows can be reproduced and tested without a browser.

Modules (one idea each):

* ``wordvectors`` - the bundled pretrained word vectors: neighbours, analogies.
* ``expressions`` - a safe parser for vector expressions (``king - man + woman``).
* ``toyplane`` - hand-made concept coordinates (gender x royalty, + age).
* ``projection`` / ``metrics`` - 2-D maps and meters of what they keep.
* ``shapes`` / ``nn`` / ``probes`` - coloured-shape data, a small numpy MLP,
  and linear probes that measure what an embedding kept.
"""

__version__ = "0.1.0"
