// Issue 4 end to end, with the real server and two Chromium profiles as two
// phones: the office's phone and an inspector's phone both enroll, go
// offline, record (spot checks on both, a new unit on the office's), come
// back online and converge to the same records and the same derived numbers
// (ladder steps, ranking). Then the server is killed in the middle of a
// push — after it committed, before the phone heard the answer — and
// restarted: nothing lost, nothing doubled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  enrolledPhone, idb, mark, once, seedOrg, serverLog, startCheck, syncNow, tab, until, uuid,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const shot = (page, name) => page.screenshot({ path: artifactPath('sync', name), fullPage: true });

const SYSTEM = uuid(0x401);
const BUREAU = uuid(0x411);
const SCHOOL = uuid(0x412);
const GROUP = uuid(0x421);

/**
 * Kinds both phones may read, compared record by record. (Inspector records
 * are not: the office's own, made at its first check, belongs to no group,
 * so it lies outside the inspector's system scope and stays off that phone.)
 */
const SHARED_KINDS = ['system', 'unit', 'branch', 'member', 'inspection_group', 'spot_check', 'observation'];

let server;
let admin;
const contexts = [];
let office;
let inspector;
const problems = [];

before(async () => {
  server = await startServer();
  admin = await seedOrg(server, [
    ['system', SYSTEM, { name: '教育系统' }],
    ['unit', BUREAU, { system: SYSTEM, name: '市教育局' }],
    ['unit', SCHOOL, { system: SYSTEM, name: '市第一中学' }],
    ['branch', uuid(0x431), { unit: BUREAU, name: '机关党支部' }],
    ['branch', uuid(0x432), { unit: SCHOOL, name: '学校党支部' }],
    ['member', uuid(0x441), { name: '王建国', branch: uuid(0x431), post_type: 'leadership', status: 'in_post' }],
    ['member', uuid(0x442), { name: '李秀英', branch: uuid(0x431), post_type: 'management', status: 'in_post' }],
    ['member', uuid(0x443), { name: '周强', branch: uuid(0x432), post_type: 'management', status: 'in_post' }],
    ['inspection_group', GROUP, { name: '第一督导组', system: SYSTEM, units: [BUREAU, SCHOOL] }],
    ['inspector', uuid(0x451), { name: '刘林恒', group: GROUP }],
  ]);
  for (let i = 0; i < 2; i++) contexts.push(await launchPhone({ timezoneId: 'Asia/Shanghai' }));
});

after(async () => {
  for (const context of contexts) await context.close();
  await server?.stop();
});

/** Record ids per kind on a phone, and whether every one is confirmed by the server. */
async function phoneRecords(page) {
  const out = {};
  for (const kind of SHARED_KINDS) {
    const records = await idb(page, { kind });
    out[kind] = records.map((r) => r.id).sort();
    assert.ok(records.every((r) => r.confirmed), `${kind}: every record confirmed`);
  }
  return out;
}

/** What the phone derives: the system's ranking rows and 市教育局's member steps. */
async function derived(page) {
  await tab(page, '巡察');
  await page.getByRole('link', { name: '排名与统计' }).click();
  const ranking = page.getByTestId('system-ranking');
  await ranking.waitFor();
  const rows = await ranking.getByTestId('rank-row').allTextContents();
  await ranking.getByRole('link', { name: '市教育局' }).click();
  await page.getByTestId('unit-steps').waitFor();
  const steps = await page.getByTestId('unit-steps').locator('li').allTextContents();
  return { rows, rate: await page.getByTestId('unit-rate').textContent(), steps };
}

const bothEnroll = once(async () => {
  office = await enrolledPhone(server, admin, contexts[0], {
    role: 'office', scope: { level: 'city' }, name: '办公室', problems,
  });
  inspector = await enrolledPhone(server, admin, contexts[1], {
    role: 'inspector', scope: { level: 'system', id: SYSTEM }, name: '刘林恒', problems,
  });
  assert.equal(await inspector.getByTestId('role').textContent(), '督导组');
  // Both received the org chart on their first sync.
  assert.deepEqual(await phoneRecords(office), await phoneRecords(inspector));
});
test('both phones enroll: the office’s and an inspector’s', () => bothEnroll());

const bothRecord = once(async () => {
  await bothEnroll();
  for (const context of contexts) await context.setOffline(true);
  await office.getByTestId('network-status').filter({ hasText: '离线' }).waitFor();

  // The inspector: two checks at 市教育局, 李秀英 misses both times.
  await startCheck(inspector, '市教育局', '明查');
  await mark(inspector, '王建国 佩戴');
  await mark(inspector, '李秀英 未佩戴');
  assert.equal(await inspector.getByTestId('ladder-step-label').textContent(), '当场指出');
  await inspector.getByTestId('finish-check').click();
  await inspector.getByTestId('summary').waitFor();
  await startCheck(inspector, '市教育局', '暗访');
  await mark(inspector, '王建国 佩戴');
  await mark(inspector, '李秀英 未佩戴');
  assert.equal(await inspector.getByTestId('ladder-step-label').textContent(), '提出批评');
  await inspector.getByTestId('finish-check').click();
  await inspector.getByTestId('summary').waitFor();

  // The office: a check at 市第一中学 and a new unit, both offline.
  await startCheck(office, '市第一中学', '暗访');
  await mark(office, '周强 佩戴');
  await office.getByTestId('finish-check').click();
  await office.getByTestId('summary').waitFor();
  await tab(office, '巡察');
  await office.getByRole('link', { name: '名册管理' }).click();
  const addUnit = office.getByTestId('add-unit');
  await addUnit.getByLabel('所属系统').selectOption({ label: '教育系统' });
  await addUnit.getByLabel('单位名称').fill('市第二中学');
  await addUnit.getByRole('button', { name: '添加单位' }).click();
  await office.getByTestId('roster-note').filter({ hasText: '已添加：市第二中学' }).waitFor();
  await shot(office, '01-office-offline.png');

  assert.equal((await idb(inspector, {})).length, 2 + 4, 'the inspector’s outbox: 2 checks, 4 marks');
  const officeKinds = (await idb(office, {})).map((c) => c.kind);
  assert.deepEqual(officeKinds, ['inspector', 'spot_check', 'observation', 'unit'],
    'the office’s outbox: its inspector record (first check), the check, the mark, the unit');

  for (const context of contexts) await context.setOffline(false);
  await syncNow(office);
  await syncNow(inspector);
  await syncNow(office); // takes what the inspector sent after the office's first session

  const records = await phoneRecords(office);
  assert.deepEqual(records, await phoneRecords(inspector), 'both phones hold the same records');
  assert.equal(records.spot_check.length, 3);
  assert.equal(records.observation.length, 5);
  assert.equal(records.unit.length, 3);
  assert.equal((await idb(office, { kind: 'inspector' })).length, 2, 'the office holds its own inspector record too');
  assert.equal((await idb(inspector, { kind: 'inspector' })).length, 1, 'outside the inspector’s scope');

  const numbers = await derived(office);
  await shot(office, '02-office-unit.png');
  assert.deepEqual(await derived(inspector), numbers, 'both phones derive the same numbers');
  await shot(inspector, '03-inspector-unit.png');
  assert.equal(numbers.rows.length, 2);
  assert.match(numbers.rows[0], /^1市第一中学.*100\.0%$/);
  assert.match(numbers.rows[1], /^2市教育局.*50\.0%$/);
  assert.equal(numbers.rate, '50.0%');
  assert.equal(numbers.steps.length, 1);
  assert.match(numbers.steps[0], /李秀英.*未佩戴2次 · 提出批评/);
});
test('offline, both record; back online, both converge to the same records and numbers', () => bothRecord());

test('the server killed in the middle of a push and restarted: nothing lost, nothing doubled', async () => {
  await bothRecord();
  await contexts[1].setOffline(true);
  await startCheck(inspector, '市教育局', '暗访');
  await mark(inspector, '王建国 佩戴');
  await mark(inspector, '李秀英 未佩戴');
  assert.equal(await inspector.getByTestId('ladder-step-label').textContent(), '作出警告并在单位通报');
  await inspector.getByTestId('finish-check').click();
  await inspector.getByTestId('summary').waitFor();
  const unsent = (await idb(inspector, {})).length;
  assert.equal(unsent, 3);

  // The push reaches the server and is committed; the server dies before
  // the answer reaches the phone.
  let killed = false;
  await inspector.route('**/api/sync/push', async (route) => {
    if (killed) return route.abort('connectionrefused');
    await route.fetch();
    server.child.kill('SIGKILL');
    killed = true;
    await route.abort('connectionreset');
  });
  await contexts[1].setOffline(false);
  await tab(inspector, '同步');
  await inspector.getByTestId('sync-status').waitFor();
  await inspector.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  if (!killed) await inspector.getByRole('button', { name: '立即同步' }).click();
  await until('the server killed mid-push', () => killed);
  await inspector.getByTestId('sync-error').waitFor();
  assert.equal((await idb(inspector, {})).length, unsent, 'unacknowledged changes stay in the outbox');
  assert.equal(await inspector.getByTestId('unsent').textContent(), `${unsent} 条`);
  await shot(inspector, '04-server-killed.png');
  await inspector.unroute('**/api/sync/push');

  server = await startServer({ dataDir: server.dataDir, port: server.port });
  await syncNow(inspector);
  assert.equal((await idb(inspector, {})).length, 0, 'the outbox is empty once the server acknowledged');
  await shot(inspector, '05-after-restart.png');

  const log = await serverLog(server.base, admin);
  for (const kind of ['spot_check', 'observation']) {
    const ids = log.filter((c) => c.kind === kind).map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, `${kind}: no fact logged twice`);
  }
  assert.equal(log.filter((c) => c.kind === 'spot_check').length, 4, 'every check exactly once');
  assert.equal(log.filter((c) => c.kind === 'observation').length, 7, 'every mark exactly once');

  await syncNow(office);
  const records = await phoneRecords(office);
  assert.deepEqual(records, await phoneRecords(inspector));
  assert.equal(records.observation.length, 7);
  const numbers = await derived(office);
  assert.deepEqual(await derived(inspector), numbers);
  assert.match(numbers.steps[0], /李秀英.*未佩戴3次 · 作出警告并在单位通报/);
  assert.equal(numbers.rate, '50.0%');
  await shot(office, '06-office-converged.png');
  assert.deepEqual(problems, []);
});
