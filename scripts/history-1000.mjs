// How long `wgprof history` takes over 1,000 profile results (issue 26 asks for at most 5 s). It
// copies the given profile results (default: every results/*-profile/result.json) into 1,000 run
// folders of a temporary folder, cycling through them so that neighbours differ, each with a
// createdAt one minute after the last, then times the built CLI over that folder: the terminal
// view, and the HTML page with its chart. Reading is the cost: each file is parsed and checked
// against the schema once, and only neighbours are compared.
// Run: npm run build && node scripts/history-1000.mjs [RESULT.json ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = process.env.WGPROF_CLI ?? join(ROOT, 'dist', 'cli', 'main.js');
const COUNT = Number(process.env.HISTORY_COUNT ?? 1000);
const given = process.argv.slice(2);
const sources =
  given.length > 0
    ? given
    : readdirSync(join(ROOT, 'results'))
        .filter((d) => d.endsWith('-profile'))
        .map((d) => join(ROOT, 'results', d, 'result.json'));
if (sources.length === 0)
  throw new Error('no profile result to copy: run wgprof profile first, or name some');
const texts = sources.map((s) => readFileSync(s, 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'wgprof-history-'));
const start = Date.parse('2026-01-01T00:00:00Z');
let bytes = 0;
for (let i = 0; i < COUNT; i++) {
  const result = JSON.parse(texts[i % texts.length]);
  result.createdAt = new Date(start + i * 60_000).toISOString();
  const run = join(dir, `run-${String(i).padStart(4, '0')}`);
  mkdirSync(run);
  writeFileSync(join(run, 'result.json'), JSON.stringify(result));
  bytes += statSync(join(run, 'result.json')).size;
}
console.log(
  `${COUNT} results from ${sources.length} source file(s), ${(bytes / 1e6).toFixed(0)} MB, in ${dir}`,
);
for (const args of [[], ['--format', 'html', '--out', join(dir, 'history.html')]]) {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'history', dir, ...args], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status !== 0) throw new Error(`history exited ${run.status}: ${run.stderr}`);
  console.log(`wgprof history DIR ${args.join(' ')}: ${seconds.toFixed(2)} s`);
}
rmSync(dir, { recursive: true, force: true });
