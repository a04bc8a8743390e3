// Xianfeng service worker: precaches the whole app shell and every lazily
// loaded part, and serves them cache-first, so the app opens and every
// screen navigates with no signal.
// The build (scripts/package-app.mjs) replaces the placeholders: the cache
// name changes with every build, SHELL lists every asset, PACK the parts.
const CACHE = 'xf-shell-__BUILD__';
const SHELL = __SHELL__;
// The lazily loaded wasm parts as one pack: { url, parts: [[path, offset, length]] }
// (scripts/package-app.mjs), or null when the app is one module.
const PACK = __PACK__;

/** Fetches the pack and stores each part under its own path, as a wasm response. */
async function unpackParts(cache) {
  if (!PACK) return;
  const response = await fetch(PACK.url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${PACK.url}: ${response.status}`);
  const bytes = await response.arrayBuffer();
  await Promise.all(PACK.parts.map(([path, offset, length]) => cache.put(
    path,
    new Response(bytes.slice(offset, offset + length), { headers: { 'Content-Type': 'application/wasm' } }),
  )));
}

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user taps 新版本可用.
  // All or nothing: a worker that could not store every part does not install.
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all([cache.addAll(SHELL), unpackParts(cache)])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('xf-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // The API and the public review pages (/r/…, server-rendered) are never the app.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/r/')) return;
  const opts = { cacheName: CACHE, ignoreVary: true };
  // Every in-app route is the same single page.
  const key = request.mode === 'navigate' ? '/index.html' : request;
  event.respondWith(caches.match(key, opts).then((hit) => hit || fetch(request)));
});
