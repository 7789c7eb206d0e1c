/**
 * A one-line progress display on stderr, shown only when stderr is a terminal and the user did
 * not ask for machine output: pipes and CI logs get nothing.
 */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

const SILENT: Progress = { update: () => undefined, done: () => undefined };

export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const started = Date.now();
  let shown = false;
  return {
    update(label, done, total) {
      if (total <= 0) {
        // Adaptive runs have no known end: say how far they have come.
        stream.write(
          `\r\x1b[2K${label}: ${done} ops done, ${((Date.now() - started) / 1000).toFixed(0)} s so far`,
        );
        shown = true;
        return;
      }
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      const elapsed = (Date.now() - started) / 1000;
      const left = done > 0 ? (elapsed / done) * (total - done) : NaN;
      const eta = Number.isFinite(left) ? `, ${left.toFixed(0)} s left` : '';
      stream.write(
        `\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ops${eta}`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
