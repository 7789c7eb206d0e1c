/**
 * Text for a terminal of a given width: its visible length (escape codes of color do not take a
 * column) and prose wrapped at spaces. Tables are laid out by text-table.ts, never wrapped.
 */

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-9;]*m/g;

/** The columns `text` takes on a terminal: its length without color escapes. */
export function visibleWidth(text: string): number {
  return text.replace(ESCAPES, '').length;
}

/** `text` padded with spaces to `width` columns, on the left (`r`) or the right (`l`). */
export function pad(text: string, width: number, align: 'l' | 'r'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'r' ? fill + text : text + fill;
}

/**
 * `text` wrapped at spaces into lines of at most `width` columns, the first line after `first`
 * and the others after `rest` (a hanging indent). A word longer than a line is cut.
 */
export function wrapText(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (prefix: string): number => Math.max(1, width - visibleWidth(prefix));
  const push = (): void => {
    lines.push(line.trimEnd());
    line = rest;
    empty = true;
  };
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let piece = word;
    while (visibleWidth(piece) > room(rest)) {
      // Longer than any line: cut it where the line ends.
      if (!empty) push();
      const take = room(line);
      line += piece.slice(0, take);
      piece = piece.slice(take);
      push();
    }
    const needed = (empty ? 0 : 1) + visibleWidth(piece);
    if (!empty && visibleWidth(line) + needed > width) push();
    line += (empty ? '' : ' ') + piece;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
