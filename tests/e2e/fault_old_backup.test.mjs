// Issue 12, a fault on the phone: a backup from an older app version
// imported. `fixtures/backup-2026-11-21.json` was written by the release of
// 2026-11-21 (IndexedDB schema 2, before pulled facts were kept a page at
// a time; see `fixtures/make-old-backup.mjs`): the office's phone had
// synced one check and recorded another offline (three marks) and a new
// member, unsent. Restored on a fresh phone enrolled with today's app
// against the same office's server, every record is there, the unsent
// work is queued again as this phone's and synced once; a second import
// adds nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ORG, api, assertOnce, assertWhole, idb, localState, officePhone, once, seedUnitOrg, serverLog, syncNow, tab,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

const FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/backup-2026-11-21.json');
const backup = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
const unsent = backup.records.filter((r) => !r.confirmed);
/** The facts it had synced, a check before its marks (as they reached the server). */
const synced = backup.records.filter((r) => r.confirmed && r.fact)
  .sort((a, b) => (a.kind === 'spot_check' ? 0 : 1) - (b.kind === 'spot_check' ? 0 : 1));

let server;
let admin;
let context;
let page;
const problems = [];

before(async () => {
  server = await startServer();
  admin = await seedUnitOrg(server);
  // The office's server as the old phone left it: it had the check the
  // phone synced (pushed here by another device of the office's).
  const invite = await api(server.base, '/api/invites', { role: 'office', scope: { level: 'city' }, name: '旧手机' }, admin);
  const old = await api(server.base, '/api/enroll', { code: invite.code, device_name: '旧手机' });
  await api(server.base, '/api/sync/push', {
    changes: synced.map((r, i) => ({
      schema: 1, seq: i + 1, kind: r.kind, id: r.id, op: 'insert', record: r.fact,
      hlc: { wall: 1_763_700_000_000 + i, counter: 0, device: old.device_id },
    })),
  }, old.token);
  context = await launchPhone({ timezoneId: 'Asia/Shanghai' });
  page = await officePhone(server, admin, context);
  page.on('pageerror', (e) => problems.push(e.message));
});

after(async () => {
  await context?.close();
  await server?.stop();
});

async function importBackup() {
  await tab(page, '同步');
  const note = page.getByTestId('backup-note');
  const before = await note.textContent();
  await page.getByTestId('import-backup').setInputFiles(FIXTURE);
  await page.waitForFunction((b) => {
    const text = document.querySelector('[data-testid=backup-note]').textContent;
    return text !== '' && text !== b;
  }, before);
  return note.textContent();
}

test('the fixture is an older version’s backup: format 1, from the 2026-11-21 release, with unsent work', () => {
  assert.equal(backup.format, 'xianfeng-backup');
  assert.equal(backup.version, 1);
  assert.equal(backup.meta.device.token, undefined, 'no token in a backup');
  assert.deepEqual(unsent.map((r) => r.kind).sort(), ['member', 'observation', 'observation', 'observation', 'spot_check']);
  assert.equal(backup.outbox.length, 5);
  assert.equal(synced.length, 3, 'the synced check and its two marks');
});

const importedOnce = once(async () => {
  const text = await importBackup();
  const skipped = backup.records.length - unsent.length;
  assert.equal(text, `导入 ${unsent.length} 条，跳过 ${skipped} 条，待上传 ${unsent.length} 条`);
  await page.screenshot({ path: artifactPath('faults', 'old-backup-imported.png'), fullPage: true });

  // Every record of the file is on the phone (the org and the synced check
  // by the phone's own first sync, the rest by the import).
  for (const kind of new Set(backup.records.map((r) => r.kind))) {
    const ids = assertOnce((await idb(page, { kind })).map((r) => r.id), `${kind} on the phone`);
    for (const r of backup.records.filter((x) => x.kind === kind)) assert.ok(ids.has(r.id), `${kind} ${r.id} on the phone`);
  }
  const queued = await localState(page);
  assertWhole(queued, 'after the import');

  await syncNow(page);
  assert.equal((await localState(page)).outbox.length, 0, 'everything sent');
  const log = await serverLog(server.base, admin);
  for (const r of unsent) {
    assert.equal(log.filter((c) => c.kind === r.kind && c.id === r.id).length, 1, `${r.kind} ${r.id} on the server once`);
  }
  const observations = log.filter((c) => c.kind === 'observation');
  assertOnce(observations.map((c) => c.id), 'observation on the server');
  assert.equal(observations.length, 5);
  const member = log.find((c) => c.kind === 'member' && c.fields?.name === '郑新');
  assert.ok(member, 'the new member reached the server');

  // The screens show it: the new member on the unit's roster.
  await page.goto(`${server.base}/spot-checks/roster/${ORG.unit}`);
  await page.getByTestId('roster-members').getByText('郑新').waitFor();
});
test('imported on a fresh phone: every record there, the unsent work queued and synced once', () => importedOnce());

test('the same file again adds nothing', async () => {
  await importedOnce();
  const before = await serverLog(server.base, admin);
  const text = await importBackup();
  assert.equal(text, `导入 0 条，跳过 ${backup.records.length} 条，待上传 0 条`);
  assert.equal((await localState(page)).outbox.length, 0);
  await syncNow(page);
  assert.equal((await serverLog(server.base, admin)).length, before.length, 'nothing new on the server');
  assert.deepEqual(problems, []);
});
