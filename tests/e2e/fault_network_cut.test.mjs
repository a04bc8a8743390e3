// Issue 12, a fault on the phone: the network cut in the middle of a push
// and in the middle of a pull, against the real server. Push: the request
// lost on the way, the answer lost after the server committed, the answer
// cut off mid-body, the server killed while it handles the request (and
// started again). Pull, over a log of several pages (another phone's
// checks): the first page's request lost, the second page's answer lost,
// the second page's answer cut off mid-body. Each time the phone keeps
// what is unacknowledged and what it applied stays whole; the next sync
// completes; nothing is lost or doubled — on the server (its change log)
// and on the phone (its records, pulled pages included).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  MEMBER_NAMES, ORG, api, assertOnce, assertWhole, idb, localState, mark, officePhone, seedUnitOrg, serverLog, startCheck,
  syncNow, tab, until, uuid,
} from './app.mjs';
import { artifactPath, launchPhone, startServer } from './harness.mjs';

let server;
let admin;
let context;
let page;
/** Another office phone, over the API: it writes what the phone pulls. */
let other;
let otherSeq = 0;
/** Marks this phone has made so far (each push test adds three). */
let marksMade = 0;

before(async () => {
  server = await startServer();
  admin = await seedUnitOrg(server);
  const invite = await api(server.base, '/api/invites', { role: 'office', scope: { level: 'city' }, name: '另一部手机' }, admin);
  other = await api(server.base, '/api/enroll', { code: invite.code, device_name: '另一部手机' });
  context = await launchPhone({ timezoneId: 'Asia/Shanghai' });
  page = await officePhone(server, admin, context);
});

after(async () => {
  await context?.close();
  await server?.stop();
});

/**
 * Starts a sync (`start`) whose `n`-th request to `url` goes through `cut`
 * (a Playwright route handler): the ones before pass, the ones after fail
 * as if offline until the returned `heal` is called. Resolves once the
 * faulted session has ended with its error shown.
 */
async function faultedSync(url, n, cut, start) {
  let hits = 0;
  let healed = false;
  await page.route(url, async (route) => {
    hits += 1;
    if (healed || hits < n) return route.continue();
    if (hits === n) return cut(route);
    return route.abort('internetdisconnected');
  });
  await start();
  await until(`the cut on ${url}`, () => hits >= n);
  await page.getByTestId('sync-error').waitFor({ timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  return async () => {
    healed = true;
    await page.unroute(url);
  };
}

const lostOnTheWay = (route) => route.abort('connectionreset');
const lostAnswer = async (route) => {
  await route.fetch();
  await route.abort('connectionreset');
};
const cutMidBody = async (route) => {
  const answer = await route.fetch();
  const body = await answer.text();
  assert.equal(answer.status(), 200, body);
  await route.fulfill({ status: 200, contentType: 'application/json', body: body.slice(0, Math.floor(body.length / 2)) });
};
/** The server dies while it handles the request (committed or not: either must do). */
const serverKilled = async (route) => {
  const sent = route.fetch().catch(() => null);
  await new Promise((r) => setTimeout(r, 2));
  server.child.kill('SIGKILL');
  await sent;
  await route.abort('connectionreset');
};

/** Each cut, and whether the server has the batch after it (`null`: either). */
const PUSH_CUTS = [
  ['the request lost on the way', lostOnTheWay, false],
  ['the answer lost after the server committed', lostAnswer, true],
  ['the answer cut off mid-body', cutMidBody, true],
  ['the server killed while handling it', serverKilled, null],
];

for (const [i, [what, cut, committed]] of PUSH_CUTS.entries()) {
  test(`push: ${what} — the next sync completes, nothing lost or doubled`, async () => {
    await context.setOffline(true);
    await startCheck(page, '市教育局', i % 2 ? '暗访' : '明查');
    const [a, b, c] = MEMBER_NAMES.slice(3 * i, 3 * i + 3);
    await mark(page, `${a} 佩戴`);
    await mark(page, `${b} 佩戴`);
    await mark(page, `${c} 未佩戴`);
    marksMade += 3;
    const queued = await localState(page);
    assertWhole(queued, 'queued');
    assert.equal(queued.outbox.length, 4, 'the check and three marks');
    await tab(page, '同步');

    const heal = await faultedSync('**/api/sync/push', 1, cut, () => context.setOffline(false));
    const kept = await localState(page);
    assertWhole(kept, `${what}: kept`);
    assert.deepEqual(kept.outbox, queued.outbox, `${what}: unacknowledged changes stay, as they were`);
    await page.screenshot({ path: artifactPath('faults', `push-cut-${i + 1}.png`), fullPage: true });
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      server = await startServer({ dataDir: server.dataDir, port: server.port });
    }
    if (committed !== null) {
      const has = (await serverLog(server.base, admin)).filter((c) => c.kind === 'spot_check' && c.id === queued.outbox[0].id);
      assert.equal(has.length, committed ? 1 : 0, `${what}: the fault landed ${committed ? 'after' : 'before'} the commit`);
    }
    await heal();

    await syncNow(page);
    assert.equal((await localState(page)).outbox.length, 0, `${what}: everything acknowledged`);
    const log = await serverLog(server.base, admin);
    for (const c of queued.outbox) {
      assert.equal(log.filter((x) => x.kind === c.kind && x.id === c.id).length, 1, `${what}: ${c.kind} ${c.id} once`);
    }
    const mine = log.filter((c) => c.kind === 'observation' && c.hlc.device !== other.device_id).map((c) => c.id);
    assertOnce(mine, 'observation on the server');
    assert.equal(mine.length, marksMade, `${what}: every mark so far, once`);
    const phone = (await idb(page, { kind: 'observation' })).map((o) => o.id);
    assert.deepEqual([...assertOnce(phone, 'observation on the phone')].sort(), [...mine].sort());
  });
}

/**
 * Another phone records `checks` checks of all 20 members at 市教育局
 * (21 facts each), pushed 500 changes at a time: more than a pull page.
 */
async function otherPhoneRecords(checks, from) {
  const changes = [];
  for (let c = 0; c < checks; c++) {
    const check = uuid(0x100000 + from + c);
    changes.push(['spot_check', check, {
      id: check, inspector: ORG.inspector, group: ORG.group, place: { kind: 'unit', unit: ORG.unit },
      at: `2026-11-${String(10 + (c % 10)).padStart(2, '0')}T09:${String(c % 60).padStart(2, '0')}:00+08:00`,
      mode: 'announced',
    }]);
    for (let m = 0; m < 20; m++) {
      const id = uuid(0x200000 + (from + c) * 32 + m);
      changes.push(['observation', id, { id, check, member: ORG.member(m), outcome: { kind: m % 7 ? 'wearing' : 'not_wearing' } }]);
    }
  }
  for (let i = 0; i < changes.length; i += 500) {
    await api(server.base, '/api/sync/push', {
      changes: changes.slice(i, i + 500).map(([kind, id, record]) => {
        otherSeq += 1;
        return { schema: 1, seq: otherSeq, kind, id, op: 'insert', record, hlc: { wall: 1_764_000_000_000 + otherSeq, counter: 0, device: other.device_id } };
      }),
    }, other.token);
  }
  return changes.length;
}

const PULL_CUTS = [
  ['the first page’s request lost', 1, lostOnTheWay],
  ['the second page’s answer lost', 2, lostAnswer],
  ['the second page’s answer cut off mid-body', 2, cutMidBody],
];

for (const [i, [what, n, cut]] of PULL_CUTS.entries()) {
  test(`pull: ${what} — the next sync completes, nothing lost or doubled`, async () => {
    await syncNow(page);
    const cursor = (await idb(page, { meta: 'cursor' })) ?? 0;
    const had = (await idb(page, { kind: 'observation' })).length;
    const added = await otherPhoneRecords(57, i * 57);
    assert.ok(added > 1000, 'more than one page');
    const heal = await faultedSync('**/api/sync/pull', n, cut,
      () => page.getByRole('button', { name: '立即同步' }).click());
    const midway = (await idb(page, { meta: 'cursor' })) ?? 0;
    assert.ok(midway >= cursor, `${what}: the cursor never goes back`);
    if (n === 1) assert.equal(midway, cursor, `${what}: nothing applied`);
    else assert.ok(midway > cursor, `${what}: the first page applied, its cursor saved`);
    const partial = (await idb(page, { kind: 'observation' })).map((o) => o.id);
    assertOnce(partial, `${what}: observation on the phone mid-way`);
    assert.ok(n === 1 ? partial.length === had : partial.length > had, `${what}: what was applied is there`);
    assertWhole(await localState(page), `${what}: mid-way`);
    await heal();

    await syncNow(page);
    const log = await serverLog(server.base, admin);
    const phone = (await idb(page, { kind: 'observation' })).map((o) => o.id);
    const onServer = log.filter((c) => c.kind === 'observation').map((c) => c.id);
    assert.deepEqual([...assertOnce(phone, `${what}: observation on the phone`)].sort(), [...new Set(onServer)].sort(),
      `${what}: the phone has every observation of the server, once`);
    const checks = (await idb(page, { kind: 'spot_check' })).map((c) => c.id);
    assertOnce(checks, `${what}: spot check on the phone`);
    assert.equal(checks.length, new Set(log.filter((c) => c.kind === 'spot_check').map((c) => c.id)).size);
  });
}
