#!/usr/bin/env node
// Browser tests of the web UI: headless Chromium (Debian's) driven by playwright-core, on a
// throw-away registry with the sample corpus and a real `styrdok serve`. Each flow asserts
// what a person would see; every page type gets an axe-core audit (WCAG 2.1 A and AA) and a
// full-page screenshot in the artefact folder.
//
//   node tests/browser/run.mjs [STYRDOK_BINARY]
//
// Environment: STYRDOK_BINARY (when no argument; default build/cli/styrdok),
// STYRDOK_BROWSER_ARTIFACTS (default build/browser-artifacts), STYRDOK_CHROMIUM (default
// /usr/bin/chromium), STYRDOK_CORPUS (default corpus/), STYRDOK_REQUIRE_BROWSER (when set, a
// missing node_modules or Chromium fails instead of skipping), STYRDOK_TEMPLATES (another
// templates folder for the server, e.g. a broken copy to see that the checks catch it).
// Exit status: 0 all passed, 1 a check failed, 77 skipped (nothing to run the tests with).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const binary = path.resolve(process.argv[2] ?? process.env.STYRDOK_BINARY ?? path.join(root, 'build/cli/styrdok'));
const artifacts = path.resolve(process.env.STYRDOK_BROWSER_ARTIFACTS ?? path.join(root, 'build/browser-artifacts'));
const chromiumPath = process.env.STYRDOK_CHROMIUM ?? '/usr/bin/chromium';
const corpus = path.resolve(process.env.STYRDOK_CORPUS ?? path.join(root, 'corpus'));
const TODAY = '2026-11-23';
const SKIP = 77;

function skipOrFail(reason) {
  if (process.env.STYRDOK_REQUIRE_BROWSER) {
    console.error(`browser tests cannot run: ${reason} (STYRDOK_REQUIRE_BROWSER is set)`);
    process.exit(1);
  }
  console.log(`browser tests skipped: ${reason}`);
  process.exit(SKIP);
}

for (const module of ['playwright-core', 'axe-core']) {
  if (!existsSync(path.join(here, 'node_modules', module, 'package.json'))) {
    skipOrFail(`${module} is not installed; run scripts/install-npm-deps`);
  }
}
if (!existsSync(chromiumPath)) skipOrFail(`no Chromium at ${chromiumPath}`);
if (!existsSync(binary)) {
  console.error(`no styrdok binary at ${binary}`);
  process.exit(1);
}

const { chromium } = await import('playwright-core');
const { Suite } = await import('./lib/harness.mjs');
const { addUser, makeRegistry, startServer } = await import('./lib/server.mjs');
const { defineFlows } = await import('./lib/flows.mjs');

const started = performance.now();
const suite = new Suite();
let registry;
let server;
let browser;
let cleaning;

async function cleanUp() {
  cleaning ??= (async () => {
    const problems = [];
    if (browser) await browser.close().catch((e) => problems.push(`closing Chromium: ${e.message}`));
    if (server) await server.stop().catch((e) => problems.push(e.message));
    if (registry) await rm(registry.dir, { recursive: true, force: true }).catch((e) => problems.push(e.message));
    return problems;
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the server and removing the registry`);
    cleanUp().finally(() => process.exit(1));
  });
}

let exitCode = 0;
try {
  await mkdir(artifacts, { recursive: true });
  // Screenshots of an earlier run would pass for this one's.
  for (const name of await readdir(artifacts)) {
    if (name.endsWith('.png')) await rm(path.join(artifacts, name));
  }

  registry = await makeRegistry(binary, corpus, { templates: process.env.STYRDOK_TEMPLATES && path.resolve(process.env.STYRDOK_TEMPLATES) });
  // The owner of the corpus document arbetsmiljopolicy (owner_email), for the edit flow.
  // A clerk, for the dashboard (/granskning) and the review form.
  const accounts = {
    owner: { name: 'hr', role: 'owner', email: 'hr-chef@exempelby.se', password: 'ett-langt-testlosenord' },
    clerk: { name: 'registrator', role: 'clerk', email: 'diarium@exempelby.se', password: 'ett-annat-langt-losenord' },
  };
  for (const account of Object.values(accounts)) await addUser(binary, registry.data, account);
  server = await startServer(binary, registry.data, { today: TODAY });
  console.log(`styrdok serve at ${server.url} (registry ${registry.data}, today ${TODAY})`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`Chromium ${browser.version()}, screenshots in ${artifacts}\n`);

  const flows = await defineFlows({ browser, baseURL: server.url, artifacts, accounts });
  for (const flow of flows) await suite.test(flow.name, flow.body, flow.onFailure);
} catch (error) {
  console.error(`\nbrowser tests could not run: ${error.stack ?? error}`);
  exitCode = 1;
} finally {
  const problems = await cleanUp();
  for (const problem of problems) {
    console.error(`cleaning up: ${problem}`);
    exitCode = 1;
  }
}

suite.summary();
console.log(`browser tests took ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (suite.failed > 0 || suite.results.length === 0) exitCode = 1;
process.exit(exitCode);
