/** The create() flag that turns Dawn's timestamp quantization off (facts: 65,536 ns steps otherwise). */
const FEATURE = 'timestamp_quantization';

/**
 * The program's create() flags with timestamp quantization turned off: added to its own
 * `disable-dawn-features=` list if it has one, as a flag of its own otherwise. A program that
 * enables the feature explicitly keeps it (`quantizationOff` false: the result says so).
 */
export function withUnquantizedTimestamps(flags: readonly string[]): {
  readonly flags: string[];
  readonly quantizationOff: boolean;
} {
  const enabled = flags.some(
    (f) => f.startsWith('enable-dawn-features=') && f.split('=')[1]?.split(',').includes(FEATURE),
  );
  if (enabled) return { flags: [...flags], quantizationOff: false };
  const at = flags.findIndex((f) => f.startsWith('disable-dawn-features='));
  if (at < 0) return { flags: [...flags, `disable-dawn-features=${FEATURE}`], quantizationOff: true };
  const given = flags[at] ?? '';
  const list = given.slice('disable-dawn-features='.length).split(',').filter(Boolean);
  const next = [...flags];
  if (!list.includes(FEATURE)) next[at] = `disable-dawn-features=${[...list, FEATURE].join(',')}`;
  return { flags: next, quantizationOff: true };
}
