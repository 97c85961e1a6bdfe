// Usage: node screenshot.mjs INPUT.txt OUTPUT.png — renders `annalist timeline INPUT --to html`
// in headless Chromium and saves a screenshot.
import { launch, renderFile } from "./browser.mjs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node screenshot.mjs INPUT.txt OUTPUT.png");
  process.exit(2);
}
const browser = await launch();
const page = await browser.context.newPage();
await page.goto("file://" + renderFile(input));
await page.waitForSelector("#tl-svg .tl-item");
// Pin the last event so the evidence panel shows a sentence.
await page.evaluate(() => {
  const rows = document.querySelectorAll("#tl-table tbody tr");
  rows[rows.length - 1]?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  window.annalistTimeline.zoom(1); // keep the fitted view
});
await page.click("#tl-fit");
await page.screenshot({ path: output });
await browser.context.close();
console.log(`wrote ${output}`);
