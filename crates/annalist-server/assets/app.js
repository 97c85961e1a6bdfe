// annalist web page: tags the text with POST /v1/tag and shows the result.
// No dependencies; everything is served by the annalist-server binary.
"use strict";

// A short account written for this page (not taken from any corpus).
const EXAMPLE = {
  text:
    "The first telegraph cable across the Atlantic came ashore at Trinity Bay, " +
    "Newfoundland, on August 5, 1858. Eleven days later, Queen Victoria sent a " +
    "greeting to President Buchanan; the ninety-nine words took about sixteen hours " +
    "to get through. The line grew weaker every week, and by early September it had " +
    "gone silent.\n\n" +
    "Eight years passed before the Great Eastern tried again. On the morning of " +
    "July 27, 1866, the new cable was hauled onto the beach at Heart's Content, and " +
    "the next day messages were crossing the ocean in minutes. By the 1870s, news " +
    "from London reached New York twice a day.",
  dct: "",
  domain: "narrative",
};

const $ = (id) => document.getElementById(id);

function setStatus(msg, isError) {
  const s = $("status");
  s.textContent = msg;
  s.classList.toggle("error", !!isError);
}

function tip(t) {
  let s = t.type + " " + t.value;
  if (t.mod) s += " (" + t.mod + ")";
  return s;
}

// Offsets are Unicode code points; JavaScript strings index UTF-16 units, so
// slice an array of code points instead.
function renderHighlighted(text, timexes) {
  const box = $("highlighted");
  box.textContent = "";
  const chars = Array.from(text);
  let pos = 0;
  const sorted = timexes.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  for (const t of sorted) {
    if (t.start < pos) continue; // nested or overlapping alternative: the table lists it
    box.append(chars.slice(pos, t.start).join(""));
    const m = document.createElement("mark");
    m.className = "timex " + t.type;
    m.dataset.tid = t.tid;
    m.dataset.tip = tip(t);
    m.title = tip(t);
    m.tabIndex = 0;
    m.textContent = chars.slice(t.start, t.end).join("");
    m.addEventListener("mouseenter", () => activate(t.tid, true));
    m.addEventListener("mouseleave", () => activate(t.tid, false));
    box.append(m);
    pos = t.end;
  }
  box.append(chars.slice(pos).join(""));
}

function activate(tid, on) {
  const row = document.querySelector('#timexes tr[data-tid="' + tid + '"]');
  if (row) row.classList.toggle("active", on);
}

function renderTable(timexes) {
  const body = document.querySelector("#timexes tbody");
  body.textContent = "";
  for (const t of timexes) {
    const tr = document.createElement("tr");
    tr.dataset.tid = t.tid;
    const cells = [t.tid, t.text, t.type, t.value, t.mod || "", t.start + "–" + t.end];
    cells.forEach((c, i) => {
      const td = document.createElement("td");
      td.textContent = c;
      if (i === 3) td.className = "value";
      tr.append(td);
    });
    body.append(tr);
  }
}

// TIMELINE VIEW: replace this function's body once POST /v1/timeline returns
// timelines; `timeline` is the JSON under "timeline" in its answer.
function renderTimeline(timeline) {
  const view = $("timeline-view");
  view.textContent = "";
  const pre = document.createElement("pre");
  pre.textContent = JSON.stringify(timeline, null, 2);
  view.append(pre);
}

async function loadTimeline(doc) {
  const view = $("timeline-view");
  try {
    const r = await fetch("/v1/timeline", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(doc),
    });
    if (r.ok) {
      renderTimeline((await r.json()).timeline);
    } else if (r.status === 501) {
      view.textContent = "The timeline view will be drawn here once POST /v1/timeline is available.";
    } else {
      view.textContent = "Timeline unavailable: " + ((await r.json()).error || r.status);
    }
  } catch (e) {
    view.textContent = "Timeline unavailable: " + e;
  }
}

async function tag() {
  const text = $("text").value;
  const doc = { text: text, domain: $("domain").value };
  if ($("dct").value) doc.dct = $("dct").value;
  setStatus("Tagging…");
  $("tag").disabled = true;
  const started = performance.now();
  try {
    const r = await fetch("/v1/tag", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(doc),
    });
    const body = await r.json();
    if (!r.ok) {
      setStatus("Error " + r.status + ": " + body.error, true);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const n = body.timexes.length;
    renderHighlighted(text, body.timexes);
    renderTable(body.timexes);
    $("count").textContent = "(" + n + (n === 1 ? " expression)" : " expressions)");
    setStatus("Found " + n + " time expression" + (n === 1 ? "" : "s") + " in " + ms + " ms.");
    loadTimeline(doc);
  } catch (e) {
    setStatus("Request failed: " + e, true);
  } finally {
    $("tag").disabled = false;
  }
}

function loadExample() {
  $("text").value = EXAMPLE.text;
  $("dct").value = EXAMPLE.dct;
  $("domain").value = EXAMPLE.domain;
}

document.addEventListener("DOMContentLoaded", () => {
  $("tag").addEventListener("click", tag);
  $("example").addEventListener("click", loadExample);
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) tag();
  });
  if (!$("text").value) loadExample();
});
