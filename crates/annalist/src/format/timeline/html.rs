//! A self-contained HTML page with a visual timeline and a table.
//!
//! No network access: the CSS, the script and the data are inline. The time axis is
//! proportional to time (days since 1970-01-01, proleptic Gregorian, so BC years and
//! any mix of granularities share one scale); events are points or, for periods,
//! bars, in rows grouped by participant or by document; hovering shows the evidence
//! sentence, clicking pins it and selects the table row. Wheel or buttons zoom, drag
//! pans, a search box filters both views.

use std::io::{self, Write};

use serde::Serialize;

use super::{Doc, when_label};
use crate::timeline::{TimedEvent, Timeline};

#[derive(Serialize)]
struct Item {
    pos: usize,
    eid: String,
    what: String,
    class: &'static str,
    when: String,
    value: Option<String>,
    until: Option<String>,
    relation: Option<&'static str>,
    certainty: Option<String>,
    source: Option<String>,
    anchored: bool,
    status: &'static str,
    start: Option<f64>,
    end: Option<f64>,
    who: Vec<String>,
    /// The first actor (or subject found by the timeline), for rows by participant.
    actor: Option<String>,
    evidence: String,
    /// The trigger's code point offsets within `evidence`.
    ts: usize,
    te: usize,
}

#[derive(Serialize)]
struct HtmlDoc {
    id: String,
    items: Vec<Item>,
    unrealised: Vec<Item>,
}

#[derive(Serialize)]
struct Data {
    title: String,
    group_by: &'static str,
    docs: Vec<HtmlDoc>,
}

fn enum_str<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from))
}

fn item(text: &str, t: &Timeline, i: usize, te: &TimedEvent, pos: usize, anchored: bool) -> Item {
    let a = te.anchor.as_ref().filter(|_| anchored);
    let sent = t.sentences.get(te.event.sentence).cloned().unwrap_or(0..0);
    let evidence = text.get(sent.clone()).unwrap_or("");
    let (ts, tend) = if te.event.start >= sent.start && te.event.end <= sent.end {
        let ts = evidence[..te.event.start - sent.start].chars().count();
        (ts, ts + te.event.trigger.chars().count())
    } else {
        (0, 0)
    };
    Item {
        pos,
        eid: super::eid(i),
        what: te.event.trigger.clone(),
        class: te.event.class.as_str(),
        when: if anchored { when_label(te) } else { "undated".into() },
        value: a.map(|a| a.value.clone()),
        until: a.and_then(|a| a.until.clone()),
        relation: a.map(|a| a.relation.as_str()),
        certainty: a.and_then(|a| enum_str(&a.certainty)),
        source: a.and_then(|a| enum_str(&a.source)),
        anchored: a.is_some(),
        status: te.status(),
        start: a.map(|a| a.interval.start),
        end: a.map(|a| a.interval.end),
        who: te.participants().into_iter().map(String::from).collect(),
        actor: te
            .event
            .actors
            .first()
            .or_else(|| te.more_participants.iter().find(|p| p.end <= te.event.start))
            .map(|p| p.text.clone()),
        evidence: evidence.split_whitespace().collect::<Vec<_>>().join(" "),
        ts,
        te: tend,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes one HTML page (no network access) showing the timelines: a proportional
/// time axis with the dated entries as points or bars, in rows by first participant
/// (or by document when `by_document`), the undated entries in their own row next to
/// their neighbours, a table of every entry, and a toggle for the anchored events that
/// did not happen (asked for, planned, negated). The data is embedded as JSON in
/// `<script type="application/json" id="timeline-data">`.
pub fn write_html(out: &mut impl Write, docs: &[Doc], title: &str, by_document: bool) -> io::Result<()> {
    let data = Data {
        title: title.to_string(),
        group_by: if by_document { "document" } else { "participant" },
        docs: docs
            .iter()
            .map(|d| {
                let t = d.timeline;
                let items = t
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(k, e)| item(d.text, t, e.event, &t.events[e.event], k + 1, e.anchored))
                    .collect();
                let unrealised = t
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, te)| !te.occurred && te.anchor.is_some())
                    .map(|(i, te)| item(d.text, t, i, te, 0, true))
                    .collect();
                HtmlDoc { id: d.id.to_string(), items, unrealised }
            })
            .collect(),
    };
    let json = serde_json::to_string(&data).map_err(io::Error::other)?;
    // Keep the JSON from closing the script element.
    let json = json.replace("</", "<\\/").replace("<!--", "<\\!--");
    let page = TEMPLATE.replace("__TITLE__", &escape(title)).replace("__DATA__", &json);
    out.write_all(page.as_bytes())
}

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__ — timeline</title>
<style>
:root { --fg:#1a202c; --muted:#718096; --line:#e2e8f0; --stated:#2b6cb0; --inferred:#90b4e0; --uncertain:#dd6b20; --sel:#d53f8c; }
* { box-sizing: border-box; }
body { margin:0; height:100vh; display:flex; flex-direction:column; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:#fff; }
header { padding:10px 16px; border-bottom:1px solid var(--line); display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; }
header h1 { font-size:18px; margin:0; font-weight:600; }
#tl-chronology { color:var(--muted); }
.controls { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-left:auto; }
.controls input[type=search] { padding:4px 8px; border:1px solid #cbd5e0; border-radius:4px; width:14em; }
.controls button, .controls select { padding:3px 9px; border:1px solid #cbd5e0; border-radius:4px; background:#f7fafc; cursor:pointer; font:inherit; }
main { display:flex; flex:1; min-height:0; }
#tl-view { flex:3; display:flex; flex-direction:column; min-width:0; border-right:1px solid var(--line); }
#tl-axis { height:34px; flex:none; cursor:grab; user-select:none; }
#tl-scroll { flex:1; overflow-y:auto; overflow-x:hidden; cursor:grab; position:relative; }
#tl-scroll.dragging, #tl-axis.dragging { cursor:grabbing; }
#tl-svg { display:block; user-select:none; }
#tl-side { flex:2; display:flex; flex-direction:column; min-width:320px; }
#tl-detail { padding:10px 14px; border-bottom:1px solid var(--line); min-height:92px; background:#fafbfc; }
#tl-detail .when { font-weight:600; }
#tl-detail mark { background:#fde68a; padding:0 1px; }
#tl-detail .muted, .muted { color:var(--muted); }
#tl-tablewrap { flex:1; overflow:auto; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th { position:sticky; top:0; background:#edf2f7; text-align:left; padding:5px 8px; font-weight:600; z-index:1; }
td { padding:4px 8px; border-top:1px solid var(--line); vertical-align:top; }
tr.tl-row { cursor:pointer; }
tr.tl-row:hover { background:#f7fafc; }
tr.tl-row.selected { background:#fed7e2; }
tr.undated td.when { color:var(--muted); font-style:italic; }
td.ev { max-width:28em; }
td.ev div { display:-webkit-box; -webkit-line-clamp:3; -webkit-box-orient:vertical; overflow:hidden; }
.lane-bg { fill:#fbfcfd; }
.lane-bg.alt { fill:#f4f6f9; }
.lane-label { font-size:12px; fill:#4a5568; font-weight:600; }
.tick line { stroke:#e2e8f0; }
.tick text, .tl-tick { font-size:11px; fill:#4a5568; }
.tl-item { cursor:pointer; }
.tl-item .mark { fill:var(--stated); stroke:#fff; stroke-width:1; }
.tl-item.inferred .mark { fill:var(--inferred); }
.tl-item.uncertain .mark { fill:#fff; stroke:var(--uncertain); stroke-width:2; stroke-dasharray:3 2; }
.tl-item.undated .mark { fill:#fff; stroke:#a0aec0; stroke-width:1.5; }
.tl-item.unrealised .mark { fill:none; stroke:#a0aec0; stroke-width:1.5; stroke-dasharray:2 2; }
.tl-item.selected .mark { stroke:var(--sel); stroke-width:3; }
.tl-item text { font-size:11.5px; fill:#2d3748; }
.tl-item.unrealised text, .tl-item.undated text { fill:#a0aec0; font-style:italic; }
#tl-tip { position:fixed; pointer-events:none; background:#1a202c; color:#fff; padding:6px 9px; border-radius:4px; font-size:12px; max-width:420px; display:none; z-index:10; }
.legend { display:flex; gap:12px; color:var(--muted); font-size:12px; align-items:center; }
.legend i { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:4px; vertical-align:-1px; }
@media (max-width: 900px) { body { height:auto; } main { flex-direction:column; } #tl-view { height:70vh; border-right:none; } #tl-side { min-width:0; height:70vh; } }
</style>
</head>
<body>
<header>
  <h1>__TITLE__</h1>
  <span id="tl-chronology"></span>
  <span class="legend"><span><i style="background:var(--stated)"></i>stated</span><span><i style="background:var(--inferred)"></i>inferred</span><span><i style="border:2px dashed var(--uncertain)"></i>uncertain</span><span><i style="border:1.5px solid #a0aec0"></i>undated</span></span>
  <div class="controls">
    <input type="search" id="tl-search" placeholder="Filter (who, what, text)…" aria-label="Filter">
    <label>Rows <select id="tl-group"><option value="participant">by participant</option><option value="document">by document</option><option value="none">one row</option></select></label>
    <label><input type="checkbox" id="tl-unrealised"> planned / negated</label>
    <button id="tl-zoomin" title="Zoom in">+</button><button id="tl-zoomout" title="Zoom out">−</button><button id="tl-fit" title="Show everything">Fit</button>
  </div>
</header>
<main>
  <section id="tl-view" aria-label="Timeline">
    <svg id="tl-axis" width="100%" height="34"></svg>
    <div id="tl-scroll"><svg id="tl-svg" width="100%"></svg></div>
  </section>
  <aside id="tl-side">
    <div id="tl-detail"><span class="muted">Hover over or click an event to see the sentence it comes from. Wheel or double-click to zoom, drag to pan, click a row to find it.</span></div>
    <div id="tl-tablewrap"><table id="tl-table"><thead><tr><th>#</th><th>when</th><th>what</th><th>who</th><th>evidence</th></tr></thead><tbody></tbody></table></div>
  </aside>
</main>
<div id="tl-tip"></div>
<script type="application/json" id="timeline-data">__DATA__</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var multi = data.docs.length > 1;
  var all = [];
  data.docs.forEach(function (d) {
    var prevStart = null;
    d.items.forEach(function (it) {
      it.doc = d.id; it.kind = it.anchored ? "entry" : "undated"; it.key = d.id + "/" + it.eid;
      if (it.anchored) prevStart = it.start; else it.near = prevStart;
      all.push(it);
    });
    var firstStart = null;
    d.items.forEach(function (it) { if (it.anchored && firstStart === null) firstStart = it.start; });
    d.items.forEach(function (it) { if (!it.anchored && it.near === null) it.near = firstStart; });
    d.unrealised.forEach(function (it) { it.doc = d.id; it.kind = "unrealised"; it.key = d.id + "/" + it.eid; all.push(it); });
  });

  // ---- calendar (days since 1970-01-01, proleptic Gregorian, astronomical years) ----
  function civil(z) {
    z = Math.floor(z) + 719468;
    var era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var y = yoe + era * 400, doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153), d = doy - Math.floor((153 * mp + 2) / 5) + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return [m <= 2 ? y + 1 : y, m, d];
  }
  function days(y, m, d) {
    y = m <= 2 ? y - 1 : y;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }
  var MON = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"];
  function yearLabel(a) { return a <= 0 ? (1 - a) + " BC" : String(a); }

  // ---- state ----
  var svg = document.getElementById("tl-svg"), axis = document.getElementById("tl-axis");
  var scroller = document.getElementById("tl-scroll"), tip = document.getElementById("tl-tip");
  var detail = document.getElementById("tl-detail"), tbody = document.querySelector("#tl-table tbody");
  var groupSel = document.getElementById("tl-group"), search = document.getElementById("tl-search");
  var showUnreal = document.getElementById("tl-unrealised");
  groupSel.value = data.group_by;
  var LEFT = 130, RIGHT = 24, ROW = 20, MAXROWS = 6;
  var view = { t0: 0, t1: 1 }, selected = null, visible = [];

  function width() { return Math.max(300, scroller.clientWidth); }
  function X(t) { return LEFT + (t - view.t0) / (view.t1 - view.t0) * (width() - LEFT - RIGHT); }
  function T(x) { return view.t0 + (x - LEFT) / (width() - LEFT - RIGHT) * (view.t1 - view.t0); }
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function norm(s) { return s.replace(/^(the|a|an)\s+/i, "").toLowerCase(); }

  function matches(it) {
    var q = search.value.trim().toLowerCase();
    if (!q) return true;
    return (it.what + " " + it.who.join(" ") + " " + it.evidence + " " + it.when + " " + it.doc).toLowerCase().indexOf(q) >= 0;
  }
  function current() {
    return all.filter(function (it) { return (it.kind !== "unrealised" || showUnreal.checked) && matches(it); });
  }
  function fit() {
    var lo = Infinity, hi = -Infinity;
    current().forEach(function (it) { if (it.start != null) { lo = Math.min(lo, it.start); hi = Math.max(hi, it.end); } });
    if (!isFinite(lo)) { lo = 0; hi = 365; }
    // Leave about 110 px right of the last event for its label.
    var span = Math.max(hi - lo, 1 / 24), plot = Math.max(width() - LEFT - RIGHT, 200);
    var perPx = span / Math.max(plot - 130, 70);
    view.t0 = lo - 20 * perPx; view.t1 = hi + 110 * perPx;
  }
  function chronology() {
    var dated = all.filter(function (it) { return it.kind === "entry"; });
    var el = document.getElementById("tl-chronology");
    if (!dated.length) { el.textContent = "no dated events"; return; }
    var first = dated.reduce(function (a, b) { return b.start < a.start ? b : a; });
    var last = dated.reduce(function (a, b) { return b.end > a.end || (b.end === a.end && b.start >= a.start) ? b : a; });
    var undated = all.filter(function (it) { return it.kind === "undated"; }).length;
    el.textContent = "Chronology: " + first.when + " → " + last.when + " · " + dated.length + " dated events" + (undated ? ", " + undated + " undated" : "");
  }

  // ---- axis ticks ----
  var UNITS = [["y",1000],["y",500],["y",100],["y",50],["y",10],["y",5],["y",2],["y",1],["m",6],["m",3],["m",1],["d",7],["d",1],["h",6],["h",3],["h",1]];
  function unitDays(u) { return u[0] === "y" ? 365.2425 * u[1] : u[0] === "m" ? 30.44 * u[1] : u[0] === "d" ? u[1] : u[1] / 24; }
  function ticks() {
    var pxPerDay = (width() - LEFT - RIGHT) / (view.t1 - view.t0), unit = UNITS[0];
    for (var i = UNITS.length - 1; i >= 0; i--) { if (unitDays(UNITS[i]) * pxPerDay >= 80) { unit = UNITS[i]; break; } }
    var out = [], n = unit[1], c0 = civil(view.t0), k, t, guard = 0, prevYear = null;
    if (unit[0] === "y") {
      for (k = Math.floor(c0[0] / n) * n; (t = days(k, 1, 1)) <= view.t1 && guard++ < 400; k += n) out.push([t, yearLabel(k)]);
    } else if (unit[0] === "m") {
      for (k = Math.floor((c0[0] * 12 + c0[1] - 1) / n) * n; guard++ < 400; k += n) {
        var y = Math.floor(k / 12), m = k - y * 12 + 1; t = days(y, m, 1);
        if (t > view.t1) break;
        out.push([t, MON[m - 1] + (m === 1 || prevYear === null ? " " + yearLabel(y) : "")]); prevYear = y;
      }
    } else if (unit[0] === "d") {
      for (k = Math.floor(view.t0 / n) * n; k <= view.t1 && guard++ < 400; k += n) {
        var c = civil(k); out.push([k, c[2] + " " + MON[c[1] - 1] + (c[1] === 1 && c[2] === 1 || prevYear === null ? " " + yearLabel(c[0]) : "")]); prevYear = c[0];
      }
    } else {
      var h0 = Math.floor(view.t0 * 24 / n) * n;
      for (k = h0; k / 24 <= view.t1 && guard++ < 400; k += n) {
        var dd = Math.floor(k / 24), hh = k - dd * 24, cc = civil(dd);
        out.push([k / 24, (hh === 0 || prevYear === null ? cc[2] + " " + MON[cc[1] - 1] + " " + yearLabel(cc[0]) + " " : "") + (hh < 10 ? "0" : "") + hh + ":00"]); prevYear = cc[0];
      }
    }
    return out.filter(function (p) { return p[0] >= view.t0; });
  }

  // ---- grouping and packing ----
  function groupOf(it) {
    var g = groupSel.value;
    if (g === "document") return it.doc;
    if (g === "none") return "events";
    return it.actor || "(no actor)";
  }
  function groups(items) {
    var byKey = new Map(), label = new Map(), undated = [];
    items.forEach(function (it) {
      if (it.kind === "undated") { undated.push(it); return; }
      var k = groupSel.value === "participant" ? norm(groupOf(it)) : groupOf(it);
      if (!byKey.has(k)) { byKey.set(k, []); label.set(k, groupOf(it)); }
      byKey.get(k).push(it);
    });
    var list = Array.from(byKey.keys()).map(function (k) { return { key: k, label: label.get(k), items: byKey.get(k) }; });
    list.sort(function (a, b) { return b.items.length - a.items.length || a.label.localeCompare(b.label); });
    if (list.length > 14) {
      var rest = list.slice(13).reduce(function (acc, g) { return acc.concat(g.items); }, []);
      list = list.slice(0, 13).concat([{ key: "(other)", label: "other (" + (list.length - 13) + ")", items: rest }]);
    }
    // Undated entries get their own row, each next to the dated entry before it in the text.
    if (undated.length) list.push({ key: "(undated)", label: "undated", items: undated });
    return list;
  }

  function render() {
    var w = width(), items = current(), lanes = groups(items), y = 0, parts = [], ax = [];
    svg.setAttribute("width", w);
    lanes.forEach(function (lane, li) {
      var rows = [];
      var placed = lane.items.map(function (it) {
        var s = it.start != null ? it.start : it.near;
        var e = it.end != null ? it.end : s;
        if (s == null) return null;
        var x0 = X(s), x1 = Math.max(X(e), x0);
        return { it: it, x0: x0, x1: x1 };
      }).filter(Boolean).sort(function (a, b) { return a.x0 - b.x0; });
      placed.forEach(function (p) {
        var labelEnd = Math.max(p.x1, p.x0 + 6) + 8 + p.it.what.length * 6.6, r = -1;
        for (var i = 0; i < rows.length; i++) if (rows[i] < p.x0 - 6) { r = i; break; }
        if (r < 0 && rows.length < MAXROWS) { rows.push(-Infinity); r = rows.length - 1; }
        if (r < 0) { var best = 0; for (i = 1; i < rows.length; i++) if (rows[i] < rows[best]) best = i; r = best; p.hideLabel = true; }
        rows[r] = Math.max(rows[r], p.hideLabel ? p.x1 : labelEnd); p.row = r;
      });
      var h = Math.max(1, rows.length) * ROW + 10;
      parts.push('<rect class="lane-bg' + (li % 2 ? " alt" : "") + '" x="0" y="' + y + '" width="' + w + '" height="' + h + '"></rect>');
      parts.push('<text class="lane-label" x="8" y="' + (y + 18) + '">' + esc(lane.label.length > 18 ? lane.label.slice(0, 17) + "…" : lane.label) + '<title>' + esc(lane.label) + ' (' + lane.items.length + ')</title></text>');
      placed.forEach(function (p) {
        var it = p.it, cy = y + 5 + p.row * ROW + ROW / 2, cls = "tl-item " + (it.kind === "entry" ? (it.certainty || "stated") : it.kind);
        if (selected === it.key) cls += " selected";
        if (p.x1 < LEFT - 20 || p.x0 > w + 20) return;
        var shape;
        if (it.kind === "undated") shape = '<path class="mark" d="M' + p.x0 + ' ' + (cy - 5) + ' l5 5 l-5 5 l-5 -5 z"></path>';
        else if (p.x1 - p.x0 < 6) shape = '<circle class="mark" cx="' + p.x0 + '" cy="' + cy + '" r="5"></circle>';
        else shape = '<rect class="mark" x="' + p.x0 + '" y="' + (cy - 5) + '" width="' + (p.x1 - p.x0) + '" height="10" rx="3"></rect>';
        var label = p.hideLabel ? "" : '<text x="' + (Math.max(p.x1, p.x0 + 6) + 4) + '" y="' + (cy + 4) + '">' + esc(it.what) + '</text>';
        parts.push('<g class="' + cls + '" data-key="' + esc(it.key) + '" data-eid="' + esc(it.eid) + '">' + shape + label + '</g>');
      });
      y += h;
    });
    svg.setAttribute("height", Math.max(y, 40));
    var tk = ticks();
    tk.forEach(function (p) { var x = X(p[0]); parts.unshift('<line x1="' + x + '" x2="' + x + '" y1="0" y2="' + y + '" stroke="#e2e8f0"></line>'); });
    svg.innerHTML = parts.join("");
    axis.setAttribute("width", w);
    tk.forEach(function (p) { var x = X(p[0]); ax.push('<g class="tick"><line x1="' + x + '" x2="' + x + '" y1="24" y2="34"></line><text class="tl-tick" x="' + (x + 3) + '" y="20">' + esc(p[1]) + '</text></g>'); });
    axis.innerHTML = ax.join("");
    visible = items;
  }

  // ---- table ----
  function renderTable() {
    var rows = [];
    all.forEach(function (it) {
      if (it.kind === "unrealised" || !matches(it)) return;
      rows.push('<tr class="tl-row' + (it.anchored ? "" : " undated") + (selected === it.key ? " selected" : "") + '" data-key="' + esc(it.key) + '"><td>' + (multi ? esc(it.doc) + " " : "") + it.pos + '</td><td class="when">' + esc(it.when) + '</td><td>' + esc(it.what) + '</td><td>' + esc(it.who.join(", ")) + '</td><td class="ev"><div title="' + esc(it.evidence) + '">' + esc(it.evidence) + '</div></td></tr>');
    });
    tbody.innerHTML = rows.join("");
  }
  function byKey(k) { for (var i = 0; i < all.length; i++) if (all[i].key === k) return all[i]; return null; }
  function describe(it) {
    var ev = it.ts < it.te ? esc(it.evidence.slice(0, it.ts)) + "<mark>" + esc(it.evidence.slice(it.ts, it.te)) + "</mark>" + esc(it.evidence.slice(it.te)) : esc(it.evidence);
    var note = it.kind === "unrealised" ? " <span class=\"muted\">(" + esc(it.status.replace(/_/g, " ")) + ": not an occurrence)</span>" : it.kind === "undated" ? " <span class=\"muted\">(no time found; placed by text order)</span>" : it.certainty ? " <span class=\"muted\">(" + esc(it.certainty) + (it.relation ? ", " + esc(it.relation.replace("_", "–")) : "") + ")</span>" : "";
    return '<div class="when">' + esc(it.when) + note + '</div><div><b>' + esc(it.what) + '</b>' + (it.who.length ? " — " + esc(it.who.join(", ")) : "") + (multi ? ' <span class="muted">[' + esc(it.doc) + ']</span>' : "") + '</div><div>' + ev + '</div>';
  }
  function select(key, center) {
    selected = key;
    var it = byKey(key);
    if (!it) return;
    detail.innerHTML = describe(it);
    if (center) {
      var s = it.start != null ? it.start : it.near;
      if (s != null) { var span = view.t1 - view.t0, mid = it.end != null ? (it.start + it.end) / 2 : s; view.t0 = mid - span / 2; view.t1 = mid + span / 2; }
    }
    render(); renderTable();
    var row = tbody.querySelector('tr[data-key="' + CSS.escape(key) + '"]');
    if (row && !center) row.scrollIntoView({ block: "nearest" });
  }

  // ---- interaction ----
  svg.addEventListener("mousemove", function (ev) {
    var g = ev.target.closest && ev.target.closest(".tl-item");
    if (!g) { tip.style.display = "none"; return; }
    var it = byKey(g.getAttribute("data-key"));
    if (!it) return;
    tip.innerHTML = describe(it);
    tip.style.display = "block";
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 430) + "px";
    tip.style.top = (ev.clientY + 14) + "px";
  });
  svg.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  svg.addEventListener("click", function (ev) {
    var g = ev.target.closest && ev.target.closest(".tl-item");
    if (g && !moved) select(g.getAttribute("data-key"), false);
  });
  svg.addEventListener("dblclick", function (ev) {
    var r = svg.getBoundingClientRect();
    zoom(ev.shiftKey ? 2 : 0.5, ev.clientX - r.left);
  });
  tbody.addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr");
    if (tr) select(tr.getAttribute("data-key"), true);
  });
  function zoom(factor, atX) {
    var t = T(atX == null ? LEFT + (width() - LEFT - RIGHT) / 2 : atX);
    var span = Math.min(Math.max((view.t1 - view.t0) * factor, 1 / 1440), 3.7e6);
    var frac = (t - view.t0) / (view.t1 - view.t0);
    view.t0 = t - frac * span; view.t1 = view.t0 + span;
    render();
  }
  function onWheel(ev) {
    if (ev.shiftKey) return;
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    zoom(Math.pow(1.0015, ev.deltaY), ev.clientX - r.left);
  }
  scroller.addEventListener("wheel", onWheel, { passive: false });
  axis.addEventListener("wheel", onWheel, { passive: false });
  var drag = null, moved = false;
  function down(ev) { drag = { x: ev.clientX, t0: view.t0, t1: view.t1 }; moved = false; scroller.classList.add("dragging"); }
  function move(ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 3) moved = true;
    var dt = dx / (width() - LEFT - RIGHT) * (drag.t1 - drag.t0);
    view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt;
    if (moved) render();
  }
  function up() { drag = null; scroller.classList.remove("dragging"); setTimeout(function () { moved = false; }, 0); }
  scroller.addEventListener("mousedown", down); axis.addEventListener("mousedown", down);
  window.addEventListener("mousemove", move); window.addEventListener("mouseup", up);
  document.getElementById("tl-zoomin").addEventListener("click", function () { zoom(1 / 1.6); });
  document.getElementById("tl-zoomout").addEventListener("click", function () { zoom(1.6); });
  document.getElementById("tl-fit").addEventListener("click", function () { fit(); render(); });
  groupSel.addEventListener("change", render);
  showUnreal.addEventListener("change", function () { render(); });
  search.addEventListener("input", function () { fit(); render(); renderTable(); });
  window.addEventListener("resize", render);

  chronology(); fit(); render(); renderTable();
  window.annalistTimeline = { data: data, view: view, zoom: zoom, select: select, visible: function () { return visible; } };
})();
</script>
</body>
</html>
"##;
