/**
 * Which of the host process's Node flags a measuring process (and its workers, which inherit its
 * execArgv) is started with. `fork` passes the caller's `process.execArgv` on by default, and the
 * caller is the user's own process when wgprof is used as a library: a script run with
 * `--input-type=module -e "..."` would hand every measuring process a flag that forbids its
 * entry file, `--cpu-prof` would write a profile per process, `--max-old-space-size` or
 * `--jitless` would change what is measured. A measuring process gets only what the user's op
 * may need to be found and loaded (preloads, loaders, resolution conditions, experimental
 * language features, warning switches); everything else stays with the host.
 */

/** One flag as Node spells it in execArgv: the name, and its value when it takes one. */
export interface NodeFlag {
  readonly name: string;
  readonly value?: string;
  /** Its words in execArgv, as given (`--import=x`, or `--import`, `x`). */
  readonly words: readonly string[];
}

export interface NodeFlagChoice {
  /** The host process's execArgv, as it was. */
  readonly host: readonly string[];
  /** The words every measuring process is started with. */
  readonly passed: readonly string[];
  /** The host's flags left out, each with why. */
  readonly dropped: readonly { readonly flag: string; readonly why: string }[];
}

/** What an op may need to load that takes a value: passed on, value and all. */
const LOADING_WITH_VALUE = [
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '--experimental-default-type',
  '--icu-data-dir',
];

/** Options whose value may follow as the next word (`-r x`, `--import x`). */
const TAKES_VALUE = new Set([
  ...LOADING_WITH_VALUE,
  '--input-type',
  '-e',
  '--eval',
  '-p',
  '--print',
  '--title',
  '--env-file',
  '--env-file-if-exists',
  '--disable-warning',
  '--inspect-port',
  '--debug-port',
  '--cpu-prof-dir',
  '--cpu-prof-name',
  '--cpu-prof-interval',
  '--heap-prof-dir',
  '--heap-prof-name',
  '--heap-prof-interval',
  '--diagnostic-dir',
  '--report-dir',
  '--report-directory',
  '--report-filename',
  '--report-signal',
  '--redirect-warnings',
  '--unhandled-rejections',
  '--dns-result-order',
  '--openssl-config',
  '--tls-cipher-list',
  '--tls-keylog',
  '--secure-heap',
  '--secure-heap-min',
  '--heapsnapshot-signal',
  '--heapsnapshot-near-heap-limit',
  '--trace-event-categories',
  '--trace-event-file-pattern',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
  '--watch-path',
  '--allow-fs-read',
  '--allow-fs-write',
  '--localstorage-file',
  '--snapshot-blob',
  '--max-http-header-size',
  '--use-largepages',
  '--run',
  '--experimental-config-file',
]);

/** Splits execArgv into flags, pairing each option with its value wherever Node allowed it. */
export function parseNodeFlags(execArgv: readonly string[]): NodeFlag[] {
  const flags: NodeFlag[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const word = execArgv[i] ?? '';
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    if (eq > 0) {
      flags.push({ name: word.slice(0, eq), value: word.slice(eq + 1), words: [word] });
    } else if (TAKES_VALUE.has(word) && i + 1 < execArgv.length) {
      const value = execArgv[++i] ?? '';
      flags.push({ name: word, value, words: [word, value] });
    } else {
      flags.push({ name: word, words: [word] });
    }
  }
  return flags;
}

/** What an op may need to load: passed on. */
const LOADING = new Set([
  ...LOADING_WITH_VALUE,
  '--preserve-symlinks',
  '--preserve-symlinks-main',
  '--enable-source-maps',
]);

/** Switches that only quiet Node's warnings: harmless, and the user asked for them. */
const QUIET = new Set(['--no-warnings', '--no-deprecation', '--disable-warning', '--pending-deprecation']);

/** Experimental flags that are not language or loading features, and would break or change a measuring process. */
const EXPERIMENTAL_NOT_PASSED = [
  '--experimental-permission',
  '--experimental-test',
  '--experimental-sea',
  '--experimental-report',
  '--experimental-worker',
  '--experimental-config-file',
];

/** Why a flag stays with the host; undefined when it is passed on. */
export function whyNotPassed(flag: NodeFlag): string | undefined {
  const { name } = flag;
  if (LOADING.has(name) || QUIET.has(name)) return undefined;
  if (name.startsWith('--harmony')) return undefined;
  if (name.startsWith('--experimental-') || name.startsWith('--no-experimental-')) {
    const bare = name.replace(/^--no-/, '--');
    if (!EXPERIMENTAL_NOT_PASSED.some((p) => bare.startsWith(p))) return undefined;
    return 'not a loading or language feature';
  }
  if (
    ['--input-type', '-e', '--eval', '-p', '--print', '-i', '--interactive', '-c', '--check'].includes(name)
  )
    return "about the host's own entry: it would stop the measuring process's";
  if (/^--(inspect|debug)/.test(name)) return 'a debugger would attach to every measuring process';
  if (/^--(cpu-prof|heap-prof|prof|trace|diagnostic|report|heapsnapshot)/.test(name))
    return 'profiling or tracing output would be written by every measuring process and change what it measures';
  if (/^--(test|watch)/.test(name) || name === '--run') return "the host's test runner or watcher";
  if (name === '--permission' || /^--allow-/.test(name))
    return 'the permission model forbids native addons and child processes';
  if (name.startsWith('--env-file'))
    return "the host's environment, which the measuring process inherits, already holds it";
  return 'it could change how the op runs (only what an op needs to load is passed on)';
}

/** A flag as the result names it: its value cut short (an `-e` carries the host's whole script). */
function shown(flag: NodeFlag): string {
  if (flag.value === undefined) return flag.name;
  const value = flag.value.length > 40 ? `${flag.value.slice(0, 39)}…` : flag.value;
  return `${flag.name}=${value}`;
}

/** The choice for the host's execArgv: what a measuring process gets and what it does not. */
export function chooseNodeFlags(execArgv: readonly string[] = process.execArgv): NodeFlagChoice {
  const passed: string[] = [];
  const dropped: { flag: string; why: string }[] = [];
  for (const flag of parseNodeFlags(execArgv)) {
    const why = whyNotPassed(flag);
    if (why === undefined) passed.push(...flag.words);
    else dropped.push({ flag: shown(flag), why });
  }
  return { host: [...execArgv], passed, dropped };
}
