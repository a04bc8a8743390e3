// Issue 6: the public review page a name plate's QR code opens, in real
// headless Chromium at a phone viewport against the real server: no
// script, no CSP violation, large targets, a hidden honeypot; a person
// rates and comments, sees 谢谢, and the office pulls the review.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api as apiAt, seedOrg, uuid as id, watchProblems } from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const POST = id(0xb1);

let server;
let context;
let page;
let office;
const problems = [];

const api = (pathname, body, token) => apiAt(server.base, pathname, body, token);

before(async () => {
  server = await startServer();
  office = await seedOrg(server, [
    ['system', id(0x51), { name: '教育系统' }],
    ['unit', id(0x61), { system: id(0x51), name: '市教育局' }],
    ['branch', id(0x71), { unit: id(0x61), name: '机关支部' }],
    ['member', id(0x91), { name: '王秀英', branch: id(0x71), post_type: 'management', status: 'in_post' }],
    ['post', POST, { member: id(0x91), unit: id(0x61), name: '办证窗口' }],
  ]);
  context = await launchPhone({ javaScriptEnabled: false });
  page = context.pages()[0] ?? (await context.newPage());
  watchProblems(page, 'reviewer', problems);
});

after(async () => {
  await context?.close();
  await server?.stop();
});

test('the review page opens light, in Chinese, with large targets', async () => {
  const res = await page.goto(`${server.base}/r/${POST}`);
  assert.equal(res.status(), 200);
  assert.ok((await res.body()).length <= 10 * 1024);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.locator('.post').textContent(), /办证窗口王秀英（市教育局）/);
  assert.equal(await page.locator('script').count(), 0);
  const boxes = await page.locator('label.choice').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  assert.equal(boxes.length, 5);
  for (const b of boxes) assert.ok(b.height >= 48 && b.width >= 200, `target ${JSON.stringify(b)}`);
  const submit = await page.getByRole('button', { name: '提交评议' }).boundingBox();
  assert.ok(submit.height >= 48);
  const honeypot = await page.locator('input[name=website]').boundingBox();
  assert.ok(!honeypot || honeypot.x + honeypot.width <= 0, `the honeypot is off screen: ${JSON.stringify(honeypot)}`);
  await page.screenshot({ path: artifactPath('public-review', '1-form.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a person rates, comments and is thanked; the office pulls the review', async () => {
  await page.goto(`${server.base}/r/${POST}`);
  await page.getByText('满意', { exact: true }).click();
  await page.getByLabel('意见或建议（可不填）').fill('办事快，态度好');
  await new Promise((r) => setTimeout(r, 3500)); // the form refuses answers within 3 s
  await page.getByRole('button', { name: '提交评议' }).click();
  await page.getByRole('heading', { name: '谢谢您的评议！' }).waitFor();
  await page.screenshot({ path: artifactPath('public-review', '2-thanks.png'), fullPage: true });
  const pulled = await api('/api/sync/pull', { cursor: 0 }, office);
  const reviews = pulled.changes.filter((c) => c.change.kind === 'public_review');
  assert.equal(reviews.length, 1);
  assert.equal(reviews[0].change.record.rating, 4);
  assert.equal(reviews[0].change.record.comment, '办事快，态度好');
  assert.deepEqual(problems, []);
});

test('the name plate QR code is an SVG', async () => {
  const res = await fetch(`${server.base}/r/${POST}/qr.svg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  assert.match(await res.text(), /<svg[^>]*viewBox/);
});
