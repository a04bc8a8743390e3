// Issue 5 (巡察), end to end at 390×844 against the real server: the office
// builds the org and imports a roster (preview, per-row errors, nothing
// stored before 确认); an inspector enrols with an invite, goes offline and
// records three checks at one unit in which one member misses each time:
// 当场指出, then 提出批评, then 警告 with the drafted notice (view, print,
// share); undo works while unsent. Back online, the office sees the unit's
// weekly tally chart and the system's ranking.
//
// Core's permission table lets an inspector write only spot checks and
// observations (scope.rs), so the roster is imported on the office's phone
// and reaches the inspector's phone by sync.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  adminCode, deviceToken, enroll, idb, mark, noSidewaysScroll, once, pushFromAnotherPhone, startCheck, syncNow, tab,
  tapTargets, until, uuid,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const shot = (name) => artifactPath('spot_checks', name);

let server;
let officeCtx;
let office;
let inspectorCtx;
let inspector;
const pageErrors = [];

before(async () => {
  server = await startServer();
  officeCtx = await launchPhone();
  office = officeCtx.pages()[0] ?? (await officeCtx.newPage());
  inspectorCtx = await launchPhone();
  await inspectorCtx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  inspector = inspectorCtx.pages()[0] ?? (await inspectorCtx.newPage());
  for (const [who, page] of [['office', office], ['inspector', inspector]]) {
    page.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`));
  }
});

after(async () => {
  await officeCtx?.close();
  await inspectorCtx?.close();
  await server?.stop();
});

const ROSTER = [
  '姓名,支部,岗位类型,状态',
  '王建国,机关第一党支部,领导岗位,在岗',
  '李秀英,机关第一党支部,管理岗位,',
  '张伟,机关第一党支部,研究岗位,在岗',
  '陈静,机关第二党支部,支撑岗位,流动党员',
  ',机关第一党支部,管理岗位,',
  '赵磊,机关第一党支部,厨师,',
  '张伟,机关第一党支部,研究岗位,',
].join('\n');

const buildOrg = once(async () => {
  await office.goto(`${server.base}/sync`);
  await enroll(office, await adminCode(server.dataDir), '办公室的手机');

  await tab(office, '巡察');
  await office.getByTestId('page-spot-checks').waitFor();
  await office.getByRole('link', { name: '名册管理' }).click();
  await office.getByTestId('page-roster').waitFor();
  const note = office.getByTestId('roster-note');

  // An empty name is refused next to the form, in Chinese.
  await office.getByTestId('add-system').getByRole('button', { name: '添加系统' }).click();
  await office.getByTestId('add-system').getByRole('alert').filter({ hasText: '名称不能为空' }).waitFor();
  await office.getByLabel('系统名称').fill('教育系统');
  await office.getByRole('button', { name: '添加系统' }).click();
  await note.filter({ hasText: '已添加：教育系统' }).waitFor();

  // The unit form's system is the one it shows (the first), untouched.
  for (const unit of ['市教育局', '市第一中学']) {
    const form = office.getByTestId('add-unit');
    await form.getByLabel('单位名称').fill(unit);
    await form.getByRole('button', { name: '添加单位' }).click();
    await note.filter({ hasText: `已添加：${unit}` }).waitFor();
    await office.getByTestId('roster-units').getByText(unit).waitFor();
  }

  // A form half filled in keeps its text while another form saves and the
  // screen reloads (as it does when a sync brings other phones' records).
  const insp = office.getByTestId('add-inspector');
  await insp.getByLabel('督导员姓名').fill('刘林恒');
  const group = office.getByTestId('add-group');
  await group.getByLabel('督导组名称').fill('第一督导组');
  await group.getByLabel('所属系统').selectOption({ label: '教育系统' });
  await group.getByRole('checkbox', { name: '市教育局' }).check();
  await group.getByRole('checkbox', { name: '市第一中学' }).check();
  await group.getByRole('button', { name: '添加督导组' }).click();
  await note.filter({ hasText: '已添加：第一督导组' }).waitFor();
  await insp.getByRole('option', { name: '第一督导组' }).waitFor({ state: 'attached' });
  assert.equal(await insp.getByLabel('督导员姓名').inputValue(), '刘林恒');
  await insp.getByLabel('所属督导组').selectOption({ label: '第一督导组' });
  await insp.getByRole('button', { name: '添加督导员' }).click();
  await note.filter({ hasText: '已添加：刘林恒' }).waitFor();
  await office.screenshot({ path: shot('01-office-roster.png'), fullPage: true });

  // 市教育局: import the CSV file.
  await office.getByTestId('roster-units').getByRole('link', { name: /市教育局/ }).click();
  await office.getByTestId('page-roster-unit').waitFor();
  await office.getByTestId('roster-file').setInputFiles({ name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from(ROSTER) });
  const preview = office.getByTestId('roster-preview');
  await preview.waitFor();
  assert.equal(await office.getByTestId('preview-count').textContent(), '可导入 4 人');
  const errors = await office.getByTestId('row-errors').locator('li').allTextContents();
  assert.deepEqual(errors, [
    '第6行：姓名不能为空',
    '第7行：岗位类型的取值“厨师”无法识别',
    '第8行：姓名中“张伟”重复',
  ]);
  assert.match(await preview.textContent(), /将新建支部：机关第一党支部、机关第二党支部/);
  // Nothing is stored before 确认.
  assert.equal((await idb(office, { kind: 'member' })).length, 0);
  assert.match(await office.getByTestId('roster-members').textContent(), /党员名册（0人）/);
  await office.screenshot({ path: shot('02-roster-preview.png'), fullPage: true });

  // While the preview is open, another office phone's branch of the same
  // name arrives by a background sync (the phone comes back online): the
  // screen reloads, and the preview stays, made again against the records
  // as they are now.
  // (That phone learnt of the unit from the server: the office's records are sent first.)
  await until('the office phone\'s records sent', async () => (await idb(office, {})).length === 0);
  const bureau = new URL(office.url()).pathname.split('/').pop();
  await pushFromAnotherPhone(server, await deviceToken(office), [
    ['branch', uuid(0xb1), { unit: bureau, name: '机关第一党支部' }],
  ]);
  await officeCtx.setOffline(true);
  await office.getByTestId('network-status').filter({ hasText: '离线' }).waitFor();
  await officeCtx.setOffline(false);
  await until('the pulled branch', async () => (await idb(office, { kind: 'branch' })).length === 1);
  await preview.locator('p.hint').filter({ hasText: /^将新建支部：机关第二党支部$/ }).waitFor();
  assert.equal(await office.getByTestId('preview-count').textContent(), '可导入 4 人');
  assert.equal(await office.getByTestId('row-errors').locator('li').count(), 3);

  await office.getByTestId('confirm-import').click();
  await office.getByTestId('roster-note').filter({ hasText: '已导入 4 名党员' }).waitFor({ timeout: 20000 });
  await office.getByTestId('roster-members').getByText('党员名册（4人）').waitFor();
  assert.equal((await idb(office, { kind: 'member' })).length, 4);
  assert.equal((await idb(office, { kind: 'branch' })).length, 2);
  // The same file again adds nobody: every row is already there.
  await office.getByTestId('roster-file').setInputFiles({ name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from(ROSTER) });
  await office.getByTestId('preview-count').filter({ hasText: '可导入 0 人' }).waitFor();
  assert.ok(await office.getByTestId('confirm-import').isDisabled());
  await office.getByRole('button', { name: '取消' }).click();
  await office.screenshot({ path: shot('03-roster-imported.png'), fullPage: true });

  // 市第一中学: one member by hand, in a new branch.
  await tab(office, '巡察');
  await office.getByRole('link', { name: '名册管理' }).click();
  await office.getByTestId('roster-units').getByRole('link', { name: /市第一中学/ }).click();
  const add = office.getByTestId('add-member');
  await add.getByLabel('姓名', { exact: true }).fill('周强');
  await add.getByRole('combobox', { name: /^支部/ }).selectOption({ label: '新支部…' });
  await add.getByLabel('新支部名称').fill('学校党支部');
  await add.getByLabel('岗位类型').selectOption({ label: '管理岗位' });
  await add.getByRole('button', { name: '添加党员' }).click();
  await office.getByTestId('roster-note').filter({ hasText: '已添加：周强' }).waitFor();
  await office.getByTestId('roster-members').getByText('周强').waitFor();

  await syncNow(office);
});
test('the office builds the org and imports a roster: preview, per-row errors, nothing before 确认', () => buildOrg());

const inspectorEnrols = once(async () => {
  await buildOrg();
  const device = await idb(office, { meta: 'device' });
  const [system] = await idb(office, { kind: 'system' });
  const res = await fetch(`${server.base}/api/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
    body: JSON.stringify({ role: 'inspector', scope: { level: 'system', id: system.id }, name: '刘林恒' }),
  });
  const invite = await res.json();
  assert.equal(res.status, 200, JSON.stringify(invite));

  await inspector.goto(invite.link.replace(/^https?:\/\/[^/]+/, server.base));
  await enroll(inspector, invite.code, '刘林恒的手机');
  assert.equal(await inspector.getByTestId('role').textContent(), '督导组');

  await tab(inspector, '巡察');
  const quota = inspector.getByTestId('quota');
  await quota.waitFor();
  assert.equal(await inspector.getByTestId('me-picker').count(), 0, 'the inspector record is found by name');
  const lines = await quota.locator('li').allTextContents();
  assert.deepEqual([...lines].sort(), ['市教育局0/2 次 未达标', '市第一中学0/2 次 未达标'].sort());
  assert.equal(await inspector.getByRole('link', { name: '名册管理' }).count(), 0, 'rosters are the office’s');
  await tapTargets(inspector.getByTestId('page-spot-checks').locator('.btn'), 'home');
  await inspector.screenshot({ path: shot('04-inspector-home.png'), fullPage: true });
});
test('an inspector enrols with an invite and is recognised by name', () => inspectorEnrols());

async function undoLast(page) {
  const note = page.getByTestId('check-note');
  for (let i = 0; i < 5; i++) {
    await page.getByRole('button', { name: '撤销' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=check-note]').textContent !== '');
    const text = await note.textContent();
    if (!text.includes('正在同步')) return text;
    await page.waitForTimeout(200);
  }
  throw new Error('undo kept meeting a sync session');
}

const STEPS = [
  { mode: '明查', step: '当场指出', n: 1 },
  { mode: '暗访', step: '提出批评', n: 2 },
  { mode: '暗访', step: '作出警告并在单位通报', n: 3 },
];

const threeChecks = once(async () => {
  await inspectorEnrols();
  await inspectorCtx.setOffline(true);
  await inspector.getByTestId('network-status').filter({ hasText: '离线' }).waitFor();
  for (const [i, { mode, step, n }] of STEPS.entries()) {
    await startCheck(inspector, '市教育局', mode, i === 0 ? shot('05-start-check.png') : null);
    assert.equal(await inspector.getByTestId('progress').textContent(), '已查 0/4');
    if (i === 0) {
      await tapTargets(inspector.locator('.spot-taps .btn'), 'member buttons');
      await noSidewaysScroll(inspector, 'member list at 390 px');
      await inspector.screenshot({ path: shot('06-member-list.png'), fullPage: true });
    }
    await mark(inspector, '王建国 佩戴');
    await mark(inspector, '李秀英 未佩戴');
    const panel = inspector.getByTestId('ladder-step');
    await panel.waitFor();
    assert.equal(await inspector.getByTestId('ladder-step-label').textContent(), step);
    assert.match(await panel.textContent(), new RegExp(`李秀英：第${n}次未佩戴`));
    if (i === 0) {
      await inspector.screenshot({ path: shot('07-ladder-point-out.png'), fullPage: false });
      // A wrong tap, taken back while unsent.
      await mark(inspector, '张伟 未佩戴');
      assert.equal(await undoLast(inspector), '已撤销 张伟 的标记');
      await inspector.getByRole('button', { name: '张伟 佩戴', exact: true }).waitFor();
      const outbox = await idb(inspector, {});
      const marks = (await idb(inspector, { kind: 'observation' })).length;
      assert.equal(marks, 2, 'the undone observation is gone from the phone');
      assert.equal(outbox.at(-1).seq, outbox.length, 'the outbox stays numbered without gaps');
      // 免查 needs a reason, said next to the field.
      await inspector.getByRole('button', { name: '陈静 其他', exact: true }).click();
      await inspector.getByRole('button', { name: '陈静 免查', exact: true }).click();
      await inspector.getByTestId('member-list').getByRole('alert').filter({ hasText: '原因不能为空' }).waitFor();
      await inspector.getByLabel('免查原因').fill('外出学习');
      await mark(inspector, '陈静 免查');
    } else {
      await mark(inspector, '陈静 佩戴');
    }
    if (i === 1) await inspector.screenshot({ path: shot('08-ladder-criticise.png'), fullPage: false });
    await mark(inspector, '张伟 佩戴');
    assert.equal(await inspector.getByTestId('progress').textContent(), '已查 4/4');
    if (n === 3) {
      assert.match(await panel.textContent(), /已根据记录起草单位通报/);
      await inspector.screenshot({ path: shot('09-ladder-warning.png'), fullPage: false });
      await inspector.getByTestId('view-notice').click();
      const notice = inspector.getByTestId('notice');
      await notice.waitFor();
      assert.equal(await notice.locator('h2').textContent(), '关于李秀英同志未按要求佩戴党徽的通报');
      const text = await notice.textContent();
      assert.match(text, /市教育局全体党员/);
      assert.match(text, /共3次未按要求佩戴党徽/);
      assert.match(text, /现对李秀英同志作出警告，并在全单位通报/);
      await inspector.getByTestId('share-notice').click();
      await inspector.getByRole('status').filter({ hasText: /^(已复制到剪贴板|已分享)$/ }).waitFor();
      await inspector.screenshot({ path: shot('10-notice.png'), fullPage: true });
      await inspector.emulateMedia({ media: 'print' });
      assert.equal(await inspector.locator('.app-header').isVisible(), false, 'print shows only the notice');
      assert.equal(await inspector.locator('.tabbar').isVisible(), false);
      assert.equal(await notice.isVisible(), true);
      await inspector.screenshot({ path: shot('11-notice-print.png'), fullPage: true });
      await inspector.emulateMedia({ media: 'screen' });
      await inspector.goBack();
      await inspector.getByTestId('member-list').waitFor();
    }
    await inspector.getByTestId('finish-check').click();
    await inspector.getByTestId('summary').waitFor();
    assert.equal(await inspector.getByTestId('sum-checked').textContent(), '4');
    assert.equal(await inspector.getByTestId('sum-misses').textContent(), '1');
    assert.equal(await inspector.getByTestId('sum-warnings').textContent(), n === 3 ? '1' : '0');
    assert.equal(await inspector.getByTestId('sum-rate').textContent(), i === 0 ? '66.7%' : '75.0%');
    if (n === 3) await inspector.screenshot({ path: shot('12-summary.png'), fullPage: true });
  }
  // A visit to the other unit, so the system has two ranked units.
  await startCheck(inspector, '市第一中学', '暗访');
  await mark(inspector, '周强 佩戴');
  assert.equal(await inspector.getByTestId('progress').textContent(), '已查 1/1');

  // Still offline: everything waits in the outbox, nothing was lost.
  const observations = await idb(inspector, { kind: 'observation' });
  assert.equal(observations.length, 13);
  assert.ok(observations.every((r) => r.confirmed === false));
  assert.equal((await idb(inspector, {})).length, 4 + 13);
  await tab(inspector, '巡察');
  await inspector.getByTestId('quota').locator('li').first().waitFor();
  const quota = await inspector.getByTestId('quota').locator('li').allTextContents();
  assert.ok(quota.includes('市教育局3/2 次'), quota.join(' | '));
  assert.ok(quota.includes('市第一中学1/2 次 未达标'), quota.join(' | '));
});
test('offline: three checks, 李秀英 misses each time: 当场指出, 提出批评, 警告 with the notice', () => threeChecks());

test('back online, the office sees the unit’s tally and the ranking', async () => {
  await threeChecks();
  await inspectorCtx.setOffline(false);
  await syncNow(inspector);
  // An undo after the sync is refused: the facts stand.
  await tab(inspector, '巡察');
  await inspector.getByTestId('recent-checks').getByRole('link').first().click();
  await inspector.getByTestId('member-list').waitFor();
  assert.equal(await undoLast(inspector), '已同步，无法撤销');
  assert.equal((await idb(inspector, { kind: 'observation' })).length, 13);

  await syncNow(office);
  await tab(office, '巡察');
  await office.getByRole('link', { name: '排名与统计' }).click();
  const ranking = office.getByTestId('system-ranking');
  await ranking.waitFor();
  assert.match(await ranking.locator('h3').textContent(), /教育系统/);
  const rows = await ranking.getByTestId('rank-row').allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /^1市第一中学.*100\.0%$/);
  assert.match(rows[1], /^2市教育局.*末位.*72\.7%$/);
  await noSidewaysScroll(office, 'ranking');
  await office.screenshot({ path: shot('13-office-ranking.png'), fullPage: true });

  await ranking.getByRole('link', { name: '市教育局' }).click();
  await office.getByTestId('page-unit').waitFor();
  const chart = office.getByTestId('rate-chart');
  assert.match(await chart.getAttribute('aria-label'), /市教育局各周党徽佩戴率：.*72\.7%/);
  assert.equal(await chart.locator('circle').count(), 1);
  assert.equal(await office.getByTestId('unit-rate').textContent(), '72.7%');
  assert.equal(await office.getByTestId('unit-warnings').textContent(), '1');
  const steps = await office.getByTestId('unit-steps').locator('li').allTextContents();
  assert.equal(steps.length, 1);
  assert.match(steps[0], /李秀英.*未佩戴3次 · 作出警告并在单位通报.*查看通报/);
  await noSidewaysScroll(office, 'unit page');
  await office.screenshot({ path: shot('14-office-unit.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
