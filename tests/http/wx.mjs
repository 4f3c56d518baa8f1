// Helpers of the WeChat tests: a private fake WeChat server per test file (so fault knobs and
// records never mix with the stack's own fake server), a derived configuration that points
// the client at it, and the command-line client ca-wxctl / ca-notify --once.
import { spawn, execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = process.env.CA_ROOT ?? '/work/main';
export const build = process.env.CA_BUILD ?? `${root}/var/build`;
export const testConf = process.env.CA_TEST_CONF ?? `${root}/etc/chargeasset.hdf`;

/** A value of the HDF configuration written in block form (WeChat.appid …). */
export function confValue(file, key) {
  const stack = [];
  let found = null;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line === '}') { stack.pop(); continue; }
    let m = line.match(/^([\w.]+)\s*\{$/);
    if (m) { stack.push(m[1]); continue; }
    m = line.match(/^([\w.]+)\s*=\s*(.*)$/);
    if (m && [...stack, m[1]].join('.') === key) found = m[2];
  }
  return found;
}

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fake WeChat server of our own on a free loopback port. */
export async function fakeWechat() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fake = {
    port, url, proc: null,
    async start() {
      this.proc = spawn(process.execPath, [`${root}/tests/fake-wechat/server.mjs`, '--port', String(port)], {
        env: { ...process.env, FAKE_WX_APPID: confValue(testConf, 'WeChat.appid'), FAKE_WX_SECRET: confValue(testConf, 'WeChat.secret') },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      this.log = '';
      this.proc.stdout.on('data', (d) => { this.log += d; });
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`${url}/__fake/health`)).ok) return this;
        } catch { /* not up yet */ }
        await sleep(50);
      }
      throw new Error('fake WeChat server did not start');
    },
    async stop() {
      if (!this.proc) return;
      const p = this.proc;
      this.proc = null;
      await new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); });
    },
    async ctl(method, path, body) {
      const r = await fetch(`${url}/__fake/${path}`, {
        method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const j = await r.json();
      if (!r.ok) throw new Error(`fake ${path}: ${JSON.stringify(j)}`);
      return j;
    },
    fault(f) { return this.ctl('POST', 'faults', f); },
    config(c) { return this.ctl('POST', 'config', c); },
    reset() { return this.ctl('POST', 'reset', {}); },
    async requests(route, since = 0) {
      return (await this.ctl('GET', `requests?since=${since}${route ? `&route=${route}` : ''}`)).requests;
    },
    async delivered(kind, since = 0) {
      return (await this.ctl('GET', `delivered?since=${since}${kind ? `&kind=${kind}` : ''}`)).delivered;
    },
  };
  return fake.start();
}

/** The test configuration with WeChat.* overridden (later HDF assignments win). */
export function deriveConf(overrides) {
  const dir = mkdtempSync(join(tmpdir(), 'ca-wx-'));
  const file = join(dir, 'wx.hdf');
  const extra = Object.entries(overrides).map(([k, v]) => `${k} = ${v}`).join('\n');
  writeFileSync(file, `${readFileSync(testConf, 'utf8')}\n${extra}\n`, { mode: 0o600 });
  return file;
}

/** Run a program of the build; resolves {code, stdout, stderr} (never rejects). */
export function run(prog, args) {
  return new Promise((resolve) => {
    execFile(`${build}/cgi/${prog}`, args, { encoding: 'utf8', timeout: 120000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

export const wxctl = (conf, ...args) => run('ca-wxctl', ['--config', conf, ...args]);
export const notifyOnce = (conf) => run('ca-notify', ['--config', conf, '--once']);
export { sleep };
