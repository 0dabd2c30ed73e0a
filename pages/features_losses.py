"""Features, embeddings & losses."""

import pandas as pd
import streamlit as st

import app_state
from app_state import FE
from embedcore import experiments as ex
from embedcore.projection import METHODS
from embedcore.shapes import DATASET_TITLES, DATASETS, FEATURE_GROUPS, colour_yellowness, upscale
from ui import heavy
from ui.charts import show_chart
from ui.features_losses_charts import bars_figure, loss_figure, map_data, map_figure, mixer_figure
from ui.layout import page_header
from ui.text import md
from ui.training import train_live
from ui import warmup

app_state.init_page(FE)

page_header(
    "Features, embeddings & losses",
    """A model is three things: **features** (what it sees), a stack of **embeddings** (what it keeps), and a **loss** (what it is rewarded for). Two identical networks that see the same coloured shapes, one trained to name the colour and one the shape, learn different maps; probes measure what each kept. Then the taxi example shows the three levers you can pull: features, architecture and loss.""",
)

state = st.session_state
# Menus show labels (and shared links carry them); embedcore wants names.
METHOD_OF = {label: name for name, label in METHODS.items()}
DATASET_OF = {label: name for name, label in DATASET_TITLES.items()}
_, MODEL_B, LATEST = FE.map_model.choices  # model A is the fallback


# ---------------------------------------------------------------------------
# Cached helpers (UI layer): data for galleries, projections, the twins
# ---------------------------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def gallery(dataset: str, n: int, seed: int) -> tuple[list, list[str]]:
    """``n`` upscaled sample images and their captions."""
    data = DATASETS[dataset](n, random_state=seed)
    # "red circle", "yellow car (taxi)": every label but the taxi flag, by name.
    named = [k for k in data.labels if k != "taxi"]
    taxi = data.labels.get("taxi", [0] * n)
    captions = [
        " ".join(data.label_names[k][data.labels[k][i]] for k in named) + (" (taxi)" if taxi[i] else "")
        for i in range(n)
    ]
    return list(upscale(data.images, 4)), captions


@st.cache_data(max_entries=24, show_spinner=False)
def projected(key: tuple, _Z, method: str, perplexity: float) -> heavy.Projected:
    """The 2-D map of ``_Z``; ``key`` names ``_Z`` (experiment, layer, points).

    500 t-SNE iterations settle these few hundred points; twice as fast as the default.
    t-SNE and MDS run in the worker process; a layer whose outputs are all the
    same (a dead network) gets a PCA map and a note instead of crashing the server.
    """
    return heavy.projection(_Z, method, random_state=0, perplexity=perplexity, max_iter=500,
                            name=warmup.fe_points_name(*key))  # warmed at start-up (ui/warmup.py)


def note_fallback(projection: heavy.Projected) -> None:
    """Say so when PCA stood in for the chosen projection."""
    if projection.note:
        st.info(projection.note, icon=":material/info:")


def twin_experiments() -> tuple[ex.Experiment, ex.Experiment]:
    """Model A and model B at the current embedding width."""
    return ex.twins(ex.Experiment(embedding_size=int(state[FE.width.key])))


def twin_results() -> tuple[ex.Result, ex.Result]:
    a, b = train_live(twin_experiments(), ["model A (colour)", "model B (shape)"], what="Training the twins")
    return a, b


def probe_table(results: dict[str, ex.Result]) -> None:
    """The probe table: accuracy of reading each attribute, next to chance."""
    st.dataframe(
        pd.DataFrame(ex.probe_rows(results)),
        hide_index=True,
        column_config={
            "accuracy": st.column_config.ProgressColumn("probe accuracy", format="percent", min_value=0, max_value=1),
            "chance": st.column_config.NumberColumn("chance", format="percent"),
            "above chance": st.column_config.NumberColumn("above chance", format="percent"),
        },
        key=FE.probes_table.at("-".join(results)),
    )


def draw_map(result: ex.Result, Y, title: str, key: str) -> None:
    """Draw one twin's map twice: coloured by colour, and marked by shape."""
    labels, names = result.test_labels, result.label_names
    numbers = map_data(Y, labels, names)
    for col, label, how in zip(st.columns(2), ("colour", "shape"), ("coloured by colour", "marked by shape")):
        with col:
            show_chart(
                map_figure(Y, labels[label], names[label], label=label, title=f"{title}: {how}"),
                key=f"{key}.{label}",
                data=numbers,
                name=f"{title} map",
            )


# ---------------------------------------------------------------------------
# 1. The data
# ---------------------------------------------------------------------------
@st.fragment
def data_section() -> None:
    st.header("1. The data: coloured shapes")
    st.markdown(
        """Each example is a tiny 16 × 16 picture: a **circle, square, triangle or cross**, painted
**red, green, blue or yellow**, at a slightly random place and size, with a random brightness and
some pixel noise. The model's **features are the pixels**: 16 × 16 × 3 = 768 numbers between 0 and 1.
Colour and shape are independent, so a model can be asked to name either."""
    )
    seed = st.slider("Sample seed", 0, 99, **FE.gallery_seed.widget)
    images, captions = gallery("shapes", 18, int(seed))
    st.image(images, caption=captions, alt=captions, width=72)
    st.caption("Change the seed to draw other samples. Every picture is generated, so the same seed always gives the same pictures.")


# ---------------------------------------------------------------------------
# 2. Twin models
# ---------------------------------------------------------------------------
@heavy.section
def twins_section() -> None:
    st.header("2. Twin models: same features, different loss")
    st.markdown(
        """Two networks with **identical architecture and seed** see the **same pictures**
(pixels → 64 ReLU units → an **embedding** layer → a softmax head). Only the loss differs:
**model A** is rewarded for naming the **colour**, **model B** for naming the **shape**.
By default the embedding is a narrow **bottleneck of 2 units**, so it *is* the map: what the
loss does not need has little room to survive. Widen it and watch what survives by accident."""
    )
    c1, c2 = st.columns([2, 1])
    with c1:
        st.select_slider("Embedding width (units)", FE.width.choices, **FE.width.widget)
    if state[FE.width.key] != state[FE.width_drawn.key]:
        # The mixer (section 3) and the model map (section 6) use the twins at this width too:
        # rerun the whole page so no section shows the old width.
        st.rerun(scope="app")
    with c2:
        st.radio("Projection to 2-D", FE.twin_projection.choices, horizontal=True, **FE.twin_projection.widget)

    a, b = twin_results()
    show_chart(
        loss_figure({"model A (colour loss)": a.loss_history, "model B (shape loss)": b.loss_history}),
        key=FE.twin_loss_chart.key,
        data=pd.DataFrame({"epoch": range(1, len(a.loss_history) + 1), "model A": a.loss_history, "model B": b.loss_history}),
        name="twin loss curves",
    )

    method = METHOD_OF[state[FE.twin_projection.key]]
    width = int(state[FE.width.key])
    for name, result in (("Model A (colour loss)", a), ("Model B (shape loss)", b)):
        with st.spinner(f"Projecting {name}'s embedding with {METHODS[method]}..."):
            projection = projected((result.experiment, "embedding", "test"), result.test_embedding, method, 30.0)
        note_fallback(projection)
        draw_map(result, projection.coords, name, key=FE.twin_map.at(name[6]))
    st.caption(
        f"Held-out pictures, embedded by each model ({width} units"
        + (", which PCA only rotates: this *is* the embedding)." if width == 2 and method == "pca" else f", projected with {METHODS[method]}).")
    )

    st.markdown("**Probes: what did each embedding keep?** A logistic regression (a *probe*) reads each attribute from each model's embedding. It learns on half of the held-out pictures and is scored on the other half.")
    probe_table({"model A (colour loss)": a, "model B (shape loss)": b})
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("A: colour probe", f"{a.probes['colour'].accuracy:.0%}")
    m2.metric("A: shape probe", f"{a.probes['shape'].accuracy:.0%}", f"{a.probes['shape'].above_chance:+.0%} vs chance", delta_color="off")
    m3.metric("B: shape probe", f"{b.probes['shape'].accuracy:.0%}")
    m4.metric("B: colour probe", f"{b.probes['colour'].accuracy:.0%}", f"{b.probes['colour'].above_chance:+.0%} vs chance", delta_color="off")
    # The lesson follows the numbers: at wide embeddings the other attribute can survive by accident.
    if a.probes["shape"].above_chance < 0.15:
        lesson = (
            f"Model A **throws away shape information and retains colour**: its shape probe reads "
            f"{a.probes['shape'].accuracy:.0%} (chance {a.probes['shape'].chance:.0%}). "
        )
    else:
        lesson = (
            f"Model A keeps colour ({a.probes['colour'].accuracy:.0%}), and with {width} units some shape "
            f"**survives by accident**: {a.probes['shape'].accuracy:.0%} (chance {a.probes['shape'].chance:.0%}). "
        )
    if b.probes["colour"].above_chance < 0.15:
        lesson += (
            f"Model B does the opposite: colour {b.probes['colour'].accuracy:.0%}, shape {b.probes['shape'].accuracy:.0%}. "
            "Same pixels, same network: the loss decided what the embedding kept."
        )
    else:
        lesson += (
            f"Model B keeps shape ({b.probes['shape'].accuracy:.0%}), but with {width} units colour **survives by "
            f"accident**: {b.probes['colour'].accuracy:.0%} (chance {b.probes['colour'].chance:.0%}). "
            "Nothing in its loss asked for it; a narrower embedding has no room for it."
        )
    st.info(lesson, icon=":material/lightbulb:")


# ---------------------------------------------------------------------------
# 3. The loss mixer
# ---------------------------------------------------------------------------
@heavy.section
def mixer_section() -> None:
    st.header("3. The loss mixer")
    st.markdown(
        """One network, one loss made of two parts: **w · colour loss + (1 − w) · shape loss**.
At w = 1 it is model A, at w = 0 model B. Pick a w, retrain, and watch the two probe accuracies move.
Every try is added to the plot."""
    )
    c1, c2 = st.columns([3, 1])
    with c1:
        st.slider("w: weight of the colour loss", 0.0, 1.0, step=0.1, **FE.mix_w.widget)
    with c2:
        st.write("")
        run = st.button(
            "Retrain", key=FE.mix_run.key, icon=":material/model_training:", type="primary",
            help="Train the network with this mixed loss (cached: a w someone tried before comes back at once).",
        )
    history: list = state[FE.mix_history.key]
    if run:
        w = round(float(state[FE.mix_w.key]), 2)
        base = twin_experiments()[0]
        (result,) = train_live([ex.mixed(base, w)], [f"w = {w:g}"], what=f"Training with w = {w:g}")
        row = {
            "w": w,
            "width": base.embedding_size,
            "colour probe": round(result.probes["colour"].accuracy, 3),
            "shape probe": round(result.probes["shape"].accuracy, 3),
            "chance": round(result.probes["shape"].chance, 3),
            "seconds": round(result.train_seconds, 2),
        }
        # One point per (w, width): a retrain at the same settings replaces it.
        history[:] = ([r for r in history if (r["w"], r["width"]) != (w, base.embedding_size)] + [row])[-50:]
    if not history:
        st.info("Press **Retrain** to train a mixed model. Try w = 0, 0.5 and 1 first.", icon=":material/touch_app:")
        return
    table = pd.DataFrame(history)
    latest = table.iloc[-1]
    st.markdown(
        f"Latest: **w = {latest['w']:g}** → colour probe **{latest['colour probe']:.0%}**, "
        f"shape probe **{latest['shape probe']:.0%}** (chance {latest['chance']:.0%})."
    )
    width = int(state[FE.width.key])
    here = table[table["width"] == width]
    if here.empty:
        st.caption(f"No tries yet at the current embedding width ({width}); the CSV holds the others.")
    else:
        show_chart(mixer_figure(here), key=FE.mix_chart.key, data=table, name="loss mixer history")
        if len(here) < len(table):
            st.caption(f"Showing tries at the current embedding width ({width}); the CSV holds them all.")
    if st.button("Clear the mixer history", key=FE.mix_clear.key):
        history.clear()
        st.rerun(scope="fragment")


# ---------------------------------------------------------------------------
# 4. The taxi example
# ---------------------------------------------------------------------------
def taxi_experiments() -> tuple[ex.Experiment, ex.Experiment | None, str]:
    """The plain baseline, the levered model (or None) and a name for it."""
    base = ex.Experiment(
        dataset="vehicles",
        n_train=int(state[FE.taxi_train.key]),
        hidden_sizes=(32,),
        embedding_size=8,
        loss_weights=(("taxi", 1.0),),
        epochs=ex.EPOCHS["vehicles"],
    )
    yellow, head, w = state[FE.taxi_yellow.key], state[FE.taxi_colour_head.key], float(state[FE.taxi_colour_w.key])
    if not (yellow or head):
        return base, None, ""
    levered = base
    names = []
    if yellow:
        levered = levered.with_(features=("yellow",))
        names.append("yellowness input")
    if head and w > 0:
        levered = levered.with_(loss_weights=(("taxi", 1.0), ("colour", round(w, 2))))
        names.append(f"colour head (w = {w:g})")
    return base, (levered if names else None), " + ".join(names)


@heavy.section
def taxi_section() -> None:
    st.header("4. The taxi example")
    kept = colour_yellowness()
    partly = [c for c, v in kept.items() if 0.05 < v < 0.75]
    st.markdown(
        f"""Now a task that needs **both** colour and shape: is this vehicle a **taxi**? Taxis are the
**yellow cars**. Yellow school buses, vans and trucks are *not* taxis, and neither are orange or red
cars, so colour alone is not enough (and neither is shape). Only a few training pictures are given,
so it is hard. Two levers, each compared with a plain baseline:

* **feature lever:** replace the colour channels with *yellowness*, min(R, G) - B, which keeps yellow
  ({kept["yellow"]:.2f}){"".join(f", {c} only partly ({kept[c]:.2f})" for c in partly)} and removes every other
  colour (0);
* **loss lever:** add a **colour head** to the loss, so the embedding must also name the colour."""
    )
    images, captions = gallery("vehicles", 9, 3)
    st.image(images, caption=captions, alt=captions, width=72)
    c1, c2, c3 = st.columns(3)
    with c1:
        st.slider("Training pictures", 20, 1000, step=10, **FE.taxi_train.widget)
    with c2:
        st.toggle("Feature lever: yellowness input", **FE.taxi_yellow.widget)
        st.toggle("Loss lever: add a colour head", **FE.taxi_colour_head.widget)
    with c3:
        if state[FE.taxi_colour_head.key]:
            # From 0.1: a colour head of weight 0 would be no lever at all.
            st.slider("Colour head weight", 0.1, 2.0, step=0.1, **FE.taxi_colour_w.widget)
        else:
            st.caption("Switch on the loss lever to set the colour head's weight.")
    run = st.button("Train baseline and levers", key=FE.taxi_run.key, icon=":material/model_training:", type="primary")
    runs: list = state[FE.taxi_runs.key]
    if run:
        base, levered, lever_name = taxi_experiments()
        experiments = [base] + ([levered] if levered else [])
        names = ["baseline"] + ([lever_name] if levered else [])
        results = train_live(experiments, names, what="Training the taxi models")
        run_id = 1 + max((r["run"] for r in runs), default=0)
        for name, result in zip(names, results):
            runs.append(
                {
                    "run": run_id,
                    "model": name,
                    "pictures": result.experiment.n_train,
                    "taxi accuracy": round(result.accuracy["taxi"], 3),
                    "colour kept (probe)": round(result.probes["colour"].accuracy, 3),
                    "colour chance": round(result.probes["colour"].chance, 3),
                    "seconds": round(result.train_seconds, 2),
                }
            )
        del runs[:-40]  # keep the session small
    if not runs:
        st.info("Switch on a lever (or none) and press **Train baseline and levers**.", icon=":material/touch_app:")
        return
    table = pd.DataFrame(runs)
    st.dataframe(
        table,
        hide_index=True,
        key=FE.taxi_table.key,
        column_config={
            "taxi accuracy": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "colour kept (probe)": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "colour chance": st.column_config.NumberColumn(format="percent"),
        },
    )
    last = table[table["run"] == table["run"].max()]
    show_chart(
        bars_figure(
            last.assign(label=last["model"]), x="label", columns=["taxi accuracy", "colour kept (probe)"], title="Latest run"
        ),
        key=FE.taxi_chart.key,
        data=table,
        name="taxi runs",
    )
    st.caption("Half the held-out pictures are taxis, so guessing gets 50%. A taxi model's embedding need not keep the colour name: the probe shows how much of it survived.")


# ---------------------------------------------------------------------------
# 5. The three levers
# ---------------------------------------------------------------------------
HEADS = {"shapes": ("colour", "shape"), "vehicles": ("taxi", "colour", "vehicle")}
FEATURE_SHORT = {"red": "red", "green": "green", "blue": "blue", "grey": "grey", "yellow": "yellowness"}
WEIGHT_SETTINGS = {"colour": FE.exp_w_colour, "shape": FE.exp_w_shape, "taxi": FE.exp_w_taxi, "vehicle": FE.exp_w_vehicle}


def experiment_from_settings(dataset: str) -> ex.Experiment:
    depth, width = int(state[FE.exp_depth.key]), int(state[FE.exp_hidden.key])
    return ex.Experiment(
        dataset=dataset,
        n_train=int(state[FE.exp_train.key]),
        features=tuple(state[FE.exp_features.key]),
        hidden_sizes=(width,) * depth,
        embedding_size=int(state[FE.exp_embedding.key]),
        activation=state[FE.exp_activation.key],
        loss_weights=tuple((h, round(float(state[WEIGHT_SETTINGS[h].key]), 2)) for h in HEADS[dataset]),
        epochs=ex.EPOCHS[dataset],
    )


@heavy.section
def levers_section() -> None:
    st.header("5. The three levers")
    st.markdown(
        """Pull any lever and run: each run adds a row to your experiment log.

* **More data** is the surest help, but real labelled data is hard to get.
* **Architecture** changes (sizes, depth, activation) need inspiration: few rules say which will help.
* **The loss** is volatile: a small change in the head weights can move what the embedding keeps a lot."""
    )
    st.segmented_control("Dataset", FE.exp_dataset.choices, **FE.exp_dataset.widget)
    # A segmented control can be emptied: fall back to the default.
    dataset = DATASET_OF[state[FE.exp_dataset.key] or FE.exp_dataset.default]
    with st.form(FE.exp_form.key, border=True):
        c1, c2, c3 = st.columns(3)
        with c1:
            st.markdown("**Data and features**")
            st.slider("Training pictures", *FE.exp_train.bounds, step=20, **FE.exp_train.widget)
            st.multiselect(
                "Feature groups the model sees",
                list(FEATURE_GROUPS),
                format_func=FEATURE_SHORT.get,
                help="; ".join(f"**{FEATURE_SHORT[k]}**: {v}" for k, v in FEATURE_GROUPS.items()),
                **FE.exp_features.widget,
            )
        with c2:
            st.markdown("**Architecture**")
            st.slider("Hidden layers", 0, 3, **FE.exp_depth.widget)
            st.slider("Units per hidden layer", 4, 128, step=4, **FE.exp_hidden.widget)
            st.slider("Embedding width", 2, 32, **FE.exp_embedding.widget)
            st.radio("Activation", ["relu", "tanh"], horizontal=True, **FE.exp_activation.widget)
        with c3:
            st.markdown("**Loss: head weights**")
            for head in HEADS[dataset]:
                st.slider(f"{head} head", 0.0, 2.0, step=0.1, **WEIGHT_SETTINGS[head].widget)
        submitted = st.form_submit_button("Run experiment", icon=":material/science:", type="primary")
    log: list = state[FE.log.key]
    if submitted:
        experiment = experiment_from_settings(dataset)
        try:
            experiment.validate()
        except ValueError as err:
            st.error(f"Cannot run this experiment: {md(err)}.", icon=":material/error:")
        else:
            (result,) = train_live([experiment], ["your model"], what="Running your experiment")
            log.append({"run": 1 + len(log), **ex.result_row(result)})
            del log[:-100]
            state[FE.last_experiment.key][:] = [experiment]
            st.success(
                "Done: " + ", ".join(f"{k} accuracy {v:.0%}" for k, v in result.accuracy.items())
                + f" in {result.train_seconds:.2f} s. The map in section 6 can now show this model.",
                icon=":material/check_circle:",
            )
    if not log:
        st.info("No runs yet: set the levers and press **Run experiment**.", icon=":material/touch_app:")
        return
    table = pd.DataFrame(log)
    st.dataframe(table, hide_index=True, key=FE.log_table.key)
    c1, c2 = st.columns([1, 1])
    c1.download_button(
        "Download the experiment log (CSV)",
        data=table.to_csv(index=False).encode("utf-8"),
        file_name="experiment-log.csv",
        mime="text/csv",
        key=FE.log_csv.key,
        icon=":material/download:",
    )
    if c2.button("Clear the log", key=FE.log_clear.key):
        log.clear()
        st.rerun(scope="fragment")


# ---------------------------------------------------------------------------
# 6. Looking at a model's map
# ---------------------------------------------------------------------------
def chosen_model() -> ex.Result:
    choice = state[FE.map_model.key]
    if choice == LATEST:
        last = state[FE.last_experiment.key]
        if last:
            (result,) = train_live(last, ["your model"], what="Retraining your experiment")
            return result
        st.info("Run an experiment in section 5 first; showing model A meanwhile.", icon=":material/info:")
    a, b = twin_results()
    return b if choice == MODEL_B else a


@heavy.section
def map_section() -> None:
    st.header("6. Looking at a model's map (debugging)")
    st.markdown(
        """Pick a model, a layer and a projection, then colour the points by any label.
The pictures are **fresh** ones the model never saw."""
    )
    c1, c2, c3 = st.columns(3)
    with c1:
        st.selectbox("Model", FE.map_model.choices, **FE.map_model.widget)
    result = chosen_model()
    layers = result.model.layer_names_
    if state[FE.map_layer.key] not in layers:
        state[FE.map_layer.key] = "embedding"
    labels = list(result.label_names)
    if state[FE.map_colour_by.key] not in labels:
        state[FE.map_colour_by.key] = labels[-1]
    with c1:
        st.selectbox("Layer", layers, **FE.map_layer.widget)
    with c2:
        st.radio("Projection", FE.map_projection.choices, horizontal=True, **FE.map_projection.widget)
        if METHOD_OF[state[FE.map_projection.key]] == "tsne":
            st.select_slider("t-SNE perplexity", FE.map_perplexity.choices, **FE.map_perplexity.widget)
    with c3:
        st.selectbox("Colour by", labels, **FE.map_colour_by.widget)
        st.select_slider("Points", FE.map_points.choices, **FE.map_points.widget)

    layer, method = state[FE.map_layer.key], METHOD_OF[state[FE.map_projection.key]]
    n_points, perplexity = int(state[FE.map_points.key]), float(state[FE.map_perplexity.key])
    colour_by = state[FE.map_colour_by.key]
    data = ex.fresh_images(result.experiment, n_points)
    Z = result.model.transform(ex.features(result.experiment, data), layer=layer)
    with st.spinner(f"{METHODS[method]} of {n_points} points ({Z.shape[1]} dimensions)..."):
        projection = projected((result.experiment, layer, n_points), Z, method,
                               perplexity if method == "tsne" else 30.0)
    note_fallback(projection)
    Y, method = projection.coords, projection.method
    title = f"{state[FE.map_model.key]}, {layer} ({Z.shape[1]} numbers per picture), {METHODS[method]}"
    show_chart(
        map_figure(Y, data.labels[colour_by], data.label_names[colour_by], label=colour_by, title=title, height=480),
        key=FE.map_chart.key,
        data=map_data(Y, data.labels, data.label_names),
        name="model map",
    )
    st.markdown(
        """**How to read it.** Points that sit together, the model treats alike at this layer. If one
label's colours form clean islands, that layer has *sorted* the pictures by that label; if they are
mixed, it has not - or it has, in directions the projection did not show.

**What it cannot tell you.** A 2-D picture of many dimensions always loses something. PCA shows only
the two widest directions; t-SNE keeps neighbours but bends distances, and cluster sizes and gaps mean
little. A mixed picture does not prove the information is gone: the **probes** above are the test."""
    )
    st.page_link(
        "pages/imperfect_information.py",
        label="How far can we trust a t-SNE picture? See the t-SNE lesson on the Imperfect information page.",
        icon=":material/compress:",
    )


# Sections 3 and 6 follow the width chosen in section 2; remember which width this full run drew.
state[FE.width_drawn.key] = state[FE.width.key]
data_section()
twins_section()
mixer_section()
taxi_section()
levers_section()
map_section()
