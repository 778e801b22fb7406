// The consultant's workspace: hash routes over jobmatchd's JSON API.
//   #/                       find a vacancy or a seeker
//   #/vacancy/ID             best seekers for a vacancy, filters, paging, feedback
//   #/seeker/ID              best vacancies for a seeker
//   #/pair/SEEKER/VACANCY    one pair's explanation and upskilling plan
//   #/whynot/SEEKER/VACANCY[/BREADTH]  why a seeker is not on a vacancy's list
//   #/plan/SEEKER            a seeker's upskilling plan (UpskillingService)
//   #/report                 the nightly report with its charts
import { get, call, ApiError } from './api.js';
import { t, language, setLanguage, translateStatic } from './i18n.js';

const main = document.getElementById('main');
const OUTCOMES = ['SHORTLISTED', 'CONTACTED', 'HIRED', 'REJECTED'];
const REASONS = ['REJECTION_REASON_UNSPECIFIED', 'SKILLS_INSUFFICIENT', 'COMMUTE_TOO_LONG_IN_PRACTICE',
  'HOURS_DO_NOT_FIT', 'ACCOMMODATION_NOT_AVAILABLE', 'SEEKER_DECLINED', 'EMPLOYER_DECLINED',
  'POSITION_FILLED', 'OTHER_REASON_CODE'];
const KINDS = ['ORDINARY', 'FLEKSJOB', 'LOENTILSKUD', 'VIRKSOMHEDSPRAKTIK', 'APPRENTICESHIP', 'IGU',
  'VOKSENLAERLING'];
// Occupation breadth of one search: 0 = the policy's, else leading ISCO-08 digits shared.
const BREADTHS = [0, 2, 3, 4];
const ORDERS = ['BY_SCORE', 'LONGEST_UNEMPLOYED_FIRST', 'TARGET_GROUP_ORDER'];
// Target group codes, copied from data/schemes/target_groups.tsv (version 2026-11); the
// server checks every code it is sent, so a stale list here gives a clear error, not a wrong list.
const TARGET_GROUPS = ['jobparat', 'aktivitetsparat', 'uddannelsesparat', 'sygedagpenge',
  'fleksjob_visiteret', 'ressourceforloeb', 'jobafklaring', 'revalidering', 'selvforsoerger'];
const codes = (text) => text.split(',').map((x) => x.trim()).filter(Boolean);

// Builds an element: h('p', {class: 'x'}, 'text', child...).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') el.style.cssText = v;  // CSSOM: allowed by the page's CSP
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
// One colour per factor, the same in every bar and in the legend.
const FACTORS = ['ESSENTIAL_SKILLS', 'OPTIONAL_SKILLS', 'EDUCATION', 'OCCUPATION_FIT', 'COMMUTE', 'HOURS_FIT', 'NEEDS_FIT'];
const segClass = (reason) => `seg seg${FACTORS.includes(reason) ? FACTORS.indexOf(reason) : 6}`;
function legend() {
  return h('ul', { class: 'legend', 'aria-label': t('legend') },
    FACTORS.map((f) => h('li', {}, h('span', { class: segClass(f), 'aria-hidden': 'true' }), ` ${t(f)}`)));
}
const pct = (x) => `${Math.round((x || 0) * 100)} %`;
const enc = encodeURIComponent;

function say(text) { document.getElementById('status').textContent = text; }

function showError(e) {
  const message = e instanceof ApiError ? `${t('error')} ${e.status} (${e.code}): ${e.message}` : String(e);
  return h('p', { class: 'error', role: 'alert' }, message);
}

// Replaces the page's content and moves focus to its heading.
function render(title, ...content) {
  main.replaceChildren(h('h1', { tabindex: '-1', id: 'page-title' }, title), ...content);
  document.title = `${title} – jobmatch`;
  document.getElementById('page-title').focus();
}

function field(id, label, input) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

// A stacked bar of the factors' contributions to the total (0..1), with the
// numbers as text for screen readers.
function factorBar(explanation) {
  const parts = explanation.parts || [];
  const described = parts.map((p) => `${t(p.reason)} ${pct(p.contribution)}`).join(', ');
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': `${pct(explanation.total)}: ${described}` });
  parts.forEach((p) => {
    bar.append(h('span', { class: segClass(p.reason), style: `width:${Math.max(0, p.contribution) * 100}%`,
      title: `${t(p.reason)}: ${pct(p.contribution)}` }));
  });
  return h('div', { class: 'score' }, h('strong', {}, pct(explanation.total)), bar);
}

function commuteText(e) {
  if (!e.commuteMinutes) return t('none');
  return `${Math.round(e.commuteMinutes)} ${t('minutes')}, ${t(e.commuteMode)}`;
}

function checkItems(e) {
  if (e.needsRedacted) return h('span', { class: 'muted' }, t('needsHidden'));
  const items = (e.needsToCheck || []).map((n) => h('li', {}, n));
  if (e.blocker) items.unshift(h('li', {}, `${t('blocker')}: ${e.blockerDetail || e.blocker}`));
  return items.length ? h('ul', { class: 'compact' }, items) : t('none');
}

// ---- Find -----------------------------------------------------------------

async function listAll(path, key) {
  const out = [];
  let token = '';
  for (let page = 0; page < 20; ++page) {
    const r = await get(path, { page_size: 500, page_token: token });
    out.push(...(r[key] || []));
    token = r.nextPageToken;
    if (!token) break;
  }
  return out;
}

function viewFind() {
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const kind = form.querySelector('input[name=kind]:checked').value;
    const q = form.querySelector('#q').value.trim();
    results.replaceChildren(h('p', {}, t('loading')));
    try {
      const rows = kind === 'vacancy'
        ? (await listAll('/v1/vacancies', 'vacancies')).map((r) => r.vacancy)
        : (await listAll('/v1/seekers', 'seekers')).map((r) => r.seeker);
      const hit = rows.filter((r) => !q || r.id === q || r.id.includes(q) || r.employerId === q ||
        (r.iscoCode || '').startsWith(q) || (r.occupations || []).some((o) => (o.iscoCode || '').startsWith(q)));
      const list = hit.slice(0, 50).map((r) => h('li', {}, h('a', { href: `#/${kind}/${enc(r.id)}` }, r.id),
        kind === 'vacancy' ? ` · ${t('employer')} ${r.employerId} · ${t('occupation')} ${r.iscoCode} · ${t(r.kind)}`
          : ` · ${t('municipality')} ${(r.home || {}).municipality || ''} · ${(r.occupations || []).map((o) => o.iscoCode).join(', ')}`));
      results.replaceChildren(h('h2', {}, `${t('results')} (${hit.length})`),
        list.length ? h('ul', { class: 'results' }, list) : h('p', {}, t('noResults')));
      say(`${t('results')}: ${hit.length}`);
    } catch (e) { results.replaceChildren(showError(e)); }
  } },
  h('fieldset', {}, h('legend', {}, t('findKind')),
    h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'kind', value: 'vacancy', checked: true }), ` ${t('vacancy')}`),
    h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'kind', value: 'seeker' }), ` ${t('seeker')}`)),
  field('q', t('query'), h('input', { id: 'q', type: 'search', autocomplete: 'off' })),
  h('button', { type: 'submit' }, t('search')));
  render(t('findTitle'), form, results);
}

// ---- Ranked lists -----------------------------------------------------------

function filtersForm(state, onApply, withKinds) {
  const form = h('form', { class: 'card filters', onsubmit: (ev) => {
    ev.preventDefault();
    state.kinds = [...form.querySelectorAll('input[name=fkind]:checked')].map((i) => i.value);
    state.municipalities = codes(form.querySelector('#fmun').value);
    state.minScore = Number(form.querySelector('#fmin').value || 0);
    state.radius = Number(form.querySelector('#frad').value || 0);
    state.breadth = Number(form.querySelector('#fbreadth').value || 0);
    onApply();
  } },
  h('h2', {}, t('filters')),
  withKinds ? h('fieldset', {}, h('legend', {}, t('kinds')),
    KINDS.map((k) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'fkind', value: k,
      checked: state.kinds.includes(k) }), ` ${t(k)}`))) : null,
  field('fmun', t('municipalities'), h('input', { id: 'fmun', inputmode: 'numeric', value: state.municipalities.join(',') })),
  field('fmin', t('minScore'), h('input', { id: 'fmin', type: 'number', min: 0, max: 100, value: state.minScore || '' })),
  field('fbreadth', t('breadth'), h('select', { id: 'fbreadth', 'aria-describedby': 'fbreadth-hint' },
    BREADTHS.map((b) => h('option', { value: b, selected: state.breadth === b }, t(`breadth${b}`))))),
  field('frad', t('radius'), h('input', { id: 'frad', type: 'number', min: 0, max: 240,
    value: state.radius || '', 'aria-describedby': 'frad-hint' })),
  h('button', { type: 'submit' }, t('apply')),
  h('p', { class: 'hint', id: 'fbreadth-hint' }, t('breadthHint')),
  h('p', { class: 'hint', id: 'frad-hint' }, t('radiusHint')));
  return form;
}

// The consultant's explicit priority on a vacancy's list (TopSeekersRequest.priority):
// it filters and re-orders the feasible candidates; nobody's score changes.
function priorityForm(state, onApply) {
  const p = state.priority;
  const form = h('form', { class: 'card filters priority', onsubmit: (ev) => {
    ev.preventDefault();
    p.order = form.querySelector('#porder').value;
    p.targetGroupOrder = codes(form.querySelector('#pgorder').value);
    p.targetGroups = [...form.querySelectorAll('input[name=pgroup]:checked')].map((i) => i.value);
    p.minWeeksUnemployed = Number(form.querySelector('#pweeks').value || 0);
    onApply();
  } },
  h('h2', {}, t('priority')),
  h('p', { class: 'hint wide', id: 'priority-hint' }, t('priorityHint')),
  field('porder', t('priorityOrder'), h('select', { id: 'porder', 'aria-describedby': 'priority-hint' },
    ORDERS.map((o) => h('option', { value: o, selected: p.order === o }, t(o))))),
  field('pgorder', t('groupOrder'), h('input', { id: 'pgorder', value: p.targetGroupOrder.join(','),
    'aria-describedby': 'pgorder-hint', autocomplete: 'off' })),
  field('pweeks', t('minWeeks'), h('input', { id: 'pweeks', type: 'number', min: 0, max: 2600,
    value: p.minWeeksUnemployed || '' })),
  h('fieldset', { class: 'wide' }, h('legend', {}, t('onlyGroups')),
    TARGET_GROUPS.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'pgroup', value: g,
      checked: p.targetGroups.includes(g) }), ` ${g}`))),
  h('button', { type: 'submit' }, t('applyPriority')),
  h('p', { class: 'hint wide', id: 'pgorder-hint' }, `${t('groupOrderHint')} ${TARGET_GROUPS.join(', ')}`));
  return form;
}

// True when the consultant asked for a priority (anything but the default list).
const priorityAsked = (p) => p.order !== 'BY_SCORE' || p.targetGroups.length > 0 || p.minWeeksUnemployed > 0;

function priorityText(keys) {
  const k = keys || {};
  const weeks = k.weeksUnemployed === undefined ? 0 : Number(k.weeksUnemployed);
  return `${k.targetGroup || t('groupHidden')} · ${weeks < 0 ? t('weeksUnknown') : `${weeks} ${t('weeks')}`}`;
}

function feedbackControl(seekerId, vacancyId, decisionId, current) {
  const id = `fb-${seekerId}-${vacancyId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const outcome = h('select', { id: `${id}-o`, 'aria-label': `${t('outcome')} ${seekerId}` },
    h('option', { value: '' }, t('FEEDBACK_OUTCOME_UNSPECIFIED')),
    OUTCOMES.map((o) => h('option', { value: o, selected: current && current.outcome === o }, t(o))));
  const reason = h('select', { id: `${id}-r`, 'aria-label': `${t('reason')} ${seekerId}` },
    REASONS.map((r) => h('option', { value: r, selected: current && current.reason === r }, t(r))));
  const shown = h('span', { class: 'fb-current', 'data-testid': 'feedback-current' },
    current ? t(current.outcome) : '');
  const save = h('button', { type: 'button', class: 'small', onclick: async () => {
    if (!outcome.value) return;
    try {
      await call('MatchService/RecordFeedback', { feedback: { seekerId, vacancyId, outcome: outcome.value,
        reason: outcome.value === 'REJECTED' ? reason.value : 'REJECTION_REASON_UNSPECIFIED', decisionId } });
      shown.textContent = t(outcome.value);
      say(`${seekerId}: ${t(outcome.value)} – ${t('saved')}`);
    } catch (e) { say(showError(e).textContent); }
  } }, t('save'));
  return h('div', { class: 'fb' }, outcome, reason, save, shown);
}

// The latest feedback per pair, keyed "seeker|vacancy".
async function latestFeedback(params) {
  const r = await get('/v1/feedback', { ...params, limit: 1000 });
  const latest = new Map();
  for (const f of r.feedback || []) {
    const k = `${f.seekerId}|${f.vacancyId}`;
    if (!latest.has(k) || Number(latest.get(k).timeMicros) <= Number(f.timeMicros)) latest.set(k, f);
  }
  return latest;
}

async function viewList(side, id) {
  const vacancySide = side === 'vacancy';
  const state = { kinds: [], municipalities: [], minScore: 0, radius: 0, breadth: 0,
    priority: { order: 'BY_SCORE', targetGroupOrder: [], targetGroups: [], minWeeksUnemployed: 0 } };
  let prioritised = false;
  const summary = h('div', { class: 'card summary' }, t('loading'));
  const table = h('div', { id: 'ranked' });
  const moreButton = h('button', { type: 'button', hidden: true }, t('more'));
  const counts = h('p', { id: 'counts', class: 'muted' });
  let token = '';
  let feedback = new Map();
  let tbody;

  async function load(reset) {
    if (reset) {
      token = '';
      tbody = h('tbody');
      prioritised = vacancySide && priorityAsked(state.priority);
      table.replaceChildren(h('table', {},
        h('caption', {}, vacancySide ? t('findVacancyMatches') : t('findSeekerMatches'),
          prioritised ? ` – ${t('prioritisedCaption')}` : ''),
        h('thead', {}, h('tr', {}, [t('rank'), t('id'), t('score'), t('verdict'), t('commute'), t('skills'),
          t('check'), prioritised ? t('priorityKeys') : null, vacancySide ? t('feedback') : null]
          .filter(Boolean).map((c) => h('th', { scope: 'col' }, c)))),
        tbody));
    }
    try {
      const filters = { minScore: state.minScore / 100, municipalities: state.municipalities.map(Number) };
      if (!vacancySide) filters.vacancyKinds = state.kinds;
      const body = { limit: 20, pageToken: token, filters, occupationBreadth: state.breadth };
      if (vacancySide) body.vacancyId = id; else body.seekerId = id;
      if (prioritised) body.priority = { ...state.priority };
      const r = await call(vacancySide ? 'MatchService/TopSeekersForVacancy' : 'MatchService/TopVacanciesForSeeker', body);
      const decision = (r.trace || {}).decisionId;
      let rows = r.matches || [];
      if (state.radius) rows = rows.filter((m) => (m.explanation.commuteMinutes || 0) <= state.radius);
      for (const m of rows) {
        const e = m.explanation;
        const seekerId = vacancySide ? m.id : id;
        const vacancyId = vacancySide ? id : m.id;
        tbody.append(h('tr', {},
          h('td', {}, m.rank),
          h('th', { scope: 'row' }, h('a', { href: `#/${vacancySide ? 'seeker' : 'vacancy'}/${enc(m.id)}` }, m.id),
            h('br'), h('a', { class: 'small', href: `#/pair/${enc(seekerId)}/${enc(vacancyId)}`,
              'aria-label': `${t('explain')} ${m.id}` }, t('explain'))),
          h('td', {}, factorBar(e)),
          h('td', {}, t(e.verdict)),
          h('td', {}, commuteText(e)),
          h('td', {}, `${(e.matchedSkills || []).length} ${t('matched')}, ${(e.missingSkills || []).length} ${t('missing')}`),
          h('td', {}, checkItems(e)),
          prioritised ? h('td', { class: 'prio' }, priorityText(m.priority)) : null,
          vacancySide ? h('td', {}, feedbackControl(seekerId, vacancyId, decision, feedback.get(`${seekerId}|${vacancyId}`))) : null));
      }
      token = r.nextPageToken || '';
      moreButton.hidden = !token;
      const shownText = `${tbody.children.length} ${t('shown')}, ${r.candidates || 0} ${t('candidates')}, ${r.feasible || 0} ${t('feasibleCount')}`;
      counts.textContent = shownText;
      say(shownText);
    } catch (e) { table.append(showError(e)); }
  }
  moreButton.addEventListener('click', () => load(false));

  render(`${vacancySide ? t('vacancyTitle') : t('seekerTitle')} ${id}`, summary,
    filtersForm(state, () => load(true), !vacancySide),
    vacancySide ? priorityForm(state, () => load(true)) : null,
    h('h2', {}, t('ranked')), legend(), counts, table, moreButton,
    vacancySide ? whyNotForm('', id, state) : whyNotForm(id, '', state));
  try {
    if (vacancySide) {
      const v = (await get(`/v1/vacancies/${enc(id)}`)).vacancy;
      summary.replaceChildren(h('dl', {}, ...[[t('employer'), v.employerId], [t('occupation'), v.iscoCode],
        [t('kind'), t(v.kind)], [t('hours'), v.hoursPerWeek], [t('openings'), v.openings],
        [t('municipality'), (v.workplace || {}).municipality]].flatMap(([k, x]) => [h('dt', {}, k), h('dd', {}, x)])));
      feedback = await latestFeedback({ vacancy_id: id });
    } else {
      const s = (await get(`/v1/seekers/${enc(id)}`)).seeker;
      summary.replaceChildren(h('dl', {}, ...[[t('municipality'), (s.home || {}).municipality],
        [t('occupation'), (s.occupations || []).map((o) => o.iscoCode).join(', ')],
        [t('hours'), `${s.minHoursPerWeek}–${s.maxHoursPerWeek}`]].flatMap(([k, x]) => [h('dt', {}, k), h('dd', {}, x)])),
        h('p', {}, h('a', { href: `#/plan/${enc(id)}` }, t('planLink'))));
    }
  } catch (e) { summary.replaceChildren(showError(e)); }
  await load(true);
}

// Asks about the list as filtered now: the occupation breadth travels in the address.
function whyNotForm(seekerId, vacancyId, state) {
  const form = h('form', { class: 'card', onsubmit: (ev) => {
    ev.preventDefault();
    const breadth = state && state.breadth ? `/${state.breadth}` : '';
    location.hash = `#/whynot/${enc(form.querySelector('#wn-s').value.trim())}/${enc(form.querySelector('#wn-v').value.trim())}${breadth}`;
  } }, h('h2', {}, t('whyNotTitle')),
  field('wn-s', t('whyNotSeeker'), h('input', { id: 'wn-s', value: seekerId, required: true })),
  field('wn-v', t('whyNotVacancy'), h('input', { id: 'wn-v', value: vacancyId, required: true })),
  h('button', { type: 'submit' }, t('ask')));
  return form;
}

// ---- One pair -------------------------------------------------------------------

// The placement rule that applied (data/placements/placement_rules.tsv).
function placementRuleText(r) {
  const weeks = r.maxWeeks ? `${t('atMost')} ${r.maxWeeks} ${t('placementWeeks')}` : t('noMaxWeeks');
  return `${r.ruleId} v${r.ruleVersion || 1} (${t(r.kind)}, ${weeks}; ${r.validFrom}–${r.validTo || ''}) · ${r.source}`;
}

function explanationView(e) {
  const parts = h('table', {}, h('caption', {}, t('score')),
    h('thead', {}, h('tr', {}, [t('factor'), t('fitAndPart'), t('evidence')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, (e.parts || []).map((p) => h('tr', {}, h('th', { scope: 'row' }, t(p.reason)),
      h('td', {}, h('div', { class: 'bar one', role: 'img', 'aria-label': pct(p.value) },
        h('span', { class: 'seg seg0', style: `width:${Math.max(0, p.value) * 100}%` })), ` ${pct(p.value)} → ${pct(p.contribution)}`),
      h('td', {}, p.evidence)))));
  const plan = [...(e.missingSkills || []).map((s) => [s, t('essential')]),
    ...(e.missingOptionalSkills || []).map((s) => [s, t('optional')])];
  const needs = e.needsRedacted ? h('p', { class: 'muted' }, t('needsHidden')) : h('div', {},
    (e.needsMet || []).length ? [h('h3', {}, t('needsMet')), h('ul', {}, e.needsMet.map((n) => h('li', {}, n)))] : null,
    (e.needsToCheck || []).length ? [h('h3', {}, t('needsCheck')), h('ul', {}, e.needsToCheck.map((n) => h('li', {}, n)))] : null);
  return h('div', {},
    h('div', { class: 'card summary' }, h('dl', {}, ...[[t('verdict'), t(e.verdict)], [t('total'), pct(e.total)],
      [t('requirementsFit'), pct(e.requirementsFit)], [t('preferenceFit'), pct(e.preferenceFit)],
      [t('commute'), commuteText(e)], e.blocker ? [t('blocker'), e.blockerDetail || e.blocker] : null,
      (e.supportSchemes || []).length ? [t('schemes'), e.supportSchemes.join(', ')] : null,
      e.placementRule ? [t('placementRule'), placementRuleText(e.placementRule)] : null]
      .filter(Boolean).flatMap(([k, x]) => [h('dt', {}, k), h('dd', {}, x)]))),
    factorBar(e), parts,
    h('h2', {}, t('gap')), plan.length ? [h('p', {}, t('planIntro')),
      h('ol', { class: 'plan' }, plan.map(([s, kind]) => h('li', {}, s.label || s.escoUri, h('span', { class: 'tag' }, kind))))]
      : h('p', {}, t('planNone')),
    (e.developmentSkills || []).length ? [h('h2', {}, t('developmentSkills')),
      h('ul', { class: 'compact' }, e.developmentSkills.map((s) => h('li', {}, s.label || s.escoUri)))] : null,
    h('h2', {}, t('matchedSkills')), h('ul', { class: 'compact' }, (e.matchedSkills || []).map((m) =>
      h('li', {}, m.skill.label, m.via && m.via.escoUri !== m.skill.escoUri ? ` (${t('via')} ${m.via.label})` : ''))),
    h('h2', {}, t('check')), needs);
}

async function viewPair(seekerId, vacancyId) {
  render(`${t('pairTitle')}: ${seekerId} · ${vacancyId}`, h('p', {}, t('loading')));
  try {
    const r = await get(`/v1/seekers/${enc(seekerId)}/vacancies/${enc(vacancyId)}/explanation`);
    main.append(explanationView(r.explanation), h('p', { class: 'muted' },
      `${t('trace')}: ${r.trace.decisionId} · ${r.trace.policyVersion}`),
      h('p', {}, h('a', { href: `#/plan/${enc(seekerId)}` }, t('planLink'))),
      h('p', {}, h('a', { href: `#/vacancy/${enc(vacancyId)}` }, t('back'))));
  } catch (e) { main.append(showError(e)); }
  main.querySelector('h1 + p').remove();
}

async function viewWhyNot(seekerId, vacancyId, breadth) {
  render(`${t('whyNotTitle')} ${seekerId} · ${vacancyId}`);
  try {
    const occupationBreadth = Number(breadth || 0);
    const r = await call('MatchService/WhyNot', { seekerId, vacancyId, limit: 20, occupationBreadth });
    main.append(h('div', { class: 'card' }, h('h2', {}, t('whyNotAnswer')), h('p', {}, r.explanation),
      h('p', { class: 'muted' }, `${t('breadth')}: ${t(`breadth${occupationBreadth}`)}`)),
      r.score ? explanationView(r.score) : null,
      h('p', {}, h('a', { href: `#/vacancy/${enc(vacancyId)}` }, t('back'))));
  } catch (e) { main.append(showError(e)); }
}

// ---- Upskilling plan ------------------------------------------------------------

const score = (x) => (x || 0).toFixed(2);

async function viewPlan(seekerId) {
  render(`${t('plan')}: ${seekerId}`, h('p', {}, t('loading')));
  try {
    const r = await call('UpskillingService/UpskillingPlan', { seekerId });
    const steps = r.steps || [];
    const opened = r.opened || [];
    const vacancyLink = (v) => h('a', { href: `#/pair/${enc(seekerId)}/${enc(v)}` }, v);
    main.append(
      h('div', { class: 'card summary' }, h('dl', {}, ...[[t('withinReach'), r.feasible || 0],
        [t('goodNow'), r.good || 0], [t('nearMisses'), r.nearMisses || 0]]
        .flatMap(([k, x]) => [h('dt', {}, k), h('dd', {}, x)]))),
      h('p', {}, t('planExplain')),
      steps.length ? h('ol', { class: 'plan steps' }, steps.map((s, i) => h('li', {},
        h('h2', { class: 'step' }, `${t('step')} ${i + 1}: ${t('learn')} «${s.skill.label || s.skill.escoUri}»`),
        (s.vacancyIds || []).length
          ? h('p', {}, `${t('opens')} ${s.vacancyIds.length} ${t('vacanciesWord')}: `,
            s.vacancyIds.flatMap((v, j) => [j ? ', ' : '', vacancyLink(v)]))
          : h('p', {}, t('opensLater')),
        (s.courses || []).length
          ? h('ul', { class: 'compact' }, s.courses.map((c) => h('li', {},
            `${t('course')} ${c.code} ${c.title}${c.provider ? `, ${c.provider}` : ''}${c.hours ? ` (${c.hours} ${t('hoursShort')})` : ''}`)))
          : h('p', { class: 'muted' }, t('noCourses')))))
        : h('p', { class: 'plan-none' }, t('planEmpty')),
      opened.length ? h('table', { class: 'opened' }, h('caption', {}, t('openedCaption')),
        h('thead', {}, h('tr', {}, [t('vacancy'), t('scoreNow'), t('scoreAfter'), t('scoreNeeded'), t('step')]
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, opened.map((o) => h('tr', {}, h('th', { scope: 'row' }, vacancyLink(o.vacancyId)),
          h('td', {}, score(o.totalBefore)), h('td', {}, score(o.totalAfter)), h('td', {}, score(o.bar)),
          h('td', {}, o.step))))) : null,
      h('p', { class: 'muted' }, `${t('policy')}: ${r.policyVersion}`,
        r.courseCatalogueVersion ? ` · ${t('catalogue')}: ${r.courseCatalogueVersion}` : ''),
      h('p', {}, h('a', { href: `#/seeker/${enc(seekerId)}` }, t('backSeeker'))));
    say(`${t('plan')}: ${steps.length} ${t('stepsWord')}`);
  } catch (e) { main.append(showError(e)); }
  main.querySelector('h1 + p').remove();
}

// ---- Nightly report -------------------------------------------------------------

function shareChart(caption, keyHeader, rows) {
  return h('table', { class: 'chart' }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, [keyHeader, t('seekers'), t('withMatch'), t('share')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.name ? `${r.name} (${r.key})` : r.key),
      r.suppressed ? h('td', { colspan: 3 }, t('suppressed')) : [h('td', {}, r.seekers || 0), h('td', {}, r.withMatch || 0),
      h('td', {}, h('div', { class: 'bar one', role: 'img', 'aria-label': pct(r.shareWithMatch) },
        h('span', { class: 'seg seg0', style: `width:${(r.shareWithMatch || 0) * 100}%` })), ` ${pct(r.shareWithMatch)}`)]))));
}

// Placement outcomes (docs/placements.md): one row per group; a suppressed
// row (small count, docs/rematch.md) says so instead of its figures.
function placementRows(p) {
  const rows = [[t('all'), p.all]];
  if (p.withNeeds) rows.push([t('withNeedsPlaced'), p.withNeeds]);
  if (p.withoutNeeds) rows.push([t('withoutNeedsPlaced'), p.withoutNeeds]);
  for (const m of p.byMunicipality || []) rows.push([m.name ? `${m.name} (${m.key})` : m.key, m]);
  for (const g of p.byTargetGroup || []) rows.push([`${t('targetGroup')} ${g.key}`, g]);
  return rows.filter(([, row]) => row);
}

function placementTable(p, minCell) {
  const enough = Math.max(1, minCell || 1);
  const n = (x) => String(x || 0);
  return h('table', { class: 'placements' }, h('caption', {}, t('placements')),
    h('thead', {}, h('tr', {}, ['', t('started'), t('inWork1'), t('inWork3'), t('inWork6'), t('endedJob'),
      t('endedEdu'), t('endedBenefits'), t('daysToStart')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, placementRows(p).map(([label, row]) => h('tr', {}, h('th', { scope: 'row' }, label),
      row.suppressed ? h('td', { colspan: 8 }, t('suppressed'))
        : [n(row.started), n(row.inWork1Month), n(row.inWork3Months), n(row.inWork6Months),
          n(row.endedEmployment), n(row.endedEducation), n(row.endedBackToBenefits),
          Number(row.withStartTime || 0) >= enough ? `${(row.medianDaysToStart || 0).toFixed(1)} (n=${row.withStartTime})` : '–',
        ].map((c) => h('td', {}, c))))));
}

async function viewReport() {
  render(t('reportTitle'));
  let r;
  try {
    r = await get('/v1/rematch/report');
  } catch (e) {
    const start = h('button', { type: 'button', onclick: async () => {
      try { await call('RematchService/StartRematch', {}); say(t('runStarted')); } catch (err) { say(showError(err).textContent); }
    } }, t('startRun'));
    main.append(h('p', {}, t('reportNone')), showError(e), start);
    return;
  }
  const f = r.fairness || {};
  const a = r.plain || {}, b = r.allocated || {};
  const figure = (label, x) => [h('dt', {}, label), h('dd', {}, x)];
  const hist = (r.bestScores || {}).histogram || [];
  const max = Math.max(1, ...hist.map(Number));
  main.append(...[
    h('div', { class: 'card summary' }, h('dl', {}, figure('Run', r.runId), figure(t('seekers'), r.seekers),
      figure(t('withMatch'), `${r.seekersWithMatch} (${pct(r.seekersWithMatch / Math.max(1, r.seekers))})`),
      figure(t('vacancies'), r.vacancies))),
    h('h2', {}, t('bestScores')),
    h('div', { class: 'hist', role: 'img', 'aria-label': `${t('bestScores')}: ${hist.join(', ')}` },
      hist.map((n, i) => h('span', { style: `height:${(Number(n) / max) * 100}%`, title: `${i * 10}–${i * 10 + 10} %: ${n}` }))),
    h('h2', {}, t('coverage')), shareChart(t('coverage'), t('municipality'), r.byMunicipality || []),
    h('h2', {}, t('coverageGroup')), shareChart(t('coverageGroup'), t('targetGroup'), r.byTargetGroup || []),
    r.minCellPeople > 1 ? h('p', {}, `${t('smallCounts')} ${r.minCellPeople}.`) : null,
    (r.scopedToMunicipalities || []).length ? h('p', {}, `${t('scopedRows')} ${r.scopedToMunicipalities.join(', ')}.`) : null,
    h('h2', {}, t('fairness')),
    r.fairness ? h('table', {}, h('caption', {}, t('fairness')),
      h('thead', {}, h('tr', {}, ['', t('share'), t('bestScores')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, t('withNeeds')), h('td', {}, pct(f.needsShare)), h('td', {}, pct(f.needsMedianBest))),
        h('tr', {}, h('th', { scope: 'row' }, t('withoutNeeds')), h('td', {}, pct(f.comparableShare)), h('td', {}, pct(f.comparableMedianBest))),
        h('tr', {}, h('th', { scope: 'row' }, t('difference')), h('td', {}, pct(f.shareDifference)), h('td', {}, pct(f.medianBestDifference)))))
      : h('p', {}, t('needsFiguresHidden')),
    h('h2', {}, t('placements')),
    r.placements ? placementTable(r.placements, r.minCellPeople) : h('p', {}, t('placementsNone')),
    h('h2', {}, t('allocation')),
    h('table', {}, h('caption', {}, t('allocation')),
      h('thead', {}, h('tr', {}, ['', t('plain'), t('allocated')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, t('vacShare')), h('td', {}, pct(a.shareVacanciesWithSuggestion)), h('td', {}, pct(b.shareVacanciesWithSuggestion))),
        h('tr', {}, h('th', { scope: 'row' }, t('seekShare')), h('td', {}, pct(a.shareSeekersWithSuggestion)), h('td', {}, pct(b.shareSeekersWithSuggestion))),
        h('tr', {}, h('th', { scope: 'row' }, t('gini')), h('td', {}, (a.giniSuggestionsPerVacancy || 0).toFixed(2)), h('td', {}, (b.giniSuggestionsPerVacancy || 0).toFixed(2))))),
  ].filter(Boolean));
}

// ---- Routing ------------------------------------------------------------------

function route() {
  translateStatic();
  const langButton = document.getElementById('lang');
  langButton.textContent = language() === 'da' ? 'English' : 'Dansk';
  langButton.lang = language() === 'da' ? 'en' : 'da';
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [page, a, b] = parts;
  if (page === 'vacancy' && a) return viewList('vacancy', a);
  if (page === 'seeker' && a) return viewList('seeker', a);
  if (page === 'pair' && a && b) return viewPair(a, b);
  if (page === 'whynot' && a && b) return viewWhyNot(a, b, parts[3]);
  if (page === 'plan' && a) return viewPlan(a);
  if (page === 'report') return viewReport();
  return viewFind();
}

const keyInput = document.getElementById('api-key');
keyInput.value = sessionStorage.getItem('jobmatch-api-key') || '';
keyInput.addEventListener('change', () => { sessionStorage.setItem('jobmatch-api-key', keyInput.value); route(); });
document.getElementById('lang').addEventListener('click', () => {
  setLanguage(language() === 'da' ? 'en' : 'da');
  route();
});
window.addEventListener('hashchange', route);
route();
