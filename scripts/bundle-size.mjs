#!/usr/bin/env node
// Prints the bundle's brotli sizes as METRIC lines, from dist/build.json
// (written by package-app.mjs): the wasm alone, and wasm + js + css + html.
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2] ?? 'dist';
const build = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8'));
const total = Object.entries(build.sizes)
  .filter(([file]) => /\.(wasm|js|css|html)$/.test(file))
  .reduce((sum, [, s]) => sum + s.brotli, 0);
console.log(`METRIC bundle_wasm_brotli_bytes ${build.sizes[build.wasm].brotli} bytes`);
console.log(`METRIC bundle_total_brotli_bytes ${total} bytes`);
