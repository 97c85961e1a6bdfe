// Shared plumbing for the Node adapters of bench/compare (same interface as common.py):
//   node ADAPTER.js --input DOCS.jsonl --output OUT.jsonl [--stats STATS.json]
//                   [--max-seconds S] [--max-chars N] [--min-chars M]
// Offsets written are Unicode code points; JavaScript strings index UTF-16 code units,
// so results are converted with cpOffsets().
'use strict';
const fs = require('fs');
const readline = require('readline');

// Peers that need a "now" get this for documents without a DCT (see common.py).
const FALLBACK_REFERENCE = new Date(Date.UTC(2000, 0, 1, 12, 0, 0));

function parseArgs(argv) {
  const a = { maxSeconds: null, maxChars: null, minChars: 0 };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--input') a.input = v;
    else if (k === '--output') a.output = v;
    else if (k === '--stats') a.stats = v;
    else if (k === '--max-seconds') a.maxSeconds = Number(v);
    else if (k === '--max-chars') a.maxChars = Number(v);
    else if (k === '--min-chars') a.minChars = Number(v);
    else throw new Error(`unknown argument ${k}`);
    i++;
  }
  if (!a.input || !a.output) throw new Error('--input and --output are required');
  return a;
}

/** The DCT at noon UTC, or FALLBACK_REFERENCE. */
function reference(doc) {
  if (doc.dct) {
    const [y, m, d] = doc.dct.slice(0, 10).split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d, 12, 0, 0));
  }
  return FALLBACK_REFERENCE;
}

/** Returns a function mapping UTF-16 offsets of `text` to code point offsets. */
function cpOffsets(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      map[i + 1] = cp;
      i++;
    }
    cp++;
  }
  map[text.length] = cp;
  return (i) => map[i];
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** TIMEX3 value of a UTC date at a granularity (year, month, week, day, hour, minute, second). */
function fmtDate(d, g) {
  const y = pad(d.getUTCFullYear(), 4);
  const m = pad(d.getUTCMonth() + 1);
  const day = pad(d.getUTCDate());
  if (g === 'year') return y;
  if (g === 'month') return `${y}-${m}`;
  if (g === 'day') return `${y}-${m}-${day}`;
  const hh = pad(d.getUTCHours());
  const mm = pad(d.getUTCMinutes());
  if (g === 'hour') return `${y}-${m}-${day}T${hh}`;
  if (g === 'minute') return `${y}-${m}-${day}T${hh}:${mm}`;
  return `${y}-${m}-${day}T${hh}:${mm}:${pad(d.getUTCSeconds())}`;
}

/** Trims blanks, sorts, drops bad or overlapping spans, converts offsets, numbers t1... */
function finish(timexes, text) {
  const toCp = cpOffsets(text);
  for (const t of timexes) {
    while (t.start < t.end && /\s/.test(text[t.start])) t.start++;
    while (t.end > t.start && /\s/.test(text[t.end - 1])) t.end--;
  }
  timexes.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const kept = [];
  for (const t of timexes) {
    if (!(t.start >= 0 && t.start < t.end && t.end <= text.length)) continue;
    if (kept.length && t.start < kept[kept.length - 1].end) continue;
    kept.push(t);
  }
  return kept.map((t, i) => {
    const r = {
      start: toCp(t.start),
      end: toCp(t.end),
      text: text.slice(t.start, t.end),
      type: t.type,
      value: t.value,
    };
    if (t.mod) r.mod = t.mod;
    r.tid = `t${i + 1}`;
    return r;
  });
}

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Runs an adapter: setup() loads the peer and returns tag(doc) -> [{start,end,type,value,mod}]
 *  with UTF-16 offsets. */
async function run(peer, version, setup) {
  const a = parseArgs(process.argv);
  const tag = setup();
  const stats = {
    peer, version, startup_s: process.uptime(), tag_s: 0, docs: 0, chars: 0, errors: 0,
    complete: true, startup_cpu_s: cpuSeconds(), tag_cpu_s: 0, extra: {},
  };
  const cpu0 = cpuSeconds();
  const out = fs.openSync(a.output, 'w');
  const rl = readline.createInterface({ input: fs.createReadStream(a.input, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    if (stats.chars >= a.minChars &&
        ((a.maxSeconds !== null && stats.tag_s >= a.maxSeconds) || (a.maxChars !== null && stats.chars >= a.maxChars))) {
      stats.complete = false;
      break;
    }
    let doc;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      throw new Error(`${a.input}:${n}: bad input record: ${e.message}`);
    }
    const t0 = process.hrtime.bigint();
    let rec;
    try {
      rec = { id: doc.id, timexes: finish(tag(doc), doc.text) };
    } catch (e) {
      stats.errors++;
      rec = { id: doc.id, error: String(e && e.stack ? e.stack.split('\n')[0] : e) };
    }
    stats.tag_s += Number(process.hrtime.bigint() - t0) / 1e9;
    stats.docs++;
    stats.chars += [...doc.text].length;
    fs.writeSync(out, JSON.stringify(rec) + '\n');
  }
  rl.close();
  fs.closeSync(out);
  stats.tag_cpu_s = cpuSeconds() - cpu0;
  if (a.stats) fs.writeFileSync(a.stats, JSON.stringify(stats, null, 2));
  process.stderr.write(`${peer}: ${stats.docs} docs, ${stats.chars} chars, tag ${stats.tag_s.toFixed(2)}s, ` +
    `start-up ${stats.startup_s.toFixed(2)}s, errors ${stats.errors}\n`);
}

module.exports = { run, reference, fmtDate, cpOffsets, finish, FALLBACK_REFERENCE, pad };
