import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README is the front door (at most 300 lines, every docs/ page linked from it), and no
 * relative link of the README or of a docs/ page points at a file, or a heading, that is not there.
 */
const ROOT = join(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');
const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const files = [join(ROOT, 'README.md'), ...pages.map((p) => join(DOCS, p))];

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const match of markdown.matchAll(/^#+\s+(.+)$/gm)) {
    const slug = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    found.add(slug);
  }
  for (const match of markdown.matchAll(/<a id="([^"]+)"><\/a>/g)) found.add(match[1] ?? '');
  return found;
}

/** The relative links of a Markdown file, outside code blocks. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((l) => !/^[a-z]+:/.test(l));
}

describe('the README and docs/', () => {
  it('keep the README a front door: at most 300 lines, every docs page linked', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    const linked = new Set(links(readme).map((l) => l.split('#')[0]));
    for (const page of pages) expect(linked.has(`docs/${page}`), page).toBe(true);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s links only to what is there', (_, file) => {
    const text = readFileSync(file, 'utf8');
    for (const link of links(text)) {
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? file : resolve(dirname(file), path);
      // Links out of the repository (the shared seed) are the team's, not checked here.
      if (!target.startsWith(ROOT)) continue;
      expect(existsSync(target), `${link} in ${file}`).toBe(true);
      if (anchor && target.endsWith('.md'))
        expect(anchors(readFileSync(target, 'utf8')).has(anchor), `${link} in ${file}`).toBe(true);
    }
  });
});
