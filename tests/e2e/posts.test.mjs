// Issue 6 (示范岗), end to end at 390×844 against the real server: an office
// phone registers a post, files and keeps its commitment, enters two paper
// reviews (评议人数不足), a third offline (a grade appears), an inspector's
// check (优秀, the breakdown, the 党员示范岗 award and the award list);
// the name plate prints with its QR code; a person reviews through the
// public page and the phone pulls it; an inspector's three badge misses
// (a warning) take the award away; the office's new rubric version asks
// for more reviews. Screenshots land in test-artifacts/posts/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api as apiAt, enrolledPhone, noSidewaysScroll, once, seedOrg, serverLog, syncNow, until, uuid as id,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const SYSTEM = id(0x51);
const UNIT = id(0x61);
const BRANCH = id(0x71);
const MEMBER = id(0x91);
const OTHER = id(0x92);
const GROUP = id(0xa1);
const INSPECTOR = id(0xa2);

let server;
let seed; // the administrator's token, used to seed the roster and read the log
let context;
let page;
let postId;
const problems = [];

const api = (pathname, body, token) => apiAt(server.base, pathname, body, token);

/** Waits until the server holds `n` records of `kind`. */
async function serverHas(kind, n) {
  await until(`${n} ${kind} on the server`, async () => (await serverLog(server.base, seed)).filter((c) => c.kind === kind).length >= n);
}

const grade = () => page.getByTestId('grade');

before(async () => {
  server = await startServer();
  seed = await seedOrg(server, [
    ['system', SYSTEM, { name: '教育系统' }],
    ['unit', UNIT, { system: SYSTEM, name: '市教育局' }],
    ['branch', BRANCH, { unit: UNIT, name: '机关支部' }],
    ['member', MEMBER, { name: '王秀英', branch: BRANCH, post_type: 'management', status: 'in_post' }],
    ['member', OTHER, { name: '李建国', branch: BRANCH, post_type: 'support', status: 'in_post' }],
    ['inspection_group', GROUP, { name: '第一督导组', system: SYSTEM, units: [UNIT] }],
    ['inspector', INSPECTOR, { name: '刘林恒', group: GROUP }],
  ]);
  context = await launchPhone({ timezoneId: 'Asia/Shanghai' });
  page = await enrolledPhone(server, seed, context, {
    role: 'office', scope: { level: 'city' }, name: '先教办', problems,
  });
});

after(async () => {
  // The last screen, whatever happened (helps when a step fails).
  await page?.screenshot({ path: artifactPath('posts', 'last.png'), fullPage: true }).catch(() => {});
  await context?.close();
  await server?.stop();
});

const registerPost = once(async () => {
  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '示范岗' }).click();
  await page.getByTestId('page-posts').waitFor();
  await page.getByText('还没有示范岗').waitFor();
  await page.getByRole('link', { name: '登记示范岗' }).click();
  await page.getByTestId('page-post-register').waitFor();
  // The only unit is chosen already.
  assert.equal(await page.getByLabel('单位').inputValue(), UNIT);
  await page.getByLabel('党员').selectOption({ label: '王秀英' });
  await page.getByLabel('岗位名称').fill('办证窗口');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: '服务承诺不能为空' }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/posts\/new$/, 'nothing stored, still on the form');
  await page.getByLabel('服务承诺').fill('一次告知，限时办结，让群众少跑路');
  await page.screenshot({ path: artifactPath('posts', '1-register.png'), fullPage: true });
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL(/\/posts\/[0-9a-f-]{36}$/);
  postId = new URL(page.url()).pathname.split('/').pop();
  assert.equal(await page.getByTestId('post-name').textContent(), '办证窗口');
  assert.equal(await page.getByTestId('post-holder').textContent(), '王秀英 · 市教育局');
  assert.equal(await page.getByTestId('promise').textContent(), '一次告知，限时办结，让群众少跑路');
  // No commitment and no reviews yet.
  assert.equal(await grade().textContent(), '评议人数不足（0/3人）');
  assert.match(await page.getByTestId('score').textContent(), /不得授予：未提交个人承诺/);
  await serverHas('post', 1);
});
test('the office registers a post; bad input is refused next to the field', () => registerPost());

const fileCommitment = once(async () => {
  await registerPost();
  const form = page.getByTestId('commitment-form');
  await form.getByRole('button', { name: '提交承诺' }).click();
  await page.getByRole('alert').filter({ hasText: '承诺事项至少要有一项' }).waitFor();
  await page.getByLabel('承诺事项').fill('群众来访一次告知、限时办结\n\n每月开展一次便民服务\n');
  await form.getByRole('button', { name: '提交承诺' }).click();
  const items = page.getByTestId('commitment-items');
  await items.waitFor();
  assert.equal(await items.locator('li').count(), 2);
  await page.getByLabel('群众来访一次告知、限时办结').selectOption({ label: '已兑现' });
  await page.getByLabel('每月开展一次便民服务').selectOption({ label: '已兑现' });
  await until('both items kept', async () => {
    const values = await items.locator('select').evaluateAll((els) => els.map((e) => e.value));
    return values.join() === 'kept,kept';
  });
  // Both items kept: the commitment line counts 100 %.
  await page.getByTestId('breakdown').locator('tbody tr').first().filter({ hasText: '100.00%' }).waitFor();
  assert.doesNotMatch(await page.getByTestId('score').textContent(), /未提交个人承诺/);
});
test('the commitment is filed and kept', () => fileCommitment());

async function enterReview(label, reviewer, comment) {
  const form = page.getByTestId('review-form');
  await form.getByLabel(label, { exact: true }).check();
  if (reviewer) await form.getByLabel('评议人（可不填）').fill(reviewer);
  if (comment) await form.getByLabel('意见或建议（可不填）').fill(comment);
  await form.getByRole('button', { name: '保存评议' }).click();
  await form.getByText('评议已保存').waitFor();
}

const threeReviews = once(async () => {
  await fileCommitment();
  // A rating must be chosen.
  await page.getByTestId('review-form').getByRole('button', { name: '保存评议' }).click();
  await page.getByRole('alert').filter({ hasText: '请选择评价' }).waitFor();
  await enterReview('很满意', '张大爷', '办事快，态度好');
  await page.getByTestId('review-count').filter({ hasText: '本期 1 人评议（至少需要 3 人）' }).waitFor();
  await enterReview('很满意');
  await page.getByTestId('review-count').filter({ hasText: '本期 2 人评议' }).waitFor();
  assert.equal(await grade().textContent(), '评议人数不足（2/3人）');
  await page.getByTestId('no-award').waitFor();
  await page.screenshot({ path: artifactPath('posts', '2-not-enough-reviews.png'), fullPage: true });

  await context.setOffline(true);
  await page.getByTestId('qr-offline').waitFor();
  await enterReview('很满意', '李阿姨');
  await page.getByTestId('review-count').filter({ hasText: '本期 3 人评议' }).waitFor();
  // Commitment 100 % × 40 + reviews 100 % × 40, no check yet: 80 → 合格.
  await grade().filter({ hasText: /^合格$/ }).waitFor();
  assert.equal(await page.getByTestId('total').textContent(), '80.00');
  assert.ok(await page.getByTestId('reviews').getByText('未同步').count() >= 1, 'the offline review is marked unsent');
  await page.screenshot({ path: artifactPath('posts', '3-graded-offline.png'), fullPage: true });
  await context.setOffline(false);
  await page.getByTestId('plate-qr').waitFor();
  await serverHas('public_review', 3);
});
test('two paper reviews are not enough; a third, entered offline, gives a grade', () => threeReviews());

const inspectorCheck = once(async () => {
  await threeReviews();
  const form = page.getByTestId('check-form');
  assert.equal(await form.getByLabel('督导员').inputValue(), INSPECTOR);
  await form.getByLabel('佩戴党徽').check();
  await form.getByLabel('挂牌（亮明身份）').check();
  await form.getByRole('button', { name: '保存检查' }).click();
  await page.getByRole('alert').filter({ hasText: '请选择服务情况' }).waitFor();
  await form.getByLabel('好', { exact: true }).check();
  await form.getByRole('button', { name: '保存检查' }).click();
  await form.getByText('检查已保存').waitFor();
  await grade().filter({ hasText: /^优秀$/ }).waitFor();
  const rows = await page.getByTestId('breakdown').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  assert.deepEqual(rows, [
    ['承诺兑现（2项）', '100.00%', '40', '40.00'],
    ['群众评议（3项）', '100.00%', '40', '40.00'],
    ['督导检查（1项）', '100.00%', '20', '20.00'],
  ]);
  assert.equal(await page.getByTestId('total').textContent(), '100.00');
  assert.equal(await page.getByTestId('award').textContent(), '★ 授予“党员示范岗”称号');
  assert.match(await page.getByTestId('score').textContent(), /评分标准第1版/);
  assert.equal(await page.getByTestId('disqualifier').count(), 0);
  assert.match(await page.getByTestId('checks').textContent(), /佩戴党徽 · 挂牌服务 · 服务：好.*刘林恒/);
  await noSidewaysScroll(page, 'posts');
  for (const button of await page.locator('[data-testid=page-post] .btn').all()) {
    const box = await button.boundingBox();
    if (box) assert.ok(box.height >= 48, `tap target ${JSON.stringify(box)}`);
  }
  await page.screenshot({ path: artifactPath('posts', '4-excellent-award.png'), fullPage: true });

  await page.getByRole('navigation', { name: '主要栏目' }).getByRole('link', { name: '示范岗' }).click();
  const row = page.getByTestId('post-list').getByRole('link', { name: /办证窗口/ });
  assert.match(await row.textContent(), /王秀英 · 市教育局.*优秀/);
  await page.getByRole('link', { name: '示范岗名单' }).click();
  const system = page.getByTestId('award-system');
  await system.waitFor();
  assert.match(await system.textContent(), /^教育系统 1 个市教育局办证窗口 · 王秀英$/);
  await page.screenshot({ path: artifactPath('posts', '5-award-list.png'), fullPage: true });
  await serverHas('post_check', 1);
});
test("an inspector's check: 优秀, the explained breakdown and the award", () => inspectorCheck());

const namePlate = once(async () => {
  await inspectorCheck();
  await page.goto(`${server.base}/posts/${postId}`);
  const qr = page.getByTestId('plate-qr');
  await qr.waitFor();
  assert.equal(await qr.getAttribute('src'), `/r/${postId}/qr.svg`);
  assert.equal(await qr.getAttribute('alt'), '群众评议二维码');
  await page.waitForFunction(() => document.querySelector('[data-testid=plate-qr]').naturalWidth > 0);
  await page.getByRole('link', { name: '打印挂牌' }).click();
  const sheet = page.getByTestId('plate-sheet');
  await sheet.waitFor();
  assert.match(await sheet.textContent(), /办证窗口王秀英市教育局服务承诺：一次告知，限时办结，让群众少跑路/);
  await page.waitForFunction(() => document.querySelector('[data-testid=plate-qr]').naturalWidth > 0);
  await page.screenshot({ path: artifactPath('posts', '6-plate.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.tabbar').isVisible(), false, 'the tab bar is not printed');
  assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false);
  await page.screenshot({ path: artifactPath('posts', '7-plate-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
});
test('the name plate prints with the QR code of the public review page', () => namePlate());

const publicReview = once(async () => {
  await namePlate();
  const visitor = await launchPhone({ javaScriptEnabled: false, timezoneId: 'Asia/Shanghai' });
  try {
    const review = visitor.pages()[0] ?? (await visitor.newPage());
    const res = await review.goto(`${server.base}/r/${postId}`);
    assert.equal(res.status(), 200);
    await review.getByText('很满意', { exact: true }).click();
    await review.getByLabel('意见或建议（可不填）').fill('窗口服务热情');
    await new Promise((r) => setTimeout(r, 3500)); // the form refuses answers within 3 s
    await review.getByRole('button', { name: '提交评议' }).click();
    await review.getByRole('heading', { name: '谢谢您的评议！' }).waitFor();
  } finally {
    await visitor.close();
  }
  await syncNow(page, `${server.base}/posts/${postId}`);
  await page.getByTestId('review-count').filter({ hasText: '本期 4 人评议' }).waitFor();
  assert.match(await page.getByTestId('reviews').textContent(), /窗口服务热情/);
  await grade().filter({ hasText: /^优秀$/ }).waitFor();
  await page.getByTestId('award').waitFor();
});
test('a review through the public page arrives on the phone like any other', () => publicReview());

const badgeWarning = once(async () => {
  await publicReview();
  const invite = await api('/api/invites', { role: 'inspector', scope: { level: 'system', id: SYSTEM }, name: '刘林恒' }, seed);
  const inspector = await api('/api/enroll', { code: invite.code, device_name: '督导组手机' });
  const now = Date.now();
  const changes = [];
  let seq = 0;
  for (let i = 0; i < 3; i++) {
    const check = id(0xc1 + i);
    const hlc = () => ({ wall: now + seq, counter: 0, device: inspector.device_id });
    changes.push({
      schema: 1, seq: ++seq, kind: 'spot_check', id: check, hlc: hlc(), op: 'insert',
      record: {
        id: check, inspector: INSPECTOR, group: GROUP, place: { kind: 'unit', unit: UNIT },
        at: new Date(now - (3 - i) * 3600_000).toISOString(), mode: 'unannounced',
      },
    });
    changes.push({
      schema: 1, seq: ++seq, kind: 'observation', id: id(0xd1 + i), hlc: hlc(), op: 'insert',
      record: { id: id(0xd1 + i), check, member: MEMBER, outcome: { kind: 'not_wearing' } },
    });
  }
  await api('/api/sync/push', { changes }, inspector.token);
  await syncNow(page, `${server.base}/posts/${postId}`);
  await page.getByTestId('no-award').waitFor();
  assert.equal(await grade().textContent(), '优秀', 'the grade stands; the title does not');
  assert.equal(await page.getByTestId('disqualifier').textContent(), '不得授予：佩戴党徽受到警告');
  assert.equal(await page.getByTestId('award').count(), 0);
  await page.screenshot({ path: artifactPath('posts', '8-warning-no-award.png'), fullPage: true });
  await page.goto(`${server.base}/posts/awards`);
  await page.getByTestId('awards-empty').waitFor();
});
test("an inspector's badge warning (three misses) takes the award away", () => badgeWarning());

test("the office's new rubric version asks for five reviews", async () => {
  await badgeWarning();
  await page.goto(`${server.base}/posts/rubric`);
  const form = page.getByTestId('rubric-form');
  await form.waitFor();
  await form.getByLabel('承诺兑现').fill('50');
  await form.getByRole('button', { name: '保存为新版本' }).click();
  await page.getByRole('alert').filter({ hasText: '评分权重之和应为100（现为110）' }).waitFor();
  await form.getByLabel('承诺兑现').fill('40');
  await form.getByLabel('最少评议人数').fill('5');
  await form.getByRole('button', { name: '保存为新版本' }).click();
  await page.getByTestId('rubric-version').first().filter({ hasText: /第2版.*制定.*起施行.*本期施行/ }).waitFor();
  assert.match(await page.getByTestId('rubric-versions').textContent(), /第1版（默认）/);
  await page.screenshot({ path: artifactPath('posts', '9-rubric.png'), fullPage: true });
  await page.goto(`${server.base}/posts/${postId}`);
  await grade().filter({ hasText: '评议人数不足（4/5人）' }).waitFor();
  assert.match(await page.getByTestId('score').textContent(), /评分标准第2版/);
  await serverHas('rubric', 1);
  assert.deepEqual(problems, []);
});
