// Convert every HTML body in a JSON Lines file with turndown + the GFM plugin.
// Usage: node convert.mjs BODIES.jsonl
// BODIES.jsonl holds one JSON string per line (JSON Lines rather than one big array, so that
// 100,000 bodies do not hit V8's maximum string length when the file is read).
// Prints one JSON line: {"count", "in_bytes", "out_chars", "seconds", "cpu_seconds", "max_rss_mb"}.
// Only the conversion loop is timed; reading and parsing the input file is not.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import TurndownService from "turndown";
import gfmPlugin from "turndown-plugin-gfm";

const inPath = process.argv[2];
if (!inPath) {
  console.error("usage: node convert.mjs BODIES.jsonl");
  process.exit(2);
}

// Read as a Buffer and decode line by line: no single huge string.
const buf = readFileSync(inPath);
const bodies = [];
let inBytes = 0;
for (let start = 0; start < buf.length; ) {
  let end = buf.indexOf(0x0a, start);
  if (end === -1) end = buf.length;
  if (end > start) {
    const body = JSON.parse(buf.toString("utf8", start, end));
    bodies.push(body);
    inBytes += Buffer.byteLength(body, "utf8");
  }
  start = end + 1;
}

const service = new TurndownService({
  headingStyle: "atx",
  bulletListMarker: "-",
  codeBlockStyle: "fenced",
  emDelimiter: "*",
});
service.use(gfmPlugin.gfm);

let outChars = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < bodies.length; i++) {
  outChars += service.turndown(bodies[i]).length;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

console.log(JSON.stringify({
  count: bodies.length,
  in_bytes: inBytes,
  out_chars: outChars,
  seconds,
  cpu_seconds: (cpu.user + cpu.system) / 1e6,
  max_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
