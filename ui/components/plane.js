// The draggable toy plane (ui/components/plane.py mounts it; nothing here is fetched or built).
//
// Python sends `data` (JSON, see plane.py: plane_data): the words, their [x, y], the expressions to
// compute and the colours. While a point is dragged (pointer or arrow keys) everything is recomputed
// and redrawn here, in the browser, with nothing sent to the server. When the drag ends, one
// trigger, `moved`, carries the moved words' settled positions back to Python: [[word, x, y], ...].
//
// Student words reach the page only through textContent and setAttribute, never as HTML.

const SVG = "http://www.w3.org/2000/svg";
const planes = new WeakMap(); // parentElement -> the plane's state (the module is shared by every instance)
const KEY_COMMIT_MS = 300; // arrow keys: send the position once the keys have rested this long
const MARGIN = { left: 40, right: 12, top: 12, bottom: 44 }; // px around the plot: tick labels, axis titles

// ---------------------------------------------------------------------------------------------
// The maths: the same operations, in the same order, as embedcore.toyplane, so the numbers agree.
// ---------------------------------------------------------------------------------------------

/** The closest word to `point`: [index, distance], or null. Ties keep table order (a stable sort). */
export function nearest(point, coords, exclude = []) {
  let best = null;
  coords.forEach(([x, y], i) => {
    if (exclude.includes(i)) return;
    const dx = x - point[0], dy = y - point[1];
    const d = Math.sqrt(dx * dx + dy * dy); // np.linalg.norm(coords - point, axis=1)
    if (best === null || d < best[1]) best = [i, d];
  });
  return best;
}

/** One expression on the current coordinates: {point, path, nearest} or, to compare, {distance, cosine}. */
export function evaluate(expr, coords) {
  if (expr.kind === "sum") {
    // toyplane.arithmetic: the running sum sum_i sign_i * v(word_i), from the origin, head to tail.
    const path = [[0, 0]];
    for (const [sign, i] of expr.terms) {
      const [x, y] = path[path.length - 1];
      path.push([x + sign * coords[i][0], y + sign * coords[i][1]]);
    }
    const point = path[path.length - 1];
    return { point, path, nearest: nearest(point, coords, expr.exclude) };
  }
  if (expr.kind === "mean") {
    // toyplane.midpoint: the mean of the chosen points; `path` holds the points themselves.
    const path = expr.words.map((i) => coords[i]);
    let sx = 0, sy = 0;
    for (const [x, y] of path) { sx += x; sy += y; }
    const point = [sx / path.length, sy / path.length];
    return { point, path, nearest: nearest(point, coords, expr.exclude) };
  }
  // toyplane.compare: |a - b|, and cos(a, b) = a.b / (|a| |b|), undefined (NaN) at the origin.
  const [a, b] = expr.words.map((i) => coords[i]);
  const dx = a[0] - b[0], dy = a[1] - b[1];
  const norms = Math.sqrt(a[0] * a[0] + a[1] * a[1]) * Math.sqrt(b[0] * b[0] + b[1] * b[1]);
  const cosine = norms === 0 ? NaN : (a[0] * b[0] + a[1] * b[1]) / norms;
  return { path: [[0, 0], a, [0, 0], b], distance: Math.sqrt(dx * dx + dy * dy), cosine };
}

/** `value` on the grid of `step` (0.1: a tenth), inside [lo, hi]. */
export function snap(value, step, lo, hi) {
  const per = Math.round(1 / step);
  return Math.min(hi, Math.max(lo, Math.round(value * per) / per));
}

/** `v` with two decimals, as Python's f"{v:.2f}" writes it (but never "-0.00"). */
export function fixed(v) {
  const a = Math.abs(v);
  // toFixed breaks an exact tie away from zero, Python to even. At two decimals the only exact ties are
  // odd multiples of 1/8 (0.125, 0.625, ...): a mean of eight points lands on them.
  const tie = Number.isInteger(a * 8) && (a * 8) % 2 === 1;
  const text = tie ? ((Math.floor(a * 100) + (Math.floor(a * 100) % 2)) / 100).toFixed(2) : a.toFixed(2);
  return v < 0 && text !== "0.00" ? `-${text}` : text;
}

/** The line of text an expression shows: what the Python section prints, so the two read alike. */
export function readout(expr, result, words) {
  if (expr.kind === "compare") {
    const cosine = Number.isNaN(result.cosine) ? "undefined" : fixed(result.cosine);
    return `${expr.label}: distance ${fixed(result.distance)}, cosine ${cosine}`;
  }
  const [x, y] = result.point;
  const near = result.nearest ? `, nearest: ${words[result.nearest[0]]} (distance ${fixed(result.nearest[1])})` : "";
  return `${expr.label} = [${fixed(x)}, ${fixed(y)}]${near}`;
}

// ---------------------------------------------------------------------------------------------
// Drawing: an SVG in pixels, one scale for both axes (a unit is as long across as up).
// ---------------------------------------------------------------------------------------------

function el(tag, attrs, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (parent) parent.appendChild(node);
  return node;
}

/** The expression whose arrows and result are drawn (the readout's first line), or null. */
const mainExpression = (data) => (data.draw_first ? data.expressions[0] : null);

/** The data range to show: every point, the origin, the main expression's path, padded, within bounds. */
function fitView(state) {
  const { coords, bounds } = state;
  const xs = [-2, 2], ys = [-1, 2]; // the starter words sit well inside
  const main = mainExpression(state.data);
  const extra = main ? evaluate(main, coords).path : [];
  for (const [x, y] of [...coords, ...extra]) { xs.push(x); ys.push(y); }
  const pad = 0.8, lo = bounds[0] - 1, hi = bounds[1] + 1;
  state.fit = {
    x0: Math.max(lo, Math.min(...xs) - pad), x1: Math.min(hi, Math.max(...xs) + pad),
    y0: Math.max(lo, Math.min(...ys) - pad), y1: Math.min(hi, Math.max(...ys) + pad),
  };
  layout(state);
}

/** Pixel size and scale from the container's width; the plot fills the box, units stay square. */
function layout(state) {
  const width = Math.max(240, state.root.clientWidth || 600);
  const height = Math.round(Math.min(520, Math.max(300, width * 0.7)));
  const { fit } = state;
  const w = width - MARGIN.left - MARGIN.right, h = height - MARGIN.top - MARGIN.bottom;
  const scale = Math.min(w / (fit.x1 - fit.x0), h / (fit.y1 - fit.y0));
  // Widen the shorter range so the plot fills the box (from the fitted range, so resizes never drift).
  const cx = (fit.x0 + fit.x1) / 2, cy = (fit.y0 + fit.y1) / 2;
  state.view = { x0: cx - w / scale / 2, x1: cx + w / scale / 2, y0: cy - h / scale / 2, y1: cy + h / scale / 2 };
  Object.assign(state, { width, height, scale });
  state.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  state.svg.setAttribute("width", width);
  state.svg.setAttribute("height", height);
  drawGrid(state);
}

const px = (s, x) => MARGIN.left + (x - s.view.x0) * s.scale;
const py = (s, y) => MARGIN.top + (s.view.y1 - y) * s.scale;

/** Grid lines every unit, the two axes through the origin, tick numbers, axis titles and the royal area. */
function drawGrid(s) {
  const g = s.layers.grid;
  g.replaceChildren();
  const { x0, x1, y0, y1 } = s.view;
  for (let x = Math.ceil(x0); x <= x1; x++) {
    el("line", { x1: px(s, x), x2: px(s, x), y1: py(s, y0), y2: py(s, y1), class: x === 0 ? "axis" : "gridline" }, g);
    el("text", { x: px(s, x), y: py(s, y0) + 16, class: "tick", "text-anchor": "middle" }, g).textContent = x;
  }
  for (let y = Math.ceil(y0); y <= y1; y++) {
    el("line", { x1: px(s, x0), x2: px(s, x1), y1: py(s, y), y2: py(s, y), class: y === 0 ? "axis" : "gridline" }, g);
    el("text", { x: MARGIN.left - 6, y: py(s, y) + 4, class: "tick", "text-anchor": "end" }, g).textContent = y;
  }
  const [xTitle, yTitle] = s.data.axis_titles;
  el("text", { x: MARGIN.left + (s.width - MARGIN.left - MARGIN.right) / 2, y: s.height - 8, class: "title",
    "text-anchor": "middle" }, g).textContent = xTitle;
  el("text", { x: 12, y: MARGIN.top + (s.height - MARGIN.top - MARGIN.bottom) / 2, class: "title",
    "text-anchor": "middle", transform: `rotate(-90 12 ${MARGIN.top + (s.height - MARGIN.top - MARGIN.bottom) / 2})` },
  g).textContent = yTitle;
  const area = s.data.area;
  if (area) {
    const [cx, cy] = area.centre, [rx, ry] = area.half_widths;
    el("ellipse", { cx: px(s, cx), cy: py(s, cy), rx: rx * s.scale, ry: ry * s.scale, class: "area",
      fill: area.fill, stroke: area.stroke }, g);
    el("text", { x: px(s, cx), y: py(s, cy + ry) - 4, class: "tick", "text-anchor": "middle" }, g).textContent =
      area.label;
  }
}

/** One focusable point per word, made when the words change (focus and pointer capture then survive a redraw). */
function makePoints(s) {
  const g = s.layers.points;
  g.replaceChildren();
  s.points = s.data.words.map((word, i) => {
    const point = el("g", { class: "point", tabindex: "0", role: "slider", "data-word": word,
      "aria-roledescription": "movable point", "aria-label": word, "aria-describedby": "plane-hint",
      "aria-valuemin": s.bounds[0], "aria-valuemax": s.bounds[1] }, g);
    el("circle", { r: 22, class: "hit" }, point); // a finger-sized target
    el("circle", { r: 13, class: "ring" }, point); // the focus ring
    el("circle", { r: 7, class: "dot" }, point);
    el("text", { y: -12, class: "label", "text-anchor": "middle" }, point).textContent = word;
    point.addEventListener("pointerdown", (e) => startDrag(s, i, e));
    // A finger on a point drags it; elsewhere on the plane it still scrolls the page. (Chromium ignores
    // touch-action on SVG children, so the touch's default, a pan, is refused here.)
    point.addEventListener("touchstart", (e) => e.preventDefault(), { passive: false });
    point.addEventListener("keydown", (e) => keyMove(s, i, e));
    point.addEventListener("keyup", (e) => { if (e.key.startsWith("Arrow")) scheduleCommit(s); });
    return point;
  });
}

function arrow(g, [ax, ay], [bx, by], colour, dash) {
  const len = Math.hypot(bx - ax, by - ay);
  if (len < 1) return;
  const ux = (bx - ax) / len, uy = (by - ay) / len, head = Math.min(12, len / 2);
  const end = [bx - ux * 4, by - uy * 4]; // stop short of the point it reaches
  el("line", { x1: ax, y1: ay, x2: end[0] - ux * head * 0.8, y2: end[1] - uy * head * 0.8, stroke: colour,
    class: "arrow", "stroke-dasharray": dash }, g);
  const base = [end[0] - ux * head, end[1] - uy * head];
  el("polygon", { fill: colour, points: `${end} ${base[0] - uy * head / 2},${base[1] + ux * head / 2} ` +
    `${base[0] + uy * head / 2},${base[1] - ux * head / 2}` }, g);
}

const DASHES = ["", "8 5", "2 4"]; // the steps differ by dash as well as by colour

/** The main expression: its steps as arrows (head to tail, from the origin, or into the mean) and its star. */
function drawMain(s, main, result) {
  const at = (p) => [px(s, p[0]), py(s, p[1])];
  const { arrows: colours, mean } = s.data.colours, layer = s.layers.arrows;
  if (main.kind === "sum") {
    result.path.slice(1).forEach((p, k) =>
      arrow(layer, at(result.path[k]), at(p), colours[k % colours.length], DASHES[k % DASHES.length]));
  } else if (main.kind === "mean") {
    result.path.forEach((p) => arrow(layer, at(p), at(result.point), mean, "6 4"));
  } else { // compare: each word's vector from the origin
    arrow(layer, at([0, 0]), at(result.path[1]), colours[0], DASHES[0]);
    arrow(layer, at([0, 0]), at(result.path[3]), colours[1 % colours.length], DASHES[1]);
  }
  if (!result.point) return;
  const [x, y] = at(result.point);
  const star = [];
  for (let k = 0; k < 10; k++) { // a five-pointed star: radius 13 and 5.5, alternately
    const r = k % 2 ? 5.5 : 13, t = (Math.PI * k) / 5 - Math.PI / 2;
    star.push(`${(x + r * Math.cos(t)).toFixed(1)},${(y + r * Math.sin(t)).toFixed(1)}`);
  }
  // data-x, data-y and data-nearest: what the browser computed, for the tests and anyone inspecting.
  const g = el("g", { class: "result", "data-x": result.point[0], "data-y": result.point[1],
    "data-nearest": result.nearest ? s.data.words[result.nearest[0]] : "" }, s.layers.result);
  el("polygon", { points: star.join(" "), fill: s.data.colours.result, class: "star" }, g);
  el("text", { x, y: y + 28, class: "label", "text-anchor": "middle" }, g).textContent = main.label;
}

/** Everything that follows the points: the points, the main expression's arrows and star, the readout. */
function update(s) {
  const { coords, data } = s;
  s.points.forEach((point, i) => {
    const [x, y] = coords[i];
    point.setAttribute("transform", `translate(${px(s, x)} ${py(s, y)})`);
    // A screen reader says the word (its name), then where it is (its value).
    point.setAttribute("aria-valuenow", x);
    point.setAttribute("aria-valuetext", `gender ${fixed(x)}, royalty ${fixed(y)}`);
    // The words the expression uses stand out (their colour may change without the words changing).
    point.querySelector(".dot").setAttribute("fill", data.highlight.includes(i) ? data.colours.highlight :
      data.colours.point);
  });
  const results = data.expressions.map((expr) => evaluate(expr, coords));
  s.layers.arrows.replaceChildren();
  s.layers.result.replaceChildren();
  const main = mainExpression(data);
  if (main) drawMain(s, main, results[0]);
  s.readout.replaceChildren(...data.expressions.map((expr, k) => {
    const line = document.createElement("span");
    line.className = "line";
    line.textContent = readout(expr, results[k], data.words);
    return line;
  }));
}

// ---------------------------------------------------------------------------------------------
// Moving: pointer (mouse, pen, finger) and keyboard. Nothing is sent until the move ends.
// ---------------------------------------------------------------------------------------------

function toData(s, e) {
  const box = s.svg.getBoundingClientRect();
  const scale = box.width / s.width; // the SVG may be drawn at another size than its viewBox
  return [s.view.x0 + ((e.clientX - box.left) / scale - MARGIN.left) / s.scale,
    s.view.y1 - ((e.clientY - box.top) / scale - MARGIN.top) / s.scale];
}

function startDrag(s, i, e) {
  if (e.button !== 0 || s.drag) return;
  e.preventDefault(); // no text selection, no scrolling: the point follows the pointer
  s.points[i].focus({ preventScroll: true });
  s.points[i].setPointerCapture(e.pointerId);
  const [x, y] = toData(s, e);
  s.drag = { i, id: e.pointerId, dx: s.coords[i][0] - x, dy: s.coords[i][1] - y, from: [...s.coords[i]] };
  s.readout.setAttribute("aria-busy", "true"); // announce the result once, at the drop
  s.root.classList.add("dragging");
}

function dragMove(s, e) {
  const d = s.drag;
  if (!d || e.pointerId !== d.id) return;
  const [x, y] = toData(s, e);
  const { x0, x1, y0, y1 } = s.view, [lo, hi] = s.bounds;
  // Within the table's range and the visible plane, so the point stays under the pointer.
  const next = [snap(x + d.dx, s.step, Math.max(lo, x0), Math.min(hi, x1)),
    snap(y + d.dy, s.step, Math.max(lo, y0), Math.min(hi, y1))];
  if (next[0] === s.coords[d.i][0] && next[1] === s.coords[d.i][1]) return;
  s.coords[d.i] = next;
  s.moved.add(d.i);
  update(s);
}

function endDrag(s, e, cancel = false) {
  const d = s.drag;
  if (!d || (e && e.pointerId !== d.id)) return;
  s.drag = null;
  s.root.classList.remove("dragging");
  s.readout.removeAttribute("aria-busy");
  if (cancel) { s.coords[d.i] = d.from; s.moved.delete(d.i); update(s); return; }
  fitView(s);
  update(s);
  commit(s);
}

function keyMove(s, i, e) {
  if (e.key === "Escape" && s.drag) { endDrag(s, null, true); return; }
  const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
  if (!steps || s.drag) return;
  e.preventDefault(); // arrows move the point, not the page
  clearTimeout(s.timer);
  const size = e.shiftKey ? 1 : s.step, [lo, hi] = s.bounds;
  const [x, y] = s.coords[i];
  s.coords[i] = [snap(x + steps[0] * size, s.step, lo, hi), snap(y + steps[1] * size, s.step, lo, hi)];
  s.moved.add(i);
  const { x0, x1, y0, y1 } = s.view, [nx, ny] = s.coords[i];
  if (nx < x0 || nx > x1 || ny < y0 || ny > y1) fitView(s); // keep the point in view
  update(s);
}

function scheduleCommit(s) {
  clearTimeout(s.timer);
  s.timer = setTimeout(() => commit(s), KEY_COMMIT_MS);
}

/** Send the moved words' positions to Python, once: a trigger, so it reruns the script exactly once. */
function commit(s) {
  clearTimeout(s.timer);
  if (!s.moved.size) return;
  const moved = [...s.moved].map((i) => [s.data.words[i], s.coords[i][0], s.coords[i][1]]);
  s.moved.clear();
  s.setTriggerValue("moved", moved);
}

// ---------------------------------------------------------------------------------------------
// Mounting: called again with new data after every rerun; the DOM and listeners are made once.
// ---------------------------------------------------------------------------------------------

function create(parentElement) {
  const root = parentElement.querySelector(".plane");
  const svg = el("svg", { class: "plane-svg", role: "group", "aria-label": root.dataset.label }, null);
  root.querySelectorAll("svg").forEach((old) => old.remove()); // never two planes in one root
  root.prepend(svg);
  const layers = {};
  for (const name of ["grid", "arrows", "result", "points"]) layers[name] = el("g", { class: `layer-${name}` }, svg);
  const s = { root, svg, layers, readout: root.querySelector(".readout"), moved: new Set(), drag: null };
  svg.addEventListener("pointermove", (e) => dragMove(s, e));
  svg.addEventListener("pointerup", (e) => endDrag(s, e));
  svg.addEventListener("pointercancel", (e) => endDrag(s, e, true));
  svg.addEventListener("lostpointercapture", (e) => endDrag(s, e));
  svg.addEventListener("focusout", () => { if (s.moved.size && !s.drag) commit(s); });
  s.resize = new ResizeObserver(() => { if (s.data && !s.drag) { layout(s); update(s); } });
  s.resize.observe(root);
  return s;
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let s = planes.get(parentElement);
  if (!s) {
    s = create(parentElement);
    planes.set(parentElement, s);
  }
  const sameWords = s.data && s.data.words.join("\u0000") === data.words.join("\u0000");
  const coords = data.coords.map((p) => [...p]);
  if (sameWords) {
    // Words moved here and not yet confirmed by Python keep their place (a drag may be under way).
    for (const i of s.moved) coords[i] = s.coords[i];
    if (s.drag) coords[s.drag.i] = s.coords[s.drag.i];
  } else {
    s.moved.clear();
    s.drag = null;
  }
  Object.assign(s, { data, coords, setTriggerValue, bounds: data.bounds, step: data.step });
  s.root.style.setProperty("--plane-text-grey", data.colours.text);
  if (!sameWords) makePoints(s);
  if (!s.drag) fitView(s);
  update(s);
  // No clean-up function: Streamlit may call one between two renders of the same plane, and the plane
  // (its DOM, listeners and observer) goes when its shadow root goes.
}
