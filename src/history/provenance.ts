import type { Provenance } from '../results/provenance.js';

/**
 * "1a2b3c4", "1a2b3c4-dirty", "1a2b3c4 pr-12" (the commit, then the label), "pr-12", or '-': where
 * a run was made from, for a table cell. Results written before wgprof recorded it have none, and
 * history orders them by time alone.
 */
export function provenanceText(provenance: Provenance | undefined): string {
  const commit = provenance?.git
    ? `${provenance.git.commit.slice(0, 7)}${provenance.git.dirty ? '-dirty' : ''}`
    : undefined;
  const parts = [commit, provenance?.label].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : '-';
}
