// Issue 2: the installable offline shell, end to end against the real
// server in real headless Chromium at a phone viewport.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { artifactPath, launchPhone, pngSize, startServer } from './harness.mjs';

const TABS = [
  { label: '巡察', path: '/spot-checks', testid: 'page-spot-checks', shot: '1-spot-checks' },
  { label: '示范岗', path: '/posts', testid: 'page-posts', shot: '2-posts' },
  { label: '结对帮扶', path: '/pairing', testid: 'page-pairing', shot: '3-pairing' },
  { label: '同步', path: '/sync', testid: 'page-sync', shot: '4-sync' },
  { label: '我的', path: '/me', testid: 'page-me', shot: '5-me' },
];

let server;
let context;
let page;
const cspViolations = [];

before(async () => {
  server = await startServer();
  context = await launchPhone();
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => cspViolations.push(`pageerror: ${err.message}`));
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/** The app on screen (a test run alone starts on a blank page). */
async function opened() {
  if (page.url() === 'about:blank') {
    await page.goto(server.base);
    await page.getByTestId('page-spot-checks').waitFor();
  }
}

/** The app opened and its service worker in control (its shell precached). */
async function controlled() {
  await opened();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

async function expectTabs(shotPrefix) {
  const nav = page.getByRole('navigation', { name: '主要栏目' });
  for (const tab of TABS) {
    await nav.getByRole('link', { name: tab.label }).click();
    await page.getByTestId(tab.testid).waitFor();
    assert.equal(new URL(page.url()).pathname, tab.path);
    assert.equal(await nav.getByRole('link', { name: tab.label }).getAttribute('aria-current'), 'page');
    await page.screenshot({ path: artifactPath('shell', `${shotPrefix}-${tab.shot}.png`), fullPage: true });
  }
}

test('the app loads and shows its shell in Chinese', async () => {
  await page.goto(server.base);
  await page.getByTestId('page-spot-checks').waitFor();
  assert.equal(await page.locator('h1.app-name').textContent(), '先锋');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.getByTestId('network-status').textContent(), /在线/);
  // Bottom tab bar at a phone width: fixed to the bottom, six large targets
  // (four sections, 同步, 我的) in one row.
  const boxes = await page.locator('nav.tabbar a').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  assert.equal(boxes.length, 6);
  assert.equal(new Set(boxes.map((b) => Math.round(b.top))).size, 1, 'one row of tabs');
  for (const b of boxes) assert.ok(b.height >= 48 && b.width >= 48, `tap target ${JSON.stringify(b)}`);
  assert.ok(boxes[0].bottom >= 844 - 2, 'tab bar sits at the bottom of the screen');
});

test('the manifest has every installability field and real icons', async () => {
  await opened();
  const href = await page.getAttribute('link[rel=manifest]', 'href');
  const res = await fetch(new URL(href, server.base));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/manifest\+json/);
  const m = await res.json();
  for (const field of ['name', 'short_name', 'start_url', 'scope', 'display', 'theme_color', 'background_color', 'lang', 'icons']) {
    assert.ok(m[field], `manifest.${field}`);
  }
  assert.equal(m.display, 'standalone');
  assert.equal(m.lang, 'zh-CN');
  assert.equal(m.short_name, '先锋');
  const sizes = new Set();
  let maskable = false;
  for (const icon of m.icons) {
    const r = await fetch(new URL(icon.src, server.base));
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get('content-type'), 'image/png');
    const { width, height } = pngSize(Buffer.from(await r.arrayBuffer()));
    assert.equal(`${width}x${height}`, icon.sizes, `${icon.src} is really ${icon.sizes}`);
    sizes.add(icon.sizes);
    if ((icon.purpose ?? '').split(' ').includes('maskable')) maskable = true;
  }
  assert.ok(sizes.has('192x192') && sizes.has('512x512'), 'has 192 and 512 icons');
  assert.ok(maskable, 'has a maskable icon');
});

test('the service worker controls the page', async () => {
  await controlled();
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('xf-shell-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  for (const must of ['/index.html', '/manifest.webmanifest']) assert.ok(cached.includes(must), `${must} precached`);
  assert.ok(cached.some((p) => p.endsWith('_bg.wasm')), 'wasm precached');
  assert.ok(cached.some((p) => p.endsWith('.css')), 'css precached');
});

test('every tab navigates online', async () => {
  await opened();
  await expectTabs('online');
});

test('offline with the server stopped: reload still renders and every tab navigates', async () => {
  await controlled();
  // The reload starts on 我的, where the online tour of the tabs ends.
  if (new URL(page.url()).pathname !== '/me') await page.goto(`${server.base}/me`);
  await context.setOffline(true);
  const { code } = await server.stop();
  assert.equal(code, 0, 'server shut down cleanly on SIGTERM');
  await page.reload();
  await page.getByTestId('page-me').waitFor();
  assert.match(await page.getByTestId('network-status').textContent(), /离线/);
  await expectTabs('offline');
  // A deep link (a fresh navigation) also comes from the cache.
  await page.goto(`${server.base}/pairing`);
  await page.getByTestId('page-pairing').waitFor();
});

test('the language can be switched to English in 我的 and is remembered', async () => {
  await opened();
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '我的' }).click();
  await page.getByLabel('English').check();
  const nav = page.getByRole('navigation', { name: 'Main sections' });
  await nav.getByRole('link', { name: 'Spot checks' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await page.getByRole('navigation', { name: 'Main sections' }).waitFor();
  await page.screenshot({ path: artifactPath('shell', '6-me-english.png'), fullPage: true });
  await page.getByLabel('简体中文').check();
  await page.getByRole('navigation', { name: '主要栏目' }).waitFor();
});

test('no Content-Security-Policy violations or page errors', async () => {
  await opened();
  assert.deepEqual(cspViolations, []);
});
