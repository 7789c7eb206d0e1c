import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, tempDir } from './support/cli.js';

/**
 * examples/ci/wgprof.yml, run here as far as it can be without GitHub and the services: every
 * step's `wgprof` commands, in order, in one working folder, on lavapipe, with the files the
 * workflow passes between them. The main branch's artifact is this folder's first profile.
 */
interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

const WORKFLOW = join(import.meta.dirname, '..', 'examples', 'ci', 'wgprof.yml');
const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

/** The lines of a step's script that run wgprof, as `node dist/cli/main.js` here. */
const wgprofLines = (step: Step): string[] =>
  (step.run ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx wgprof '))
    .map((l) => l.replace(/^npx wgprof /, `node ${JSON.stringify(CLI)} `));

function bash(line: string, cwd: string, env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const run = spawnSync('bash', ['-c', line], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '100', ...env },
    timeout: 240_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('the CI recipe (examples/ci/wgprof.yml)', () => {
  it('has the steps the docs promise: the software GPU, a profile, a comparison, both exports, both services', () => {
    // A line continued with a backslash is one command.
    const runs = steps
      .map((s) => s.run ?? '')
      .join('\n')
      .replace(/\\\n\s*/g, '');
    expect(runs).toMatch(/setup-software-gpu\.sh/);
    expect(runs).toMatch(/npx wgprof profile .*--label/);
    expect(runs).toMatch(/npx wgprof compare .*--fail-on-regression/);
    expect(runs).toMatch(/--format bmf/);
    expect(runs).toMatch(/--format github-benchmark/);
    expect(runs).toMatch(/bencher run .*--adapter json --file bmf\.json/);
    const action = steps.find((s) => s.uses?.startsWith('benchmark-action/github-action-benchmark'));
    expect(action?.with).toMatchObject({
      tool: 'customSmallerIsBetter',
      'output-file-path': 'github-benchmark.json',
    });
  });

  it("runs its wgprof commands in order on lavapipe: main's profile, a pull request's, the comparison, the exports", () => {
    const dir = tempDir('wgprof-ci-');
    const profile = steps.find((s) => s.name === 'Profile');
    const compare = steps.find((s) => s.name?.startsWith('Compare with main'));
    const exports = steps.find((s) => s.name === 'Exports');
    expect(profile && compare && exports).toBeTruthy();
    // The push to main: its result becomes the artifact the pull request downloads into base/.
    for (const line of wgprofLines(profile ?? {})) {
      const run = bash(line, dir, { GITHUB_REF_NAME: 'main', GITHUB_HEAD_REF: '' });
      expect(run.status, run.out).toBe(0);
    }
    const [mainRun] = readdirSync(join(dir, 'results'));
    cpSync(join(dir, 'results', mainRun ?? ''), join(dir, 'base', mainRun ?? ''), { recursive: true });
    cpSync(join(dir, 'results'), join(dir, 'main-results'), { recursive: true });
    bash('rm -rf results', dir, {});
    // The pull request.
    for (const line of wgprofLines(profile ?? {})) {
      const run = bash(line, dir, { GITHUB_REF_NAME: '42/merge', GITHUB_HEAD_REF: 'my-change' });
      expect(run.status, run.out).toBe(0);
    }
    const [prRun] = readdirSync(join(dir, 'results'));
    const pr = JSON.parse(readFileSync(join(dir, 'results', prRun ?? '', 'result.json'), 'utf8')) as {
      provenance?: { label?: string };
    };
    expect(pr.provenance?.label).toBe('my-change');
    for (const line of wgprofLines(compare ?? {})) {
      const run = bash(line, dir, {});
      // 3: a regression found (noise can make one on a shared machine); anything else is a failure.
      expect([0, 3], run.out).toContain(run.status);
      expect(run.out).toMatch(/wgprof compare:/);
    }
    for (const line of wgprofLines(exports ?? {})) {
      const run = bash(line, dir, {});
      expect(run.status, run.out).toBe(0);
    }
    const bmf = JSON.parse(readFileSync(join(dir, 'bmf.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(bmf)).toEqual(
      expect.arrayContaining(['scale/1M/f32/main', 'scale/1M/f32/persistent']),
    );
    const gh = JSON.parse(readFileSync(join(dir, 'github-benchmark.json'), 'utf8')) as {
      name: string;
      unit: string;
    }[];
    expect(gh.length).toBeGreaterThan(0);
    expect(gh.every((e) => typeof e.name === 'string' && typeof e.unit === 'string')).toBe(true);
    expect(existsSync(join(dir, 'base', mainRun ?? '', 'result.json'))).toBe(true);
  }, 300_000);
});
