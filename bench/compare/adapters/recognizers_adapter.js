// Microsoft Recognizers-Text DateTime (npm @microsoft/recognizers-text-date-time),
// `DateTimeRecognizer(Culture.English).getDateTimeModel().parse(text, reference)`.
//
// Recognizers return a TIMEX-like `timex` per result, which is kept when it is concrete.
// Mapping: date/daterange → DATE, time/datetime/timerange/datetimerange → TIME,
// duration → DURATION, set → SET. A timex with an unknown year ("XXXX-03-12", "XXXX-10")
// or a bare weekday ("XXXX-WXX-2") is completed from the resolved candidate closest to the
// reference date (Recognizers offer a past and a future one). A range timex
// "(start,end,duration)" becomes a decade ("199") or century ("19") when it spans exactly
// one, else its start (lossy). A bare clock time "T15" is written XXXX-XX-XXT15 (Recognizers
// do not anchor it to a day). Recognizers' Mod (before/after/since/until/start/mid/end/
// approx/less/more) is mapped to TIMEX3 mod. Text is fed a sentence at a time, as the model
// is built for utterances (and is faster so); offsets are mapped back.
'use strict';
const path = require('path');
const common = require('./common');

const MOD = {
  before: 'BEFORE', until: 'BEFORE', after: 'AFTER', since: 'AFTER', start: 'START',
  mid: 'MID', end: 'END', approx: 'APPROX', less: 'LESS_THAN', more: 'MORE_THAN',
};

function mapMod(m) {
  if (!m) return null;
  const parts = String(m).toLowerCase().split('-');
  // "before-start" ("by early October"): the part of the period wins.
  for (const p of parts.slice().reverse()) if (MOD[p]) return MOD[p];
  return null;
}

/** Yields [offset, sentence] for the sentences of each non-empty line (a simple split at
 *  sentence-final punctuation followed by a capital or digit, as in common.py). */
function* sentences(text) {
  let pos = 0;
  for (const line of text.split('\n')) {
    const start = pos;
    pos += line.length + 1;
    if (!line.trim()) continue;
    const re = /[.!?]["')\]]*\s+(?=[A-Z0-9"'(])/g;
    let last = 0;
    let m;
    while ((m = re.exec(line)) !== null) {
      const end = m.index + m[0].length;
      yield [start + last, line.slice(last, end)];
      last = end;
    }
    if (last < line.length) yield [start + last, line.slice(last)];
  }
}

function dayOf(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12)) : null;
}

/** The candidate date (value, start or end) closest to the reference. */
function closest(values, ref) {
  let best = null;
  let bestDist = Infinity;
  for (const v of values) {
    const d = dayOf(v.value) || dayOf(v.start) || dayOf(v.end);
    if (!d) continue;
    const dist = Math.abs(d - ref);
    if (dist < bestDist) {
      best = d;
      bestDist = dist;
    }
  }
  return best;
}

function rangeValue(timex) {
  const m = /^\(([^,]*),([^,]*),([^)]*)\)$/.exec(timex);
  if (!m) return timex;
  const [, a, b, dur] = m;
  const ya = /^(\d{4})-01-01$/.exec(a);
  const yb = /^(\d{4})-01-01$/.exec(b);
  if (ya && yb) {
    const y0 = +ya[1];
    const y1 = +yb[1];
    if (y1 - y0 === 10 && y0 % 10 === 0) return String(y0).slice(0, 3);
    if (y1 - y0 === 100 && y0 % 100 === 0) return String(y0).slice(0, 2);
    if (y1 - y0 === 1) return String(y0);
  }
  void dur;
  return a;
}

function mapResult(r, ref) {
  const kind = String(r.typeName || '').replace('datetimeV2.', '');
  const values = (r.resolution && r.resolution.values) || [];
  if (!values.length) return null;
  const v0 = values[0];
  let timex = String(v0.timex || '');
  if (!timex) return null;
  let type;
  if (kind === 'duration') type = 'DURATION';
  else if (kind === 'set') type = 'SET';
  else if (kind === 'date' || kind === 'daterange') type = 'DATE';
  else type = 'TIME';
  timex = rangeValue(timex);
  if (type === 'DATE' || type === 'TIME') {
    if (/^XXXX-WXX-\d/.test(timex)) {
      const d = closest(values, ref);
      if (d) timex = common.fmtDate(d, 'day') + timex.slice(10);
    } else if (timex.startsWith('XXXX')) {
      const d = closest(values, ref);
      if (d) timex = common.pad(d.getUTCFullYear(), 4) + timex.slice(4);
    }
    if (timex.startsWith('T')) timex = 'XXXX-XX-XX' + timex;
  }
  return { type, value: timex, mod: mapMod(v0.Mod || v0.mod) };
}

function setup() {
  const R = require('@microsoft/recognizers-text-date-time');
  const model = new R.DateTimeRecognizer(R.Culture.English).getDateTimeModel();
  model.parse('warm up on 3 May 2001', new Date());
  return (doc) => {
    const ref = common.reference(doc);
    const out = [];
    for (const [off, chunk] of sentences(doc.text)) {
      for (const r of model.parse(chunk, ref)) {
        const m = mapResult(r, ref);
        if (!m) continue;
        // r.end is inclusive.
        out.push({ start: off + r.start, end: off + r.end + 1, ...m });
      }
    }
    return out;
  };
}

const version = require(path.join(path.dirname(require.resolve('@microsoft/recognizers-text-date-time')), '..', 'package.json')).version;

if (require.main === module) {
  common.run('recognizers-text', version, setup).catch((e) => {
    process.stderr.write(`recognizers-text: ${e.message}\n`);
    process.exit(1);
  });
}

module.exports = { mapResult, rangeValue, mapMod, sentences };
