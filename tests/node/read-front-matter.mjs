#!/usr/bin/env node
// Independent YAML 1.2 reader of front matter for the vault-export tests.
//
// Usage: node read-front-matter.mjs PATH [PATH ...]
//   A PATH that is a file is read as given; a PATH that is a directory is walked for *.md files
//   (hidden files and folders skipped). Prints one JSON object on stdout:
//     {"<path>": <front matter as parsed by js-yaml>, ...}
//   where <path> is the file argument as given, or path.join(dir, relative path) for files found
//   in a directory. The value is null when the file has no front matter (the first line is not
//   exactly "---", or no later line is exactly "---"), and {} for an empty block.
//
// js-yaml's CORE_SCHEMA is used: YAML 1.2 core types only (null, bool, int, float, str), so
// 2025-06-06 and 2025-06-06T10:00:00 stay strings and `yes`/`no`/`on` are strings.
// A file whose front matter fails to parse is reported on stderr as "<path>: <message>" and the
// exit code is 1 (the files that did parse are still printed on stdout).
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";

function walk(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (entry.isFile() && entry.name.endsWith(".md")) found.push(full);
  }
  return found;
}

export function frontMatterBlock(text) {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  if (lines[0] !== "---") return null;
  const end = lines.indexOf("---", 1);
  if (end === -1) return null;
  return lines.slice(1, end).join("\n");
}

function readOne(file) {
  const block = frontMatterBlock(fs.readFileSync(file, "utf8"));
  if (block === null) return null;
  const data = yaml.load(block, { schema: yaml.CORE_SCHEMA, filename: file });
  return data === undefined || data === null ? {} : data;
}

function main(args) {
  if (args.length === 0) {
    process.stderr.write("usage: read-front-matter.mjs PATH [PATH ...]\n");
    return 2;
  }
  const files = [];
  for (const arg of args) {
    if (fs.statSync(arg).isDirectory()) files.push(...walk(arg).sort());
    else files.push(arg);
  }
  const result = {};
  let failed = false;
  for (const file of files) {
    try {
      result[file] = readOne(file);
    } catch (err) {
      failed = true;
      process.stderr.write(`${file}: ${String(err.message).replace(/\n/g, "\n    ")}\n`);
    }
  }
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
