"""The settings and keys of the "Imperfect information" lesson."""

from __future__ import annotations

from app_state.kinds import PROJECTION_LABELS, Action, Setting, Store, _Page
from embedcore.compression import TASKS as _TASKS
from embedcore.concepts import REGION_GROUPS as _REGION_GROUPS
from embedcore.concepts import concept_words as _concept_words
from embedcore.synthetic import DATASETS as _TSNE_DATASETS

# --------------------------------------------------------------------------
# 2. Imperfect information
# --------------------------------------------------------------------------
class II(_Page):
    """Settings of the "Imperfect information" page.

    Menus hold the labels the student sees (a URL carries the label, not an
    internal name); the page maps each label back to its embedcore name.
    """

    # 1. From thousands of numbers to one bit
    digit = Setting("ii.digit", 3, bounds=(0, 9))
    k = Setting("ii.k", 8, link=True, bounds=(1, 64))
    task = Setting("ii.task", _TASKS["digit"][0], link=True, choices=tuple(t[0] for t in _TASKS.values()))
    digit_chart = Action("ii.digit_chart")
    gallery_chart = Action("ii.gallery")
    compression_numbers = Action("ii.compression_numbers")  # a container of metrics
    compression_takeaway = Action("ii.compression_takeaway")  # the container of the takeaway under the curves
    curves_chart = Action("ii.curves")
    regions_chart = Action("ii.regions")
    meters_digits = Action("ii.meters_digits")  # each meters_* is the container of a map's three meters

    # 2. Axes versus regions
    groups = Setting("ii.groups", 6, link=True, bounds=(2, 10))
    method = Setting("ii.method", "PCA", link=True, choices=PROJECTION_LABELS)
    rotation = Setting("ii.rotation", 0, link=True, bounds=(0, 360), step=5)
    axes_chart = Action("ii.axes_map")
    meters_axes = Action("ii.meters_axes")
    regions_map_chart = Action("ii.regions_map")
    meters_regions = Action("ii.meters_regions")
    knn_numbers = Action("ii.knn_numbers")
    knn_note = Action("ii.knn_note")  # the largest group's share and the word count, under knn_numbers
    turn_takeaway = Action("ii.turn_takeaway")  # turning changes nothing: the numbers measured again

    # 3. Meters
    meter_method = Setting("ii.meter_method", "PCA", link=True, choices=PROJECTION_LABELS)
    dims = Setting("ii.dims", 2, link=True, bounds=(1, 64))
    word = Setting("ii.word", "election", link=True, choices=tuple(sorted(_concept_words(_REGION_GROUPS)[0])))
    lost_chart = Action("ii.lost_map")
    meters_lost = Action("ii.meters_lost")
    dims_numbers = Action("ii.dims_numbers")
    meter_curves_chart = Action("ii.meter_curves")

    # 4. Homework: the vote and sentence widgets, and the saved answer
    # ({"vote", "sentence", "revealed"}) kept for the session.
    vote = Setting("ii.vote", None, choices=("good", "bad", "it depends"))
    sentence = Setting("ii.sentence", "")
    answer = Store("ii.answer", factory=dict)
    homework_chart = Action("ii.homework_map")
    meters_homework = Action("ii.meters_homework")
    save_answer = Action("ii.save_answer")
    reveal = Action("ii.reveal")
    no_vote = Action("ii.no_vote")  # the warning of a save without a vote
    no_sentence = Action("ii.no_sentence")  # the warning of a save without a sentence
    homework_reveal = Action("ii.homework_reveal")  # the revealed answer and the map's evidence it quotes

    # 5. t-SNE has knobs
    tsne_data = Setting(
        "ii.tsne_data", _TSNE_DATASETS["sizes"][0], link=True, choices=tuple(d[0] for d in _TSNE_DATASETS.values())
    )
    # Points and training pictures are bounded so that one run costs about 2 s of CPU at most
    # (t-SNE of 1,000 points at perplexity 100 took 5.7 s; 3,000 pictures x 3 x 128 units, 5.5 s).
    tsne_points = Setting("ii.tsne_points", 300, link=True, bounds=(200, 500), step=100)
    # Perplexities as in Distill's t-SNE article (plus 10): every map of this section ships precomputed
    # (ui/warmup.py, embedcore/data/precomputed/). An old link's other perplexity is ignored with a notice.
    perplexity = Setting(
        "ii.perplexity", 30, link=True, choices=(2, 5, 10, 30, 50, 100), default_arg="value"
    )
    iterations = Setting(
        "ii.iterations", 500, link=True, choices=(250, 500, 1000), default_arg="value"
    )
    multiples = Setting("ii.multiples", False)
    tsne_chart = Action("ii.tsne_map")
    meters_tsne = Action("ii.meters_tsne")
    one_blob = Action("ii.one_blob")  # the note under a map of data with no clusters
    multiples_chart = Action("ii.multiples_chart")
    score = Action("ii-score")  # the lesson's score (a container)
