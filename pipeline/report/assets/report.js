// curate report: renders the JSON in #report-data. Data only ever reaches the page through
// textContent, attribute setters and input values: never innerHTML.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const KEPT = "#2f7d4f", DROPPED = "#c0504d", MARK = "#1f3b73";
  const main = document.getElementById("report");
  const nav = document.getElementById("nav");

  // ---------- DOM helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "cls") node.className = value;
      else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      else if (key.startsWith("data-")) node.setAttribute(key, String(value));
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  const fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));
  const pct = (x) => (x !== null && x !== undefined && isFinite(x) ? (100 * x).toFixed(1) + "%" : "–");
  function num(x) {
    if (x === null || x === undefined || !isFinite(x)) return "–";
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return Number(x).toExponential(2);
    if (Number.isInteger(x)) return fmt(x);
    return Number(x).toPrecision(3);
  }
  function sum(values) { return values.reduce((a, b) => a + b, 0); }
  function section(id, title) {
    const node = el("section", { id: id }, el("h2", { text: title }));
    main.appendChild(node);
    nav.appendChild(el("a", { href: "#" + id, text: title }));
    return node;
  }
  function notRun(node, what) {
    node.appendChild(el("p", { cls: "notrun", text: "not run: " + what }));
  }
  function select(options, value, onChange, label) {
    const s = el("select", { "data-control": label });
    for (const option of options) s.appendChild(el("option", { value: option, text: option }));
    s.value = value;
    s.addEventListener("change", () => onChange(s.value));
    return el("label", {}, label, s);
  }
  function table(headers, rows, attrs) {
    const t = el("table", attrs || {});
    const numeric = /^(in|kept|dropped|errored|docs|docs in|docs kept|kept share|kept chars|chars in|chars kept|seconds|removed|share|total|tokens.*|proportion.*|epochs.*|in [AB]|kept [AB]|Δ.*)$/;
    t.appendChild(el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: h, cls: numeric.test(h) ? "num" : "" })))));
    const body = el("tbody");
    for (const row of rows) body.appendChild(row);
    t.appendChild(body);
    return t;
  }
  function cell(value, attrs) {
    return el("td", Object.assign({ text: value }, attrs || {}));
  }
  function numCell(value, attrs) {
    return el("td", Object.assign({ text: fmt(value), cls: "num" }, attrs || {}));
  }

  // ---------- charts ----------
  // Horizontal bars: items [{label, value, color, note}]
  function barChart(items, opts) {
    opts = opts || {};
    const width = opts.width || 520, row = 18, labelW = opts.labelWidth || 150;
    const max = Math.max(1, ...items.map((i) => i.max !== undefined ? i.max : i.value));
    const node = svg("svg", { width: width, height: items.length * row + 6, role: "img" });
    items.forEach((item, index) => {
      const y = index * row + 3;
      node.appendChild(svg("text", { x: labelW - 6, y: y + 12, "text-anchor": "end" }, item.label));
      const scale = (v) => Math.max(0, ((width - labelW - (opts.right || 110)) * v) / max);
      const w = scale(item.value);
      if (item.back !== undefined) node.appendChild(svg("rect", { x: labelW, y: y + 2, width: scale(item.back), height: row - 5, fill: "#e3b9b8" }));
      const bar = svg("rect", { x: labelW, y: y + 2, width: w, height: row - 5, fill: item.color || "#4a78b5" });
      bar.appendChild(svg("title", {}, item.label + ": " + fmt(item.value)));
      node.appendChild(bar);
      node.appendChild(svg("text", { x: labelW + Math.max(w, item.back !== undefined ? scale(item.back) : 0) + 4, y: y + 12 }, item.note !== undefined ? item.note : fmt(item.value)));
    });
    return node;
  }

  // Stacked histogram: kept and dropped counts over edges, with threshold marks.
  function histogram(edges, kept, dropped, marks, log) {
    const width = 380, height = 150, left = 34, bottom = 28, top = 8;
    const bins = kept.length;
    const totals = kept.map((k, i) => k + dropped[i]);
    const max = Math.max(1, ...totals);
    const node = svg("svg", { width: width, height: height, role: "img" });
    const plotW = width - left - 8, plotH = height - bottom - top;
    const bw = plotW / bins;
    const y = (v) => top + plotH - (plotH * v) / max;
    for (let i = 0; i < bins; i++) {
      const x = left + i * bw;
      if (kept[i]) {
        const r = svg("rect", { x: x + 0.5, y: y(kept[i]), width: Math.max(bw - 1, 1), height: top + plotH - y(kept[i]), fill: KEPT });
        r.appendChild(svg("title", {}, "[" + num(edges[i]) + ", " + num(edges[i + 1]) + "): kept " + kept[i]));
        node.appendChild(r);
      }
      if (dropped[i]) {
        const r = svg("rect", { x: x + 0.5, y: y(totals[i]), width: Math.max(bw - 1, 1), height: y(kept[i]) - y(totals[i]), fill: DROPPED });
        r.appendChild(svg("title", {}, "[" + num(edges[i]) + ", " + num(edges[i + 1]) + "): dropped " + dropped[i]));
        node.appendChild(r);
      }
    }
    node.appendChild(svg("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: "#999" }));
    node.appendChild(svg("text", { x: left - 3, y: top + 8, "text-anchor": "end" }, fmt(max)));
    node.appendChild(svg("text", { x: left - 3, y: top + plotH, "text-anchor": "end" }, "0"));
    const lo = edges[0], hi = edges[edges.length - 1];
    const pos = (v) => {
      if (log) return left + (plotW * (Math.log10(Math.max(v, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
      return left + (plotW * (v - lo)) / (hi - lo || 1);
    };
    [0, 0.5, 1].forEach((f) => {
      const v = log ? Math.pow(10, Math.log10(lo) + f * (Math.log10(hi) - Math.log10(lo))) : lo + f * (hi - lo);
      node.appendChild(svg("text", { x: left + f * plotW, y: height - 14, "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle" }, num(v)));
    });
    if (log) node.appendChild(svg("text", { x: left + plotW, y: height - 2, "text-anchor": "end" }, "log scale"));
    for (const mark of marks) {
      const v = Math.min(Math.max(mark.value, lo), hi);
      const x = pos(v);
      const outside = mark.value !== v;
      const line = svg("line", { x1: x, y1: top - 4, x2: x, y2: top + plotH, stroke: outside ? "#999" : MARK, "stroke-width": 2, "stroke-dasharray": mark.lang || outside ? "3 2" : "", "data-threshold": mark.value });
      if (outside) node.appendChild(svg("text", { x: x + (mark.value > hi ? -3 : 3), y: top + 6, "text-anchor": mark.value > hi ? "end" : "start" }, (mark.value > hi ? "→ " : "← ") + num(mark.value)));
      line.appendChild(svg("title", {}, mark.source + "." + mark.stage + " " + mark.setting + (mark.lang ? " [" + mark.lang + "]" : "") + " = " + mark.value + (outside ? " (outside the data range)" : "")));
      node.appendChild(line);
    }
    return node;
  }

  // ---------- run ----------
  function headline(runData) {
    const s = section("summary", "Summary");
    const acc = runData.accounting || {};
    s.appendChild(el("p", {},
      "Run ", el("strong", { text: runData.run.name || "?" }), " — status ",
      el("strong", { text: runData.run.status || "?", cls: runData.run.status === "complete" ? "ok" : "bad" }),
      " — accounting ", el("strong", { id: "accounting-status", text: acc.ok === true ? "ok" : acc.ok === false ? "FAILED" : "unknown", cls: acc.ok ? "ok" : "bad" })));
    const rows = runData.sources.map((src) => {
      const first = src.stages[0] || { in: 0 }, last = src.stages[src.stages.length - 1] || { kept: 0 };
      const losses = [];
      src.stages.forEach((st) => {
        for (const [r, n] of Object.entries(st.dropped)) losses.push([st.stage + ": " + r, n]);
        for (const [r, n] of Object.entries(st.errored)) losses.push([st.stage + ": " + r + " (error)", n]);
      });
      losses.sort((a, b) => b[1] - a[1]);
      const top = losses.slice(0, 3).map(([r, n]) => r + " " + pct(n / (first.in || 1))).join("; ");
      return el("tr", {}, cell(src.name), cell(src.kind || ""), numCell(first.in), numCell(last.kept), el("td", { cls: "num", text: pct(last.kept / (first.in || 1)) }), numCell(src.kept_chars), cell(top || "—"));
    });
    s.appendChild(table(["source", "kind", "docs in", "docs kept", "kept share", "kept chars", "largest losses (share of input)"], rows));
  }

  function funnel(runData) {
    const s = section("funnel", "Funnel");
    s.appendChild(el("p", { cls: "muted", text: "Documents at each stage; characters are counted as each document left the pipeline (its text at that point), so stages that rewrite text (extraction, line cleaning) make them approximate. Shares are of the stage's input." }));
    for (const src of runData.sources) {
      const box = el("div", { "data-source": src.name, cls: "funnel" });
      box.appendChild(el("h3", { text: src.name + " (" + (src.kind || "") + ")" }));
      const first = src.stages.length ? src.stages[0].in : 0;
      const bars = src.stages.map((st) => ({ label: st.stage, value: st.kept, back: st.in, max: first, note: fmt(st.in) + " → " + fmt(st.kept) + " (" + pct(st.kept / (first || 1)) + " of input)" }));
      if (src.tokens_exported !== null && src.tokens_exported !== undefined) bars.push({ label: "export (tokens)", value: 0, max: first, note: fmt(src.tokens_exported) + " tokens" });
      box.appendChild(barChart(bars, { width: 820, labelWidth: 160, right: 230 }));
      const rows = [];
      for (const st of src.stages) {
        const dropped = sum(Object.values(st.dropped)), errored = sum(Object.values(st.errored));
        const reasons = el("td");
        const all = [...Object.entries(st.dropped).map(([r, n]) => [r, n, "dropped"]), ...Object.entries(st.errored).map(([r, n]) => [r, n, "errored"])];
        all.sort((a, b) => b[1] - a[1]);
        for (const [r, n, fate] of all) {
          reasons.appendChild(el("div", { "data-reason": r, "data-fate": fate },
            el("span", { cls: "tag " + fate, text: fate }), " " + r + " ", el("span", { cls: "num", "data-field": "reason-count", text: fmt(n) }), " (" + pct(n / (st.in || 1)) + ")"));
        }
        const attrs = (field) => ({ "data-source": src.name, "data-stage": st.stage, "data-field": field });
        rows.push(el("tr", { "data-source": src.name, "data-stage": st.stage },
          cell(st.stage), numCell(st.in, attrs("in")), numCell(st.kept, attrs("kept")), numCell(dropped, attrs("dropped")), numCell(errored, attrs("errored")),
          el("td", { cls: "num", text: pct(st.kept / (st.in || 1)) }), numCell(st.chars_in), numCell(st.chars_kept), reasons,
          el("td", { cls: "num", text: st.seconds !== undefined ? st.seconds.toFixed(2) : "–" })));
      }
      box.appendChild(table(["stage", "in", "kept", "dropped", "errored", "kept share", "chars in", "chars kept", "reasons (share of stage input)", "seconds"], rows, { cls: "funnel-table" }));
      if (src.unfinished_parts && Object.keys(src.unfinished_parts).length) box.appendChild(el("div", { cls: "alarm", text: "unfinished parts: " + Object.entries(src.unfinished_parts).map(([p, st]) => p + " " + st).join(", ") }));
      s.appendChild(box);
    }
  }

  function histogramsOf(column) {
    return (DATA.histograms || []).find((h) => h.column === column);
  }
  function histogramPanel(h, state) {
    const box = el("div", { cls: "chart", "data-column": h.column });
    const bins = h.edges.length - 1;
    const kept = new Array(bins).fill(0), dropped = new Array(bins).fill(0);
    for (const c of h.cells) {
      if (state.source !== "all" && c.source !== state.source) continue;
      if (state.lang !== "all" && c.lang !== state.lang) continue;
      for (let i = 0; i < bins; i++) { kept[i] += c.kept[i]; dropped[i] += c.dropped[i]; }
    }
    const n = sum(kept) + sum(dropped);
    let marks = (h.thresholds || []).filter((m) => state.source === "all" || m.source === state.source);
    if (state.lang === "all") {
      const general = marks.filter((m) => !m.lang);
      marks = general.length ? general : marks;
    } else {
      const specific = marks.filter((m) => m.lang === state.lang);
      marks = specific.length ? specific : marks.filter((m) => !m.lang);
    }
    const seen = new Set();
    marks = marks.filter((m) => { const k = m.setting + m.value; if (seen.has(k)) return false; seen.add(k); return true; });
    box.appendChild(el("h4", { text: h.column }));
    if (!n) { box.appendChild(el("p", { cls: "muted", text: "no values for this selection" })); return box; }
    box.appendChild(histogram(h.edges, kept, dropped, marks, h.log));
    const legend = marks.map((m) => m.setting + (m.lang ? "[" + m.lang + "]" : "") + " " + num(m.value)).join(", ");
    box.appendChild(el("div", { cls: "muted", text: fmt(n) + " documents; kept " + fmt(sum(kept)) + ", dropped " + fmt(sum(dropped)) + (legend ? "; threshold " + legend : "; no threshold") }));
    return box;
  }
  function histogramControls(node, columns, render) {
    const state = { source: "all", lang: "all" };
    const sources = ["all", ...DATA.sources.map((s) => s.name)];
    const langs = new Set();
    for (const c of columns) { const h = histogramsOf(c); if (h) h.cells.forEach((x) => langs.add(x.lang)); }
    const controls = el("div", { cls: "controls" },
      select(sources, "all", (v) => { state.source = v; render(state); }, "source"),
      select(["all", ...[...langs].sort()], "all", (v) => { state.lang = v; render(state); }, "language"),
      el("span", { cls: "legend" }, el("span", {}, el("i", { cls: "swatch", style: "background:var(--kept)" }), "kept"), el("span", {}, el("i", { cls: "swatch", style: "background:var(--dropped)" }), "dropped (here or later)"), el("span", {}, el("i", { cls: "swatch", style: "background:var(--mark)" }), "threshold")));
    node.appendChild(controls);
    return state;
  }

  function languages(runData) {
    const s = section("languages", "Languages");
    const grid = el("div", { cls: "grid" });
    for (const src of runData.sources) {
      const counts = Object.entries(runData.languages[src.name] || {});
      const box = el("div", { cls: "chart", "data-source": src.name });
      box.appendChild(el("h4", { text: src.name + " (kept documents)" }));
      const total = sum(counts.map((x) => x[1]));
      if (!counts.length) box.appendChild(el("p", { cls: "muted", text: "no kept documents" }));
      else box.appendChild(barChart(counts.slice(0, 15).map(([lang, n]) => ({ label: lang, value: n, note: fmt(n) + " (" + pct(n / total) + ")" })), { width: 360, labelWidth: 60 }));
      grid.appendChild(box);
    }
    s.appendChild(grid);
    const h = histogramsOf("lang_score");
    s.appendChild(el("h3", { text: "Language-ID confidence (lang_score)" }));
    if (!h) { notRun(s, "no language identification stage in this run"); return; }
    const holder = el("div");
    const state = histogramControls(s, ["lang_score"], (st) => { holder.replaceChildren(histogramPanel(h, st)); });
    holder.appendChild(histogramPanel(h, state));
    s.appendChild(holder);
  }

  function scores() {
    const s = section("scores", "Score histograms");
    const hs = (DATA.histograms || []).filter((h) => h.column !== "lang_score");
    if (!hs.length) { notRun(s, "no score columns in this run"); return; }
    s.appendChild(el("p", { cls: "muted", text: "Every numeric score column of the kept and rejected documents (rows a stage never scored are left out). Thresholds come from the stage settings in the run's manifest; dashed lines are per-language cut-offs." }));
    const groups = {};
    for (const h of hs) (groups[h.column.split("_")[0]] = groups[h.column.split("_")[0]] || []).push(h);
    const holder = el("div");
    const render = (state) => {
      holder.replaceChildren();
      for (const [prefix, list] of Object.entries(groups)) {
        holder.appendChild(el("h3", { text: prefix }));
        holder.appendChild(el("div", { cls: "grid" }, list.map((h) => histogramPanel(h, state))));
      }
    };
    const state = histogramControls(s, hs.map((h) => h.column), render);
    render(state);
    s.appendChild(holder);
    const categories = DATA.categories || [];
    if (categories.length) {
      s.appendChild(el("h3", { text: "Labels" }));
      for (const c of categories) {
        s.appendChild(el("h4", { text: c.column }));
        s.appendChild(table(["source", "value", "kept", "dropped"], c.counts.map((r) =>
          el("tr", { "data-column": c.column, "data-source": r.source }, cell(r.source), cell(r.value), numCell(r.kept), numCell(r.dropped)))));
      }
    }
  }

  function dedup() {
    const s = section("dedup", "Dedup audit");
    const a = DATA.dedup;
    if (!a) { notRun(s, "no dedup/audit.json in this run directory"); return; }
    s.appendChild(el("p", { text: "methods: " + (a.methods || []).join(", ") + "; threshold " + num(a.threshold) + "; permutations " + num(a.num_perm) + "; bands " + num(a.bands) + "; rows " + num(a.rows) }));
    for (const alarm of a.alarms || []) s.appendChild(el("div", { cls: "alarm", "data-alarm": alarm.kind, text: alarm.kind + (alarm.source ? " (" + alarm.source + ")" : "") + ": " + alarm.message }));
    const sizes = Object.entries(a.size_histogram || {}).sort((x, y) => Number(x[0]) - Number(y[0]));
    s.appendChild(el("h3", { text: "Cluster sizes" }));
    s.appendChild(sizes.length ? barChart(sizes.map(([size, n]) => ({ label: "size " + size, value: n })), { width: 520, labelWidth: 80 }) : el("p", { cls: "muted", text: "no clusters" }));
    s.appendChild(el("h3", { text: "Removed per source" }));
    s.appendChild(table(["source", "in", "removed", "share"], Object.entries(a.removed_by_source || {}).map(([src, r]) =>
      el("tr", { "data-source": src }, cell(src), numCell(r.in), numCell(r.removed), el("td", { cls: "num", text: pct(r.share) })))));
    s.appendChild(el("h3", { text: "Largest clusters" }));
    for (const c of a.largest_clusters || []) {
      const d = el("details", { cls: "samplegroup" }, el("summary", { text: "cluster " + c.cluster_id + ": " + fmt(c.size) + " documents; survivor " + c.survivor_id + " (" + c.survivor_source + ")" }));
      for (const m of c.members || []) d.appendChild(el("div", { cls: "sample" }, el("div", { cls: "head", text: m.id + " · " + m.source }), el("pre", { text: m.preview || "" })));
      s.appendChild(d);
    }
  }

  function pii(runData) {
    const s = section("pii", "PII");
    const entities = new Set();
    runData.sources.forEach((src) => Object.keys(src.pii || {}).forEach((e) => entities.add(e)));
    if (!entities.size) { notRun(s, "no PII stage in this run"); return; }
    const list = [...entities].sort();
    const rows = runData.sources.filter((src) => Object.keys(src.pii || {}).length).map((src) =>
      el("tr", { "data-source": src.name }, cell(src.name), list.map((e) => numCell((src.pii || {})[e] || 0, { "data-entity": e })), numCell(sum(Object.values(src.pii || {})))));
    s.appendChild(table(["source", ...list, "total"], rows));
    const totals = list.map((e) => ({ label: e, value: sum(runData.sources.map((src) => (src.pii || {})[e] || 0)) }));
    s.appendChild(barChart(totals, { width: 520, labelWidth: 150 }));
  }

  // ---------- mixture ----------
  // The export's rule (stages/export/mixture.py): sources with a weight share what the epoch-fixed sources
  // leave of the budget; with no budget, the largest share that repeats no weighted source. A weighted
  // source without tokens cannot take its share, so the others share it.
  function mixtureTotals(rows, budget) {
    const fixed = sum(rows.filter((r) => r.mode === "epochs").map((r) => r.epochs * r.tokens));
    const weighted = rows.filter((r) => r.mode === "weight" && r.weight > 0 && r.tokens > 0);
    const weights = sum(weighted.map((r) => r.weight));
    const remaining = budget === null
      ? (weighted.length ? Math.min(...weighted.map((r) => (r.tokens * weights) / r.weight)) : 0)
      : Math.max(budget - fixed, 0);
    const out = rows.map((r) => {
      const share = weighted.includes(r) ? (remaining * r.weight) / weights : 0;
      const tokens = r.mode === "epochs" ? r.epochs * r.tokens : share;
      return { source: r.source, tokens: tokens, epochs: r.tokens > 0 ? tokens / r.tokens : tokens > 0 ? Infinity : 0 };
    });
    const total = sum(out.map((o) => o.tokens));
    out.forEach((o) => { o.proportion = total > 0 ? o.tokens / total : 0; });
    return { rows: out, total: total, fixed: fixed };
  }
  function mixture() {
    const s = section("mixture", "Mixture");
    const m = DATA.mixture;
    if (!m || !m.rows.length) { notRun(s, "no sources"); return; }
    s.appendChild(el("p", { cls: m.estimated ? "info" : "muted", text: m.estimated
      ? "Tokens are an estimate: kept characters / " + m.chars_per_token + " (no export in this run)."
      : "Tokens from the export (" + ((DATA.export || {}).tokenizer || {}).name + ")." }));
    const rows = m.rows.map((r) => ({ source: r.source, tokens: r.tokens, documents: r.documents, mode: r.epochs !== null && r.epochs !== undefined ? "epochs" : "weight", weight: r.weight || 0, epochs: r.epochs || 1 }));
    let budget = m.target_tokens;
    const budgetInput = el("input", { type: "number", min: 0, step: 1, value: budget === null ? "" : budget, placeholder: "none", id: "mixture-budget" });
    s.appendChild(el("div", { cls: "controls" }, el("label", {}, "total budget (tokens; empty: no weighted source repeats)", budgetInput), el("span", { cls: "muted", text: "available: " + fmt(sum(rows.map((r) => r.tokens))) + " tokens" })));
    const body = el("tbody");
    const chart = el("div");
    const warnings = el("div", { id: "mixture-warnings" });
    const totalCell = el("td", { cls: "num", id: "mixture-total" });
    const snippet = el("textarea", { readOnly: true, id: "mixture-snippet" });
    const outputs = {};
    function update() {
      const result = mixtureTotals(rows, budget);
      result.rows.forEach((o) => {
        const out = outputs[o.source];
        out.tokens.textContent = fmt(Math.round(o.tokens));
        out.tokens.setAttribute("data-value", String(o.tokens));
        out.proportion.textContent = pct(o.proportion);
        out.proportion.setAttribute("data-value", String(o.proportion));
        out.epochs.textContent = isFinite(o.epochs) ? o.epochs.toFixed(2) : "∞";
        out.epochs.setAttribute("data-value", String(o.epochs));
      });
      totalCell.textContent = fmt(Math.round(result.total));
      totalCell.setAttribute("data-value", String(result.total));
      chart.replaceChildren(barChart(result.rows.map((o) => ({ label: o.source, value: o.tokens, note: pct(o.proportion) + ", " + (isFinite(o.epochs) ? o.epochs.toFixed(2) : "∞") + " epochs" })), { width: 640, labelWidth: 120 }));
      warnings.replaceChildren();
      const warn = (cls, text) => warnings.appendChild(el("div", { cls: cls, "data-warning": "1", text: text }));
      if (budget !== null && result.fixed > budget) warn("alarm", "Sources set by epochs alone need " + fmt(Math.round(result.fixed)) + " tokens, more than the budget of " + fmt(budget) + "; the weighted sources get nothing.");
      result.rows.forEach((o, i) => {
        const r = rows[i];
        if (r.tokens === 0 && o.tokens > 0) warn("alarm", o.source + " has no tokens but is asked for " + fmt(Math.round(o.tokens)));
        else if (o.epochs > 4) warn("alarm", o.source + " would be repeated " + o.epochs.toFixed(1) + " times (beyond about 4 epochs repeated tokens are worth much less: Muennighoff et al. 2023)");
        else if (o.epochs > 1.0001) warn("warn", o.source + " would be repeated " + o.epochs.toFixed(1) + " times");
        else if (r.tokens > 0 && o.tokens === 0) warn("info", o.source + " is left out of the mixture");
      });
      if (!warnings.childNodes.length) warn("info", "no warnings: every source is used at most once");
      snippet.value = manifestSnippet(rows, budget);
    }
    function manifestSnippet(rs, b) {
      const lines = ["export:", "  target_tokens: " + (b === null ? "null" : Math.round(b)), "  mixture:"];
      const weights = sum(rs.filter((r) => r.mode === "weight").map((r) => r.weight));
      for (const r of rs) {
        if (r.mode === "epochs") lines.push("    " + r.source + ": {epochs: " + Number(r.epochs.toFixed(4)) + "}");
        else lines.push("    " + r.source + ": {weight: " + Number((weights > 0 ? r.weight / weights : 0).toFixed(4)) + "}");
      }
      return lines.join("\n") + "\n";
    }
    for (const r of rows) {
      const slider = el("input", { type: "range", min: 0, max: 1, step: 0.001, "data-source": r.source, cls: "weight-slider" });
      const value = el("input", { type: "number", min: 0, step: "any", "data-source": r.source, cls: "weight-input" });
      const mode = el("select", { "data-source": r.source, cls: "mode-select" }, el("option", { value: "weight", text: "weight" }), el("option", { value: "epochs", text: "epochs" }));
      const sync = () => {
        mode.value = r.mode;
        slider.max = r.mode === "weight" ? 1 : 10;
        slider.step = r.mode === "weight" ? 0.001 : 0.05;
        slider.value = r.mode === "weight" ? r.weight : r.epochs;
        value.value = String(Number((r.mode === "weight" ? r.weight : r.epochs).toFixed(4)));
      };
      const set = (v) => { const x = Math.max(0, Number(v) || 0); if (r.mode === "weight") r.weight = x; else r.epochs = x; };
      slider.addEventListener("input", () => { set(slider.value); value.value = slider.value; update(); });
      value.addEventListener("input", () => { set(value.value); slider.value = value.value; update(); });
      mode.addEventListener("change", () => {
        const current = mixtureTotals(rows, budget).rows.find((o) => o.source === r.source);
        r.mode = mode.value;
        if (r.mode === "epochs") r.epochs = isFinite(current.epochs) ? current.epochs : 1;
        sync();
        update();
      });
      sync();
      outputs[r.source] = {
        tokens: el("td", { cls: "num", "data-field": "tokens", "data-source": r.source }),
        proportion: el("td", { cls: "num", "data-field": "proportion", "data-source": r.source }),
        epochs: el("td", { cls: "num", "data-field": "epochs", "data-source": r.source }),
      };
      body.appendChild(el("tr", { "data-source": r.source }, cell(r.source), numCell(r.documents), numCell(r.tokens, { "data-field": "available" }),
        el("td", {}, mode), el("td", {}, slider, " ", value), outputs[r.source].tokens, outputs[r.source].proportion, outputs[r.source].epochs));
    }
    budgetInput.addEventListener("input", () => { budget = budgetInput.value.trim() === "" ? null : Math.max(0, Number(budgetInput.value) || 0); update(); });
    const t = table(["source", "docs", "tokens available", "set by", "weight / epochs", "tokens in mixture", "proportion", "epochs"], [], { id: "mixture-table" });
    t.replaceChild(body, t.querySelector("tbody"));
    t.appendChild(el("tfoot", {}, el("tr", {}, cell("total"), cell(""), numCell(sum(rows.map((r) => r.tokens))), cell(""), cell(""), totalCell, cell(""), cell(""))));
    s.appendChild(t);
    s.appendChild(chart);
    s.appendChild(warnings);
    const exportButton = el("button", { id: "mixture-export", text: "Export weights as a manifest snippet" });
    exportButton.addEventListener("click", () => {
      snippet.value = manifestSnippet(rows, budget);
      snippet.hidden = false;
      snippet.select();
      if (navigator.clipboard) navigator.clipboard.writeText(snippet.value).catch(() => {});
      const link = el("a", { download: "mixture.yaml", href: "data:text/yaml;charset=utf-8," + encodeURIComponent(snippet.value), text: "download mixture.yaml", id: "mixture-download" });
      const old = document.getElementById("mixture-download");
      if (old) old.replaceWith(link); else exportButton.after(" ", link);
    });
    s.appendChild(el("h3", { text: "Manifest snippet" }));
    s.appendChild(el("div", {}, exportButton));
    s.appendChild(snippet);
    update();
  }

  // ---------- samples ----------
  function samples() {
    const s = section("samples", "Samples");
    const groups = DATA.samples || [];
    s.appendChild(el("p", { cls: "muted", text: "Up to " + DATA.settings.samples_per_reason + " documents per source, stage and reason, shortened to " + DATA.settings.max_chars + " characters. Text is shown exactly as stored." }));
    const sources = ["all", ...new Set(groups.map((g) => g.source))];
    const holder = el("div");
    const render = (source) => {
      holder.replaceChildren();
      for (const g of groups) {
        if (source !== "all" && g.source !== source) continue;
        const d = el("details", { cls: "samplegroup", "data-source": g.source, "data-stage": g.stage, "data-reason": g.reason },
          el("summary", {}, el("span", { cls: "tag " + (g.fate || "kept"), text: g.fate || "kept" }), " " + g.source + " · " + g.stage + " · " + g.reason + " (" + g.docs.length + " shown)"));
        for (const doc of g.docs) {
          const scores = Object.entries(doc.scores || {}).map(([k, v]) => k + "=" + v).join("  ");
          d.appendChild(el("div", { cls: "sample", "data-id": doc.id },
            el("div", { cls: "head", text: [doc.id, doc.url, doc.lang, doc.chars ? fmt(doc.chars) + " chars" : null].filter(Boolean).join(" · ") }),
            doc.text !== null && doc.text !== undefined ? el("pre", { cls: "sample-text", text: doc.text }) : el("div", { cls: "muted", text: "(no text at this stage) " + (doc.meta || "") }),
            scores ? el("details", {}, el("summary", { text: "scores" }), el("pre", { text: scores })) : null));
        }
        holder.appendChild(d);
      }
    };
    s.appendChild(el("div", { cls: "controls" }, select(sources, "all", render, "source"), el("button", { text: "open all", on: { click: () => holder.querySelectorAll("details.samplegroup").forEach((d) => { d.open = true; }) } })));
    render("all");
    s.appendChild(holder);
  }

  // ---------- run info ----------
  function runInfo(runData) {
    const s = section("runinfo", "Run info");
    const r = runData.run;
    const kv = [["name", r.name], ["status", r.status], ["directory", r.directory], ["manifest digest", r.manifest_digest], ["content digest", r.content_digest], ["seed", r.seed], ["--limit override", r.limit_override], ["platform", r.platform], ["report generated", DATA.generated_at], ["wall seconds (last attempt)", (r.timings || {}).wall_seconds_last_attempt]];
    s.appendChild(table(["key", "value"], kv.map(([k, v]) => el("tr", {}, cell(k), cell(v === null || v === undefined ? "–" : String(v), { "data-key": k })))));
    const acc = runData.accounting || {};
    s.appendChild(el("h3", { text: "Accounting check" }));
    s.appendChild(el("p", { cls: acc.ok ? "ok" : "bad", text: acc.ok ? "ok: for every source, stage and part, in = kept + dropped + errored, and the files on disk agree" : "FAILED" }));
    for (const p of acc.problems || []) s.appendChild(el("div", { cls: "alarm", text: p }));
    s.appendChild(el("h3", { text: "Attempts" }));
    s.appendChild(table(["started", "finished", "executor", "resumed", "parts skipped", "wall s"], (r.attempts || []).map((a) =>
      el("tr", {}, cell(a.started_at), cell(a.finished_at || "–"), cell(a.executor), cell(String(a.resumed)), numCell(a.parts_skipped), cell(a.wall_seconds === undefined ? "–" : String(a.wall_seconds))))));
    s.appendChild(el("h3", { text: "Versions" }));
    s.appendChild(table(["package", "version"], Object.entries(r.versions || {}).map(([k, v]) => el("tr", {}, cell(k), cell(v)))));
    if (DATA.export) {
      const e = DATA.export;
      s.appendChild(el("h3", { text: "Export" }));
      s.appendChild(table(["key", "value"], [["tokenizer", (e.tokenizer || {}).name], ["tokenizer sha256", (e.tokenizer || {}).sha256], ["vocab size", (e.tokenizer || {}).vocab_size], ["shards", e.shard_count], ["target tokens", e.target_tokens], ["run digest", e.run_digest], ["seed", e.seed]].map(([k, v]) => el("tr", {}, cell(k), cell(v === null || v === undefined ? "–" : String(v))))));
    }
    s.appendChild(el("h3", { text: "Manifest" }));
    s.appendChild(el("pre", { cls: "manifest", text: JSON.stringify(r.manifest, null, 2) }));
  }

  // ---------- compare ----------
  function signed(n, digits) {
    if (n === null || n === undefined || !isFinite(n)) return "–";
    const text = digits === undefined ? fmt(n) : Number(n).toFixed(digits);
    return n > 0 ? "+" + text : text;
  }
  function deltaCell(n, attrs, digits) {
    return el("td", Object.assign({ text: signed(n, digits), cls: "num " + (n > 0 ? "pos" : n < 0 ? "neg" : "") }, attrs || {}));
  }
  function compare() {
    const c = DATA.compare;
    const s = section("compare", "What changed");
    s.appendChild(table(["", "A", "B"], [["name", c.a.name, c.b.name], ["directory", c.a.directory, c.b.directory], ["manifest digest", c.a.manifest_digest, c.b.manifest_digest], ["status", c.a.status, c.b.status], ["accounting ok", String(c.a.accounting_ok), String(c.b.accounting_ok)]].map(([k, a, b]) => el("tr", {}, cell(k), cell(a === null || a === undefined ? "–" : String(a)), cell(b === null || b === undefined ? "–" : String(b))))));
    if (c.manifest_changes.length) {
      s.appendChild(el("h3", { text: "Manifest changes" }));
      s.appendChild(table(["path", "A", "B"], c.manifest_changes.map((m) => el("tr", {}, cell(m.path), cell(m.a), cell(m.b)))));
    }
    const st = section("stage-deltas", "Per-stage deltas");
    for (const src of c.sources) {
      st.appendChild(el("h3", { text: src.source + (src.only ? " (only in " + src.only + ")" : "") }));
      const rows = [];
      for (const g of src.stages) {
        const attrs = (f) => ({ "data-source": src.source, "data-stage": g.stage, "data-field": f });
        const reasons = el("td", {}, g.reasons.filter((r) => r.delta !== 0).map((r) => el("div", { "data-reason": r.reason }, r.reason + " ", el("span", { cls: r.delta > 0 ? "neg" : "pos", text: signed(r.delta) }), " (" + fmt(r.a) + " → " + fmt(r.b) + ")")));
        rows.push(el("tr", { "data-source": src.source, "data-stage": g.stage }, cell(g.stage + (g.only ? " (only in " + g.only + ")" : "")), numCell(g.a_in), numCell(g.b_in), deltaCell(g.delta_in, attrs("delta_in")), numCell(g.a_kept), numCell(g.b_kept), deltaCell(g.delta_kept, attrs("delta_kept")), el("td", { cls: "num", text: pct(g.a_share) + " → " + pct(g.b_share) }), reasons));
      }
      st.appendChild(table(["stage", "in A", "in B", "Δ in", "kept A", "kept B", "Δ kept", "kept share", "reasons that changed"], rows));
    }
    const mx = section("mixture-deltas", "Mixture deltas");
    if (c.mixture_estimated) mx.appendChild(el("p", { cls: "info", text: "At least one run has no export: tokens are estimated from kept characters." }));
    mx.appendChild(table(["source", "tokens A", "tokens B", "Δ tokens", "proportion A", "proportion B", "Δ proportion (points)", "epochs A", "epochs B"], c.mixture.map((m) =>
      el("tr", { "data-source": m.source }, cell(m.source), numCell(m.a_tokens), numCell(m.b_tokens), deltaCell(m.delta_tokens, { "data-field": "delta_tokens" }), el("td", { cls: "num", text: pct(m.a_proportion) }), el("td", { cls: "num", text: pct(m.b_proportion) }), deltaCell(m.delta_proportion * 100, { "data-field": "delta_proportion" }, 2), el("td", { cls: "num", text: num(m.a_epochs) }), el("td", { cls: "num", text: num(m.b_epochs) })))));
  }

  // ---------- main ----------
  document.getElementById("loading").remove();
  try {
    if (DATA.kind === "compare") {
      compare();
    } else {
      headline(DATA);
      funnel(DATA);
      languages(DATA);
      scores();
      dedup();
      pii(DATA);
      mixture();
      samples();
      runInfo(DATA);
    }
    document.body.setAttribute("data-rendered", "1");
  } catch (error) {
    main.appendChild(el("div", { cls: "alarm", text: "report rendering failed: " + error }));
    document.body.setAttribute("data-rendered", "error");
    throw error;
  }
  window.curateMixtureTotals = mixtureTotals;
})();
