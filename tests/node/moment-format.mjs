#!/usr/bin/env node
// moment.js, as Obsidian bundles it, formatting local times for the vault-export tests.
//
// Usage: node moment-format.mjs < cases.json
//   cases.json is a JSON list of [[year, month, day, hour, minute, second, millisecond], format]
//   pairs (month 1-12, the time local to the TZ environment variable). Prints a JSON list with
//   moment(time).format(format) for each pair, in the default English locale.
import fs from "node:fs";
import moment from "moment";

const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const formatted = cases.map(([[year, month, ...rest], format]) => moment([year, month - 1, ...rest]).format(format));
process.stdout.write(JSON.stringify(formatted));
