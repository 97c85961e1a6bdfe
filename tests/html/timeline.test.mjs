// Renders timelines of short narratives written for these tests in headless Chromium
// and checks what is on the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, renderHtml } from "./browser.mjs";

const STORY = `The Harbour Bridge Project

In March 1921, the city council approved a plan for a new bridge. The engineers surveyed the river in the summer of 1921. On 4 May 1922, workers laid the foundations. The council did not approve a second tunnel. On 12 June 1922, the mayor asked the builders to finish the towers. From August to October 1923, the crews raised the steel arch. On the morning of 2 April 1924, the governor opened the bridge. In the evening, crowds walked across it.`;

const ANCIENT = `In 490 BC the Persian army landed at Marathon. In 480 BC Xerxes crossed the Hellespont. The Athenians defeated the fleet at Salamis in September 480 BC. In 479 BC the Greeks won at Plataea.`;

let browser;
const errors = [];
before(async () => { browser = await launch(); });
after(async () => { await browser?.context.close(); });

async function open(file) {
  const page = await browser.context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto("file://" + file);
  await page.waitForSelector("#tl-svg .tl-item");
  return page;
}

/** x position of the mark of the item whose label is `what`. */
async function markX(page, what) {
  return page.evaluate((what) => {
    for (const g of document.querySelectorAll("#tl-svg .tl-item")) {
      const t = g.querySelector("text");
      if (t && t.textContent === what) {
        const m = g.querySelector(".mark");
        return Number(m.getAttribute("cx") ?? m.getAttribute("x"));
      }
    }
    return null;
  }, what);
}

test("a short narrative: chronology, items, table, proportional axis", async () => {
  const page = await open(renderHtml(STORY, "bridge"));
  const chron = await page.textContent("#tl-chronology");
  assert.match(chron, /March 1921 → 2 April 1924, evening/);
  assert.match(chron, /7 dated events/);
  const rows = await page.$$eval("#tl-table tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[2]), ["approved", "surveyed", "laid", "asked", "raised", "opened", "walked"]);
  assert.equal(rows[0][1], "March 1921");
  assert.match(rows[4][1], /August 1923 – October 1923/);
  assert.match(rows[5][3], /governor/);
  assert.equal(await page.locator("#tl-svg .tl-item").count(), 7);
  // Negated and requested events are not occurrences.
  assert.ok(!rows.some((r) => r[2] === "finish" || r[2] === "approve"));

  // Spacing is proportional to time.
  const xa = await markX(page, "approved"), xb = await markX(page, "laid"), xo = await markX(page, "opened");
  const day = (y, m, d) => Date.UTC(y, m - 1, d) / 864e5;
  const want = (day(1922, 5, 4) - day(1921, 3, 1)) / (day(1924, 4, 2.25) - day(1921, 3, 1));
  const got = (xb - xa) / (xo - xa);
  assert.ok(Math.abs(got - want) < 0.02, `spacing ratio ${got} vs ${want}`);
  // The range is a bar spanning August to October 1923.
  const bar = await page.$eval("#tl-svg .tl-item rect.mark", (r) => Number(r.getAttribute("width")));
  assert.ok(bar > 10, `range bar width ${bar}`);
  // Axis ticks in increasing order, labelled with years.
  const ticks = await page.$$eval("#tl-axis .tick", (gs) => gs.map((g) => [Number(g.querySelector("line").getAttribute("x1")), g.textContent]));
  assert.ok(ticks.length >= 3);
  for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i][0] > ticks[i - 1][0]);
  assert.ok(ticks.some((t) => /192[1-4]/.test(t[1])), JSON.stringify(ticks));

  // Hover shows the evidence sentence; click pins it and selects the table row.
  const item = page.locator("#tl-svg .tl-item", { hasText: "opened" });
  await item.hover();
  assert.match(await page.textContent("#tl-tip"), /the governor opened the bridge/);
  await item.click();
  assert.match(await page.textContent("#tl-detail"), /On the morning of 2 April 1924, the governor opened the bridge\./);
  assert.equal(await page.textContent("#tl-detail mark"), "opened");
  assert.match(await page.textContent("#tl-table tr.selected"), /opened/);

  // The toggle shows what did not happen, marked as such.
  await page.check("#tl-unrealised");
  const unreal = await page.$$eval("#tl-svg .tl-item.unrealised text", (ts) => ts.map((t) => t.textContent));
  assert.ok(unreal.length >= 1, "no unrealised events shown");
  // Filtering narrows both views.
  await page.uncheck("#tl-unrealised");
  await page.fill("#tl-search", "governor");
  assert.equal(await page.locator("#tl-table tbody tr").count(), 1);
  assert.equal(await page.locator("#tl-svg .tl-item").count(), 1);
  await page.close();
});

test("BC years are placed and labelled", async () => {
  const page = await open(renderHtml(ANCIENT, "ancient"));
  const x490 = await markX(page, "landed"), x480 = await markX(page, "crossed"), x479 = await markX(page, "won");
  assert.ok(x490 < x480 && x480 < x479, `${x490} ${x480} ${x479}`);
  // 10 years then 1 year: the gaps are proportional.
  assert.ok(Math.abs((x480 - x490) / (x479 - x480) - 10) < 0.5);
  const ticks = await page.$$eval("#tl-axis .tick", (gs) => gs.map((g) => g.textContent));
  assert.ok(ticks.every((t) => /BC/.test(t)), JSON.stringify(ticks));
  assert.match(await page.textContent("#tl-chronology"), /490 BC → 479 BC/);
  await page.close();
});

test("2,000 events stay usable", async () => {
  const who = ["The council", "The mayor", "The engineers", "The crews", "The governor", "The bank", "The press"];
  const verbs = ["met", "voted", "inspected", "signed", "protested", "paid", "reported"];
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const parts = [];
  for (let i = 0; i < 2000; i++) {
    const y = 1850 + Math.floor(i / 20), m = months[i % 12], d = 1 + (i * 7) % 28;
    parts.push(`On ${d} ${m} ${y}, ${who[i % who.length]} ${verbs[(i * 3) % verbs.length]} in the hall.`);
  }
  const t0 = Date.now();
  const page = await open(renderHtml(parts.join(" "), "big"));
  const loaded = Date.now() - t0;
  assert.equal(await page.locator("#tl-table tbody tr").count(), 2000);
  assert.match(await page.textContent("#tl-chronology"), /2000 dated events/);
  const lanes = await page.locator("#tl-svg .lane-label").count();
  assert.ok(lanes >= 7 && lanes <= 14, `lanes ${lanes}`);
  // Zooming re-renders quickly and shows fewer, labelled items.
  const ms = await page.evaluate(() => { const s = performance.now(); for (let i = 0; i < 10; i++) window.annalistTimeline.zoom(0.7); return (performance.now() - s) / 10; });
  assert.ok(ms < 500, `zoom render ${ms} ms`); // about 60 ms on the shared dev machine
  const ticks = await page.$$eval("#tl-axis .tick", (gs) => gs.length);
  assert.ok(ticks >= 3 && ticks <= 40, `ticks ${ticks}`);
  assert.ok(loaded < 30000, `load ${loaded} ms`);
  await page.close();
});

test("no network requests and no script errors", () => {
  assert.deepEqual(browser.network, []);
  assert.deepEqual(errors, []);
});
