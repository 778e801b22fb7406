// The workspace's words in Danish (default) and English.
const words = {
  da: {
    skip: 'Gå til indhold', tagline: 'arbejdsplads for virksomhedskonsulenter', mainNav: 'Hovedmenu',
    navFind: 'Find', navReport: 'Natlig rapport', apiKey: 'API-nøgle', loading: 'Indlæser…',
    footer: 'Funktionsbehov vises kun, hvor din adgang tillader det. Alle opslag logges.',
    findTitle: 'Find et opslag eller en ledig', findKind: 'Hvad søger du?', vacancy: 'Opslag',
    seeker: 'Ledig', query: 'Id, virksomhed (CVR-id) eller stillingskode (DISCO)', search: 'Søg',
    results: 'Resultater', noResults: 'Ingen fundet.', open: 'Åbn',
    vacancyTitle: 'Opslag', seekerTitle: 'Ledig', employer: 'Virksomhed', occupation: 'Stilling (DISCO)',
    kind: 'Type', hours: 'Timer/uge', openings: 'Stillinger', municipality: 'Kommune',
    filters: 'Filtre', kinds: 'Opslagstype', municipalities: 'Kommunekoder (kommasepareret)',
    minScore: 'Mindste score (%)', radius: 'Højst transporttid (min)', apply: 'Anvend filtre',
    ranked: 'Rangeret liste', rank: 'Nr.', id: 'Id', score: 'Score og faktorer', verdict: 'Vurdering',
    commute: 'Transport', skills: 'Kompetencer', check: 'Afklar med virksomheden',
    feedback: 'Status', more: 'Vis flere', matched: 'matcher', missing: 'mangler',
    explain: 'Forklaring', whyNotTitle: 'Hvorfor ikke?', whyNotSeeker: 'Ledigs id',
    whyNotVacancy: 'Opslagets id', ask: 'Spørg', outcome: 'Udfald', reason: 'Begrundelse', save: 'Gem',
    saved: 'Gemt', none: '—', minutes: 'min',
    SHORTLISTED: 'På kortliste', CONTACTED: 'Kontaktet', HIRED: 'Ansat', REJECTED: 'Afvist',
    FEEDBACK_OUTCOME_UNSPECIFIED: 'Ingen',
    REJECTION_REASON_UNSPECIFIED: 'Vælg begrundelse', SKILLS_INSUFFICIENT: 'Kompetencer rækker ikke',
    COMMUTE_TOO_LONG_IN_PRACTICE: 'Transport for lang i praksis', HOURS_DO_NOT_FIT: 'Timer passer ikke',
    ACCOMMODATION_NOT_AVAILABLE: 'Tilpasning ikke mulig', SEEKER_DECLINED: 'Ledig takkede nej',
    EMPLOYER_DECLINED: 'Virksomhed takkede nej', POSITION_FILLED: 'Stilling besat',
    OTHER_REASON_CODE: 'Anden grund',
    FEASIBLE: 'Mulig', INFEASIBLE: 'Ikke mulig', NEEDS_CHECK: 'Afklar først',
    ORDINARY: 'Ordinær', FLEKSJOB: 'Fleksjob', LOENTILSKUD: 'Løntilskud',
    VIRKSOMHEDSPRAKTIK: 'Virksomhedspraktik', APPRENTICESHIP: 'Lærlinge-/elevplads',
    WALK: 'gang', BICYCLE: 'cykel', CAR: 'bil', PUBLIC_TRANSPORT: 'offentlig transport',
    ESSENTIAL_SKILLS: 'Nødvendige kompetencer', OPTIONAL_SKILLS: 'Ønskede kompetencer',
    EDUCATION: 'Uddannelse', OCCUPATION_FIT: 'Stilling', COMMUTE: 'Transport', HOURS_FIT: 'Timer',
    NEEDS_FIT: 'Behov', pairTitle: 'Forklaring af et match', total: 'Samlet score',
    requirementsFit: 'Opfylder krav', preferenceFit: 'Passer til ønsker', factor: 'Faktor',
    part: 'Bidrag', evidence: 'Grundlag', matchedSkills: 'Kompetencer der matcher',
    plan: 'Opkvalificeringsplan', planIntro: 'Kompetencer den ledige mangler, nødvendige først:',
    planNone: 'Ingen manglende kompetencer.', essential: 'nødvendig', optional: 'ønsket',
    needsMet: 'Behov der er dækket', needsCheck: 'Behov at afklare med virksomheden',
    schemes: 'Mulige ordninger', trace: 'Beslutning', via: 'via', blocker: 'Forhindring',
    reportTitle: 'Natlig rapport', reportNone: 'Der er endnu ingen færdig natlig kørsel.',
    startRun: 'Start en kørsel nu', coverage: 'Dækning pr. kommune', coverageGroup: 'Dækning pr. målgruppe',
    share: 'Andel med match', seekers: 'Ledige', vacancies: 'Opslag', withMatch: 'Med match',
    fairness: 'Retfærdighed: ledige med og uden funktionsbehov', withNeeds: 'Med behov',
    withoutNeeds: 'Sammenlignelige uden behov', difference: 'Forskel', allocation: 'Fordeling',
    plain: 'Uden fordeling', allocated: 'Med fordeling', vacShare: 'Opslag med forslag',
    seekShare: 'Ledige med forslag', gini: 'Gini (forslag pr. opslag)', bestScores: 'Bedste score pr. ledig',
    whyNotAnswer: 'Svar', error: 'Fejl', back: 'Tilbage til listen', needsHidden:
    'Funktionsbehov er skjult for din adgang.', candidates: 'kandidater', shown: 'vist',
    findVacancyMatches: 'Bedste ledige til opslaget', findSeekerMatches: 'Bedste opslag til den ledige',
    notFound: 'Ikke fundet', targetGroup: 'Målgruppe', legend: 'Farver i søjlerne', fitAndPart: 'Opfyldt → bidrag til score', runStarted: 'Kørslen er startet; genindlæs om lidt.',
  },
  en: {
    skip: 'Skip to content', tagline: 'workspace for employer-service consultants', mainNav: 'Main menu',
    navFind: 'Find', navReport: 'Nightly report', apiKey: 'API key', loading: 'Loading…',
    footer: 'Functional needs are shown only where your access allows. Every lookup is logged.',
    findTitle: 'Find a vacancy or a seeker', findKind: 'What are you looking for?', vacancy: 'Vacancy',
    seeker: 'Seeker', query: 'Id, employer (id) or occupation code (ISCO)', search: 'Search',
    results: 'Results', noResults: 'None found.', open: 'Open',
    vacancyTitle: 'Vacancy', seekerTitle: 'Seeker', employer: 'Employer', occupation: 'Occupation (ISCO)',
    kind: 'Kind', hours: 'Hours/week', openings: 'Openings', municipality: 'Municipality',
    filters: 'Filters', kinds: 'Vacancy kind', municipalities: 'Municipality codes (comma-separated)',
    minScore: 'Minimum score (%)', radius: 'Maximum commute (min)', apply: 'Apply filters',
    ranked: 'Ranked list', rank: 'Rank', id: 'Id', score: 'Score and factors', verdict: 'Verdict',
    commute: 'Commute', skills: 'Skills', check: 'Check with the employer',
    feedback: 'Status', more: 'Show more', matched: 'matched', missing: 'missing',
    explain: 'Explanation', whyNotTitle: 'Why not?', whyNotSeeker: 'Seeker id',
    whyNotVacancy: 'Vacancy id', ask: 'Ask', outcome: 'Outcome', reason: 'Reason', save: 'Save',
    saved: 'Saved', none: '—', minutes: 'min',
    SHORTLISTED: 'Shortlisted', CONTACTED: 'Contacted', HIRED: 'Hired', REJECTED: 'Rejected',
    FEEDBACK_OUTCOME_UNSPECIFIED: 'None',
    REJECTION_REASON_UNSPECIFIED: 'Choose a reason', SKILLS_INSUFFICIENT: 'Skills insufficient',
    COMMUTE_TOO_LONG_IN_PRACTICE: 'Commute too long in practice', HOURS_DO_NOT_FIT: 'Hours do not fit',
    ACCOMMODATION_NOT_AVAILABLE: 'Accommodation not available', SEEKER_DECLINED: 'Seeker declined',
    EMPLOYER_DECLINED: 'Employer declined', POSITION_FILLED: 'Position filled',
    OTHER_REASON_CODE: 'Other reason',
    FEASIBLE: 'Feasible', INFEASIBLE: 'Not feasible', NEEDS_CHECK: 'Check first',
    ORDINARY: 'Ordinary', FLEKSJOB: 'Flex job', LOENTILSKUD: 'Wage subsidy',
    VIRKSOMHEDSPRAKTIK: 'Company internship', APPRENTICESHIP: 'Apprenticeship',
    WALK: 'walking', BICYCLE: 'bicycle', CAR: 'car', PUBLIC_TRANSPORT: 'public transport',
    ESSENTIAL_SKILLS: 'Essential skills', OPTIONAL_SKILLS: 'Optional skills',
    EDUCATION: 'Education', OCCUPATION_FIT: 'Occupation', COMMUTE: 'Commute', HOURS_FIT: 'Hours',
    NEEDS_FIT: 'Needs', pairTitle: 'Explanation of a match', total: 'Total score',
    requirementsFit: 'Meets requirements', preferenceFit: 'Fits preferences', factor: 'Factor',
    part: 'Contribution', evidence: 'Evidence', matchedSkills: 'Matched skills',
    plan: 'Upskilling plan', planIntro: 'Skills the seeker lacks, essential first:',
    planNone: 'No missing skills.', essential: 'essential', optional: 'optional',
    needsMet: 'Needs met', needsCheck: 'Needs to check with the employer',
    schemes: 'Possible schemes', trace: 'Decision', via: 'via', blocker: 'Blocker',
    reportTitle: 'Nightly report', reportNone: 'There is no finished nightly run yet.',
    startRun: 'Start a run now', coverage: 'Coverage by municipality', coverageGroup: 'Coverage by target group',
    share: 'Share with a match', seekers: 'Seekers', vacancies: 'Vacancies', withMatch: 'With a match',
    fairness: 'Fairness: seekers with and without functional needs', withNeeds: 'With needs',
    withoutNeeds: 'Comparable without needs', difference: 'Difference', allocation: 'Allocation',
    plain: 'Without allocation', allocated: 'With allocation', vacShare: 'Vacancies with a suggestion',
    seekShare: 'Seekers with a suggestion', gini: 'Gini (suggestions per vacancy)', bestScores: 'Best score per seeker',
    whyNotAnswer: 'Answer', error: 'Error', back: 'Back to the list', needsHidden:
    'Functional needs are hidden for your access.', candidates: 'candidates', shown: 'shown',
    findVacancyMatches: 'Best seekers for the vacancy', findSeekerMatches: 'Best vacancies for the seeker',
    notFound: 'Not found', targetGroup: 'Target group', legend: 'Colours in the bars', fitAndPart: 'Fit → part of the score', runStarted: 'The run has started; reload in a moment.',
  },
};

let lang = localStorage.getItem('jobmatch-lang') === 'en' ? 'en' : 'da';

export function language() { return lang; }
export function setLanguage(l) {
  lang = l === 'en' ? 'en' : 'da';
  localStorage.setItem('jobmatch-lang', lang);
}
// The word for `key` (an enum value name falls back to itself).
export function t(key) { return (words[lang] && words[lang][key]) || words.da[key] || key; }

// Applies the words to the page's static parts.
export function translateStatic(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}
