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
const glue = emitHashed('xianfeng', '.js', fs.readFileSync(path.join(bindgenDir, 'xianfeng.js')));
if (fs.existsSync(path.join(bindgenDir, 'snippets'))) {
  throw new Error('wasm-bindgen emitted snippets/: add them to the shell list in package-app.mjs');
}
const css = emitHashed('app', '.css', fs.readFileSync(path.join(root, 'app/style.css')));
const bootSrc = fs.readFileSync(path.join(root, 'app/boot.js'), 'utf8')
  .replaceAll('__GLUE__', glue).replaceAll('__WASM__', wasm);
const boot = emitHashed('boot', '.js', Buffer.from(bootSrc));
const html = fs.readFileSync(path.join(root, 'app/index.html'), 'utf8')
  .replaceAll('__GLUE__', glue).replaceAll('__BOOT__', boot).replaceAll('__CSS__', css);
fs.writeFileSync(path.join(distDir, 'index.html'), html);

// The installable shell from public/: manifest and icons as they are.
fs.cpSync(path.join(root, 'public/manifest.webmanifest'), path.join(distDir, 'manifest.webmanifest'));
fs.mkdirSync(path.join(distDir, 'icons'));
const icons = fs.readdirSync(path.join(root, 'public/icons')).filter((f) => f.endsWith('.png')).sort();
for (const icon of icons) fs.cpSync(path.join(root, 'public/icons', icon), path.join(distDir, 'icons', icon));

const shell = ['/index.html', `/${boot}`, `/${glue}`, `/${wasm}`, `/${css}`, '/manifest.webmanifest', ...icons.map((i) => `/icons/${i}`)];
const build = hash16(Buffer.from(shell.join('\n') + html));
const sw = fs.readFileSync(path.join(root, 'public/sw.js'), 'utf8')
  .replace('__BUILD__', build).replace('__SHELL__', JSON.stringify(shell));
fs.writeFileSync(path.join(distDir, 'sw.js'), sw);

// Precompressed siblings for everything textual or wasm.
const sizes = {};
for (const file of fs.readdirSync(distDir)) {
  if (!/\.(js|wasm|css|html|webmanifest)$/.test(file)) continue;
  const buf = fs.readFileSync(path.join(distDir, file));
  const br = zlib.brotliCompressSync(buf, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });
  fs.writeFileSync(path.join(distDir, `${file}.br`), br);
  fs.writeFileSync(path.join(distDir, `${file}.gz`), zlib.gzipSync(buf, { level: 9 }));
  sizes[file] = { raw: buf.length, brotli: br.length };
}

const manifest = { build, shell, wasm, glue, boot, css, sizes };
fs.writeFileSync(path.join(distDir, 'build.json'), JSON.stringify(manifest, null, 2));
console.log(`packaged ${shell.length} shell files into ${distDir} (build ${build}); wasm ${sizes[wasm].raw} B raw, ${sizes[wasm].brotli} B brotli`);
