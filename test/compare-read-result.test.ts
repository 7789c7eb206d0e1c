import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, WgprofError } from '../src/errors.js';
import { readResultFile } from '../src/results/read-result.js';
import { tempDir } from './support/cli.js';

/** The error readResultFile throws for `path`, checked to be a one-line usage error naming the file. */
async function failure(path: string): Promise<string> {
  const error: unknown = await readResultFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WgprofError);
  const { message, exitCode } = error as WgprofError;
  expect(exitCode).toBe(ExitCode.usage);
  expect(message).toContain(path);
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/ at .*\.(js|ts):\d+/);
  return message;
}

describe('readResultFile', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    dir = tempDir('wgprof-read-');
  });

  it('names a missing file', async () => {
    expect(await failure(join(dir, 'nowhere.json'))).toMatch(/^cannot read .*nowhere\.json: no such file$/);
  });

  it('names a directory', async () => {
    const path = join(dir, 'folder');
    mkdirSync(path);
    expect(await failure(path)).toMatch(/is a directory/);
  });

  it('says when a file is not JSON', async () => {
    expect(await failure(file('text.json', 'hello, world\n'))).toMatch(/text\.json is not JSON \(/);
    expect(await failure(file('html.json', '<html></html>'))).toMatch(/is not JSON/);
  });

  it('says when JSON is truncated', async () => {
    for (const [name, text] of [
      ['cut-object.json', '{"schema": "wgprof-result", "version": 1, "runs": ['],
      ['cut-string.json', '{"schema": "wgprof-res'],
      ['cut-number.json', '{"version": 1'],
    ] as const) {
      expect(await failure(file(name, text))).toMatch(new RegExp(`${name} is truncated`));
    }
  });

  it('says when a file is empty', async () => {
    expect(await failure(file('empty.json', '  \n'))).toMatch(/empty\.json is empty/);
  });

  it('says when JSON is not a wgprof result', async () => {
    expect(await failure(file('other.json', '{"name": "package"}'))).toMatch(
      /other\.json: not a wgprof result/,
    );
    expect(await failure(file('array.json', '[1, 2]'))).toMatch(/not a wgprof result/);
  });

  it('names a newer schema version with validateResult’s message', async () => {
    const message = await failure(file('v2.json', JSON.stringify({ schema: 'wgprof-result', version: 2 })));
    expect(message).toMatch(
      /v2\.json: result schema version 2 is newer than the version 1 this wgprof reads: upgrade wgprof$/,
    );
    expect(await failure(file('v0.json', JSON.stringify({ schema: 'wgprof-result', version: 0 })))).toMatch(
      /version 0 is not the version 1/,
    );
  });

  it('names a schema violation', async () => {
    const message = await failure(
      file('bad.json', JSON.stringify({ schema: 'wgprof-result', version: 1, kind: 'profile' })),
    );
    expect(message).toMatch(/bad\.json: .*must have required property/);
  });
});
