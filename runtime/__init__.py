"""The job runtime: heavy work off the request path, and the server that runs it.

Nothing here imports streamlit. The pages reach it through ``ui.heavy``
(spinners, progress bars and plain messages while a student waits).

* ``worker`` - a bounded pool of worker processes: a crash or a time-out
  ends one job, not the server;
* ``result_cache`` - a bounded on-disk cache of heavy results, shared by the
  server, its worker and its replicas;
* ``warmup`` - every heavy result a finite control can ask for, named once:
  shipped in ``embedcore/data/precomputed/`` or warmed at start-up;
* ``serve`` - the server's entry point (``python -m runtime.serve``): imports
  the app and starts its worker before Streamlit answers.
"""
