import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { backendAttempts, nativeBackend, parseBackend } from '../src/device/backend.js';
import { backendsToTry } from '../src/device/doctor.js';
import { WgprofError } from '../src/errors.js';

describe('backend choice', () => {
  it('auto tries the platform API first, then OpenGL ES at the compatibility level', () => {
    expect(backendAttempts('auto', 'linux')).toEqual([
      { backend: 'vulkan', featureLevel: 'core' },
      { backend: 'opengles', featureLevel: 'compatibility' },
    ]);
    expect(backendAttempts('auto', 'darwin')).toEqual([{ backend: 'metal', featureLevel: 'core' }]);
    expect(backendAttempts('auto', 'win32')[0]).toEqual({ backend: 'd3d12', featureLevel: 'core' });
  });

  it('a named backend is tried alone, GL ones at the compatibility level', () => {
    expect(backendAttempts('vulkan', 'darwin')).toEqual([{ backend: 'vulkan', featureLevel: 'core' }]);
    expect(backendAttempts('opengles', 'linux')).toEqual([
      { backend: 'opengles', featureLevel: 'compatibility' },
    ]);
  });

  it('maps platforms to their own API', () => {
    expect(nativeBackend('darwin')).toBe('metal');
    expect(nativeBackend('win32')).toBe('d3d12');
    expect(nativeBackend('linux')).toBe('vulkan');
  });

  it('refuses the null backend unless it is explicitly allowed', () => {
    expect(() => parseBackend('null', false)).toThrow(/--allow-null/);
    expect(parseBackend('null', true)).toBe('null');
  });

  it('lists the valid backends for an unknown one', () => {
    try {
      parseBackend('cuda', false);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WgprofError);
      expect((error as WgprofError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(/auto, vulkan, metal/);
    }
  });

  it('doctor tries the native API first and the null backend last', () => {
    expect(backendsToTry('linux')).toEqual(['vulkan', 'opengles', 'null']);
    expect(backendsToTry('darwin')).toEqual(['metal', 'null']);
  });
});

describe('backend fallback on the real machine', () => {
  // With the Vulkan loader pointed at no driver, `auto` must fall back to OpenGL ES on llvmpipe.
  it('falls back to OpenGL ES when Vulkan yields no adapter', () => {
    const script = `
      import { openDevice } from './dist/device/open-device.js';
      const ctx = await openDevice({});
      process.stdout.write(JSON.stringify({ backend: ctx.info.backend, level: ctx.info.featureLevel }));
      ctx.close();`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(out.slice(out.indexOf('{')))).toEqual({ backend: 'opengles', level: 'compatibility' });
  });
});
