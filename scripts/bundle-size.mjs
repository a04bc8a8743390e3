#!/usr/bin/env node
// The bundle's budgets (issue 15), from dist/build.json (written by
// package-app.mjs), one METRIC line per figure, brotli bytes:
//
// - bundle_first_load_brotli_bytes: what a first visit fetches before the
//   first screen is usable: index.html, the CSS, boot.js, the wasm-bindgen
//   glue, the split loader and the main wasm module. Budget 150,000.
// - bundle_largest_chunk_brotli_bytes: the largest part loaded lazily
//   (`build.chunks`, app/src/lazy.rs). Budget 60,000.
// - bundle_total_brotli_bytes: everything the service worker precaches:
//   the shell and the pack of parts (files without a brotli figure, the
//   PNG icons, at their raw size). Budget 400,000.
//
// Exits non-zero, after printing every figure, when a budget is broken.
import fs from 'node:fs';
import path from 'node:path';

const BUDGETS = {
  bundle_first_load_brotli_bytes: 150_000,
  bundle_largest_chunk_brotli_bytes: 60_000,
  bundle_total_brotli_bytes: 400_000,
};

const dist = process.argv[2] ?? 'dist';
const build = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8'));
const brotli = (file) => {
  const name = file.replace(/^\//, '');
  const known = build.sizes[name];
  return known ? known.brotli : fs.statSync(path.join(dist, name)).size;
};

const firstLoad = ['index.html', build.css, build.boot, build.glue, build.loader, build.wasm].filter(Boolean).reduce((sum, f) => sum + brotli(f), 0);
const chunks = build.chunks ?? [];
const largest = chunks.reduce((max, f) => Math.max(max, brotli(f)), 0);
const total = [...new Set([...build.shell, '/sw.js', ...(build.pack ? [build.pack] : [])])].reduce((sum, f) => sum + brotli(f), 0);

const figures = {
  bundle_wasm_brotli_bytes: brotli(build.wasm),
  bundle_first_load_brotli_bytes: firstLoad,
  bundle_largest_chunk_brotli_bytes: largest,
  bundle_total_brotli_bytes: total,
};
for (const [name, value] of Object.entries(figures)) console.log(`METRIC ${name} ${value} bytes`);
const broken = Object.entries(BUDGETS).filter(([name, max]) => figures[name] > max);
for (const [name, max] of broken) console.error(`bundle: budget broken: ${name} ${figures[name]} > ${max}`);
process.exit(broken.length ? 1 : 0);
