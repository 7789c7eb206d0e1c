import { usageError } from '../errors.js';

/** The backends dawn.node can be asked for by name (`create(['backend=NAME'])`). */
export const BACKENDS = ['vulkan', 'metal', 'd3d12', 'd3d11', 'opengl', 'opengles', 'null'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** WebGPU feature levels: `compatibility` is the only one OpenGL ES can offer. */
export type FeatureLevel = 'core' | 'compatibility';

/** One attempt at an adapter: which backend, at which feature level. */
export interface BackendAttempt {
  readonly backend: BackendName;
  readonly featureLevel: FeatureLevel;
}

/** The platform's own GPU API, the one a user of that platform profiles. */
export function nativeBackend(platform: NodeJS.Platform = process.platform): BackendName {
  switch (platform) {
    case 'darwin':
      return 'metal';
    case 'win32':
      return 'd3d12';
    default:
      return 'vulkan';
  }
}

/**
 * The attempts `--backend` stands for, in order. `auto` tries the native API first and falls
 * back to OpenGL ES at the compatibility level (Mesa's llvmpipe offers it where no Vulkan driver
 * is installed). `null` is never part of `auto`: its kernels do nothing, so it measures nothing.
 */
export function backendAttempts(
  choice: BackendChoice,
  platform: NodeJS.Platform = process.platform,
): BackendAttempt[] {
  if (choice === 'auto') {
    const attempts: BackendAttempt[] = [{ backend: nativeBackend(platform), featureLevel: 'core' }];
    if (platform === 'linux' || platform === 'win32') {
      attempts.push({ backend: 'opengles', featureLevel: 'compatibility' });
    }
    return attempts;
  }
  if (choice === 'opengles' || choice === 'opengl')
    return [{ backend: choice, featureLevel: 'compatibility' }];
  return [{ backend: choice, featureLevel: 'core' }];
}

export function parseBackend(text: string, allowNull: boolean): BackendChoice {
  const choices: readonly string[] = ['auto', ...BACKENDS];
  if (!choices.includes(text)) {
    throw usageError(`unknown backend '${text}': choose one of ${choices.join(', ')}`);
  }
  if (text === 'null' && !allowNull) {
    throw usageError(
      "the 'null' backend runs no GPU work, so its figures mean nothing: add --allow-null to use it for plumbing checks",
    );
  }
  return text as BackendChoice;
}
