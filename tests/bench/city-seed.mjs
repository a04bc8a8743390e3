// Seeds a running server with core's city of the documents (~139,000
// records, see core/src/city.rs) through the API a phone uses, and makes
// the enrollment links of its three users (office, inspector, cadre).
//
// Why through /api/sync/push and not a server flag: the records are then
// validated, placed, authorized and logged exactly as a phone's are, so a
// phone's first sync pulls the same log it would in real life.
//
// How: `xianfeng-city` (tests/tools/city.rs) prints the city as NDJSON —
// a header line, then one `{"kind","id","value"}` per record, parents
// first. A seeding device enrolls with the one-time administrator code
// (`POST /api/enroll`) and pushes every record as its changes 1, 2, 3…
// (mutable records as `op:"set"` of all their fields, facts as
// `op:"insert"`) in batches of at most 500 changes (core's MAX_BATCH) and
// 3.5 MB (the server takes 4 MiB), waiting out a 429. Invites are then
// made with its office token (`POST /api/invites`).
//
// Used by tests/bench/city.bench.mjs; also a command for a server you run
// yourself (a fresh data directory: the admin code must be unused):
//
//   node tests/bench/city-seed.mjs --base http://127.0.0.1:8080 --data ./data [--scale N]
//
// Env: XIANFENG_CITY_BIN (default target/server/xianfeng-city).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CITY_BIN = process.env.XIANFENG_CITY_BIN ?? path.join(ROOT, 'target/server/xianfeng-city');

/** Core's MAX_BATCH (changes per push). */
const BATCH = 500;
/** Under the server's MAX_SYNC_BODY_BYTES (4 MiB). */
const MAX_BODY = 3.5 * 1024 * 1024;

/** `YYYY-MM-DD` on this machine's calendar (the phones' too: same machine). */
export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** POSTs JSON; waits out 429s (Retry-After); any other non-200 throws. */
async function post(base, pathname, body, token) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 429 && attempt < 30) {
      const wait = Number(res.headers.get('retry-after') ?? 1);
      await new Promise((r) => setTimeout(r, Math.max(1, wait) * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`${pathname}: HTTP ${res.status}: ${text.slice(0, 800)}`);
    return JSON.parse(text);
  }
}

/** A record line as the seeding device's change number `seq`. */
function change(record, seq, device, wall) {
  const head = { schema: 1, seq, kind: record.kind, id: record.id, hlc: { wall, counter: seq, device } };
  if (record.fact) return { ...head, op: 'insert', record: record.value };
  const { id: _id, ...fields } = record.value;
  return { ...head, op: 'set', fields };
}


/**
 * Builds the city with `xianfeng-city` and pushes it to `base`, enrolling
 * with `adminCode`. Resolves to `{ city, token, records, seconds, invite }`:
 * `city` is the tool's header (users, scopes, visible counts, the big
 * unit), `invite(user)` makes a fresh enrollment link for `city.office`,
 * `city.inspector` or `city.cadre`.
 */
export async function seedCity({ base, adminCode, today = localDate(), scale = 1, log = () => {} }) {
  const started = Date.now();
  const admin = await post(base, '/api/enroll', { code: adminCode, device_name: 'city-seed' });
  const tool = spawn(CITY_BIN, ['--today', today, '--scale', String(scale)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let toolErr = '';
  tool.stderr.on('data', (d) => { toolErr += d; });
  const exited = new Promise((resolve, reject) => {
    tool.on('error', (e) => reject(new Error(`cannot run ${CITY_BIN}: ${e.message}`)));
    tool.on('exit', (code) => resolve(code));
  });

  let city;
  let seq = 0;
  let batch = [];
  let bytes = 0;
  let lastLog = Date.now();
  const wall = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const body = `{"changes":[${batch.join(',')}]}`;
    const answer = await post(base, '/api/sync/push', body, admin.token);
    // `seq`: the number of the batch's last change.
    if (answer.last_seq !== seq) throw new Error(`push acknowledged ${answer.last_seq}, sent up to ${seq}`);
    batch = [];
    bytes = 0;
    if (Date.now() - lastLog > 10000) {
      lastLog = Date.now();
      log(`pushed ${seq} of ${city.records} records (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  for await (const line of readline.createInterface({ input: tool.stdout, crlfDelay: Infinity })) {
    if (!line) continue;
    const parsed = JSON.parse(line);
    if (!city) {
      city = parsed.city;
      log(`city of ${today} (scale 1/${scale}): ${city.records} records; office sees ${city.office.visible}, `
        + `inspector ${city.inspector.visible}, cadre ${city.cadre.visible}`);
      continue;
    }
    const text = JSON.stringify(change(parsed, seq + 1, admin.device_id, wall));
    if (batch.length === BATCH || bytes + text.length > MAX_BODY) await flush();
    batch.push(text);
    bytes += text.length + 1;
    seq += 1;
  }
  await flush();
  const code = await exited;
  if (code !== 0) throw new Error(`${CITY_BIN} exited ${code}: ${toolErr}`);
  if (!city || seq !== city.records) throw new Error(`pushed ${seq} records, the city has ${city?.records}`);
  const seconds = (Date.now() - started) / 1000;
  log(`seeded ${seq} records in ${seconds.toFixed(1)} s`);

  const invite = async (user) => {
    const made = await post(base, '/api/invites', { role: user.role, scope: user.scope, name: user.name }, admin.token);
    return made.link;
  };
  return { city, token: admin.token, records: seq, seconds, invite };
}

// As a command: seed a server you started, print the three links.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { adminCode } = await import('../e2e/app.mjs');
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const base = arg('base', 'http://127.0.0.1:8080').replace(/\/$/, '');
  const code = arg('code') ?? (await adminCode(arg('data', './data')));
  const log = (...a) => console.error('[city seed]', ...a);
  const seeded = await seedCity({ base, adminCode: code, scale: Number(arg('scale', 1)), log });
  for (const role of ['office', 'inspector', 'cadre']) {
    console.log(`${role} ${await seeded.invite(seeded.city[role])}`);
  }
}
