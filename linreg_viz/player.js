// The descent player: moves every view of a run from one compact binary timeline, in the page.
//
// The charts are plain Plotly charts drawn once, showing the run's final state. This script
// decodes the timeline (a JSON header, then float32 columns), and on each animation frame puts
// the step that wall time has reached on every view: 3-D traces by updating the scene's trace
// objects in place and redrawing each WebGL scene once (Plotly.restyle would rebuild the whole
// scene); 2-D traces during playback by moving their SVG paths (Plotly.restyle would recompute
// and redraw every trace of the chart), and through Plotly.restyle once playback stops. Where a Plotly version lacks those internals, or
// window.GDV_FORCE_RESTYLE is set, every update goes through Plotly.restyle.
// After every view shows a step: window event "descent:frame" with detail {step, epoch}.
// A comparison (a header with `runs`) plays several runs, one frame a time in epochs: its step
// is the frame, and each run's traces are named "kind@r".
(function () {
  "use strict";
  var VERSION = 7;
  if (window.GDVPlayer && window.GDVPlayer.version === VERSION) { return; }
  var runs = window.__gdvRuns || (window.__gdvRuns = {}); // run id -> {index, playing, pos0, t0}
  var cameras = window.__gdvCameras || (window.__gdvCameras = {}); // chart name -> camera
  var active = null; // the player the keyboard drives: the last one mounted

  function decode(bytes) {
    var header = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
    var meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + header)));
    var body = bytes.slice(4 + header); // a copy: float32 needs an aligned buffer
    var T = meta.points;
    var blocks = meta.blocks || {}, length = T * meta.columns.length;
    Object.keys(blocks).forEach(function (name) { length += blocks[name]; });
    var all = new Float32Array(body.buffer, 0, length);
    var cols = {};
    meta.columns.forEach(function (name, c) { cols[name] = all.subarray(c * T, (c + 1) * T); });
    var start = T * meta.columns.length; // then the blocks, each its own length
    Object.keys(blocks).forEach(function (name) {
      cols[name] = all.subarray(start, start + blocks[name]);
      start += blocks[name];
    });
    return { meta: meta, cols: cols };
  }

  function fmt(value) {
    if (!isFinite(value)) { return "—"; }
    if (Number.isInteger(value) && Math.abs(value) < 1e7) { return String(value); }
    var a = Math.abs(value);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? value.toExponential(3) : value.toPrecision(5);
  }

  function ignoredTarget(target) {
    return !target || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) ||
      target.isContentEditable || target.getAttribute("role") === "slider";
  }

  document.addEventListener("keydown", function (event) {
    if (!active || event.altKey || event.ctrlKey || event.metaKey || ignoredTarget(event.target)) {
      return;
    }
    var keys = { Space: active.toggle, ArrowRight: function () { active.step(1); },
      ArrowLeft: function () { active.step(-1); }, Home: function () { active.seek(0); },
      End: function () { active.seek(active.last); } };
    if (keys[event.code]) { event.preventDefault(); keys[event.code](); }
  });

  // What each moving trace shows at timeline index i, by the name in its `meta`.
  // An arrow from (x0, y0) to (x1, y1) as one polyline: the shaft, then a head drawn in screen
  // pixels (the axes' scales differ), converted back to the chart's data coordinates.
  function arrow(gd, x0, y0, x1, y1) {
    if (![x0, y0, x1, y1].every(isFinite)) { return { x: [], y: [] }; }
    var xs = [x0, x1], ys = [y0, y1], L = gd._fullLayout, xa = L.xaxis, ya = L.yaxis;
    if (xa && ya && xa._length && ya._length && xa.range && ya.range) {
      var sx = xa._length / (xa.range[1] - xa.range[0]);
      var sy = -ya._length / (ya.range[1] - ya.range[0]); // screen y grows downwards
      var dx = (x1 - x0) * sx, dy = (y1 - y0) * sy, length = Math.hypot(dx, dy);
      if (length > 0.5) {
        var head = Math.min(10, 0.45 * length), ux = dx / length, uy = dy / length;
        [2.65, -2.65].forEach(function (a) {
          var c = Math.cos(a), s = Math.sin(a);
          xs.push(x1 + head * (ux * c - uy * s) / sx, x1);
          ys.push(y1 + head * (ux * s + uy * c) / sy, y1);
        });
      }
    }
    return { x: xs, y: ys };
  }

  function arrowData(uid, cols, meta, i, gd) {
    var axes = meta.arrows.axes, lr = meta.arrows.lr, low = meta.arrows.low;
    var high = meta.arrows.high;
    var clamp = function (v, k) {
      var span = high[k] - low[k];
      return Math.max(low[k] - 3 * span, Math.min(high[k] + 3 * span, v));
    };
    var base = axes.map(function (name, k) { return clamp(cols["prev_" + name][i], k); });
    var tip = axes.map(function (name, k) {
      var v = uid === "arrow_step" ? cols[name][i]
        : cols["prev_" + name][i] - lr * cols[(uid === "arrow_full" ? "fg_" : "g_") + name][i];
      return clamp(v, k);
    });
    return arrow(gd, base[0], base[1], tip[0], tip[1]);
  }

  // The drawn points in the minibatch of the update that led to index i. None (the start, or a
  // batch none of whose examples is drawn) is one NaN point, which Plotly draws as nothing: a
  // trace given no points at all is taken for an empty one, hidden (visible: false) and its 3-D
  // object disposed the next time Plotly plots the chart (Streamlit's second draw, a relayout).
  function batchData(cols, meta, i) {
    var sample = cols.sample, P = sample.length / (meta.d + 1), xs = [], ys = [], zs = [];
    for (var k = cols.batch_offsets[i]; k < cols.batch_offsets[i + 1]; k++) {
      var p = cols.batch_points[k];
      xs.push(sample[p]);
      ys.push(sample[P + p]);
      if (meta.d === 2) { zs.push(sample[2 * P + p]); }
    }
    if (!xs.length) { xs.push(NaN); ys.push(NaN); zs.push(NaN); }
    return meta.d === 2 ? { x: xs, y: ys, z: zs } : { x: xs, y: ys };
  }

  // What a moving trace shows at index i. A comparison's trace "kind@r" moves with run r's
  // columns (r0_px, …) on the epoch clock; a single run's with its own (px, …) on the step clock.
  function traceData(uid, cols, meta, i, gd) {
    if (uid.indexOf("arrow_") === 0) { return arrowData(uid, cols, meta, i, gd); }
    if (uid === "batch") { return batchData(cols, meta, i); }
    var run = uid.indexOf("@"), kind = run >= 0 ? uid.slice(0, run) : uid;
    var p = run >= 0 ? "r" + uid.slice(run + 1) + "_" : "", clock = run >= 0 ? "epoch" : "step";
    var upto = function (name) { return cols[name].subarray(0, i + 1); };
    var at = function (name) { return [cols[name][i]]; };
    switch (kind) {
      case "path3d": return { x: upto(p + "px"), y: upto(p + "py"), z: upto(p + "pz") };
      case "current3d": return { x: at(p + "px"), y: at(p + "py"), z: at(p + "pz") };
      case "drop3d": return { x: at(p + "px").concat(at(p + "px")),
        y: at(p + "py").concat(at(p + "py")), z: at(p + "sz").concat(at(p + "pz")) };
      case "path2d": return { x: upto(p + "px"), y: upto(p + "py") };
      case "current2d": return { x: at(p + "px"), y: at(p + "py") };
      case "progress": return { x: upto(clock), y: upto(p + "ly") };
      case "cursor": return { x: at(clock), y: at(p + "ly") };
      case "fit": return meta.d === 1 ? { y: fitAt(cols, meta, i) } : { z: fitAt(cols, meta, i) };
    }
    throw new Error("unknown moving trace " + uid);
  }

  // The fitted line's or plane's heights at index i (columns fit0, fit1, …).
  function fitAt(cols, meta, i) {
    var fit = [];
    for (var c = 0; meta.columns.indexOf("fit" + c) >= 0; c++) { fit.push(cols["fit" + c][i]); }
    return fit;
  }

  // The scene objects behind a 3-D trace, or null where this Plotly has none we know.
  function sceneTrace(gd, index) {
    var full = gd._fullData && gd._fullData[index];
    var layout = full && full.scene && gd._fullLayout[full.scene];
    var scene = layout && layout._scene;
    var object = scene && scene.traces && scene.traces[full.uid];
    if (!object || typeof object.update !== "function" || !scene.glplot ||
        typeof scene.glplot.redraw !== "function") { return null; }
    return { full: full, scene: scene, object: object };
  }

  // The SVG of a 2-D trace and its axes, or null where this Plotly draws it some other way.
  function svgTrace(gd, index) {
    var full = gd._fullData[index];
    var xa = gd._fullLayout[full.xaxis.replace("x", "xaxis")];
    var ya = gd._fullLayout[full.yaxis.replace("y", "yaxis")];
    if (!xa || !ya || typeof xa.c2p !== "function" || typeof ya.c2p !== "function") { return null; }
    var groups = gd.querySelectorAll(".scatterlayer .trace");
    for (var g = 0; g < groups.length; g++) {
      var bound = groups[g].__data__;
      if (bound && bound[0] && bound[0].trace && bound[0].trace.index === index) {
        var line = groups[g].querySelector("path.js-line");
        var points = groups[g].querySelectorAll("path.point");
        if (full.meta === "batch") { // any number of points: their group, to fill from a model
          var holder = groups[g].querySelector("g.points");
          return holder ? { full: full, xa: xa, ya: ya, holder: holder, model: points[0] } : null;
        }
        if (full.mode === "lines" ? !line : points.length !== 1) { return null; }
        return { full: full, xa: xa, ya: ya, line: line, point: points[0] };
      }
    }
    return null;
  }

  function Chart(name, gd, uids) {
    this.name = name;
    this.gd = gd;
    // The traces it moves: those of `uids` this chart draws (the arrows can be switched off).
    this.uids = uids.filter(function (uid) {
      return gd.data.some(function (trace) { return trace.meta === uid; });
    });
    if (!this.uids.length) { throw new Error("chart " + name + " has none of " + uids); }
    this.indices = this.uids.map(function (uid) {
      return gd.data.findIndex(function (trace) { return trace.meta === uid; });
    });
    this.is3d = /3d$/.test(gd._fullData[this.indices[0]].type);
    this.fast = !window.GDV_FORCE_RESTYLE && (this.is3d
      ? this.indices.every(function (index) { return sceneTrace(gd, index) !== null; })
      : this.indices.every(function (index) { return svgTrace(gd, index) !== null; }));
    this.owned = null; // the trace object last updated: replaced when Streamlit redraws
    this.models = {}; // a point of each many-point trace, cloned to draw any number of them
    this.onScreen = true; // a 3-D chart scrolled away is not redrawn while playing
    this.behind = false; // a step was skipped while off screen: draw it when it scrolls in
    this.observer = null;
  }

  // Watch whether the chart is on screen; `scrolledIn()` when it comes back after a skipped step.
  Chart.prototype.watchScreen = function (scrolledIn) {
    if (!this.is3d || typeof IntersectionObserver !== "function") { return; }
    var self = this;
    this.observer = new IntersectionObserver(function (entries) {
      self.onScreen = entries[entries.length - 1].isIntersecting;
      if (self.onScreen && self.behind) { self.behind = false; scrolledIn(); }
    });
    this.observer.observe(this.gd);
  };

  Chart.prototype.forget = function () {
    if (this.observer) { this.observer.disconnect(); }
  };

  Chart.prototype.current = function () {
    return this.gd.isConnected && this.gd._fullLayout &&
      this.gd.data[this.indices[0]] === this.owned;
  };

  // 3-D: update the scene's trace objects in place, then redraw each WebGL scene once; false
  // (nothing changed) where a trace has no scene object now, as Plotly may have re-plotted.
  // While playing, the objects are marked clean before the redraw: a changed object makes the
  // scene draw every object again into its picking buffers (for hover), which costs a third of
  // a frame in software WebGL; the first step drawn when playback stops brings them up to date.
  Chart.prototype.showScene = function (data, playing) {
    var gd = this.gd, scenes = [];
    var targets = this.indices.map(function (index) { return sceneTrace(gd, index); });
    if (targets.indexOf(null) >= 0) { return false; }
    targets.forEach(function (target, n) {
      var index = target.full.index;
      Object.keys(data[n]).forEach(function (key) {
        gd.data[index][key] = data[n][key];
        target.full[key] = data[n][key];
      });
      if (target.full.type === "scatter3d") { target.full._length = target.full.x.length; }
      target.object.update(target.full);
      if (scenes.indexOf(target.scene) < 0) { scenes.push(target.scene); }
    });
    scenes.forEach(function (scene) {
      if (playing && Array.isArray(scene.glplot.objects)) {
        scene.glplot.objects.forEach(function (object) { object.dirty = false; });
      }
      scene.glplot.redraw();
    });
    return true;
  };

  // 2-D while playing: move the SVG of the moving traces only. Plotly's own model catches up
  // (Plotly.restyle) when playback stops, so hover and zoom then see the step shown.
  Chart.prototype.showSvg = function (data) {
    var gd = this.gd, targets = this.indices.map(function (index) { return svgTrace(gd, index); });
    var models = this.models;
    if (targets.some(function (target) {
      if (target && target.holder) { models[target.full.index] = target.model || models[target.full.index]; }
      return target === null || (target.holder && !models[target.full.index]);
    })) { return false; }
    targets.forEach(function (target, n) {
      var xs = data[n].x || target.full.x, ys = data[n].y || target.full.y;
      gd.data[target.full.index].x = xs;
      gd.data[target.full.index].y = ys;
      if (target.holder) {
        var holder = target.holder, model = models[target.full.index], shown = [];
        for (var p = 0; p < xs.length; p++) { if (isFinite(xs[p])) { shown.push(p); } }
        while (holder.childNodes.length > shown.length) { holder.removeChild(holder.lastChild); }
        while (holder.childNodes.length < shown.length) { holder.appendChild(model.cloneNode(true)); }
        shown.forEach(function (p, q) {
          holder.childNodes[q].setAttribute("transform", "translate(" +
            target.xa.c2p(xs[p]).toFixed(2) + "," + target.ya.c2p(ys[p]).toFixed(2) + ")");
        });
      } else if (target.full.mode === "lines") {
        var parts = new Array(xs.length);
        for (var k = 0; k < xs.length; k++) {
          parts[k] = target.xa.c2p(xs[k]).toFixed(2) + "," + target.ya.c2p(ys[k]).toFixed(2);
        }
        target.line.setAttribute("d", parts.length ? "M" + parts.join("L") : "");
      } else {
        target.point.setAttribute("transform", "translate(" + target.xa.c2p(xs[0]).toFixed(2) +
          "," + target.ya.c2p(ys[0]).toFixed(2) + ")");
      }
    });
    return true;
  };

  // Show one step's data on this chart; a promise where Plotly draws it later.
  Chart.prototype.show = function (data, playing) {
    var gd = this.gd, self = this;
    if (this.is3d && playing && !this.onScreen) { this.behind = true; return null; }
    this.behind = false;
    var fast = this.fast && (this.is3d ? this.showScene(data, playing) : playing && this.showSvg(data));
    if (!fast) {
      var update = {};
      Object.keys(data[0]).forEach(function (key) {
        update[key] = data.map(function (d) { return d[key]; });
      });
      return window.Plotly.restyle(gd, update, this.indices).then(function () {
        self.owned = gd.data[self.indices[0]];
      });
    }
    this.owned = gd.data[this.indices[0]];
    return null;
  };

  function Player(root, bytes) {
    var decoded = decode(bytes);
    this.meta = decoded.meta;
    this.cols = decoded.cols;
    this.root = root;
    this.last = this.meta.points - 1;
    this.charts = {};
    this.run = runs[this.meta.run] || (runs[this.meta.run] = { index: 0, playing: false });
    this.speed = this.meta.speed;
    this.drawing = false;
    this.alive = true;
    this.build();
    var self = this;
    ["toggle", "step", "seek", "tick", "bind"].forEach(function (name) {
      self[name] = self[name].bind(self);
    });
    this.timer = setInterval(this.bind, 250);
    if (this.run.playing) { this.run.pos0 = this.position(); this.run.t0 = performance.now(); }
    this.bind();
    if (this.run.playing) { requestAnimationFrame(this.tick); }
  }

  // Icons as SVG paths (16 x 16): the media symbols are missing from many fonts.
  var ICONS = {
    first: "M2 2h2v12H2z M9 2v12L4 8z M15 2v12L10 8z",
    back: "M2 2h2v12H2z M13 2v12L5 8z",
    play: "M4 2v12l10-6z",
    pause: "M3 2h4v12H3z M9 2h4v12H9z",
    forward: "M3 2v12l8-6z M12 2h2v12h-2z",
    last: "M1 2v12l5-6z M7 2v12l5-6z M12 2h2v12h-2z",
  };

  function icon(button, name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    button.replaceChildren(svg);
  }

  Player.prototype.build = function () {
    var L = this.meta.labels, self = this;
    var bar = document.createElement("div");
    bar.className = "gdv-bar";
    function button(name, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.title = L[name];
      b.setAttribute("aria-label", L[name]);
      b.setAttribute("data-action", name);
      icon(b, name);
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    }
    button("first", function () { self.seek(0); });
    button("back", function () { self.step(-1); });
    this.playButton = button("play", function () { self.toggle(); });
    this.playButton.className = "gdv-play";
    button("forward", function () { self.step(1); });
    button("last", function () { self.seek(self.last); });
    this.slider = document.createElement("input");
    this.slider.type = "range";
    this.slider.min = 0;
    this.slider.max = this.last;
    this.slider.step = 1;
    this.slider.value = this.run.index;
    this.slider.setAttribute("aria-label", L.slider);
    this.slider.addEventListener("input", function () { self.seek(Number(self.slider.value)); });
    bar.appendChild(this.slider);
    var speed = document.createElement("span");
    speed.className = "gdv-speed";
    speed.textContent = L.speed;
    bar.appendChild(speed);
    this.readout = document.createElement("div");
    this.readout.className = "gdv-readout";
    this.readout.setAttribute("data-descent", "readout");
    this.readout.setAttribute("aria-live", "off");
    this.equation = document.createElement("div");
    this.equation.className = "gdv-equation";
    this.equation.setAttribute("data-descent", "equation");
    var rule = document.createElement("div");
    rule.className = "gdv-rule";
    if (this.meta.equation) { // MathML from the app's own table (update_rules.py), notes as text
      rule.innerHTML = this.meta.equation.rule;
      (this.meta.equation.notes || []).forEach(function (note) {
        var span = document.createElement("span");
        span.className = "gdv-note";
        span.textContent = note;
        rule.appendChild(span);
      });
    }
    this.numbers = document.createElement("div");
    this.numbers.className = "gdv-numbers";
    this.equation.replaceChildren(rule, this.numbers);
    this.message = document.createElement("div");
    this.message.className = "gdv-message";
    this.message.hidden = true;
    this.equation.hidden = !this.meta.equation; // a comparison has no one update rule
    var head = document.createElement("div"); // the bar and readout: kept on screen (sticky)
    head.className = "gdv-head";
    head.replaceChildren(bar, this.readout);
    this.root.replaceChildren(head, this.equation, this.message);
    this.root.classList.add("gdv-player");
    this.root.classList.toggle("gdv-projection", !!this.meta.projection);
    this.render(this.run.index);
  };

  Player.prototype.fail = function (error) {
    this.message.hidden = false;
    this.message.textContent = this.meta.labels.failed + " (" + (error && error.message) + ")";
    this.root.setAttribute("data-player", "failed");
  };

  // Find each chart on the page; (re)draw the current step on any chart that is new or redrawn.
  Player.prototype.bind = function () {
    if (!this.alive) { return; }
    var self = this, fresh = false;
    try {
      if (!window.Plotly) { return; }
      Object.keys(this.meta.charts).forEach(function (name) {
        var gd = document.querySelector(self.meta.charts[name]);
        if (!gd || !gd._fullLayout || !gd.data) { return; }
        var chart = self.charts[name];
        if (chart && chart.gd === gd && chart.current()) { return; }
        if (chart) { chart.forget(); }
        chart = self.charts[name] = new Chart(name, gd, self.meta.moving[name]);
        chart.watchScreen(function () { self.drawChart(chart, self.run.index); });
        self.watchCamera(chart);
        fresh = true;
      });
      if (fresh) { this.draw(this.run.index, true); }
      var all = Object.keys(this.meta.charts).length === Object.keys(this.charts).length;
      this.root.setAttribute("data-ready", all ? "all" : "some");
    } catch (error) {
      this.fail(error);
    }
  };

  // The camera a user turned stays when Streamlit draws the chart again (a rerun, a new run).
  Player.prototype.watchCamera = function (chart) {
    var gd = chart.gd, name = chart.name;
    if (!gd._fullLayout.scene) { return; }
    var saved = cameras[name];
    if (saved) { window.Plotly.relayout(gd, { "scene.camera": saved }); }
    if (gd.__gdvWatched) { return; }
    gd.__gdvWatched = true;
    gd.on("plotly_relayout", function (change) {
      if (Object.keys(change).some(function (key) { return key.indexOf("scene") === 0; })) {
        cameras[name] = JSON.parse(JSON.stringify(gd._fullLayout.scene.camera));
      }
    });
  };

  Player.prototype.render = function (i) {
    if (this.meta.runs) { this.renderRuns(i); } else { this.renderRun(i); }
    this.slider.value = i;
    var L = this.meta.labels, playing = this.run.playing ? "pause" : "play";
    if (this.playButton.getAttribute("data-action") !== playing) {
      icon(this.playButton, playing);
      this.playButton.title = L[playing];
      this.playButton.setAttribute("aria-label", L[playing]);
      this.playButton.setAttribute("data-action", playing);
    }
  };

  // A comparison's readout: the time in epochs, then each run's loss in its colour, or that it
  // diverged once the clock has passed its divergence.
  Player.prototype.renderRuns = function (i) {
    var L = this.meta.labels, c = this.cols, epoch = c.epoch[i];
    var time = document.createElement("span");
    time.textContent = L.epoch + " " + epoch.toFixed(3) + " / " + this.meta.epochs;
    var parts = [time];
    this.meta.runs.forEach(function (run, r) {
      var part = document.createElement("span");
      part.style.color = run.colour;
      part.setAttribute("data-run", String(r));
      var gone = run.diverged_epoch !== null && epoch >= run.diverged_epoch;
      part.textContent = "● " + run.name + L.colon +
        (gone ? L.diverged_at.replace("{epoch}", fmt(run.diverged_epoch))
          : L.loss + " " + fmt(c["r" + r + "_loss"][i]));
      parts.push(document.createTextNode("  ·  "), part);
    });
    this.readout.replaceChildren.apply(this.readout, parts);
    this.readout.setAttribute("data-step", String(i));
    this.readout.setAttribute("data-epoch", String(epoch));
  };

  Player.prototype.renderRun = function (i) {
    var L = this.meta.labels, c = this.cols, d = this.meta.d;
    var w = [];
    for (var k = 1; k <= d; k++) { w.push(fmt(c["w" + k][i])); }
    var parts = [
      L.step_of.replace("{step}", c.step[i]).replace("{total}", this.meta.total_steps),
      L.epoch + " " + c.epoch[i],
      this.meta.weights + " = [" + w.join(", ") + "]",
      "b = " + fmt(c.b[i]),
      L.loss + " " + fmt(c.loss[i]),
    ];
    if (c.bdrawn && c.step[i] > 0) { parts.push(this.batchText(i)); }
    if (this.meta.diverged_at !== null && c.step[i] > this.meta.diverged_at) {
      parts.push(L.diverged);
    }
    this.readout.textContent = parts.join("  ·  ");
    this.readout.setAttribute("data-step", String(c.step[i]));
    if (c.bdrawn) {
      this.readout.setAttribute("data-batch",
        Array.prototype.join.call(c.batch_points.subarray(c.batch_offsets[i], c.batch_offsets[i + 1]), ","));
    }
    this.numbers.textContent = this.equationNumbers(i);
    this.equation.setAttribute("data-step", String(c.step[i]));
  };

  // How many examples the update's minibatch holds, how many are drawn, how many ringed.
  Player.prototype.batchText = function (i) {
    var L = this.meta.labels, c = this.cols;
    var ringed = c.batch_offsets[i + 1] - c.batch_offsets[i];
    var text = ringed === c.bsz[i] ? L.batch_all : L.batch_part;
    return text.replace("{size}", c.bsz[i]).replace("{drawn}", c.bdrawn[i])
      .replace("{ringed}", ringed);
  };

  // The update that led to index i, its rule filled with this step's numbers.
  Player.prototype.equationNumbers = function (i) {
    var eq = this.meta.equation, c = this.cols;
    if (!eq) { return ""; }
    if (c.step[i] === 0) { return eq.start; }
    return eq.numbers.replace(/\{(\w+)\}/g, function (whole, name) {
      if (name in eq.constants) { return String(Number(eq.constants[name].toPrecision(6))); }
      var group = eq.groups[name];
      if (!group || !group.every(function (col) { return col in c; })) { return "—"; }
      var values = group.map(function (col) { return fmt(c[col][i]); });
      return values.length === 1 ? values[0] : "[" + values.join(", ") + "]";
    });
  };

  // Show timeline index i on one chart; a promise where Plotly draws it later.
  Player.prototype.drawChart = function (chart, i) {
    var self = this;
    var data = chart.uids.map(function (uid) {
      return traceData(uid, self.cols, self.meta, i, chart.gd);
    });
    return chart.show(data, this.run.playing);
  };

  // Show timeline index i on every chart found; then say so with a "descent:frame" event.
  Player.prototype.draw = function (i, force) {
    if (this.drawing && !force) { return; }
    var self = this, step = this.cols.step[i], epoch = this.cols.epoch[i];
    this.run.index = i;
    this.render(i);
    var pending = [];
    try {
      Object.keys(this.charts).forEach(function (name) {
        var done = self.drawChart(self.charts[name], i);
        if (done) { pending.push(done); }
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.root.setAttribute("data-path", Object.keys(this.charts).some(function (name) {
      return self.charts[name].fast;
    }) ? "in-place" : "restyle");
    this.drawing = true;
    Promise.all(pending).then(function () {
      self.drawing = false;
      window.dispatchEvent(new CustomEvent("descent:frame", { detail: { step: step, epoch: epoch } }));
    }, function (error) { self.drawing = false; self.fail(error); });
  };

  // Where playback stands, in updates: the step shown, or between it and the next.
  Player.prototype.position = function () { return this.cols.step[this.run.index]; };

  Player.prototype.indexAt = function (position) {
    var steps = this.cols.step, low = 0, high = this.last;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (steps[mid] <= position) { low = mid; } else { high = mid - 1; }
    }
    return low;
  };

  Player.prototype.tick = function (now) {
    if (!this.alive || !this.run.playing) { return; }
    var position = this.run.pos0 + (now - this.run.t0) * this.speed / 1000;
    var i = this.indexAt(position);
    if (i >= this.last) {
      this.run.playing = false;
      this.draw(this.last, true);
      return;
    }
    if (i !== this.run.index) { this.draw(i); }
    requestAnimationFrame(this.tick);
  };

  Player.prototype.play = function () {
    if (this.run.playing) { return; }
    if (this.run.index >= this.last) { this.draw(0, true); }
    this.run.playing = true;
    this.run.pos0 = this.position();
    this.run.t0 = performance.now();
    this.render(this.run.index);
    requestAnimationFrame(this.tick);
  };

  Player.prototype.pause = function () {
    var was = this.run.playing;
    this.run.playing = false;
    this.render(this.run.index);
    if (was) { this.draw(this.run.index, true); } // Plotly's model of each chart catches up
  };

  // The other live players of this one's group (runs shown side by side): they play, pause and
  // seek with it, each at the same step as far as its own run goes.
  Player.prototype.partners = function () {
    var self = this, group = this.meta.group;
    return !group ? [] : players.filter(function (p) {
      return p !== self && p.alive && p.meta.group === group;
    });
  };

  Player.prototype.toggle = function () {
    var was = this.run.playing;
    if (was) { this.pause(); } else { this.play(); }
    var position = this.position();
    this.partners().forEach(function (p) {
      if (was) { p.pause(); return; }
      p.run.playing = false;
      p.draw(p.indexAt(position), true);
      if (p.run.index < p.last) { p.play(); }
    });
  };

  Player.prototype.seek = function (i) {
    this.run.playing = false;
    this.draw(Math.max(0, Math.min(this.last, i)), true);
    var step = this.position();
    this.partners().forEach(function (p) {
      p.run.playing = false;
      p.draw(p.indexAt(step), true);
    });
  };

  Player.prototype.step = function (by) { this.seek(this.run.index + by); };

  Player.prototype.destroy = function () {
    var self = this;
    players = players.filter(function (p) { return p !== self; });
    this.alive = false;
    clearInterval(this.timer);
    Object.keys(this.charts).forEach(function (name) { self.charts[name].forget(); });
    if (active === this) { active = null; }
  };

  var players = []; // live players: Streamlit mounts again on new data without cleaning up

  function mount(root, bytes) {
    players.filter(function (p) { return p.root === root || !p.root.isConnected; })
      .forEach(function (p) { p.destroy(); });
    var player = null;
    try {
      player = new Player(root, bytes);
      players.push(player);
      active = player;
    } catch (error) {
      root.textContent = (window.__gdvFailed || "The player could not start") +
        " (" + (error && error.message) + ")";
      root.setAttribute("data-player", "failed");
    }
    window.__gdvPlayer = player;
    return function () { if (player) { player.destroy(); } };
  }

  window.GDVPlayer = { version: VERSION, mount: mount, decode: decode };
})();
