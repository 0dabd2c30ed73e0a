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

    # 1. From 64 numbers to a few
    digit = Setting("ii.digit", 3, bounds=(0, 9))
    k = Setting("ii.k", 8, link=True, bounds=(1, 64))
    digit_chart = Action("ii.digit_chart")
    gallery_chart = Action("ii.gallery")
    compression_numbers = Action("ii.compression_numbers")  # a container of metrics
    compression_takeaway = Action("ii.compression_takeaway")  # the container of the takeaway under the curves
    curves_chart = Action("ii.curves")

    # 2. One bit needs only the borders
    regions_chart = Action("ii.regions")
    borders_numbers = Action("ii.borders_numbers")  # the one-bit map's accuracy beside "always no"
    borders_takeaway = Action("ii.borders_takeaway")

    # 3. Axes versus regions
    groups = Setting("ii.groups", 6, link=True, bounds=(2, 10))
    method = Setting("ii.method", "PCA", link=True, choices=PROJECTION_LABELS)
    rotation = Setting("ii.rotation", 0, link=True, bounds=(0, 360), step=5)
    axes_chart = Action("ii.axes_map")
    axes_note = Action("ii.axes_note")  # where the words without an axis sit on the axes map
    regions_map_chart = Action("ii.regions_map")
    knn_numbers = Action("ii.knn_numbers")
    knn_note = Action("ii.knn_note")  # the largest group's share and the word count, under knn_numbers
    turn_takeaway = Action("ii.turn_takeaway")  # turning changes nothing: measured at every angle the slider offers

    # 4. Meters
    meter_method = Setting("ii.meter_method", "PCA", link=True, choices=PROJECTION_LABELS)
    dims = Setting("ii.dims", 2, link=True, bounds=(1, 64))
    word = Setting("ii.word", "election", link=True, choices=tuple(sorted(_concept_words(_REGION_GROUPS)[0])))
    lost_chart = Action("ii.lost_map")
    meters_lost = Action("ii.meters_lost")
    lost_note = Action("ii.lost_note")  # how many of the word's map neighbours are false
    meter_curves_chart = Action("ii.meter_curves")
    dims_takeaway = Action("ii.dims_takeaway")

    # 5. Homework: the vote and sentence widgets, and the saved answer
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

    # 6. t-SNE has knobs
    tsne_data = Setting(
        "ii.tsne_data", _TSNE_DATASETS["sizes"][0], link=True, choices=tuple(d[0] for d in _TSNE_DATASETS.values())
    )
    # The two knobs answer in the browser: every (perplexity, iteration) picture of the data set shown is sent
    # once, in one figure (ui/imperfect_information/tsne_player.py). A link sets where the sliders start.
    # Perplexities as in Distill's t-SNE article (plus 10); every run is shipped precomputed
    # (runtime/warmup.py, embedcore/data/precomputed/). An old link's other perplexity is ignored with a notice.
    # Both are in_browser: a student moves the figure's own sliders; the folded keyboard sliders are the alternative.
    perplexity = Setting("ii.perplexity", 30, link=True, choices=(2, 5, 10, 30, 50, 100), default_arg="value",
                         in_browser=True)
    # The iterations each run is photographed at: every 10 while the map first forms, then every 25 through
    # early exaggeration's end (250), then every 100 (earlier links' 250, 500 and 1000 are among them).
    iterations = Setting(
        "ii.iterations", 1000, link=True, default_arg="value", in_browser=True,
        choices=(*range(0, 100, 10), *range(100, 300, 25), *range(300, 1001, 100)),
    )
    multiples = Setting("ii.multiples", False)
    tsne_chart = Action("ii.tsne_map")
    tsne_takeaway = Action("ii.tsne_takeaway")
    multiples_chart = Action("ii.multiples_chart")
    score = Action("ii-score")  # the lesson's score (a container)
