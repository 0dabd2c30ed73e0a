"""The settings and keys of the "Features, embeddings & losses" lesson."""

from __future__ import annotations

from app_state.kinds import PROJECTION_LABELS, Action, Setting, Store, _Page
from embedcore.shapes import DATASET_TITLES as _IMAGE_DATASETS
from embedcore.shapes import FEATURE_GROUPS as _FEATURE_GROUPS

# --------------------------------------------------------------------------
# 3. Features, embeddings & losses
# --------------------------------------------------------------------------
class FE(_Page):
    """Settings of the "Features, embeddings & losses" page.

    Menus hold the labels the student sees (a URL carries the label, not an
    internal name); the page maps each label back to its embedcore name.
    """

    # 1. The data: coloured shapes
    gallery_seed = Setting("fe.gallery_seed", 0, link=True, bounds=(0, 99))
    data_takeaway = Action("fe-data-takeaway")  # how many numbers a picture is, and their range (a container)

    # 2. Twin models: same features, different loss
    twin_diagram = Action("fe.twin_diagram")  # the twins' network, drawn from its trained layers
    twin_loss_chart = Action("fe.twin_loss")
    twin_maps_note = Action("fe.twin_maps_note")  # the maps' caption: the width (a container)
    twin_selection_note = Action("fe.twin_selection_note")  # how many pictures are selected (a container)
    twin_takeaway = Action("fe.twin_takeaway")  # the takeaway quoting the probes (a container)
    replay_chart = Action("fe.replay_chart")  # both twins' training, replayed epoch by epoch
    replay_played = Store("fe.replay_played", factory=list)  # [True] once the replay has played by itself
    twin_map = Action("fe.twin_map")  # used as twin_map.at(<model letter>, <label>)
    twin_selection = Store("fe.twin_selection", factory=list)  # pictures selected in a twin map (linked views)
    probes_table = Action("fe.probes")  # used as probes_table.at(<the models' names>)

    # 3. Widen the bottleneck (the width is the page's: the twins, the grey model and the model map follow it)
    # Widths whose twins are trained at start-up (runtime/warmup.py); powers of two keep the lesson.
    width = Setting("fe.width", 2, link=True, choices=(2, 4, 8, 16, 32), default_arg="value")
    width_diagram = Action("fe.width_diagram")  # the twins' network at the chosen width, against width 2
    width_chart = Action("fe.width_chart")  # what survives by accident, at every width (after the reveal)
    width_takeaway = Action("fe-width-takeaway")  # (a container)

    # 4. Features set the limit
    grey_numbers = Action("fe.grey_numbers")  # the grey-pictures metrics (a container)
    grey_diagram = Action("fe.grey_diagram")  # the grey model's network: fewer inputs
    grey_takeaway = Action("fe-grey-takeaway")  # (a container)

    # 5. The loss mixer: every w of its slider is one trained model, switched in the browser
    # (ui.components.frames); no widget binds w, the link sets the frame it starts on.
    mix_w = Setting("fe.mix_w", 0.5, link=True, bounds=(0.0, 1.0), step=0.1, in_browser=True)
    mix_diagram = Action("fe.mix_diagram")  # the mixed network before the reveal
    mix_chart = Action("fe.mix_chart")  # probe curves, both maps and the network, one frame per w
    mix_takeaway = Action("fe-mix-takeaway")  # (a container)

    # 6. The taxi example
    taxi_train = Setting("fe.taxi_train", 60, link=True, bounds=(20, 1000), step=10)
    # From 0.1: a colour head of weight 0 would be no lever at all.
    taxi_colour_w = Setting("fe.taxi_colour_w", 0.5, bounds=(0.1, 2.0), step=0.1)
    taxi_runs = Store("fe.taxi_runs", factory=list)
    taxi_run = Action("fe.taxi_run")
    taxi_table = Action("fe.taxi_table")
    taxi_chart = Action("fe.taxi_chart")
    taxi_summary = Action("fe.taxi_summary")  # the baseline and each lever's change: the takeaway (a container)

    # 7. The three levers (an experiment form) and the session's experiment log
    exp_dataset = Setting(
        "fe.exp_dataset",
        "Vehicles (taxis)",
        link=True,
        choices=tuple(_IMAGE_DATASETS.values()),
        default_arg="default",  # a segmented control
    )
    exp_train = Setting("fe.exp_train", 200, bounds=(20, 1500), step=20)
    exp_features = Setting("fe.exp_features", ["red", "green", "blue"], choices=tuple(_FEATURE_GROUPS))
    exp_depth = Setting("fe.exp_depth", 1, bounds=(0, 3))
    exp_hidden = Setting("fe.exp_hidden", 32, bounds=(4, 128), step=4)
    exp_embedding = Setting("fe.exp_embedding", 8, bounds=(2, 32))
    exp_seed = Setting("fe.exp_seed", 0, bounds=(0, 9))  # luck: the pictures and the starting weights
    exp_activation = Setting("fe.exp_activation", "relu", choices=("relu", "tanh"))
    exp_w_colour = Setting("fe.exp_w_colour", 0.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_shape = Setting("fe.exp_w_shape", 1.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_taxi = Setting("fe.exp_w_taxi", 1.0, bounds=(0.0, 2.0), step=0.1)
    exp_w_vehicle = Setting("fe.exp_w_vehicle", 0.0, bounds=(0.0, 2.0), step=0.1)
    log = Store("fe.log", factory=list)
    last_experiment = Store("fe.last_experiment", factory=list)  # the latest two experiments run, oldest first
    exp_form = Action("fe.exp_form")
    exp_run = Action("fe.exp_run")  # the form's submit button
    log_table = Action("fe.log_table")
    log_chart = Action("fe.log_chart")
    levers_takeaway = Action("fe-levers-takeaway")  # one more feature group against luck (a container)
    exp_diagram = Action("fe.exp_diagram")  # the latest experiment's network, against the run before
    log_clear = Action("fe.log_clear")

    # 8. Looking at a model's map
    map_model = Setting(
        "fe.map_model",
        "Model A (colour loss)",
        link=True,
        choices=("Model A (colour loss)", "Model B (shape loss)", "Your latest experiment"),
    )
    map_layer = Setting("fe.map_layer", "embedding")  # options: the chosen model's layers
    map_projection = Setting("fe.map_projection", "PCA", link=True, choices=PROJECTION_LABELS)
    # Every t-SNE model map at these choices is computed at start-up (ui/warmup.py).
    map_perplexity = Setting("fe.map_perplexity", 30, choices=(5, 30, 50), default_arg="value")
    map_points = Setting("fe.map_points", 300, choices=(100, 300, 500), default_arg="value")
    map_colour_by = Setting("fe.map_colour_by", "shape")  # options: the chosen model's labels
    map_chart = Action("fe.debug_map")
    map_projection_note = Action("fe.map_projection_note")  # PCA stood in for the chosen projection (a container)
    map_diagram = Action("fe.map_diagram")  # the chosen model's network, the mapped layer highlighted
    map_takeaway = Action("fe-map-takeaway")  # neighbours on the map against the layer itself (a container)
    closing = Action("fe-closing")  # the lens carries over to the architectures to come (a container)
    score = Action("fe-score")  # the lesson's score (a container)
