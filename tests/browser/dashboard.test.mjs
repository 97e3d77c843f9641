// dashboard.test.mjs — a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core, never a downloaded browser) opens the dashboard
// served by the real rost-agg over HTTPS, signs in through the form, checks
// that every chart point and table row shows the same numbers as the JSON
// API for the same filter, switches unit and period with the form, makes
// sure the page loads nothing from outside the aggregator, and saves PNG
// screenshots (screen and print layout).
// Usage: node dashboard.test.mjs BASE_URL OUT_DIR USER PASSWORD UNIT_A UNIT_B
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, outDir, user, password, unitA, unitB] = process.argv.slice(2);
let fails = 0, checks = 0;
const ok = (cond, msg) => {
  checks++;
  if (!cond) { fails++; console.log('FAIL - ' + msg); }
};

const profile = fs.mkdtempSync(path.join(outDir, 'chromium-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  ignoreHTTPSErrors: true,           // the test CA is not in Chromium's store
  viewport: { width: 1280, height: 900 },
  locale: 'sv-SE',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = context.pages()[0] || await context.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

// 1. Not signed in: the dashboard sends us to the sign-in form.
await page.goto(base + '/dashboard');
ok(page.url().endsWith('/login'), 'unauthenticated dashboard redirects to /login, got ' + page.url());
await page.fill('#user', user);
await page.fill('#password', 'fel-' + password);
await page.click('#signin');
await page.waitForSelector('#msg');
ok((await page.textContent('#msg') || '').includes('Fel användarnamn'), 'wrong password is told in Swedish');
await page.fill('#user', user);
await page.fill('#password', password);
await Promise.all([page.waitForURL('**/dashboard**'), page.click('#signin')]);
ok(page.url().includes('/dashboard'), 'signed in and on the dashboard');
const cookies = await context.cookies();
const sess = cookies.find((c) => c.name === 'pr_session');
ok(sess && sess.httpOnly && sess.secure && sess.sameSite === 'Strict',
   'session cookie is HttpOnly, Secure, SameSite=Strict');

// Compare one card against the API for the filter currently in the form.
async function compareCards(label) {
  const unit = await page.inputValue('#unit');
  const period = await page.inputValue('#period');
  const from = await page.inputValue('#from');
  const to = await page.inputValue('#to');
  const cards = await page.$$('section.card[data-indicator]');
  ok(cards.length >= 4, `${label}: at least four indicator cards (got ${cards.length})`);
  let points = 0, suppressed = 0;
  for (const card of cards) {
    const ind = await card.getAttribute('data-indicator');
    const q = new URLSearchParams({ indicator: ind, unit, period, from, to });
    const resp = await page.request.get(base + '/api/v1/indicators?' + q);
    ok(resp.status() === 200, `${label}/${ind}: API 200 (got ${resp.status()})`);
    const api = await resp.json();
    for (const row of api.series) {
      const cell = unit ? row.unit : row.region;
      const tr = await card.$(`table.series tr[data-period="${row.period}"]`);
      ok(tr !== null, `${label}/${ind}/${row.period}: table row present`);
      if (!tr) continue;
      const td = await tr.$('td.share');
      const pt = await card.$(`circle.pt[data-period="${row.period}"]`);
      if (cell.suppressed) {
        suppressed++;
        ok((await td.getAttribute('data-suppressed')) === '1',
           `${label}/${ind}/${row.period}: suppressed in API and table`);
        ok(pt === null, `${label}/${ind}/${row.period}: no chart point for a suppressed cell`);
      } else if (cell.n === 0) {
        ok(pt === null, `${label}/${ind}/${row.period}: no point without answers`);
      } else {
        points++;
        const want = (cell.share * 100).toFixed(1);
        ok((await td.getAttribute('data-share')) === want,
           `${label}/${ind}/${row.period}: table share ${await td.getAttribute('data-share')} = API ${want}`);
        ok((await td.getAttribute('data-n')) === String(cell.n),
           `${label}/${ind}/${row.period}: table n = API n ${cell.n}`);
        ok(pt !== null && (await pt.getAttribute('data-share')) === want,
           `${label}/${ind}/${row.period}: chart point = API ${want}`);
        ok(pt !== null && (await pt.getAttribute('data-n')) === String(cell.n),
           `${label}/${ind}/${row.period}: chart n = API n`);
      }
    }
  }
  console.log(`${label}: unit=${unit} period=${period} ${from}..${to}: ` +
              `${cards.length} indicators, ${points} points equal to the API, ` +
              `${suppressed} suppressed in both`);
  return { points, suppressed };
}

// 2. Unit A by month over two years, chosen with the form.
await page.selectOption('#unit', unitA);
await page.selectOption('#period', 'month');
await page.fill('#from', '2024-12-01');
await page.fill('#to', '2026-11-30');
await Promise.all([page.waitForURL(/from=2024-12-01/), page.click('#show')]);
ok(page.url().includes('unit=' + unitA), 'form switched to unit A');
const a = await compareCards('month');
ok(a.points > 50, 'many points compared for unit A');
for (const rate of ['svarsfrekvens', 'samarbetsgrad']) {
  const card = await page.$(`section.card[data-indicator="${rate}"]`);
  ok(card !== null, `the phone follow-up's ${rate} has its own card (compared above)`);
}
await page.screenshot({ path: path.join(outDir, 'dashboard.png'), fullPage: true });
await page.screenshot({ path: path.join(outDir, 'dashboard-top.png') });
// The table view opens under its chart.
await page.click('section.card[data-indicator="nojdhet"] details.tbl summary');
ok(await page.isVisible('section.card[data-indicator="nojdhet"] table.series'),
   'the table view opens under the chart');
await page.locator('section.card[data-indicator="nojdhet"]').screenshot(
  { path: path.join(outDir, 'dashboard-card.png') });

// Comments filtered by indicator: only "Nöjdhet" follow-ups remain.
const allComments = await page.$$eval('#comments li', (l) => l.length);
await page.selectOption('select[name=comments]', 'nojdhet');
await Promise.all([page.waitForURL(/comments=nojdhet/), page.click('#show')]);
const texts = await page.$$eval('#comments li', (l) => l.map((e) => e.textContent));
ok(allComments > 0 && texts.length > 0 && texts.every((t) => t.includes('Nöjdhet')),
   `comments filter: ${allComments} comments, ${texts.length} about nöjdhet, all labelled`);
await page.selectOption('select[name=comments]', '');

// 3. Switch to unit B by quarter.
await page.selectOption('#unit', unitB);
await page.selectOption('#period', 'quarter');
await Promise.all([page.waitForURL(/period=quarter/), page.click('#show')]);
ok(page.url().includes('unit=' + unitB) && page.url().includes('period=quarter'),
   'form switched to unit B by quarter');
const b = await compareCards('quarter');
ok(b.points > 10, 'points compared for unit B by quarter');
const label0 = await page.$eval('table.series tr[data-period]', (e) => e.getAttribute('data-period'));
ok(/^\d{4}-K[1-4]$/.test(label0), 'quarter labels look like 2026-K4, got ' + label0);

// 4. The small unit: everything suppressed, nothing leaks into the page.
await page.selectOption('#unit', 'SE2321000032-VC0006');
await page.selectOption('#period', 'month');
await Promise.all([page.waitForURL(/VC0006/), page.click('#show')]);
const c = await compareCards('small unit');
ok(c.suppressed >= 10, "the small unit's small months are suppressed");

// 5. Print layout.
await page.goto(page.url().replace(/unit=[^&]*/, 'unit=' + unitA));
await page.emulateMedia({ media: 'print' });
ok(!(await page.isVisible('form.filter')), 'print layout hides the filter form');
await page.screenshot({ path: path.join(outDir, 'dashboard-print.png'), fullPage: true });
await page.emulateMedia({ media: 'screen' });

// 6. The fleet page "Kiosker": every kiosk as it reported itself.
await page.goto(base + '/dashboard');
await Promise.all([page.waitForURL(/\/dashboard\/kiosker/), page.click('#kiosker')]);
const expect = JSON.parse(process.env.FLEET_EXPECT || '[]');
const rowsOf = () => page.$$eval('#kiosker tbody tr[data-device]', (trs) => trs.map((tr) => {
  const t = (c) => tr.querySelector('td.' + c).textContent.trim();
  return { unit: t('unit'), name: t('name'), software: t('software'), sets: t('sets'),
           queue: t('queue'), contact: t('contact'), state: t('state'),
           stale: tr.classList.contains('stale') };
}));
let rows = await rowsOf();
ok(expect.length === 3, 'three kiosks reported, got ' + expect.length);
for (const e of expect) {
  const r = rows.find((x) => x.name === e.name);
  ok(r && r.unit === e.unit && r.software === e.software && r.sets === e.sets &&
     r.queue === String(e.queue),
     `fleet row ${e.name} equals its report: ${JSON.stringify(r)} vs ${JSON.stringify(e)}`);
  ok(r && /^\d{4}-\d\d-\d\d \d\d:00 UTC$/.test(r.contact), `last contact to the hour: ${r && r.contact}`);
}
const old = rows.find((x) => x.name === 'Gamla kiosken');
const never = rows.find((x) => x.name === 'Aldrig synkad');
const fresh = rows.find((x) => x.name === 'Väntrum A');
ok(old && old.stale && old.state === 'EJ SYNKAD', 'a kiosk silent for five days is marked: ' + JSON.stringify(old));
ok(never && never.stale && never.state === 'aldrig synkad', 'a kiosk never synced is marked');
ok(fresh && !fresh.stale && fresh.state === 'ok', 'a kiosk that reported now is ok');
const staleBg = await page.$eval('#kiosker tr.stale td', (td) => getComputedStyle(td).backgroundColor);
ok(staleBg !== 'rgba(0, 0, 0, 0)', 'stale rows are coloured: ' + staleBg);
// Sorting is server-side: the header links work without script.
await Promise.all([page.waitForURL(/sort=queue/), page.click('#sort-queue')]);
rows = await rowsOf();
const q = rows.filter((r) => r.queue !== '–').map((r) => Number(r.queue));
ok(q.length >= 3 && q.every((v, i) => i === 0 || q[i - 1] <= v), 'sorted by queue, ascending: ' + q);
await Promise.all([page.waitForURL(/sort=-queue/), page.click('#sort-queue')]);
rows = await rowsOf();
const qd = rows.filter((r) => r.queue !== '–').map((r) => Number(r.queue));
ok(qd.every((v, i) => i === 0 || qd[i - 1] >= v) && qd[0] === 7, 'and descending: ' + qd);
await Promise.all([page.waitForURL(/sort=name/), page.click('#sort-name')]);
rows = await rowsOf();
const names = rows.map((r) => r.name);
ok(names.join('|') === [...names].sort().join('|'), 'sorted by name');
const csvHref = await page.$eval('#csv', (a) => a.getAttribute('href'));
ok(csvHref === '/dashboard/kiosker.csv?sort=name', 'CSV link keeps the order: ' + csvHref);
await page.screenshot({ path: path.join(outDir, 'kiosker.png'), fullPage: true });

ok(foreign.length === 0, 'no request left the aggregator: ' + foreign.join(' '));
await context.close();
fs.rmSync(profile, { recursive: true, force: true });
console.log(`browser: ${checks} checks, ${fails} failed`);
process.exit(fails ? 1 : 0);
