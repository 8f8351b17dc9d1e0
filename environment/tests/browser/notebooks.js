// The notebooks as a visitor meets them (issue 15): Debian's chromium, driven by playwright-core, opens each
// notebook on a running classic Notebook server, runs all cells from the page (Cell > Run All), waits until the
// kernel is idle, and checks that the page shows no error output, that every code cell ran, and that it shows
// its charts and tables (as many as the notebook's nbconvert execution at the same scale, when given). Then it
// interrupts long cells from the toolbar and checks that the next cell prints. A full-page screenshot of each
// notebook is saved.
//   node notebooks.js --url URL --token T --out DIR [--expect DIR] [--interrupt NOTEBOOK] [--view 1] NOTEBOOK...
// --view 1: the notebooks are already executed (the main job's copies): open, check and screenshot them as they
// are, without running them.
// Started by environment/tests/browser-test.sh, which starts the server. Exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const args = { notebooks: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args[a.slice(2)] = process.argv[++i];
  else args.notebooks.push(a);
}
const NOTEBOOK_TIMEOUT_MS = Number(process.env.CALF_BROWSER_NOTEBOOK_TIMEOUT_S || 900) * 1000;
const failures = [];
const log = (s) => console.log('[browser] ' + s);
const fail = (nb, s) => { failures.push(nb + ': ' + s); log('FAILED ' + nb + ': ' + s); };

/** Images and tables of an executed notebook (nbconvert's copy): what the page must show too. */
function expected(name) {
  if (!args.expect) return null;
  const file = path.join(args.expect, name);
  if (!fs.existsSync(file)) return null;
  let images = 0, tables = 0;
  for (const cell of JSON.parse(fs.readFileSync(file, 'utf8')).cells) {
    for (const o of cell.outputs || []) {
      const data = o.data || {};
      if (data['image/png']) images++;
      const html = [].concat(data['text/html'] || []).join('');
      if (html.includes('<table')) tables++;
    }
  }
  return { images, tables };
}

async function openNotebook(context, name) {
  const page = await context.newPage();
  page.setDefaultTimeout(120000);
  await page.goto(`${args.url}/notebooks/${encodeURIComponent(name)}?token=${args.token}`);
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
    && Jupyter.notebook.kernel.is_connected());
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon');
  return page;
}

/** Waits until no cell shows In [*] and the kernel is idle, twice 1 s apart. */
async function waitIdle(page, timeout) {
  const idle = () => page.evaluate(() => !document.querySelector('#kernel_indicator_icon.kernel_busy_icon')
    && ![...document.querySelectorAll('.input_prompt')].some((e) => e.textContent.includes('[*]')));
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await idle()) {
      await page.waitForTimeout(1000);
      if (await idle()) return true;
    }
    await page.waitForTimeout(500);
  }
  return false;
}

async function screenshot(page, name) {
  // The classic notebook scrolls inside #site: let the page grow to the notebook's height for a full-page shot.
  await page.evaluate(() => {
    for (const e of [document.documentElement, document.body, document.getElementById('site')]) {
      e.style.height = 'auto';
      e.style.overflow = 'visible';
    }
  });
  const file = path.join(args.out, 'screenshots', name.replace(/\.ipynb$/, '.png'));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function shutdown(page) {
  await page.evaluate(() => Jupyter.notebook.session.delete()).catch(() => {});
  await page.close();
}

async function runNotebook(context, name) {
  const t0 = Date.now();
  const page = await openNotebook(context, name);
  if (!args.view) {
    await page.click('#celllink');
    await page.click('#run_all_cells > a');
    await page.waitForTimeout(1000);
    if (!(await waitIdle(page, NOTEBOOK_TIMEOUT_MS))) fail(name, `still running after ${NOTEBOOK_TIMEOUT_MS / 1000} s`);
  }
  const seen = await page.evaluate(() => {
    const code = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code' && c.get_text().trim() !== '');
    return {
      errors: [...document.querySelectorAll('.output_area .output_error')].map((e) => e.textContent.slice(0, 300)),
      notRun: code.filter((c) => c.input_prompt_number === null || c.input_prompt_number === undefined
        || c.input_prompt_number === '*').length,
      code: code.length,
      images: document.querySelectorAll('.output_area img').length,
      tables: document.querySelectorAll('.output_area .output_html table').length,
    };
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  const want = expected(name);
  if (seen.errors.length) fail(name, `error output: ${seen.errors[0]}`);
  if (seen.notRun) fail(name, `${seen.notRun} of ${seen.code} code cells did not run`);
  if (want && (seen.images < want.images || seen.tables < want.tables)) {
    fail(name, `shows ${seen.images} images and ${seen.tables} tables; its nbconvert execution has ${want.images} and ${want.tables}`);
  }
  if (!want && seen.images + seen.tables === 0) fail(name, 'shows no chart and no table');
  if (!args.view) await checkSortable(page, name);
  const shot = await screenshot(page, name);
  log(`${failures.some((f) => f.startsWith(name)) ? 'FAILED' : 'ok    '} ${name}: ${seen.code} code cells `
    + (args.view ? 'as executed' : `run from the page in ${seconds} s`) + `, ${seen.images} images, ${seen.tables} tables`
    + (want ? ` (nbconvert: ${want.images}, ${want.tables})` : '') + `, ${seen.errors.length} errors; ${path.basename(shot)}`);
  await shutdown(page);
}

/**
 * A sortable table (Render.sortableHtml, notebook 06) sorts when a visitor clicks a header: by "area" ascending,
 * then, clicked again, descending. Notebook 06 must show one.
 */
async function checkSortable(page, name) {
  const header = page.locator('.output_html table th[onclick]', { hasText: /^area$/ }).first();
  if ((await header.count()) === 0) {
    if (name.startsWith('06-')) fail(name, 'shows no sortable table (a header with onclick named "area")');
    return;
  }
  const column = () => header.evaluate((th) => {
    const i = th.cellIndex;
    return [...th.closest('table').tBodies[0].rows].map((r) => parseFloat(r.cells[i].textContent));
  });
  await header.click();
  const up = await column();
  await header.click();
  const down = await column();
  const sorted = (a, sign) => a.every((v, k) => k === 0 || sign * (v - a[k - 1]) >= 0);
  if (up.length < 2 || !sorted(up, 1) || !sorted(down, -1)) {
    fail(name, `the sortable table did not sort by area (${up.slice(0, 5)} … then ${down.slice(0, 5)} …)`);
  } else {
    log(`ok     ${name}: its sortable table sorts ${up.length} rows by area, up then down`);
  }
}

/** Runs cell i as a visitor does: click it, Shift+Enter. */
async function runCell(page, i) {
  await page.locator('.cell').nth(i).locator('.input_area').click();
  await page.keyboard.press('Shift+Enter');
}

const promptOf = (page, i) => page.locator('.cell').nth(i).locator('.input_prompt').textContent();
const outputOf = (page, i) => page.locator('.cell').nth(i).locator('.output_area').allTextContents()
  .then((t) => t.join('\n'));

async function interrupts(context, name) {
  const page = await openNotebook(context, name);
  await runCell(page, 1);
  if (!(await waitIdle(page, 60000)) || !(await outputOf(page, 1)).includes('kernel ready')) {
    fail(name, 'the first cell did not print');
  }
  // Cells 2 and 4 (after the markdown cell 0 and cell 1) run for a minute (a sleeping loop, a CPU loop); cells 3
  // and 5 print after them.
  for (const [long, next, what] of [[2, 3, 'sleeping loop'], [4, 5, 'CPU loop']]) {
    await runCell(page, long);
    await page.waitForTimeout(3000);
    const t0 = Date.now();
    await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
    let ended = false;
    while (Date.now() - t0 < 10000) {
      if (!(await promptOf(page, long)).includes('*')) { ended = true; break; }
      await page.waitForTimeout(100);
    }
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    await runCell(page, next);
    let printed = false;
    const t1 = Date.now();
    while (Date.now() - t1 < 30000) {
      if ((await outputOf(page, next)).includes('after the interrupt 42')) { printed = true; break; }
      await page.waitForTimeout(200);
    }
    // The page's "Interrupting kernel" notice must clear (it stayed for good when the kernel never replied).
    await page.waitForTimeout(2500);
    const notice = await page.locator('#notification_kernel').textContent();
    if (notice.includes('Interrupting')) fail(name, `"${notice.trim()}" still shown 2.5 s after the ${what} ended`);
    if (!ended) fail(name, `the ${what} still runs 10 s after Interrupt`);
    if (!printed) fail(name, `the cell after the interrupted ${what} printed nothing`);
    log(`${ended && printed ? 'ok    ' : 'FAILED'} Interrupt from the toolbar: the ${what} ended in `
      + `${ended ? took + ' s' : 'MORE than 10 s'}, the next cell ${printed ? 'printed' : 'printed NOTHING'}`);
  }
  await screenshot(page, name);
  await shutdown(page);
}

(async () => {
  fs.mkdirSync(path.join(args.out, 'screenshots'), { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CALF_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  log(`chromium ${browser.version()} (${process.env.CALF_CHROMIUM || '/usr/bin/chromium'}), notebook server ${args.url}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    for (const nb of args.notebooks) {
      try {
        if (args.interrupt === nb) await interrupts(context, nb);
        else await runNotebook(context, nb);
      } catch (e) {
        fail(nb, String(e.message || e).split('\n')[0]);
      }
    }
  } finally {
    await browser.close();
  }
  log(`notebooks: ${args.notebooks.length - new Set(failures.map((f) => f.split(':')[0])).size} passed, `
    + `${new Set(failures.map((f) => f.split(':')[0])).size} failed; screenshots in ${path.join(args.out, 'screenshots')}`);
  process.exit(failures.length ? 1 : 0);
})();
