// Issue 17 (学习), end to end at 390×844 against the real server: a branch
// cadre records a session offline with attendance for 30 members and a
// 补课 for the two absentees, then syncs; the office sees 参学率 and hours
// per unit and the 两个确保 with names; an inspector reviews two units'
// 转段评估 point by point and signs both; the office approves one and
// orders 补课 for the other. Screenshots land in test-artifacts/study/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  enrolledPhone, noSidewaysScroll, once, seedOrg, serverLog, syncNow, tab, tapTargets, until, uuid as id,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const SYSTEM = id(0x51);
const UNIT_A = id(0x61);
const UNIT_B = id(0x62);
const BRANCH_A = id(0x71);
const BRANCH_B = id(0x72);
const GROUP = id(0xa1);
const LEADER = id(0xa2);
const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏';
const GIVEN = ['建国', '秀英', '志强', '桂兰', '海燕'];
/** 30 members in post in branch A, one abroad (excused), three in B. */
const MEMBERS_A = [...SURNAMES].slice(0, 30).map((s, i) => [id(0x100 + i), s + GIVEN[i % GIVEN.length]]);
const ABROAD = id(0x1ff);

let server;
let seed;
const phones = [];
const problems = [];

const shot = (page, name) => page.screenshot({ path: artifactPath('study', `${name}.png`), fullPage: true });

async function phone(role, scope, name) {
  const context = await launchPhone({ timezoneId: 'Asia/Shanghai' });
  const page = await enrolledPhone(server, seed, context, { role, scope, name, problems });
  phones.push({ context, page });
  return { context, page };
}

async function serverHas(kind, n) {
  await until(`${n} ${kind} on the server`, async () => (await serverLog(server.base, seed)).filter((c) => c.kind === kind).length >= n);
}

before(async () => {
  server = await startServer();
  seed = await seedOrg(server, [
    ['system', SYSTEM, { name: '教育系统' }],
    ['unit', UNIT_A, { system: SYSTEM, name: '市教育局' }],
    ['unit', UNIT_B, { system: SYSTEM, name: '市第一中学' }],
    ['branch', BRANCH_A, { unit: UNIT_A, name: '机关支部' }],
    ['branch', BRANCH_B, { unit: UNIT_B, name: '一中支部' }],
    ...MEMBERS_A.map(([mid, name]) => ['member', mid, { name, branch: BRANCH_A, post_type: 'management', status: 'in_post' }]),
    ['member', ABROAD, { name: '欧阳明', branch: BRANCH_A, post_type: 'other', status: 'abroad' }],
    ['member', id(0x201), { name: '高峰', branch: BRANCH_B, post_type: 'other', status: 'in_post' }],
    ['member', id(0x202), { name: '林静', branch: BRANCH_B, post_type: 'other', status: 'in_post' }],
    ['inspection_group', GROUP, { name: '第一督导组', system: SYSTEM, units: [UNIT_A, UNIT_B] }],
    ['inspector', LEADER, { name: '刘林恒', group: GROUP }],
  ]);
});

after(async () => {
  for (const { page } of phones) await page.screenshot({ path: artifactPath('study', `last-${phones.indexOf(phones.find((p) => p.page === page))}.png`), fullPage: true }).catch(() => {});
  for (const { context } of phones) await context.close().catch(() => {});
  await server?.stop();
  assert.deepEqual(problems, [], 'no page errors');
});

/** The cadre's session and its make-up, recorded offline, then synced. */
const cadreRecords = once(async () => {
  const { context, page } = await phone('cadre', { level: 'branch', id: BRANCH_A }, '机关支部书记');
  await tab(page, '学习');
  await page.getByTestId('page-study').waitFor();
  await page.getByTestId('study-figures').waitFor();
  await context.setOffline(true);
  await page.getByRole('link', { name: '记一次学习' }).click();
  await page.getByTestId('session-form').waitFor();
  await page.getByLabel('学时（小时，可带一位小数）').fill('八');
  await page.getByLabel('学习内容或主题').fill('学习党章');
  await page.getByRole('button', { name: '保存并记考勤' }).click();
  await page.getByRole('alert').filter({ hasText: '学时' }).waitFor();
  assert.match(new URL(page.url()).pathname, /^\/study\/new$/, 'nothing stored, still on the form');
  await page.getByLabel('学时（小时，可带一位小数）').fill('8');
  await shot(page, '1-new-session');
  await page.getByRole('button', { name: '保存并记考勤' }).click();
  await page.waitForURL(/\/study\/session\/[0-9a-f-]{36}$/);
  const list = page.getByTestId('member-list');
  await list.waitFor();
  // 31 on the list (the member abroad too, marked as excused).
  assert.equal(await list.locator('li').count(), 31);
  await tapTargets(list.locator('button'), 'attendance buttons');
  const absent = new Set([MEMBERS_A[3][0], MEMBERS_A[17][0]]);
  let taps = 0;
  for (const [mid] of MEMBERS_A) {
    const row = list.locator(`li[data-member="${mid}"]`);
    await row.locator(`button[data-status="${absent.has(mid) ? 'absent' : 'present'}"]`).click();
    taps += 1;
    await page.waitForFunction((n) => document.querySelector('[data-testid="member-list"]').dataset.persisted === String(n), taps);
  }
  // A wrong tap is put right by tapping again (a later fact supersedes).
  const fixed = list.locator(`li[data-member="${MEMBERS_A[0][0]}"]`);
  await fixed.locator('button[data-status="excused_leave"]').click();
  await fixed.locator('button[data-status="present"]').click();
  await page.getByTestId('progress').filter({ hasText: '30/31' }).waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-testid="member-list"]').dataset.persisted === String(n), taps + 2);
  assert.equal(await fixed.locator('button[data-status="present"]').getAttribute('aria-pressed'), 'true', 'the newest tap shows');
  await noSidewaysScroll(page, 'attendance');
  await shot(page, '2-attendance');

  // 补课 for the two absentees: they come first on its list.
  await page.getByRole('link', { name: '记补课' }).click();
  await page.getByTestId('session-form').waitFor();
  assert.notEqual(await page.getByRole('combobox', { name: /^所补课次/ }).inputValue(), '', 'the missed session is chosen');
  await page.getByLabel('学时（小时，可带一位小数）').fill('2');
  await page.getByRole('button', { name: '保存并记考勤' }).click();
  await page.waitForURL(/\/study\/session\/[0-9a-f-]{36}$/);
  const first = await page.getByTestId('member-list').locator('li').evaluateAll((li) => li.slice(0, 2).map((x) => x.dataset.member));
  assert.deepEqual(new Set(first), absent, 'those who owe the session first');
  for (const mid of absent) {
    await page.locator(`li[data-member="${mid}"] button[data-status="present"]`).click();
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="member-list"]').dataset.persisted === '2');
  await shot(page, '3-make-up');

  // The branch's figures, still offline: everyone expected took part.
  await page.getByRole('link', { name: '完成' }).click();
  await page.getByTestId('fig-participation').filter({ hasText: '30/30' }).waitFor();
  await page.getByRole('link', { name: '成员学习情况' }).click();
  await page.getByTestId('two-ensures').waitFor();
  await shot(page, '4-members');
  await page.getByTestId('study-member-list').getByRole('link', { name: new RegExp(MEMBERS_A[3][1]) }).click();
  await page.getByTestId('member-misses').filter({ hasText: '已于' }).waitFor();
  await page.getByTestId('member-hours').filter({ hasText: '2/40' }).waitFor();
  // 三个完成 and a suggestion for this member.
  await page.getByTestId('check-form').getByLabel('已完成规定学习内容').check();
  await page.getByLabel('学习笔记字数').fill('12000');
  await page.getByLabel('心得体会字数（没有填0）').fill('3200');
  await page.getByRole('button', { name: '保存检查结果' }).click();
  await page.getByRole('alert').filter({ hasText: '心得体会日期' }).waitFor();
  await page.getByLabel('心得体会日期').fill('2026-11-20');
  await page.getByRole('button', { name: '保存检查结果' }).click();
  // Saved: the member's figures redraw with it.
  await page.getByText('3200字').waitFor();
  await page.getByLabel('建议内容摘要').fill('学习时间安排在下班后');
  await page.getByRole('button', { name: '保存建言' }).click();
  await page.getByTestId('member-owes').filter({ hasText: '差38学时' }).filter({ hasNotText: '未建言' }).waitFor();
  await shot(page, '5-member');
  // The member abroad is excused, but the branch may bring them the study.
  await page.getByRole('link', { name: '返回' }).click();
  await page.getByTestId('study-member-list').getByRole('link', { name: /欧阳明/ }).click();
  await page.getByTestId('delivery-form').waitFor();
  await page.getByRole('combobox', { name: /^送学方式/ }).selectOption('mailed');
  await page.getByRole('button', { name: '记送学' }).click();
  await page.getByText('已送学1次').waitFor();

  await context.setOffline(false);
  await syncNow(page);
  await serverHas('study_session', 2);
  await serverHas('attendance', 34);
  await serverHas('study_check', 1);
  await serverHas('suggestion', 1);
  await serverHas('study_delivery', 1);
});

/** An inspector reviews and signs units A (one point not met) and B (three). */
const inspectorReviews = once(async () => {
  const { page } = await phone('inspector', { level: 'system', id: SYSTEM }, '刘林恒');
  for (const [unit, unmet] of [[UNIT_A, [4]], [UNIT_B, [2, 3, 4]]]) {
    await page.goto(`${server.base}/study/transition`);
    await page.getByTestId('transition-units').waitFor();
    await page.goto(`${server.base}/study/transition/${unit}`);
    await page.getByTestId('stage').filter({ hasText: '未评估' }).waitFor();
    await page.getByRole('link', { name: '开始评估' }).click();
    const form = page.getByTestId('review-form');
    await form.waitFor();
    const points = form.locator('li.study-point');
    assert.equal(await points.count(), 20, 'the default checklist has 20 points');
    for (let i = 0; i < 20; i += 1) {
      const point = points.nth(i);
      if (unmet.includes(i)) await point.getByLabel('情况说明').fill('学时不足');
      else await point.getByRole('checkbox').check();
    }
    if (unit === UNIT_A) await shot(page, '6-review-form');
    await page.getByRole('button', { name: '保存评估' }).click();
    await page.waitForURL(new RegExp(`/study/transition/${unit}$`));
    await page.getByTestId('stage').filter({ hasText: '待签字' }).waitFor();
    await page.getByTestId('current-review').filter({ hasText: `达标${20 - unmet.length}/20项` }).waitFor();
    await page.getByTestId('sign-off-form').getByRole('button', { name: '签字把关' }).click();
    await page.getByTestId('stage').filter({ hasText: '待审批' }).waitFor();
    await page.getByTestId('signed').filter({ hasText: '刘林恒' }).waitFor();
    assert.equal(await page.getByTestId('decision-form').count(), 0, 'an inspector does not decide');
  }
  await shot(page, '7-signed');
  await syncNow(page);
  await serverHas('transition_review', 2);
  await serverHas('transition_sign_off', 2);
});

test('a branch cadre records a session offline: 30 members one tap each, a 补课 for two absentees, 三个完成, a suggestion', async () => {
  await cadreRecords();
});

test('an inspector reviews two units point by point and signs both', async () => {
  await inspectorReviews();
});

test('the office sees 参学率 and hours per unit, approves one unit and orders 补课 for the other', async () => {
  await cadreRecords();
  await inspectorReviews();
  const { page } = await phone('office', { level: 'city' }, '先教办');
  await tab(page, '学习');
  const units = page.getByTestId('study-units');
  await units.waitFor();
  const unitA = units.getByRole('link', { name: /市教育局/ });
  // 30 of 30 expected took part (the member abroad is excused); hours per
  // member: (28 × 8 + 2 × 2) / 30 = 7.6 (the absentees made up 2 of 8 hours).
  await unitA.filter({ hasText: '30/30' }).waitFor();
  await unitA.filter({ hasText: '人均7.6小时' }).waitFor();
  await unitA.filter({ hasText: '待审批' }).waitFor();
  await noSidewaysScroll(page, 'study home');
  await shot(page, '8-office-home');
  await unitA.click();
  await page.getByTestId('fig-hours-per-member').filter({ hasText: '7.6小时' }).waitFor();
  await page.getByTestId('fig-excused').filter({ hasText: '出国1' }).waitFor();
  // 两个确保: everyone took part; nobody reached 40 hours, each named.
  await page.getByTestId('ensure-all').filter({ hasText: '100' }).waitFor();
  await page.getByTestId('below-hours').filter({ hasText: `${MEMBERS_A[3][1]}（差38小时）` }).waitFor();
  await shot(page, '9-office-unit');

  // Approve unit A.
  await page.getByTestId('unit-transition').click();
  await page.getByTestId('decision-form').waitFor();
  await page.getByRole('button', { name: '保存决定' }).click();
  await page.getByTestId('stage').filter({ hasText: '已转段' }).waitFor();
  // Order 补课 for unit B, on the points not met (chosen already).
  await page.goto(`${server.base}/study/transition/${UNIT_B}`);
  await page.getByTestId('decision-form').waitFor();
  await page.getByText('责令补课', { exact: true }).click();
  const picked = page.locator('.study-points-pick input[type="checkbox"]');
  assert.equal(await picked.count(), 20);
  assert.deepEqual(
    await picked.evaluateAll((boxes) => boxes.map((b, i) => (b.checked ? i : -1)).filter((i) => i >= 0)),
    [2, 3, 4],
  );
  await shot(page, '10-decision');
  await page.getByRole('button', { name: '保存决定' }).click();
  await page.getByTestId('stage').filter({ hasText: '需补课' }).waitFor();
  assert.equal(await page.getByTestId('make-up-owed').locator('li').count(), 3);
  await shot(page, '11-make-up-ordered');
  await syncNow(page);
  await serverHas('transition_decision', 2);
  // The settings screen: the office's targets and checklist, versioned.
  await page.goto(`${server.base}/study/settings`);
  await page.getByTestId('settings-form').waitFor();
  await page.getByTestId('checklist-form').waitFor();
  await shot(page, '12-settings');
});
