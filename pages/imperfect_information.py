"""Imperfect information: a useful embedding keeps what matters and drops the rest."""

import streamlit as st

import app_state
from app_state import II
from embedcore import metrics
from embedcore.compression import TASKS
from embedcore.concepts import HOMEWORK_AXES, HOMEWORK_GROUPS
from embedcore.metrics import MapMeters, lost_neighbours
from embedcore.projection import METHODS, rotate
from embedcore.synthetic import CLUSTER_NAMES, DATASETS
from ui import heavy
from ui import imperfect_information_cache as cache
from ui import live_class
from ui import imperfect_information_charts as charts
from ui.charts import show_chart
from ui.layout import page_header

app_state.init_page(II)

# Menus show labels (and links carry them); embedcore wants names.
TASK_OF = {label: name for name, (label, *_) in TASKS.items()}
METHOD_OF = {label: name for name, label in METHODS.items()}
DATASET_OF = {label: name for name, (label, *_) in DATASETS.items()}

page_header(
    "Imperfect information",
    """A useful embedding *removes* information: it keeps what a task needs and drops the rest. A perfect change of format is possible, but nearly useless. This lesson compresses digit images from 64 numbers down to one, shows that concepts live in **regions** rather than on axes, and puts meters on every 2-D map that say what the projection kept and what it lost. It ends with two questions: is this a good embedding, and how far can we trust a t-SNE picture?""",
)


def show_meters(meters: MapMeters, *, key: str, linear: bool = True) -> None:
    """The three meters every 2-D map on this page carries (in a container named ``key``)."""
    a, b, c = st.container(key=key).columns(3)
    a.metric(
        f"Neighbourhood recall@{meters.k}",
        f"{meters.recall:.0%}",
        help=f"Share of each point's {meters.k} nearest neighbours in the full space that are still among "
        f"its {meters.k} nearest on the map. 100% = every neighbourhood survived.",
    )
    b.metric(
        "Trustworthiness",
        f"{meters.trustworthiness:.2f}",
        help="1.00 = no false neighbours: nothing is close on the map that was far in the full space "
        "(Venna & Kaski, 2001; same as sklearn.manifold.trustworthiness).",
    )
    c.metric(
        "PCA explained variance",
        f"{meters.explained_variance:.0%}",
        help="Share of the full space's variance that the best flat 2-D map (PCA) keeps."
        + ("" if linear else " This map is not PCA: the number is shown for comparison, as what a flat map would keep."),
    )


# ==========================================================================
# 1. From thousands of numbers to one bit
# ==========================================================================
@st.fragment
def one_image() -> None:
    st.header("1. From thousands of numbers to one bit")
    st.markdown(
        """A photo is millions of numbers; these tiny handwritten digits are 64 each: an 8 × 8 grid of grey
levels from 0 to 16. To a computer, this is all the image *is*."""
    )
    index = st.slider("Which digit image", 0, 9, help="One held-out image of each digit.", **II.digit.widget)
    images = cache.gallery(64)
    left, right = st.columns(2)
    with left:
        show_chart(
            charts.digit_numbers(images.original[index], int(images.labels[index])),
            key=II.digit_chart.key,
            data=charts.digit_table(images.original[index]),
            name=f"digit-{images.labels[index]}-64-numbers",
            height=420,
        )
    with right:
        st.dataframe(charts.digit_table(images.original[index]), hide_index=True)
        st.caption("The same 64 numbers, row by row.")


@st.fragment
def compress_digits() -> None:
    st.subheader("Squeeze 64 numbers into k, then rebuild the image")
    st.markdown(
        """**Encode** each image to k numbers with PCA (the k directions along which the images vary most),
then **decode** those k numbers back into 64 pixels. Slide k from 64 down to 1: the rebuilt images blur.
Then ask what the k numbers are *for*: a classifier trained only on the k numbers of each image
still has to answer a question about held-out images it never saw."""
    )
    c1, c2 = st.columns([3, 2])
    k = c1.slider("Numbers kept (k)", 1, 64, help="64 = the whole image; 1 = a single number.", **II.k.widget)
    task = TASK_OF[c2.selectbox("The task", II.task.choices, **II.task.widget)]
    rec = cache.gallery(k)
    curve = cache.compression_curve(task)
    show_chart(charts.gallery(rec, k), key=II.gallery_chart.key, data=charts.gallery_table(rec), name=f"gallery-k{k}")

    at_k = int(k) - 1
    m1, m2, m3 = st.container(key=II.compression_numbers.key).columns(3)
    m1.metric("Numbers kept", f"{k} of 64", help="The size of each image's code.")
    m2.metric(
        "Pixel variance lost",
        f"{curve.variance_lost[at_k]:.0%}",
        help=f"Mean squared error per pixel of the rebuilt held-out images: {curve.mse[at_k]:.2f} grey levels².",
    )
    m3.metric(
        "Held-out accuracy",
        f"{curve.accuracy[at_k]:.0%}",
        delta=f"{curve.accuracy[at_k] - curve.accuracy[-1]:+.0%} vs all 64",
        delta_color="normal",
        help=f"A 5-nearest-neighbour classifier on the {k}-number codes. Always giving the most common answer "
        f"scores {curve.baseline:.0%}.",
    )
    show_chart(
        charts.compression_curves(curve, k),
        key=II.curves_chart.key,
        data=charts.compression_table(curve),
        name=f"compression-curve-{task}",
    )
    st.info(
        f"""**The task needs far less than the input holds.** With {k} of 64 numbers the pictures have lost
{curve.variance_lost[at_k]:.0%} of their pixel variance, yet the classifier is right {curve.accuracy[at_k]:.0%} of the time
(with all 64: {curve.accuracy[-1]:.0%}). Try the one-bit task: *is it a zero?* needs only a couple of numbers.""",
        icon=":material/lightbulb:",
    )

    st.subheader("The map needs the borders in the right place, not every tree")
    st.markdown(
        """Picture a classifier that answers one question about a photo: *hotdog or not?* Thousands of
pixels go in, one bit comes out. It does not need the whole picture: it needs the
**borders** between answers in the right place. Here every held-out image is just **2 numbers**: a point on a
map. The shading shows what a classifier trained on the 2-number codes answers in each patch of the map."""
    )
    result = cache.digits_map(task)
    names = TASKS[task][2]
    show_chart(
        charts.decision_regions(result.map, names),
        key=II.regions_chart.key,
        data=charts.digits_map_table(result.map, names),
        name=f"digits-2d-{task}",
    )
    st.metric(
        "Held-out accuracy on the 2-number map",
        f"{result.map.accuracy:.0%}",
        help="15-nearest-neighbour classifier trained on the training images' 2-number codes.",
    )
    show_meters(result.meters, key=II.meters_digits.key)
    st.caption(
        "The meters compare the 2-D map with the 64-pixel images: the map keeps few neighbourhoods, "
        "but where the task is simple (is it a zero?) the borders it keeps are enough."
    )


st.divider()
one_image()
compress_digits()


# ==========================================================================
# 2. Axes versus regions
# ==========================================================================
@heavy.section
def axes_versus_regions() -> None:
    st.header("2. Axes versus regions")
    st.markdown(
        """Two ways a plane can hold concepts:

* **Axes** - one concept per dimension: x = "how much like an animal", y = "how much like a food".
  Two dimensions hold two concepts (four if "the opposite of" counts). Every other concept has no axis
  and piles up in the middle.
* **Regions** - a concept is an *area* of the plane. Two dimensions can hold many concepts, each in its
  own patch, as long as the borders fall in the right places."""
    )
    c1, c2 = st.columns(2)
    n_groups = c1.slider("Concept groups", 2, 10, **II.groups.widget)
    method = METHOD_OF[c2.selectbox("Projection for the regions map", II.method.choices, **II.method.widget)]
    groups = cache.region_groups(n_groups)
    data = cache.concepts(groups)
    st.markdown(f"Both maps below use the same real word vectors ({data.vectors.shape[1]:,} numbers per word).")

    axes_points = cache.axes_map(groups)
    show_chart(
        charts.word_map(
            axes_points, data.words, data.labels, groups, title="Axes: one concept per dimension",
            axis_titles=(f"how like {groups[0]} (cosine)", f"how like {groups[1]} (cosine)"),
        ),
        key=II.axes_chart.key,
        data=charts.word_map_table(axes_points, data.words, data.labels, groups),
        name="axes-map",
        height=440,
    )
    show_meters(cache.meters_of(groups, axes_points), key=II.meters_axes.key, linear=False)
    if len(groups) > 2:
        st.caption(
            f"Only *{groups[0]}* and *{groups[1]}* have an axis. The other {len(groups) - 2} group"
            f"{'s' if len(groups) > 3 else ''} ({', '.join(groups[2:])}) can only pile up near the middle."
        )

    degrees = st.slider("Turn the regions map (degrees)", 0, 360, step=5, **II.rotation.widget)
    base = cache.word_map(groups, method)
    points = rotate(base, degrees)
    grid = cache.regions_of(points, data.labels)
    show_chart(
        charts.word_map(
            points, data.words, data.labels, groups, grid=grid,
            title=f"Regions: {METHODS[method]} map, turned {degrees}°",
        ),
        key=II.regions_map_chart.key,
        data=charts.word_map_table(points, data.words, data.labels, groups),
        name=f"regions-map-{method}",
    )
    show_meters(cache.meters_of(groups, points), key=II.meters_regions.key, linear=method == "pca")

    full = cache.knn_accuracy(groups, None)
    on_map = cache.knn_accuracy(groups, method)
    on_axes = metrics.knn_accuracy(axes_points, data.labels, k=5)
    st.markdown("**Do the groups stay apart?** Leave-one-out 5-nearest-neighbour accuracy: each word's group "
                "is guessed from its 5 nearest words.")
    a, b, c = st.container(key=II.knn_numbers.key).columns(3)
    a.metric(f"Full space ({data.vectors.shape[1]} numbers)", f"{full:.0%}")
    b.metric(f"Regions map ({METHODS[method]}, 2 numbers)", f"{on_map:.0%}", delta=f"{on_map - full:+.0%}")
    c.metric("Axes map (2 numbers)", f"{on_axes:.0%}", delta=f"{on_axes - full:+.0%}")
    st.caption(f"Chance would be about {1 / len(groups):.0%}. {len(data.words)} words in {len(groups)} groups.")

    moved = metrics.largest_distance_change(points, base)
    st.info(
        f"""**Turning the map changes nothing that matters.** After turning it {degrees}°, the largest change in any
distance between two words is {moved:.1e}, and the meters and accuracies stay the same. So the
axes of a map mean nothing by themselves: what carries meaning is *where the regions are* and *how far
apart* things are.""",
        icon=":material/lightbulb:",
    )


st.divider()
axes_versus_regions()


# ==========================================================================
# 3. Meters: what a projection keeps and what it loses
# ==========================================================================
@heavy.section
def meters_section() -> None:
    st.header("3. Meters: what a projection keeps and what it loses")
    groups = cache.region_groups(10)
    data = cache.concepts(groups)
    group_of = [groups[g] for g in data.labels]
    st.markdown(
        f"""A 2-D map of {data.vectors.shape[1]:,}-number vectors must lose something. Three meters say what:

* **Neighbourhood recall@10** - of each word's 10 nearest words in the full space, the share that are still
  among its 10 nearest on the map. Low recall = **lost neighbours**.
* **Trustworthiness** - do neighbours on the map deserve trust? It drops when words that were far apart land
  close together: **false neighbours**.
* **PCA explained variance** - the share of the spread of the vectors that the flat map keeps."""
    )

    c1, c2 = st.columns(2)
    method = METHOD_OF[c1.selectbox("Projection", II.meter_method.choices, **II.meter_method.widget)]
    word = c2.selectbox("Word to inspect", II.word.choices, **II.word.widget)
    points = cache.word_map(groups, method)
    index = data.words.index(word)
    found = lost_neighbours(data.vectors, points, index, k=10)

    st.subheader(f"Lost neighbours of “{word}”")
    show_chart(
        charts.lost_neighbours_map(points, data.words, index, found),
        key=II.lost_chart.key,
        data=charts.lost_neighbours_table(data.words, found, group_of),
        name=f"lost-neighbours-{word}-{method}",
    )
    show_meters(cache.meters_of(groups, points), key=II.meters_lost.key, linear=method == "pca")
    st.dataframe(charts.lost_neighbours_table(data.words, found, group_of), hide_index=True)
    n_false = len(found.false)
    st.caption(
        f"{n_false} of the 10 map neighbours of “{word}” are false neighbours (close on the map, not among its "
        f"10 nearest in the full space); {10 - n_false} are true. {len(data.words)} words from {len(groups)} groups."
    )

    st.subheader("Keep more dimensions, lose less")
    st.markdown(
        "A PCA map does not have to be flat. Keep more of its directions and every meter climbs; the "
        "curves show how fast."
    )
    dims = st.slider("Dimensions kept", 1, 64, **II.dims.widget)
    curve = cache.meter_curve(groups)
    at = dims - 1
    a, b, c = st.container(key=II.dims_numbers.key).columns(3)
    a.metric(f"Recall@{curve.k} with {dims} dimensions", f"{curve.recall[at]:.0%}")
    b.metric(f"Trustworthiness with {dims} dimensions", f"{curve.trustworthiness[at]:.2f}")
    c.metric(f"Explained variance with {dims} dimensions", f"{curve.explained_variance[at]:.0%}")
    show_chart(charts.meter_curves(curve, dims), key=II.meter_curves_chart.key, data=charts.meter_table(curve),
               name="meters-over-dimensions")
    needed = curve.dims_for_recall(0.8)
    st.info(
        f"""**Every map is a trade.** A 2-D PCA map keeps {curve.recall[1]:.0%} of the neighbourhoods here; PCA needs
{needed if needed else "more than 64"} dimensions to keep 80%.
A 2-D picture is for eyes; the model downstream can use many more numbers.""",
        icon=":material/lightbulb:",
    )


st.divider()
meters_section()


# ==========================================================================
# 4. Homework question 1: is this a good embedding?
# ==========================================================================
@st.fragment
def homework() -> None:
    st.header("4. Homework question 1: is this a good embedding?")
    st.markdown(
        """Here is a 2-D map of real word vectors. Dogs, cats and puppies sit close together, and so do the
foods. But the navigation words sit right on top of the politics words. **Is this a good embedding?**"""
    )
    hw = cache.homework()
    data = hw.concepts
    grid = cache.regions_of(hw.points, data.labels)
    show_chart(
        charts.word_map(
            hw.points, data.words, data.labels, HOMEWORK_GROUPS, grid=grid, title="Is this a good embedding?",
            show_text=True,
        ),
        key=II.homework_chart.key,
        data=charts.word_map_table(hw.points, data.words, data.labels, HOMEWORK_GROUPS),
        name="homework-map",
    )
    show_meters(hw.meters, key=II.meters_homework.key, linear=False)

    answer = st.session_state[II.answer.key]
    c1, c2 = st.columns([1, 3])
    c1.radio("Your vote", II.vote.choices, **II.vote.widget)
    c2.text_input(
        "Your reason, in one sentence", max_chars=200, placeholder="It is good (or bad) because ...",
        **II.sentence.widget,
    )
    if st.button("Save my answer", key=II.save_answer.key, icon=":material/save:"):
        vote = st.session_state[II.vote.key]
        sentence = (st.session_state[II.sentence.key] or "").strip()
        if vote is None:
            st.warning("Choose good, bad or it depends first.")
        elif not sentence:
            st.warning("Write one sentence that says why.")
        else:
            answer.update(vote=vote, sentence=sentence)
            st.success("Saved for this session.")
            live_class.record("ii.homework.vote", vote)
    if answer.get("vote"):
        st.markdown(f"**Your answer:** {answer['vote']}")
        st.text(answer["sentence"])  # the student's own words, shown as plain text

    if st.button("Reveal the answer", key=II.reveal.key, disabled=not answer.get("vote") or live_class.locked("ii.homework.vote"),
                 help="Save your vote and sentence first. In a live class, your teacher reveals it."):
        answer["revealed"] = True
    if answer.get("revealed") or live_class.revealed("ii.homework.vote"):
        live_class.class_result("ii.homework.vote")
        st.success(
            """**There is no single right answer.** Some regions are coherent (pets, foods) and some are not
(navigation and politics share one patch). Whether that is good depends on the problem: for a pet shop's
search box it is a fine map; for sorting news into "politics" and "maps and travel" it is a bad one.""",
            icon=":material/school:",
        )
        st.markdown(
            f"""**How the map was made.** Real {data.vectors.shape[1]:,}-number word vectors, projected onto two
concept axes: x = how pet-like a word is, y = how food-like (the cosine with the centre of the *{HOMEWORK_AXES[0]}* and
*{HOMEWORK_AXES[1]}* words). It is the map a pet shop might build: it keeps what a pet shop needs and drops the
rest. Navigation and politics have no axis of their own, so they fall together in the middle."""
        )
        st.markdown("**The evidence.** How often each group's words are guessed right from their 5 nearest words:")
        st.dataframe(
            {
                "group": list(HOMEWORK_GROUPS),
                "in the full space": [f"{v:.0%}" for v in hw.accuracy_full],
                "on this map": [f"{v:.0%}" for v in hw.accuracy_map],
            },
            hide_index=True,
        )
        st.markdown("The worst **false neighbours**: pairs close on the map but far apart in the full space "
                    "(rank = place among the word's nearest words; 1 = nearest).")
        group_of = [HOMEWORK_GROUPS[g] for g in data.labels]
        st.dataframe(charts.false_pairs_table(data.words, group_of, hw.false_pairs), hide_index=True)


st.divider()
homework()


# ==========================================================================
# 5. t-SNE has knobs
# ==========================================================================
@heavy.section
def tsne_knobs() -> None:
    st.header("5. t-SNE has knobs")
    st.markdown(
        """t-SNE draws beautiful maps, but it has settings, and the picture changes with them. Here the data is
made up, so we **know the truth** and can check the picture against it (after Wattenberg, Viégas & Johnson,
[*How to Use t-SNE Effectively*](https://distill.pub/2016/misread-tsne/), Distill 2016). **Perplexity** is
roughly how many neighbours each point tries to keep close; **iterations** is how long t-SNE runs."""
    )
    c1, c2 = st.columns(2)
    name = DATASET_OF[c1.selectbox("Data with known structure", II.tsne_data.choices, **II.tsne_data.widget)]
    n_points = c2.slider("Points", *II.tsne_points.bounds, step=100, **II.tsne_points.widget)
    c3, c4 = st.columns(2)
    perplexity = c3.select_slider("Perplexity", II.perplexity.choices, **II.perplexity.widget)
    iterations = c4.select_slider("Iterations", II.iterations.choices, **II.iterations.widget)
    st.markdown(f"**The truth:** {DATASETS[name][2]}")

    _, labels = cache.tsne_data(name, n_points)
    with st.spinner(f"Running t-SNE on {n_points} points (a few seconds; each setting is kept once computed)..."):
        Y = cache.tsne_run(name, n_points, perplexity, iterations)
        reading = cache.tsne_reading(name, n_points, perplexity, iterations)
    plots, takeaways = st.columns([3, 2])
    with plots:
        show_chart(
            charts.cluster_map(Y, labels, CLUSTER_NAMES, f"t-SNE, perplexity {perplexity}, {iterations} iterations"),
            key=II.tsne_chart.key,
            data=charts.points_table(Y, labels, CLUSTER_NAMES),
            name=f"tsne-{name}-p{perplexity}-i{iterations}",
        )
    with takeaways:
        st.markdown("**Three things to remember**")
        st.info("**Cluster sizes mean little.** t-SNE evens out density: a wide cluster and a tight one can come "
                "out the same size.", icon=":material/straighten:")
        st.info("**Distances between clusters may mean little.** Gaps on the map need not match the gaps in the "
                "data.", icon=":material/open_in_full:")
        st.info("**Random noise can look clustered.** At low perplexity, pure noise breaks into clumps.",
                icon=":material/grain:")
    show_meters(reading.meters, key=II.meters_tsne.key, linear=False)
    n_clusters = len(reading.spread_true)
    if n_clusters > 1:
        st.markdown("**The numbers: the map against the truth.**")
        st.dataframe(
            {
                "cluster": list(CLUSTER_NAMES[:n_clusters]),
                "spread in the data": [f"{v:.1f}" for v in reading.spread_true],
                "spread on the map": [f"{v:.1f}" for v in reading.spread_map],
                "ratio to cluster A (data)": [f"{v / reading.spread_true[0]:.1f}" for v in reading.spread_true],
                "ratio to cluster A (map)": [f"{v / reading.spread_map[0]:.1f}" for v in reading.spread_map],
            },
            hide_index=True,
        )
        if n_clusters > 2:
            st.caption(
                f"Gap A-B vs B-C: {reading.gaps_true[0, 1]:.0f} vs {reading.gaps_true[1, 2]:.0f} in the data "
                f"(ratio {reading.gaps_true[1, 2] / reading.gaps_true[0, 1]:.1f}); "
                f"{reading.gaps_map[0, 1]:.0f} vs {reading.gaps_map[1, 2]:.0f} on the map "
                f"(ratio {reading.gaps_map[1, 2] / reading.gaps_map[0, 1]:.1f})."
            )
    else:
        st.caption(f"The data has one blob of {n_points} points; any clusters you see on the map are made up.")

    st.subheader("Small multiples: one picture per perplexity")
    if st.toggle(
        f"Draw the small multiples (perplexity {', '.join(map(str, cache.PERPLEXITIES))})",
        help="Five t-SNE runs; each is kept once computed, so coming back is instant.",
        **II.multiples.widget,
    ):
        # Five runs at once: at most 300 points and 500 iterations each (about 1 s of CPU a run).
        n_points, iterations = min(n_points, cache.MULTIPLES_MAX_POINTS), min(iterations, cache.MULTIPLES_MAX_ITERATIONS)
        _, labels = cache.tsne_data(name, n_points)
        st.caption(f"Each picture: {n_points} points, {iterations} iterations.")
        progress = st.progress(0.0, text="Running t-SNE for each perplexity...")
        maps = []
        for i, p in enumerate(cache.PERPLEXITIES):
            maps.append(cache.tsne_run(name, n_points, p, iterations))
            progress.progress((i + 1) / len(cache.PERPLEXITIES), text=f"Perplexity {p} done")
        progress.empty()
        show_chart(
            charts.small_multiples(maps, cache.PERPLEXITIES, labels, CLUSTER_NAMES),
            key=II.multiples_chart.key,
            data=charts.small_multiples_table(maps, cache.PERPLEXITIES, labels, CLUSTER_NAMES),
            name=f"tsne-small-multiples-{name}",
        )
        readings = [cache.tsne_reading(name, n_points, p, iterations) for p in cache.PERPLEXITIES]
        st.dataframe(
            {
                "perplexity": list(cache.PERPLEXITIES),
                "recall@10": [f"{r.meters.recall:.0%}" for r in readings],
                "trustworthiness": [f"{r.meters.trustworthiness:.2f}" for r in readings],
                # The same for every row: what the best flat map would keep, for comparison.
                "PCA explained variance (2-D)": [f"{r.meters.explained_variance:.0%}" for r in readings],
            },
            hide_index=True,
        )
    st.info(
        "**No single setting is right.** Look at several perplexities before believing a shape, and check the "
        "numbers, not only the picture.",
        icon=":material/lightbulb:",
    )


st.divider()
tsne_knobs()
