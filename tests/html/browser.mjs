// Shared helpers: find the annalist binary, render a timeline page, launch Chromium.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function annalistBin() {
  if (process.env.ANNALIST_BIN) return process.env.ANNALIST_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(ROOT, "target");
  for (const p of ["release", "debug"]) {
    const bin = join(target, p, "annalist");
    if (existsSync(bin)) return bin;
  }
  throw new Error("no annalist binary: build it (cargo build -p annalist-cli) or set ANNALIST_BIN");
}

/** Runs `annalist timeline` on `text` (written to a temp file) and returns the HTML file path. */
export function renderHtml(text, name = "story", extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "annalist-html-"));
  const input = join(dir, `${name}.txt`);
  writeFileSync(input, text);
  const html = execFileSync(annalistBin(), ["timeline", input, "--to", "html", ...extra], { maxBuffer: 1 << 28 });
  const out = join(dir, `${name}.html`);
  writeFileSync(out, html);
  return out;
}

/** Renders an existing text file. */
export function renderFile(path, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "annalist-html-"));
  const html = execFileSync(annalistBin(), ["timeline", path, "--to", "html", ...extra], { maxBuffer: 1 << 28 });
  const out = join(dir, "page.html");
  writeFileSync(out, html);
  return out;
}

/** A headless Chromium (Debian's) with a fresh profile; every non-file request is refused and recorded. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "annalist-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 800 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const network = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    network.push(url);
    return route.abort();
  });
  return { context, network };
}
