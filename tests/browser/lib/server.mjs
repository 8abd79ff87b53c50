// A throw-away registry with the sample corpus, and `styrdok serve` on it.
import { execFile, spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes a temporary registry (`styrdok init` + `styrdok import CORPUS`); returns its folder.
 * With `templates`, the registry's styrdok.ini points the server at that templates folder.
 */
export async function makeRegistry(binary, corpus, { templates } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'styrdok-browser-'));
  const data = path.join(dir, 'registry');
  try {
    await run(binary, ['init', '--data', data]);
    await run(binary, ['import', '--data', data, '--author', 'Test', '--email', 'test@exempelby.se',
      '--message', 'Exempelsamling', corpus]);
    if (templates) await appendFile(path.join(data, 'styrdok.ini'), `\n[site]\ntemplates = ${templates}\n`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not make the registry: ${error.message}\n${error.stderr ?? ''}`);
  }
  return { dir, data };
}

/**
 * Adds an account to the registry with `styrdok user add NAME --role ROLE --email EMAIL`, the
 * password on standard input.
 */
export function addUser(binary, data, { name, role, email, password }) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['user', 'add', name, '--role', role, '--email', email, '--data', data],
      { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`styrdok user add ${name} exited with ${code}: ${stderr}`))));
    child.stdin.end(`${password}\n`);
  });
}

/**
 * Starts `styrdok serve --port 0` and resolves, once it prints "styrdok: serving URL", to
 * { url, stop() }. stop() sends SIGTERM and waits for the exit (SIGKILL after 10 s).
 */
export function startServer(binary, data, { today, timeoutMs = 30000 } = {}) {
  const args = ['serve', '--data', data, '--port', '0', '--bind', '127.0.0.1'];
  if (today) args.push('--today', today);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 20000) stderr = stderr.slice(-20000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`styrdok serve had exited (${child.exitCode ?? child.signalCode}) before the end of the tests\n${stderr}`);
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    if (signal === 'SIGKILL') throw new Error('styrdok serve did not stop on SIGTERM within 10 s');
    if (code !== 0 && signal !== 'SIGTERM') {
      throw new Error(`styrdok serve exited with ${code ?? signal} on SIGTERM\n${stderr}`);
    }
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`styrdok serve printed no "serving" line within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /styrdok: serving (http:\/\/[^\s/]+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], stop, stderr: () => stderr });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${binary}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`styrdok serve exited (${code ?? signal}) before serving\n${stderr}`));
    });
  });
}
