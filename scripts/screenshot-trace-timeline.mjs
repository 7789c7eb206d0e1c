// Screenshots the timeline chart of a trace's HTML report as a PNG (docs/trace-timeline.png was
// made this way), with Debian's chromium (bash scripts/setup-browser.sh) driven by playwright-core:
//
//   wgprof trace --out /tmp/t -- node examples/tfjs-app.mjs 20
//   wgprof report /tmp/t/*-trace/result.json --format html --out /tmp/trace.html
//   node scripts/screenshot-trace-timeline.mjs /tmp/trace.html docs/trace-timeline.png
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, png] = process.argv.slice(2);
if (html === undefined || png === undefined) {
  process.stderr.write('usage: node scripts/screenshot-trace-timeline.mjs REPORT.html OUT.png\n');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
  await page.locator('figure[data-chart="trace-timeline"]').screenshot({ path: png });
} finally {
  await browser.close();
}
