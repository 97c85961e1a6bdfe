// Browser test of the annalist web page: paste text, tag it, count highlights.
// Runs Debian's Chromium (/usr/bin/chromium) through playwright-core; see run.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.ANNALIST_URL || "http://127.0.0.1:8080";
const SCREENSHOT = process.env.SCREENSHOT || "";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Our own sentences (not from any corpus).
const TEXT =
  "The bridge over the Tamar opened on May 2, 1859, after seven years of work. " +
  "Its engineer died in September that year. A century later, in 1961, a road " +
  "bridge was built beside it; on Monday morning the old line still carries trains.";

let context;
let page;
let userDataDir;
const foreign = [];

async function waitForServer() {
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(BASE + "/healthz");
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("server at " + BASE + " is not answering /healthz");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function apiTag(doc) {
  const r = await fetch(BASE + "/v1/tag", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(doc),
  });
  assert.equal(r.status, 200);
  return (await r.json()).timexes;
}

// Expressions the page can highlight: the first of overlapping ones, in text order.
function highlightable(timexes) {
  const sorted = timexes.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let pos = 0;
  for (const t of sorted) {
    if (t.start < pos) continue;
    out.push(t);
    pos = t.end;
  }
  return out;
}

before(async () => {
  await waitForServer();
  userDataDir = mkdtempSync(join(tmpdir(), "annalist-e2e-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = context.pages()[0] || (await context.newPage());
  const origin = new URL(BASE).origin;
  page.on("request", (req) => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith("data:")) foreign.push(u);
  });
  page.on("pageerror", (e) => foreign.push("page error: " + e.message));
});

after(async () => {
  if (context) await context.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test("the page loads offline with its example", async () => {
  await page.goto(BASE + "/");
  assert.equal(await page.title(), "annalist — time expressions");
  const example = await page.inputValue("#text");
  assert.match(example, /telegraph cable/);
  assert.match(await page.textContent("#timeline-view"), /will be drawn here/);
});

test("paste, tag, and every expression is highlighted", async () => {
  await page.goto(BASE + "/");
  await page.fill("#text", "");
  await page.focus("#text");
  await page.keyboard.insertText(TEXT); // what a paste delivers
  await page.fill("#dct", "1999-03-01");
  await page.selectOption("#domain", "news");
  await page.click("#tag");
  await page.waitForFunction(() => /^Found \d+/.test(document.querySelector("#status").textContent));

  const expected = await apiTag({ text: TEXT, dct: "1999-03-01", domain: "news" });
  const marks = await page.$$eval("mark.timex", (ms) =>
    ms.map((m) => ({ text: m.textContent, tip: m.dataset.tip, tid: m.dataset.tid })),
  );
  const shown = highlightable(expected);
  assert.equal(marks.length, shown.length, "highlight count");
  const chars = Array.from(TEXT);
  marks.forEach((m, i) => {
    const t = shown[i];
    assert.equal(m.text, chars.slice(t.start, t.end).join(""));
    assert.equal(m.tip, t.type + " " + t.value + (t.mod ? " (" + t.mod + ")" : ""));
  });
  // The table lists every expression; the text itself is unchanged.
  assert.equal(await page.locator("#timexes tbody tr").count(), expected.length);
  assert.equal(await page.textContent("#highlighted"), TEXT);
  const n = expected.length;
  assert.equal(await page.textContent("#count"), "(" + n + (n === 1 ? " expression)" : " expressions)"));

  if (marks.length > 0) {
    const first = page.locator("mark.timex").first();
    await first.hover();
    const tipText = await first.evaluate((m) => getComputedStyle(m, "::after").content);
    assert.equal(tipText, JSON.stringify(marks[0].tip));
    assert.equal(await page.locator('#timexes tr.active').count(), 1);
  }
});

test("an error from the server is shown, not swallowed", async () => {
  await page.goto(BASE + "/");
  // The date picker cannot produce a bad date; send one through the page's own fetch.
  const body = await page.evaluate(async () => {
    const r = await fetch("/v1/tag", { method: "POST", body: JSON.stringify({ text: "x", dct: "1999-02-30" }) });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(body.status, 400);
  assert.match(body.body.error, /^dct: invalid date/);
});

test("screenshot of the example, tagged", async () => {
  await page.goto(BASE + "/");
  await page.click("#example");
  await page.click("#tag");
  await page.waitForFunction(() => /^Found \d+/.test(document.querySelector("#status").textContent));
  const marks = page.locator("mark.timex");
  if ((await marks.count()) > 1) await marks.nth(1).hover();
  if (SCREENSHOT) {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }
  assert.deepEqual(foreign, [], "requests left the server or the page threw");
});
