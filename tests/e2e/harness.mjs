// Shared end-to-end harness: starts the real server binary on a free port
// with a fresh SQLite data dir, and real headless Chromium (Debian's) through
// playwright-core at a phone viewport. Every test stops what it started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const APP_DIR = process.env.XIANFENG_APP_DIR ?? path.join(ROOT, 'dist');
// The server's debug build: `cargo test` builds it for the server's own
// integration tests (the test command runs that first), so the end-to-end
// run does not compile the server a second time in the optimized profile.
const SERVER_BIN = process.env.XIANFENG_SERVER_BIN ?? path.join(ROOT, 'target/debug/xianfeng-server');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export { APP_DIR };
export const PHONE = { width: 390, height: 844 };

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const made = [];
// Browser profiles and data dirs go when the test file's process ends
// (a data dir outlives one server: a test restarts the server on it).
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xf-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Starts the real server (`args`: extra flags, e.g. `--demo`); resolves once /api/health answers. */
export async function startServer({ dataDir = tempDir('data'), port, appDir = APP_DIR, args = [] } = {}) {
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(SERVER_BIN, [...args, '--listen', `127.0.0.1:${port}`, '--data', dataDir, '--app-dir', appDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, port, dataDir, child,
    log: () => log,
    /** SIGTERM and wait for a clean exit. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A fresh browser profile (its own IndexedDB, cache and service worker), or
 * the profile in `profile` (a directory an earlier `launchPhone` used: the
 * same phone, its browser started again); the context's `profile` says where.
 */
export async function launchPhone({ profile = tempDir('profile'), ...opts } = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...opts,
  });
  context.profile = profile;
  return context;
}

export function artifactPath(group, name) {
  const dir = path.join(ARTIFACTS, group);
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf) {
  const sig = '89504e470d0a1a0a';
  if (buf.subarray(0, 8).toString('hex') !== sig) throw new Error('not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
