// Xianfeng service worker: precaches the whole app shell and serves it
// cache-first, so the app opens and navigates with no signal.
// The build (scripts/package-app.mjs) replaces the two placeholders: the
// cache name changes with every build, and SHELL lists every asset.
const CACHE = 'xf-shell-__BUILD__';
const SHELL = __SHELL__;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user taps 新版本可用.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
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
