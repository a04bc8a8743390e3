// Issue 6: the public review page a name plate's QR code opens, in real
// headless Chromium at a phone viewport against the real server: no
// script, no CSP violation, large targets, a hidden honeypot; a person
// rates and comments, sees 谢谢, and the office pulls the review.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const id = (n) => `01930000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const POST = id(0xb1);

let server;
let context;
let page;
let office;
const problems = [];

async function api(pathname, body, token) {
  const res = await fetch(`${server.base}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

async function adminCode(dataDir) {
  const file = path.join(dataDir, 'admin-code.txt');
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${file}`);
}

before(async () => {
  server = await startServer();
  const enrolled = await api('/api/enroll', { code: await adminCode(server.dataDir), device_name: 'e2e' });
  office = enrolled.token;
  const set = (seq, kind, rid, fields) => ({
    schema: 1, seq, kind, id: rid, op: 'set', fields,
    hlc: { wall: 1_700_000_000_000 + seq, counter: 0, device: enrolled.device_id },
  });
  await api('/api/sync/push', {
    changes: [
      set(1, 'system', id(0x51), { name: '教育系统' }),
      set(2, 'unit', id(0x61), { system: id(0x51), name: '市教育局' }),
      set(3, 'branch', id(0x71), { unit: id(0x61), name: '机关支部' }),
      set(4, 'member', id(0x91), { name: '王秀英', branch: id(0x71), post_type: 'management', status: 'in_post' }),
      set(5, 'post', POST, { member: id(0x91), unit: id(0x61), name: '办证窗口' }),
    ],
  }, office);
  context = await launchPhone({ javaScriptEnabled: false });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
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
