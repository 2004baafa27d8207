// The HTML report in a real browser: headless Debian chromium driven by playwright-core (installed with the
// VS Code test: tests/e2e/vscode/install.sh). Opens the report `carbonlsp report` wrote and checks what a
// reader gets: no console error and no request at all (the page must need nothing but itself), every chart
// drawn, and the figures in the page equal to the JSON report's for the same files (read from the DOM: the
// data attributes, and the text a reader sees, to the three significant figures it is printed with). Then a
// phone's width (no sideways scrolling of the page) and print (a PDF). Prints `ok <step> <ms>` per step and
// saves screenshots.
//
// Environment: REPORT_HTML (the report), REPORT_JSON (`carbonlsp estimate --format json` of the same files),
// REPORT_CHARTS (comma-separated chart ids that must be drawn), REPORT_IMAGES (how many thumbnails at least), REPORT_SHOTS (screenshot folder),
// CHROMIUM (default /usr/bin/chromium).
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requireFromVscode = createRequire(join(here, '..', 'vscode', 'package.json'));
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const html = process.env.REPORT_HTML, jsonPath = process.env.REPORT_JSON;
const charts = (process.env.REPORT_CHARTS ?? '').split(',').filter(Boolean);
const shots = process.env.REPORT_SHOTS ?? join(here, '..', '..', '..', 'artifacts', 'e2e', 'report');
let chromium;
try { ({ chromium } = requireFromVscode('playwright-core')); } catch { console.log('MISSING playwright-core (run tests/e2e/vscode/install.sh)'); process.exit(4); }
if (!existsSync(browserPath)) { console.log(`MISSING chromium (apt-get install -y chromium): ${browserPath}`); process.exit(4); }
if (!html || !existsSync(html) || !jsonPath || !existsSync(jsonPath)) { console.error('REPORT_HTML and REPORT_JSON must name files'); process.exit(2); }
mkdirSync(shots, { recursive: true });

const expected = JSON.parse(readFileSync(jsonPath, 'utf8'));
let step = Date.now();
const ok = name => { console.log(`ok ${name} ${Date.now() - step}`); step = Date.now(); };
const failures = [];
const check = (cond, what) => { if (!cond) failures.push(what); };
const same = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
/** The printed figure matches the number to the 3 significant figures Units prints (and the unit's scale). */
const printed = (text, value, unit) => {
  const m = /(-?[\d.]+)\s*(k?)(Wh|g|kg)\b/.exec(text);
  if (!m) return false;
  let v = Number(m[1]);
  if (m[3] === 'kg' || m[2] === 'k') v *= 1000;
  return Math.abs(v - value) <= 0.006 * Math.abs(value) + 1e-12;
};

const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [], requests = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  const self = pathToFileURL(html).href;
  await page.route('**/*', route => { if (route.request().url() !== self) { requests.push(route.request().url()); return route.abort(); } return route.continue(); });
  await page.goto(self, { waitUntil: 'load' });
  ok('open');

  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  check(requests.length === 0, `the page asked for: ${requests.join(', ')}`);
  ok('no-errors-no-requests');

  for (const id of charts) {
    const drawn = await page.evaluate(id => {
      const svg = document.querySelector(`figure[data-chart="${id}"] svg`);
      if (!svg) return null;
      const box = svg.getBoundingClientRect();
      return { shapes: svg.querySelectorAll('rect, path, circle, polyline').length, texts: svg.querySelectorAll('text').length, w: box.width, h: box.height,
        label: svg.getAttribute('aria-labelledby') && document.getElementById(svg.getAttribute('aria-labelledby'))?.textContent };
    }, id);
    check(drawn && drawn.shapes > 3 && drawn.texts > 0 && drawn.w > 100 && drawn.h > 50 && drawn.label, `chart ${id}: ${JSON.stringify(drawn)}`);
  }
  ok('charts');

  const images = await page.evaluate(() => [...document.querySelectorAll('figure[data-image] img')].map(i => ({ src: i.closest('figure').dataset.image, w: i.naturalWidth, done: i.complete })));
  for (const i of images) check(i.done && i.w > 0, `thumbnail of ${i.src} not shown`);
  const wantImages = Number(process.env.REPORT_IMAGES ?? '0');
  check(images.length >= wantImages, `${images.length} thumbnails, expected at least ${wantImages}`);
  ok('thumbnails');

  const dom = await page.evaluate(() => {
    const num = (el, name) => Number(el.getAttribute(name));
    const range = (el, name) => ({ low: num(el, `data-${name}-low`), mid: num(el, `data-${name}-mid`), high: num(el, `data-${name}-high`) });
    const t = document.getElementById('totals');
    return {
      total: { files: num(t, 'data-files'), prompts: num(t, 'data-prompts'), images: num(t, 'data-images'), energy: range(t, 'energy'), co2: range(t, 'co2'),
               cards: [...t.querySelectorAll('.card .big')].map(e => e.textContent) },
      prompts: [...document.querySelectorAll('tr[data-prompt]')].map(r => ({ file: r.dataset.file, index: Number(r.dataset.prompt), energy: range(r, 'energy'), co2: range(r, 'co2'),
        cells: [...r.cells].map(c => c.textContent) })),
      files: [...document.querySelectorAll('[data-file-total]')].map(p => ({ file: p.dataset.fileTotal, energy: range(p, 'energy'), co2: range(p, 'co2') })),
      grid: [...document.querySelectorAll('tr[data-grid-zone]')].map(r => ({ file: r.dataset.file, zone: r.dataset.gridZone, intensity: Number(r.dataset.gridIntensity), kind: r.dataset.gridKind })),
      fixes: document.getElementById('fixes') ? Number(document.getElementById('fixes').dataset.savingWh) : null,
    };
  });
  const T = expected.total;
  check(dom.total.files === T.files && dom.total.prompts === T.prompts && dom.total.images === T.images, `total counts ${JSON.stringify(dom.total)} vs ${JSON.stringify(T)}`);
  for (const k of ['low', 'mid', 'high']) {
    check(same(dom.total.energy[k], T.energyWh[k]), `total energy ${k}: ${dom.total.energy[k]} vs ${T.energyWh[k]}`);
    check(same(dom.total.co2[k], T.co2eGrams[k]), `total CO2e ${k}: ${dom.total.co2[k]} vs ${T.co2eGrams[k]}`);
  }
  if (T.files > 0) {
    check(printed(dom.total.cards[0], T.energyWh.mid, 'Wh'), `total energy shown as "${dom.total.cards[0]}", JSON ${T.energyWh.mid}`);
    check(printed(dom.total.cards[1], T.co2eGrams.mid, 'g'), `total CO2e shown as "${dom.total.cards[1]}", JSON ${T.co2eGrams.mid}`);
  }
  let rows = 0;
  for (const f of expected.files) {
    const ft = dom.files.find(x => x.file === f.path);
    check(ft && same(ft.energy.mid, f.totals.energyWh.mid) && same(ft.co2.mid, f.totals.co2eGrams.mid), `file total ${f.path}`);
    const g = dom.grid.find(x => x.file === f.path);
    check(g && g.zone === f.grid.zone && same(g.intensity, f.grid.gramsPerKWh) && g.kind === f.grid.kind, `grid of ${f.path}: ${JSON.stringify(g)} vs ${JSON.stringify(f.grid)}`);
    for (const p of f.prompts) {
      const r = dom.prompts.find(x => x.file === f.path && x.index === p.index);
      rows++;
      if (!r) { check(false, `no row for ${f.path} #${p.index}`); continue; }
      for (const k of ['low', 'mid', 'high']) {
        check(same(r.energy[k], p.energyWh[k]), `${p.id} energy ${k}: ${r.energy[k]} vs ${p.energyWh[k]}`);
        check(same(r.co2[k], p.co2eGrams[k]), `${p.id} CO2e ${k}: ${r.co2[k]} vs ${p.co2eGrams[k]}`);
      }
      check(r.cells[0] === p.id && r.cells[1] === p.model, `${p.id}: row shows ${r.cells[0]} / ${r.cells[1]}`);
      check(printed(r.cells[5], p.energyWh.mid, 'Wh') && printed(r.cells[6], p.co2eGrams.mid, 'g'), `${p.id} shown as "${r.cells[5]}" / "${r.cells[6]}", JSON ${p.energyWh.mid} Wh / ${p.co2eGrams.mid} g`);
    }
  }
  check(dom.prompts.length === rows, `${dom.prompts.length} prompt rows in the page, ${rows} in the JSON`);
  const fixSaving = expected.files.reduce((s, f) => s + f.preferredFixes.savingWh, 0);
  check(expected.files.length === 0 || (dom.fixes !== null && Math.abs(dom.fixes - fixSaving) < 1e-6), `fix savings ${dom.fixes} vs ${fixSaving}`);
  ok('figures-equal-json');
  await page.screenshot({ path: join(shots, 'report.png'), fullPage: false });
  await page.screenshot({ path: join(shots, 'report-full.png'), fullPage: true });
  ok('screenshot');

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `on a phone the page scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: join(shots, 'report-phone.png'), fullPage: false });
  ok('phone');

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  check(pdf.length > 10000, `the printed report is ${pdf.length} bytes`);
  ok('print');
} finally {
  await browser.close();
}
if (failures.length) { for (const f of failures) console.log(`FAIL ${f}`); process.exit(1); }
console.log('PASS');
