// The consultant's day in a real browser: Debian's chromium (headless,
// driven by puppeteer-core) against a real jobmatchd with generated data
// (clients/datagen), loaded through the HTTP port. A consultant opens a
// vacancy, sees the ranked list, opens an explanation, shortlists a seeker,
// reloads and sees it kept; axe-core finds no serious or critical WCAG 2.1
// A/AA violation on any page.
//   node workspace_test.mjs JOBMATCHD DATAGEN [SCREENSHOT_DIR]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const [jobmatchd, datagen, shotDir] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmatch-web-'));
const shots = shotDir || tmp;

execFileSync(datagen, ['--seed=1', '--scale=0.004', `--out_dir=${tmp}/gen`], { stdio: 'ignore' });
const server = spawn(jobmatchd, ['--listen=127.0.0.1:0', '--http_listen=127.0.0.1:0',
  `--data_dir=${tmp}/db`, '--shutdown_grace=2s'], { stdio: ['ignore', 'pipe', 'inherit'] });
let browser;
let failed = false;
try {
  const base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/JSON API on (http:\/\/\S+\/)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`jobmatchd exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`jobmatchd did not start: ${out}`)), 30000);
  });
  const post = async (method, body) => {
    const r = await fetch(`${base}jobmatch.v1.${method}`, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json' } });
    const text = await r.text();
    assert.equal(r.status, 200, `${method}: ${text}`);
    return JSON.parse(text);
  };
  // Load the generated data through the HTTP port (newline-delimited JSON).
  for (const [service, kind, file] of [['EmployerService', 'employer', 'employers'],
    ['SeekerService', 'seeker', 'seekers'], ['VacancyService', 'vacancy', 'vacancies']]) {
    const lines = fs.readFileSync(`${tmp}/gen/${file}.jsonl`, 'utf8').split('\n').filter(Boolean);
    const r = await post(`${service}/Import`, lines.map((l) => `{"${kind}":${l}}`).join('\n'));
    assert.equal(r.accepted, lines.length, `${file}: ${r.rejected} rejected`);
  }
  // A vacancy with several feasible seekers, and a finished nightly run.
  let vacancy;
  for (let i = 0; i < 240 && !vacancy; ++i) {
    const id = `v${String(i).padStart(6, '0')}`;
    const r = await (await fetch(`${base}v1/vacancies/${id}/matches?limit=5`)).json();
    if ((r.matches || []).filter((m) => m.explanation.verdict === 'FEASIBLE').length >= 3) vacancy = id;
  }
  assert.ok(vacancy, 'no vacancy with three feasible seekers in the generated data');
  let run = await post('RematchService/StartRematch', '{}');
  for (let i = 0; i < 300 && run.state === 'RUNNING'; ++i) {
    await new Promise((r) => setTimeout(r, 100));
    run = await post('RematchService/GetRematchRun', JSON.stringify({ runId: run.runId }));
  }
  assert.equal(run.state, 'DONE');

  browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--window-size=1280,900'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  async function accessible(name) {
    // Through DevTools, not a script tag: the page's CSP allows no inline script.
    await page.evaluate(axeSource);
    const { violations } = await page.evaluate(() =>
      axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of violations) {
      console.log(`${name}: axe ${v.impact} ${v.id} on ${v.nodes.length} element(s)`);
    }
    assert.deepEqual(bad.map((v) => v.id), [], `${name}: serious or critical accessibility violations`);
    await page.screenshot({ path: path.join(shots, `web-${name}.png`), fullPage: true });
    console.log(`${name}: no serious or critical axe violations`);
  }
  const rows = 'main #ranked tbody tr';

  // Find: the page in Danish, the skip link first in tab order, a search.
  await page.goto(base, { waitUntil: 'networkidle0' });
  assert.equal(await page.$eval('html', (e) => e.lang), 'da');
  // Keyboard: the skip link comes first, and focus lands on the page heading.
  assert.equal(await page.evaluate(() =>
    document.querySelector('a[href], button, input, select').className), 'skip');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'page-title');
  await page.type('#q', vacancy);
  await page.click('main form button[type=submit]');
  await page.waitForSelector(`#results a[href="#/vacancy/${vacancy}"]`);
  await accessible('find');

  // The vacancy's ranked list: rows with factor bars, verdicts, commute.
  await page.click(`#results a[href="#/vacancy/${vacancy}"]`);
  await page.waitForSelector(rows);
  const first = await page.$eval(rows, (tr) => ({
    rank: tr.cells[0].textContent, seeker: tr.querySelector('th a').textContent,
    segments: tr.querySelectorAll('.bar .seg').length, commute: tr.cells[4].textContent }));
  assert.equal(first.rank, '1');
  assert.ok(first.segments >= 3, 'factor bars');
  assert.match(first.commute, /\d+ min/);
  await accessible('vacancy');

  // One pair's explanation with the upskilling plan.
  await page.click(`${rows}:first-child a[href^="#/pair/"]`);
  await page.waitForSelector('main table caption');
  assert.match(await page.$eval('h1', (e) => e.textContent), new RegExp(first.seeker));
  assert.ok((await page.$$('main table tbody tr')).length >= 3, 'factor table');
  assert.ok(await page.$('main ol.plan, main h2 + p'), 'upskilling plan');
  await accessible('explanation');

  // Shortlist the first seeker, reload, and see it kept.
  await page.goto(`${base}#/vacancy/${vacancy}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(rows);
  await page.select(`${rows}:first-child .fb select:first-of-type`, 'SHORTLISTED');
  await page.click(`${rows}:first-child .fb button`);
  await page.waitForFunction((sel) => document.querySelector(sel).textContent !== '',
    {}, `${rows}:first-child .fb-current`);
  await page.reload({ waitUntil: 'networkidle0' });
  await page.waitForSelector(rows);
  assert.equal(await page.$eval(`${rows}:first-child .fb-current`, (e) => e.textContent), 'På kortliste');
  assert.equal(await page.$eval(`${rows}:first-child .fb select`, (e) => e.value), 'SHORTLISTED');
  const recorded = await (await fetch(`${base}v1/feedback?vacancy_id=${vacancy}`)).json();
  assert.ok(recorded.feedback.some((f) => f.seekerId === first.seeker && f.outcome === 'SHORTLISTED'));

  // Paging and filters: a minimum score of 99 % leaves no rows.
  await page.type('#fmin', '99');
  await page.click('main form.filters button');
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, {}, rows);

  // Why not, for a seeker who is not on the list.
  await page.goto(`${base}#/whynot/s0000001/${vacancy}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main .card p');
  await accessible('whynot');

  // The nightly report with its charts.
  await page.goto(`${base}#/report`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main table.chart tbody tr');
  await accessible('report');

  // English.
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.$eval('h1', (e) => e.textContent), 'Nightly report');
  assert.deepEqual(pageErrors, []);
  console.log('workspace: the consultant\'s day passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
