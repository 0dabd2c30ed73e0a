#!/usr/bin/env bash
# Run the app, and start it again whenever it stops: the restart policy of the
# container (deploy/Dockerfile) and of `python deploy/check_restart.py`.
#
# Heavy work already runs in a worker process (runtime/worker.py), so a crash in
# native code ends one job, not the server. This loop covers what is left: an
# out-of-memory kill, a bug in Streamlit itself, a stray signal. Students'
# browsers reconnect by themselves once the server answers again.
#
#   PORT=8501 ADDRESS=0.0.0.0 deploy/serve.sh [extra streamlit options]
set -u
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
PORT="${PORT:-8501}"
ADDRESS="${ADDRESS:-0.0.0.0}"
child=0
stop() {
    [ "$child" -ne 0 ] && kill -TERM "$child" 2>/dev/null && wait "$child"
    exit 0
}
trap stop TERM INT
while true; do
    # runtime.serve is `streamlit run dashboard.py` with the app's modules imported and its worker
    # started first, so the server reports healthy only once a page opens at full speed. Its pool
    # also starts the one warm-up (runtime/warmup.py): every trained twin and t-SNE map a slider can
    # ask for, queued behind every student's job, a few minutes of the worker on the first start and
    # nothing on later ones (the cache survives restarts). WHY_EMBEDDINGS_WARMUP=0 skips it.
    "$PYTHON" -m runtime.serve \
        --server.headless=true --server.address="$ADDRESS" --server.port="$PORT" \
        --server.fileWatcherType=none --server.runOnSave=false --browser.gatherUsageStats=false "$@" &
    child=$!
    wait "$child"
    code=$?
    echo "why-embeddings: the server stopped (exit code $code); starting it again in 1 s" >&2
    sleep 1
done
