import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileJson, runCli, tempDir } from './support/cli.js';
import type { ProfileResult } from '../src/results/result-types.js';

/**
 * What exists only on newer Node, tested on the Node that runs the suite (CI runs it on the
 * machine's Node and on Node 24 LTS): each test checks what this Node should do, either way.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const at = (m: number, n: number): boolean => major > m || (major === m && minor >= n);
/** process.threadCpuUsage: Node 23.9 and later. */
const hasThreadCpu = typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage === 'function';
/** Type stripping without a flag: Node 23.6+, and 22.18+ on the 22 line. */
const stripsTypes = at(23, 6) || (major === 22 && minor >= 18);

const FIXTURE = join(import.meta.dirname, 'fixtures', 'ops', 'typescript-op.ts');

describe(`Node ${process.version}`, () => {
  it(
    hasThreadCpu
      ? "reports each worker thread's own CPU time"
      : 'has no per-thread CPU time, and the result leaves it out',
    () => {
      const { result } = profileJson([
        '--replicates',
        '1',
        '--kernel',
        'scale',
        '--size',
        '4K',
        '--strategy',
        'persistent,pool',
        '--ops',
        '60',
      ]);
      for (const run of result.runs) {
        if (!hasThreadCpu) {
          expect(run.threadCpuNs).toBeUndefined();
          continue;
        }
        // A worker's thread did the op's CPU work: some of it, and no more than its threads' wall time.
        expect(run.threadCpuNs ?? 0).toBeGreaterThan(0);
        expect(run.threadCpuNs ?? Infinity).toBeLessThan(run.wallNs * run.concurrency * 1.5 + 1e9);
      }
    },
    120_000,
  );

  it(
    stripsTypes
      ? 'runs a TypeScript op module as it is'
      : 'refuses a TypeScript op module, saying to compile it',
    () => {
      const run = runCli([
        'profile',
        '--op',
        FIXTURE,
        '--strategy',
        'main,persistent',
        '--ops',
        '20',
        '--json',
        '--no-save',
      ]);
      if (!stripsTypes) {
        expect(run.status).toBe(2);
        expect(run.stderr).toContain('cannot load TypeScript; compile it to JavaScript first');
        return;
      }
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout) as ProfileResult;
      expect(result.runs.map((r) => [r.label, r.opsOk])).toEqual([
        ['main', 20],
        ['persistent', 20],
      ]);
      // wgprof's own package.json says "type": "module": nothing for Node to guess.
      expect(result.warnings?.some((w) => w.code === 'op-module-typeless')).toBe(false);
    },
    120_000,
  );

  it.runIf(stripsTypes)(
    'a TypeScript op module in a package without "type" (npm init -y): runs, and says once how to settle its type',
    () => {
      const dir = tempDir('wgprof-typeless-');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-ops', version: '1.0.0' }));
      copyFileSync(FIXTURE, join(dir, 'my-op.ts'));
      const run = runCli(
        ['profile', '--op', './my-op.ts', '--strategy', 'main,fresh', '--ops', '10', '--no-save'],
        {
          cwd: dir,
        },
      );
      expect(run.status).toBe(0);
      // Node's own warning, printed by every thread that imports the module, never reaches the user...
      expect(run.stderr).not.toContain('MODULE_TYPELESS_PACKAGE_JSON');
      expect(run.stdout).not.toContain('MODULE_TYPELESS_PACKAGE_JSON');
      // ...wgprof's warning, once, says what to do.
      const { result } = profileJson(['--op', './my-op.ts', '--strategy', 'main', '--ops', '10'], {
        cwd: dir,
      });
      const typeless = result.warnings?.filter((w) => w.code === 'op-module-typeless') ?? [];
      expect(typeless).toHaveLength(1);
      expect(typeless[0]?.advice).toContain('.mts');
      expect(result.config.op?.typelessPackage).toBe(join(dir, 'package.json'));
    },
    120_000,
  );
});

describe('a Node that reads an ESM op module as CommonJS', () => {
  it('is told to name it .mts or set "type": "module", not shown the SyntaxError alone', async () => {
    const { importFailure } = await import('../src/op/op-module.js');
    const file = join(tempDir(), 'my-op.ts');
    for (const message of ["Unexpected token 'export'", 'Cannot use import statement outside a module']) {
      const error = importFailure(file, new SyntaxError(message));
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/read it as CommonJS .*name it \.mts, or set "type": "module"/);
    }
    // An .mts module's syntax error is its own: shown as it is.
    expect(
      importFailure(file.replace(/ts$/, 'mts'), new SyntaxError("Unexpected token 'export'")).message,
    ).toContain("could not import it: Unexpected token 'export'");
  });
});
