"""The job runtime: heavy work off the request path, and the server that runs it.

Nothing here imports streamlit. The pages reach it through ``ui.heavy``
(spinners, progress bars and plain messages while a student waits).

* ``worker`` - a bounded pool of worker processes with a fair queue (``fair_queue``:
  sessions take turns); ``process`` runs one worker (pebble): a crash or a
  time-out ends one job, not the server;
* ``jobs`` - the heavy results' compute functions: a result is named by its call;
* ``result_cache`` - a bounded, signed on-disk cache of heavy results, shared by
  the server, its worker and its replicas, with a budget of its own for the warm-up's;
* ``warmup`` - every heavy result a finite control can ask for, listed once:
  shipped in ``embedcore/data/precomputed/`` or warmed at start-up;
* ``memory`` - freed memory handed back to the system (glibc's allocator);
* ``serve`` - the server's entry point (``python -m runtime.serve``): imports
  the app and starts its worker before Streamlit answers.
"""
