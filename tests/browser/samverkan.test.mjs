// samverkan.test.mjs — a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core) fills in a collaboration meeting on the real
// rost-agg over HTTPS the way a vårdcentral would on a laptop: signs in,
// opens Samverkan, picks type and year, enters participant counts, rates
// and comments statements with the keyboard and the mouse, reloads half-way
// (everything saved is still there), marks it Klar (locked, no inputs
// left), and an admin reopens it.  No JavaScript on the pages; nothing
// loaded from outside.  Screenshots (screen and print) go to OUT_DIR.
// Usage: node samverkan.test.mjs BASE OUT UNIT_USER UNIT_PW ADMIN ADMIN_PW TYPE YEAR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, outDir, user, password, admin, adminPw, type, year] = process.argv.slice(2);
let fails = 0, checks = 0;
const ok = (cond, msg) => {
  checks++;
  if (!cond) { fails++; console.log('FAIL - ' + msg); }
};

async function browser(name) {
  const profile = fs.mkdtempSync(path.join(outDir, 'chromium-' + name + '-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
    javaScriptEnabled: false,          // the pages must work without it
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// After a form post: the redirect committed and the new page is parsed.
// (Chromium does not report "load" for a 303 to a URL with a #fragment
// when scripts are off, so wait for the page's own marker instead.)
async function settled(p) {
  await p.waitForSelector('main', { state: 'attached' });
}

async function signIn(page, u, pw) {
  await page.goto(base + '/login');
  await page.fill('#user', u);
  await page.fill('#password', pw);
  await Promise.all([page.waitForURL(/\/dashboard/, { waitUntil: 'commit' }), page.click('#signin')]);
  await settled(page);
}

const ctx = await browser('unit');
const page = ctx.pages()[0] || await ctx.newPage();
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
await signIn(page, user, password);
await page.goto(base + '/samverkan');
ok((await page.title()).includes('Samverkan'), 'Samverkan page title');

// Pick type and year with the keyboard-reachable form.
await page.selectOption('#type', type);
await page.selectOption('#year', year);
await Promise.all([page.waitForURL(/\/samverkan\/form/, { waitUntil: 'commit' }),
                   page.click('form.pick button[type=submit]')]);
ok(page.url().includes('type=' + type) && page.url().includes('year=' + year),
   'form opened for the type and year: ' + page.url());

// Accessibility basics: every radio and textarea has a label, every
// question is a fieldset with a legend, the type is projector-sized.
const a11y = await page.evaluate(() => {
  const unlabeled = [...document.querySelectorAll('input:not([type=hidden]),textarea,select')]
    .filter((el) => !(el.id && document.querySelector(`label[for="${el.id}"]`)));
  const fieldsets = [...document.querySelectorAll('form.q fieldset')];
  return {
    unlabeled: unlabeled.map((e) => e.name || e.id),
    questions: fieldsets.length,
    legends: fieldsets.filter((f) => f.querySelector('legend')).length,
    fontPx: parseFloat(getComputedStyle(document.body).fontSize),
    scripts: document.querySelectorAll('script').length,
  };
});
ok(a11y.unlabeled.length === 0, 'every input has a label: ' + a11y.unlabeled.join(','));
ok(a11y.questions === 31 && a11y.legends === 31, `31 questions as fieldsets with legends (${a11y.questions}/${a11y.legends})`);
ok(a11y.fontPx >= 20, 'projector-sized type (body ' + a11y.fontPx + 'px)');
ok(a11y.scripts === 0, 'no script element');

// Participants: counts only.
await page.fill('#n-chef-region', '1');
await page.fill('#n-sjukskoterska-kommun', '2');
await page.fill('#n-lakare-region', '1');
await Promise.all([page.waitForURL(/sparad=deltagare/, { waitUntil: 'commit' }),
                   page.click('#deltagare button[type=submit]')]);
ok(await page.inputValue('#n-sjukskoterska-kommun') === '2', 'participant count saved');

// First statement with the mouse, then the next with the keyboard only.
await page.check('#regelbundna_moten-2');
await page.fill('#c-regelbundna_moten', 'Möts varje månad, ring 070-123 45 67');
await Promise.all([page.waitForURL(/sparad=regelbundna_moten/, { waitUntil: 'commit' }),
                   page.click('#q-regelbundna_moten button[type=submit]')]);
ok(page.url().endsWith('#q-kand_sjukskoterska'), 'after saving, the page goes on at the next question: ' + page.url());
ok((await page.textContent('#q-regelbundna_moten')).includes('Sparat'), '"Sparat" is told');
await page.focus('#kand_sjukskoterska-0');
await page.keyboard.press('ArrowRight');         // radio group: next option
await page.keyboard.press('ArrowRight');
await page.keyboard.press('Tab');                // to the comment
await page.keyboard.type('Namngiven sjuksköterska finns');
await page.keyboard.press('Tab');                // to Spara
await Promise.all([page.waitForURL(/sparad=kand_sjukskoterska/, { waitUntil: 'commit' }),
                   page.keyboard.press('Enter')]);
  await settled(page);
ok(await page.isChecked('#kand_sjukskoterska-2'), 'keyboard-only answer saved (ganska bra)');

// A free-text-only question.
await page.fill('#c-styrkor', 'Korta kontaktvägar');
await Promise.all([page.waitForURL(/sparad=styrkor/, { waitUntil: 'commit' }),
                   page.click('#q-styrkor button[type=submit]')]);
// The save's page must finish loading first: a reload while it is still
// loading races that navigation ("Not attached to an active page").
await page.waitForLoadState('load');

// Closed lid: a new page load (no cache) has everything.
await page.reload();
ok(await page.isChecked('#regelbundna_moten-2'), 'after reload: rating kept');
ok((await page.inputValue('#c-regelbundna_moten')).includes('[telefon]'),
   'after reload: comment kept, phone number scrubbed');
ok((await page.inputValue('#c-styrkor')) === 'Korta kontaktvägar', 'after reload: free text kept');
ok(await page.inputValue('#n-chef-region') === '1', 'after reload: participants kept');
ok((await page.textContent('[data-status]')).includes('Besvarade: 3 av 31'), 'progress: 3 of 31');
await page.screenshot({ path: path.join(outDir, 'samverkan-form.png'), fullPage: false });

// Klar: locked, nothing to edit.
await Promise.all([page.waitForURL(/\/samverkan\/form/, { waitUntil: 'commit' }), page.click('#klar button[type=submit]')]);
ok(await page.getAttribute('[data-status]', 'data-status') === 'done', 'Klar: the meeting is locked');
ok(await page.locator('textarea, input[type=radio]').count() === 0, 'locked: no inputs left');
ok((await page.textContent('#q-regelbundna_moten')).includes('Stämmer ganska bra'), 'locked: answers shown to the unit');
await page.emulateMedia({ media: 'print' });
await page.screenshot({ path: path.join(outDir, 'samverkan-form-print.png') });
await page.emulateMedia({ media: 'screen' });

// An admin reopens it.
const actx = await browser('admin');
const ap = actx.pages()[0] || await actx.newPage();
await signIn(ap, admin, adminPw);
await ap.goto(base + '/samverkan?year=' + year);
const row = ap.locator('tr', { hasText: 'SE2321000032-VC0101' }).filter({ hasText: type });
ok(await row.count() === 1, 'admin sees the unit\'s meeting');
ok((await row.textContent()).includes('Klar'), 'admin sees it is done');
await Promise.all([ap.waitForURL(/\/samverkan\?year=/, { waitUntil: 'commit' }), row.locator('button').click()]);
  await settled(ap);
ok((await ap.locator('tr', { hasText: 'SE2321000032-VC0101' }).filter({ hasText: type }).textContent()).includes('Pågår'),
   'admin reopened it');
// The compilation, printable.
await ap.goto(base + `/samverkan/sammanstallning?type=${type}&year=${year}`);
ok(await ap.locator('svg.bar').count() > 0, 'compilation has diverging bars');
await ap.emulateMedia({ media: 'print' });
await ap.screenshot({ path: path.join(outDir, 'samverkan-sammanstallning-print.png'), fullPage: true });
await actx.close();

await page.reload();
ok(await page.getAttribute('[data-status]', 'data-status') === 'open', 'unit: open again after the reopening');
await page.check('#regelbundna_moten-2');
ok(await page.isChecked('#regelbundna_moten-2'), 'unit can edit again');
ok(foreign.length === 0, 'nothing loaded from outside: ' + foreign.join(' '));
await ctx.close();
console.log(`samverkan browser: ${checks - fails}/${checks} checks passed`);
process.exit(fails ? 1 : 0);
