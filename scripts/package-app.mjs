#!/usr/bin/env node
// Turns wasm-bindgen's output into the deployable app in dist/:
// content-hashed names for every asset that can be cached forever, an
// index.html and boot.js that point at them, a service worker whose cache
// name changes with every build and that precaches the whole shell, and
// .br/.gz siblings the server sends as-is. Prints nothing but a summary.
//
// usage: node scripts/package-app.mjs <bindgen-out-dir> <dist-dir>
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [bindgenDir, distDir] = process.argv.slice(2);
if (!bindgenDir || !distDir) {
  console.error('usage: package-app.mjs <bindgen-out-dir> <dist-dir>');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const hash16 = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 16);

fs.rmSync(distDir, { recursive: true, force: true });
fs.mkdirSync(distDir, { recursive: true });

/** Writes `buf` as `<stem>-<hash><suffix>` and returns the public name. */
function emitHashed(stem, suffix, buf) {
  const name = `${stem}-${hash16(buf)}${suffix}`;
  fs.writeFileSync(path.join(distDir, name), buf);
  return name;
}

const wasm = emitHashed('xianfeng', '_bg.wasm', fs.readFileSync(path.join(bindgenDir, 'xianfeng_bg.wasm')));
if (fs.existsSync(path.join(bindgenDir, 'snippets'))) {
  throw new Error('wasm-bindgen emitted snippets/: add them to the shell list in package-app.mjs');
}

// The lazily loaded parts (app/src/lazy.rs; wasm-split-cli wrote them and
// their loader, __wasm_split.js, beside the main module). Each part gets
// its hashed name, and the loader fetches it by that name.
const LOADER = '__wasm_split.js';
const split = fs.existsSync(path.join(bindgenDir, LOADER));
let loaderSrc = split ? fs.readFileSync(path.join(bindgenDir, LOADER), 'utf8') : '';
const parts = [];
for (const file of fs.readdirSync(bindgenDir).filter((f) => f.endsWith('.wasm') && f !== 'xianfeng_bg.wasm').sort()) {
  const buf = fs.readFileSync(path.join(bindgenDir, file));
  const name = `${file.replace(/\.wasm$/, '')}-${hash16(buf)}.wasm`;
  const quoted = `"./${file}"`;
  if (!loaderSrc.includes(quoted)) throw new Error(`the split loader never fetches ${file}`);
  loaderSrc = loaderSrc.replaceAll(quoted, `"./${name}"`);
  parts.push({ name, buf });
}
// The glue imports the loader and the loader imports the glue: both names
// carry one hash over both texts, so neither can be stale.
let glueSrc = fs.readFileSync(path.join(bindgenDir, 'xianfeng.js'), 'utf8');
const pairHash = hash16(Buffer.from(glueSrc + loaderSrc));
const glue = `xianfeng-${pairHash}.js`;
const loader = split ? `split-${pairHash}.js` : null;
if (split) {
  // Only the JS imports: the wasm module's own import name stays the key.
  for (const quote of ['"', "'"]) glueSrc = glueSrc.replaceAll(`from ${quote}./${LOADER}${quote}`, `from ${quote}./${loader}${quote}`);
  if (!glueSrc.includes(`from "./${loader}"`)) throw new Error('the wasm-bindgen glue does not import the split loader');
  if (!loaderSrc.includes('"./xianfeng.js"')) throw new Error('the split loader does not import the glue');
  fs.writeFileSync(path.join(distDir, loader), loaderSrc.replaceAll('"./xianfeng.js"', `"./${glue}"`));
}
fs.writeFileSync(path.join(distDir, glue), glueSrc);

// The parts travel as one pack (compressed one by one, small parts cost
// far more): the service worker fetches it once and cuts it into one
// cache entry per part (public/sw.js), so a part never needs the network.
// Served alone too, for a browser whose worker is not running yet.
let offset = 0;
const index = parts.map(({ name, buf }) => {
  fs.writeFileSync(path.join(distDir, name), buf);
  const entry = [`/${name}`, offset, buf.length];
  offset += buf.length;
  return entry;
});
const pack = parts.length ? emitHashed('parts', '.bin', Buffer.concat(parts.map((p) => p.buf))) : null;

const css = emitHashed('app', '.css', fs.readFileSync(path.join(root, 'app/style.css')));
const bootSrc = fs.readFileSync(path.join(root, 'app/boot.js'), 'utf8')
  .replaceAll('__GLUE__', glue).replaceAll('__WASM__', wasm);
const boot = emitHashed('boot', '.js', Buffer.from(bootSrc));
const html = fs.readFileSync(path.join(root, 'app/index.html'), 'utf8')
  .replaceAll('__GLUE__', glue).replaceAll('__BOOT__', boot).replaceAll('__CSS__', css)
  .replace('__SPLIT_PRELOAD__', loader ? `<link rel="modulepreload" href="/${loader}">` : '');
fs.writeFileSync(path.join(distDir, 'index.html'), html);

// The installable shell from public/: manifest and icons as they are.
fs.cpSync(path.join(root, 'public/manifest.webmanifest'), path.join(distDir, 'manifest.webmanifest'));
fs.mkdirSync(path.join(distDir, 'icons'));
const icons = fs.readdirSync(path.join(root, 'public/icons')).filter((f) => f.endsWith('.png')).sort();
for (const icon of icons) fs.cpSync(path.join(root, 'public/icons', icon), path.join(distDir, 'icons', icon));

const shell = ['/index.html', `/${boot}`, `/${glue}`, ...(loader ? [`/${loader}`] : []), `/${wasm}`, `/${css}`, '/manifest.webmanifest', ...icons.map((i) => `/icons/${i}`)];
const build = hash16(Buffer.from(shell.join('\n') + html + (pack ?? '')));
const sw = fs.readFileSync(path.join(root, 'public/sw.js'), 'utf8')
  .replace('__BUILD__', build).replace('__SHELL__', JSON.stringify(shell))
  .replace('__PACK__', JSON.stringify(pack ? { url: `/${pack}`, parts: index } : null));
fs.writeFileSync(path.join(distDir, 'sw.js'), sw);

// Precompressed siblings for everything textual or wasm.
const sizes = {};
for (const file of fs.readdirSync(distDir)) {
  if (!/\.(js|wasm|css|html|webmanifest|bin)$/.test(file)) continue;
  const buf = fs.readFileSync(path.join(distDir, file));
  const br = zlib.brotliCompressSync(buf, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });
  fs.writeFileSync(path.join(distDir, `${file}.br`), br);
  fs.writeFileSync(path.join(distDir, `${file}.gz`), zlib.gzipSync(buf, { level: 9 }));
  sizes[file] = { raw: buf.length, brotli: br.length };
}

const manifest = { build, shell, wasm, glue, loader, boot, css, pack, chunks: index.map(([name]) => name), sizes };
fs.writeFileSync(path.join(distDir, 'build.json'), JSON.stringify(manifest, null, 2));
console.log(`packaged ${shell.length} shell files and ${parts.length} lazy parts into ${distDir} (build ${build}); main wasm ${sizes[wasm].raw} B raw, ${sizes[wasm].brotli} B brotli`);
