import { usageError } from '../errors.js';
import { execFileSync } from 'node:child_process';

/**
 * Where a run ran from: the git commit of the working folder and whether it had uncommitted
 * changes, and a label the user gives (a branch, a pull request): what lets results be ordered
 * over time and across machines (wgprof history, the continuous-benchmarking exports).
 */
export interface Provenance {
  /** The working folder's repository, when it is in one and git is there to ask. */
  readonly git?: {
    readonly commit: string;
    /** True when tracked files had changes not committed: the commit alone does not say what ran. */
    readonly dirty: boolean;
    /** The branch checked out; absent on a detached HEAD. */
    readonly branch?: string;
  };
  /** --label, as given. */
  readonly label?: string;
}

/** git's answer in `cwd`, or undefined when it fails (no git, not a repository, too slow). */
function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
      // A user's GIT_DIR or GIT_WORK_TREE would point git elsewhere than the folder the run ran in.
      env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_OPTIONAL_LOCKS: '0' },
    }).trim();
  } catch {
    return undefined;
  }
}

/** The git state of `cwd`, or undefined outside a repository. */
export function gitState(cwd: string): Provenance['git'] {
  const commit = git(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd);
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  // Untracked files do not change what ran from the tracked ones; ignored ones never do.
  const status = git(['status', '--porcelain', '--untracked-files=no'], cwd);
  const branch = git(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd);
  return { commit, dirty: status === undefined ? true : status.length > 0, ...(branch ? { branch } : {}) };
}

/** --label's longest: a label is a name, not a note. */
export const MAX_LABEL = 200;

/** The run's provenance: the git state of `cwd` and the label, each where there is one. */
export function collectProvenance(cwd: string, label?: string): Provenance {
  const state = gitState(cwd);
  return { ...(state ? { git: state } : {}), ...(label === undefined ? {} : { label }) };
}

/** --label checked: one line of printable text, 1 to MAX_LABEL characters. */
export function parseLabel(text: string): string {
  const label = text.trim();
  if (label.length === 0) throw usageError('--label needs some text (a branch, a pull request number)');
  if (label.length > MAX_LABEL)
    throw usageError(`--label is ${label.length} characters long; at most ${MAX_LABEL}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(label)) throw usageError('--label must be one line of printable text');
  return label;
}
