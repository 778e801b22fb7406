// The consultant's day in a real browser: Debian's chromium (headless,
// driven by puppeteer-core) against a real jobmatchd with generated data
// (clients/datagen), loaded through the HTTP port. A consultant opens a
// vacancy, sees the ranked list, opens an explanation, shortlists a seeker,
// reloads and sees it kept; narrows the occupation breadth, orders the list
// longest unemployed first, reads a seeker's upskilling plan; axe-core finds
// no serious or critical WCAG 2.1 A/AA violation on any page.
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
// The source tree's reference data with the example course catalogue
// (data/courses/courses.example.tsv) as the deployment's catalogue, so that
// upskilling plans name courses.
const sourceData = path.resolve(here, '../../../data');
fs.mkdirSync(`${tmp}/ref/courses`, { recursive: true });
for (const entry of fs.readdirSync(sourceData)) {
  if (entry !== 'courses') fs.symlinkSync(path.join(sourceData, entry), `${tmp}/ref/${entry}`);
}
fs.copyFileSync(path.join(sourceData, 'courses/courses.example.tsv'), `${tmp}/ref/courses/courses.tsv`);
const server = spawn(jobmatchd, ['--listen=127.0.0.1:0', '--http_listen=127.0.0.1:0',
  `--data_dir=${tmp}/db`, `--reference_data=${tmp}/ref`, '--shutdown_grace=2s'], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  // Placements (docs/placements.md) on other vacancies: distinct seekers
  // started, some followed up, some ended, for the report's outcomes.
  const placed = new Set();
  for (let i = 0; i < 240 && placed.size < 12; ++i) {
    const id = `v${String(i).padStart(6, '0')}`;
    if (id === vacancy) continue;
    const r = await (await fetch(`${base}v1/vacancies/${id}/matches?limit=5`)).json();
    const m = (r.matches || []).find((x) => x.explanation.verdict === 'FEASIBLE' && !placed.has(x.id) &&
      x.id !== 's0000001');
    if (!m) continue;
    const feedback = (outcome, extra = {}) => post('MatchService/RecordFeedback',
      JSON.stringify({ feedback: { seekerId: m.id, vacancyId: id, outcome, ...extra } }));
    await feedback('STARTED');
    if (placed.size % 2 === 0) await feedback('FOLLOWED_UP', { followUpMonths: 1 });
    if (placed.size % 3 === 0) await feedback('ENDED', { endOutcome: 'TO_EMPLOYMENT' });
    placed.add(m.id);
  }
  assert.ok(placed.size >= 5, `only ${placed.size} placements`);
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

  // Occupation breadth: 2 digits (broad). The page shows exactly the server's
  // list for that breadth, and its counts.
  const ids = () => page.$$eval(rows, (trs) => trs.map((tr) => tr.querySelector('th a').textContent));
  // A fresh list (same address as now: reload, so that the filters start empty).
  const freshList = async () => {
    await page.goto(`${base}#/vacancy/${vacancy}`, { waitUntil: 'networkidle0' });
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector(rows);
  };
  await freshList();
  const byScore = await post('MatchService/TopSeekersForVacancy', JSON.stringify({ vacancyId: vacancy, limit: 20 }));
  const broad = await post('MatchService/TopSeekersForVacancy',
    JSON.stringify({ vacancyId: vacancy, limit: 20, occupationBreadth: 2 }));
  const narrow = await post('MatchService/TopSeekersForVacancy',
    JSON.stringify({ vacancyId: vacancy, limit: 20, occupationBreadth: 4 }));
  const countsText = (r) => `${(r.matches || []).length} vist, ${r.candidates || 0} kandidater, ${r.feasible || 0} mulige`;
  assert.equal(await page.$eval('#counts', (e) => e.textContent), countsText(byScore));
  await page.select('#fbreadth', '2');
  await page.click('main form.filters:not(.priority) button[type=submit]');
  await page.waitForFunction((t) => document.querySelector('#counts').textContent === t, {}, countsText(broad));
  assert.deepEqual(await ids(), broad.matches.map((m) => m.id));
  await page.select('#fbreadth', '4');
  await page.click('main form.filters:not(.priority) button[type=submit]');
  await page.waitForFunction((t) => document.querySelector('#counts').textContent === t, {}, countsText(narrow));
  assert.deepEqual(await ids(), (narrow.matches || []).map((m) => m.id));
  assert.ok((broad.candidates || 0) >= (narrow.candidates || 0), 'a broader search has at least the candidates of a narrower one');
  console.log(`breadth: ${broad.candidates} candidates at 2 digits, ${narrow.candidates || 0} at 4`);
  // The radius hint says it filters the shown page only.
  assert.match(await page.$eval('#frad-hint', (e) => e.textContent), /kun de rækker, der allerede er vist/);

  // Priority: longest unemployed first. The rows carry their keys, weeks
  // never increase down the list (unknown last), the order is the server's,
  // and every seeker's score is the one on the list by score.
  await freshList();
  assert.match(await page.$eval('#priority-hint', (e) => e.textContent), /ændrer kun rækkefølgen/);
  await page.select('#porder', 'LONGEST_UNEMPLOYED_FIRST');
  await page.click('main form.priority button[type=submit]');
  await page.waitForSelector(`${rows} td.prio`);
  const prioritised = await post('MatchService/TopSeekersForVacancy', JSON.stringify({ vacancyId: vacancy, limit: 20,
    priority: { order: 'LONGEST_UNEMPLOYED_FIRST' } }));
  assert.deepEqual(await ids(), prioritised.matches.map((m) => m.id));
  const prioRows = await page.$$eval(rows, (trs) => trs.map((tr) => ({ id: tr.querySelector('th a').textContent,
    score: tr.querySelector('.score strong').textContent, keys: tr.querySelector('td.prio').textContent })));
  const weeks = prioRows.map((r) => {
    const m = r.keys.match(/(\d+) uger ledig/);
    return m ? Number(m[1]) : -1;
  });
  assert.ok(weeks.some((w) => w >= 0), `weeks unemployed shown: ${prioRows.map((r) => r.keys)}`);
  const known = weeks.filter((w) => w >= 0);
  assert.deepEqual(known, [...known].sort((x, y) => y - x), `longest unemployed first: ${weeks}`);
  assert.ok(weeks.indexOf(-1) === -1 || weeks.slice(weeks.indexOf(-1)).every((w) => w === -1), 'unknown last');
  const wide = await post('MatchService/TopSeekersForVacancy', JSON.stringify({ vacancyId: vacancy, limit: 100 }));
  const scoreOf = new Map(wide.matches.map((m) => [m.id, `${Math.round(m.explanation.total * 100)} %`]));
  let compared = 0;
  for (const r of prioRows) {
    if (!scoreOf.has(r.id)) continue;
    assert.equal(r.score, scoreOf.get(r.id), `${r.id}: the priority changed a score`);
    ++compared;
  }
  assert.ok(compared >= 3, 'scores compared with the list by score');
  assert.match(await page.$eval('main #ranked caption', (e) => e.textContent), /scorer uændrede/);
  await accessible('priority');

  // A seeker's upskilling plan: the one with the most steps (courses break
  // ties), reached from the seeker's page; steps, courses and figures as the
  // server gives them.
  const seekers = (await (await fetch(`${base}v1/seekers?page_size=500`)).json()).seekers.map((r) => r.seeker.id);
  let plan;
  for (const id of seekers) {
    const p = await post('UpskillingService/UpskillingPlan', JSON.stringify({ seekerId: id }));
    const rank = (x) => (x.steps || []).length * 1000 + (x.steps || []).flatMap((s) => s.courses || []).length;
    if (!plan || rank(p) > rank(plan)) plan = p;
  }
  assert.ok((plan.steps || []).length >= 1, 'no seeker with an upskilling plan in the generated data');
  await page.goto(`${base}#/seeker/${plan.seekerId}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(`main a[href="#/plan/${plan.seekerId}"]`);
  await page.click(`main a[href="#/plan/${plan.seekerId}"]`);
  await page.waitForSelector('main ol.steps li, main .error');
  const steps = await page.$$eval('main ol.steps > li', (lis) => lis.map((li) => li.textContent));
  assert.equal(steps.length, plan.steps.length);
  plan.steps.forEach((s, i) => {
    assert.ok(steps[i].includes(`Trin ${i + 1}: Lær «${s.skill.label}»`), steps[i]);
    const opens = (s.vacancyIds || []).length
      ? `Åbner ${s.vacancyIds.length} opslag: ${s.vacancyIds.join(', ')}` : 'Åbner intet opslag alene';
    assert.ok(steps[i].includes(opens), steps[i]);
    for (const c of s.courses || []) assert.ok(steps[i].includes(`Kursus ${c.code} ${c.title}`), steps[i]);
  });
  const opened = await page.$$eval('main table.opened tbody tr', (trs) => trs.map((tr) =>
    [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(opened, plan.opened.map((o) => [o.vacancyId, o.totalBefore.toFixed(2),
    o.totalAfter.toFixed(2), o.bar.toFixed(2), String(o.step)]));
  assert.ok(plan.opened.every((o) => o.totalAfter >= o.bar && o.totalBefore < o.bar), 'opened vacancies reach their bar');
  console.log(`plan for ${plan.seekerId}: ${plan.steps.length} step(s), ` +
    `${plan.steps.flatMap((s) => s.courses || []).length} course(s), ${plan.opened.length} vacancies opened`);
  await accessible('plan');

  // Why not, for a seeker who is not on the list.
  await page.goto(`${base}#/whynot/s0000001/${vacancy}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main .card p');
  await accessible('whynot');

  // The nightly report with its charts.
  await page.goto(`${base}#/report`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main table.chart tbody tr');
  // The placement outcomes as the server reported them: every row, a
  // suppressed one (small count) as such.
  const report = await (await fetch(`${base}v1/rematch/report`)).json();
  const p = report.placements;
  assert.equal(Number(p.all.started), placed.size);
  const enough = Math.max(1, report.minCellPeople || 1);
  const expected = [['Alle', p.all], ['Med funktionsbehov', p.withNeeds], ['Uden funktionsbehov', p.withoutNeeds],
    ...(p.byMunicipality || []).map((m) => [`${m.name} (${m.key})`, m]),
    ...(p.byTargetGroup || []).map((g) => [`Målgruppe ${g.key}`, g])]
    .filter(([, row]) => row)
    .map(([label, row]) => (row.suppressed ? [label, 'Skjult (få personer)']
      : [label, ...[row.started, row.inWork1Month, row.inWork3Months, row.inWork6Months, row.endedEmployment,
        row.endedEducation, row.endedBackToBenefits].map((x) => String(x || 0)),
      Number(row.withStartTime || 0) >= enough ? `${(row.medianDaysToStart || 0).toFixed(1)} (n=${row.withStartTime})` : '–']));
  const shown = await page.$$eval('main table.placements tbody tr', (trs) => trs.map((tr) =>
    [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(shown, expected);
  assert.ok(expected.some((row) => row[1] === 'Skjult (få personer)'), 'a small municipality is suppressed');
  // Coverage by municipality: a suppressed row says so, the others show their counts.
  const coverage = await page.$$eval('main table.chart', (tables) => [...tables[0].querySelectorAll('tbody tr')]
    .map((tr) => [...tr.children].slice(1, 3).map((c) => c.textContent)));
  assert.deepEqual(coverage, report.byMunicipality.map((m) => (m.suppressed ? ['Skjult (få personer)']
    : [String(m.seekers || 0), String(m.withMatch || 0)])));
  console.log(`report: ${placed.size} placements, ${expected.length} outcome rows, ` +
    `${expected.filter((row) => row[1] === 'Skjult (få personer)').length} suppressed`);
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
