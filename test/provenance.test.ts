import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectProvenance, gitState, parseLabel } from '../src/results/provenance.js';
import { readResultFile } from '../src/results/read-result.js';
import { validateResult } from '../src/results/validate-result.js';
import { WgprofError } from '../src/errors.js';
import { EXACT_WARMUP, profileJson, runCli, tempDir } from './support/cli.js';

/** A scratch repository with one commit of one file; returns its folder and that commit. */
function scratchRepo(): { dir: string; commit: string } {
  const dir = tempDir('wgprof-git-');
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'op.txt'), 'one\n');
  git('add', 'op.txt');
  git('commit', '-q', '-m', 'one');
  return { dir, commit: git('rev-parse', 'HEAD') };
}

describe("a run's provenance", () => {
  it('is the commit of the working folder, clean until a tracked file changes', () => {
    const { dir, commit } = scratchRepo();
    expect(gitState(dir)).toEqual({ commit, dirty: false, branch: 'main' });
    // An untracked file does not change what ran from the tracked ones.
    writeFileSync(join(dir, 'new.txt'), 'x\n');
    expect(gitState(dir)?.dirty).toBe(false);
    writeFileSync(join(dir, 'op.txt'), 'two\n');
    expect(gitState(dir)).toEqual({ commit, dirty: true, branch: 'main' });
  });

  it('has no git outside a repository, and the label as given', () => {
    const outside = tempDir('wgprof-nogit-');
    expect(gitState(outside)).toBeUndefined();
    expect(collectProvenance(outside, 'pr-42')).toEqual({ label: 'pr-42' });
    expect(collectProvenance(outside)).toEqual({});
  });

  it('refuses a label that is empty, too long or more than one line', () => {
    expect(parseLabel('  main ')).toBe('main');
    for (const bad of ['', '   ', 'x'.repeat(201), 'a\nb'])
      expect(() => parseLabel(bad), JSON.stringify(bad)).toThrow(WgprofError);
  });

  it('is in the result of a real run, with --label, and the result validates', () => {
    const { dir, commit } = scratchRepo();
    const args = [
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--strategy',
      'main',
      '--ops',
      '8',
      '--replicates',
      '1',
    ];
    const run = profileJson([...args, '--warmup', '2', ...EXACT_WARMUP, '--label', 'pr-42'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.result.provenance).toEqual({ git: { commit, dirty: false, branch: 'main' }, label: 'pr-42' });
    expect(validateResult(JSON.parse(JSON.stringify(run.result)))).toMatchObject({ ok: true });
    const bad = runCli(['profile', ...args, '--label', '', '--no-save'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("is in a trace's result, the program's folder's commit with --label; a bad label stops the trace before the program runs", async () => {
    const { dir, commit } = scratchRepo();
    const out = tempDir('wgprof-trace-');
    const program = ['--', 'node', join(import.meta.dirname, 'fixtures', 'trace', 'two-threads.mjs'), '1'];
    const env = { XDG_RUNTIME_DIR: tempDir() };
    const run = runCli(['trace', '--out', out, '--label', 'pr-42', '--gpu-time', 'none', ...program], {
      cwd: dir,
      env,
    });
    expect(run.status, run.stderr).toBe(0);
    const [folder] = readdirSync(out);
    const result = await readResultFile(join(out, folder ?? '', 'result.json'));
    expect(result.kind).toBe('trace');
    expect(result.provenance).toEqual({ git: { commit, dirty: false, branch: 'main' }, label: 'pr-42' });
    const bad = runCli(['trace', '--no-save', '--label', 'a\nb', ...program], { cwd: dir, env });
    expect(bad.status).toBe(2);
    expect(bad.stdout, 'the program never ran').toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
