import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { dashboardRouter } from '../../src/api/dashboard/router';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { createLogger } from '../../src/runtime/logger';
import { SlaClock } from '../../src/sla/clock';
import { registerAccount, saveTimeline } from '../../src/store/repositories/channel-accounts';
import { saveActiveModel } from '../../src/store/repositories/classifier-models';
import { bearer, seedDepartments, clockedPipeline } from '../support/app';
import { closeBrowser, launchBrowser, openPage } from '../support/browser';
import { CONTRAST_FAILURES } from '../support/contrast';
import { clearCollections, useTestDatabase } from '../support/database';
import { serveOnLoopback, type Served } from '../support/serve';

const XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const XSS_NAME = '<img src=x onerror="window.__pwned=3">';
const SCREENSHOT = path.join(os.tmpdir(), 'switchboard-dashboard.png');
const TOKEN_KEY = 'switchboard.dashboard.token';

/**
 * The app as src/runtime/start.ts composes it (SLA clock and figures; testApp() has no SLA deps) with
 * the test classifier. Until createApp mounts the dashboard, the same router goes in front here.
 */
async function dashboardApp(): Promise<Express> {
  const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;
  const clock = new SlaClock(policyOf);
  const app = createApp({
    logger: createLogger('silent'),
    pipeline: clockedPipeline(clock),
    ingest: { maxBytes: 64 * 1024, maxBatch: 50 },
    events: clock,
    sla: { policyOf },
  });
  if ((await request(app).get('/dashboard')).status !== 404) return app;
  const outer = express();
  outer.use(dashboardRouter());
  outer.use(app);
  return outer;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const raw = (auth: string) => auth.replace(/^Bearer /, '');

async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.fill('#token', token);
  await page.click('#login-submit');
}

describe('dashboard in headless Chromium', function () {
  this.timeout(60_000);
  useTestDatabase();
  let app: Express;
  let served: Served | undefined;
  let base: string;
  let browser: Browser | undefined;
  let manager: string;
  let agent: string;
  const ids: Record<string, string> = {};

  before(async () => {
    browser = await launchBrowser();
    await clearCollections();
    await seedDepartments();
      app = await dashboardApp();
    served = await serveOnLoopback(app);
    base = served.url;

    manager = await bearer('manager');
    agent = await bearer('agent');
    const ingest = await bearer('ingest');
    const seed = async (key: string, text: string, ago: number, author: Record<string, string>, department: string) => {
      const res = await request(app).post('/api/ingest').set('Authorization', ingest).send({ source: 'e2e', externalId: key, author, text, createdAt: minutesAgo(ago) }).expect(200);
      assert.equal(res.body.results[0].department, department, `seed "${key}" routed`);
      ids[key] = res.body.results[0].conversationId;
    };
    await seed('atRisk', 'my thermostat is broken again', 52, { name: 'Dana Weiss', handle: '@dana' }, 'support');
    await seed('sales', 'what is the price for 40 units?', 10, { name: 'Jo Bauer', handle: '@jo' }, 'sales');
    await seed('product', 'feature request: a dark mode for the app', 120, { name: 'Kim', handle: '@kim' }, 'product');
    await seed('hr', 'any job openings in Berlin?', 30, { handle: '@applicant' }, 'hr');
    await seed('moved', 'maybe we can talk about a quote', 25, { name: 'Sam', handle: '@sam' }, 'triage');
    await seed('xss', XSS, 15, { name: XSS_NAME, handle: '@mallory' }, 'triage');
    await seed('resolved', 'the app is broken after the update', 180, { name: 'Lee', handle: '@lee' }, 'support');
    await seed('late', 'my thermostat is broken, hello?', 75, { name: 'Ole', handle: '@ole' }, 'support');
    await request(app).patch(`/api/conversations/${ids.moved}`).set('Authorization', manager).send({ department: 'sales', reason: 'asks for a quote' }).expect(200);
    await request(app).patch(`/api/conversations/${ids.resolved}`).set('Authorization', manager).send({ status: 'resolved' }).expect(200);
    // an X account whose DM timeline X refuses while mentions work
    await registerAccount({ channel: 'x', account: 'kestrel' });
    await saveTimeline({ channel: 'x', account: 'kestrel' }, 'mentions', { status: 'active', lastSuccessAt: new Date() });
    await saveTimeline({ channel: 'x', account: 'kestrel' }, 'dms', { status: 'failing', lastError: 'X API refused the credentials (403): Your app may not read Direct Messages', lastErrorAt: new Date(), pauseReason: 'refused until the credentials change' });
    await saveActiveModel({ labels: ['support', 'sales', 'product', 'hr', 'other'], trainedOn: 120, metrics: { heldOut: 20, candidate: { accuracy: 0.9, macroF1: 0.88 } }, data: '{}' });
  });

  after(async () => {
    await closeBrowser(browser);
    await served?.close();
  });

  it('serves the page and its files with a strict CSP and no inline script or style', async () => {
    const page = await request(app).get('/dashboard').expect(200).expect('content-type', /text\/html/);
    const csp = page.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'every script is a file');
    assert.doesNotMatch(page.text, /\s(style|on[a-z]+)=/i, 'no inline style or handler');
    const js = await request(app).get('/dashboard/assets/main.js').expect(200).expect('content-type', /javascript/);
    assert.match(js.headers['content-security-policy'] ?? '', /script-src 'self'/);
    await request(app).get('/dashboard/assets/..%2frouter.ts').expect(404);
    await request(app).get('/dashboard/router.ts').expect(404);
  });

  it('shows a manager the figures, the at-risk list, triage, decisions and the model, with customer text as text', async () => {
    const { context, page, problems } = await openPage(browser!);
    const sentAuth = new Set<string>();
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) sentAuth.add(r.headers().authorization ?? '(none)');
    });
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');

    const states = await page.$$eval('[data-panel]', (els) => els.map((e) => `${e.getAttribute('data-panel')}: ${(e as HTMLElement).dataset.state} ${e.querySelector('.panel-error')?.textContent ?? ''}`.trim()));
    assert.deepEqual(states.filter((s) => !s.endsWith(': loaded')), [], 'every panel loaded');
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY), raw(manager));
    assert.deepEqual([...sentAuth], [manager], 'every API call carries the Bearer token');

    // tiles: one per department, the numbers the API gives for the same window
    const to = new Date();
    const report = await request(app).get('/api/reports/sla').query({ from: new Date(to.getTime() - 7 * 86_400_000).toISOString(), to: to.toISOString(), groupBy: 'department' }).set('Authorization', manager).expect(200);
    const groups = new Map<string, { backlog: number; breaches: number }>(report.body.data.groups.map((g: { key: string }) => [g.key, g]));
    for (const key of ['support', 'sales', 'product', 'hr', 'other']) {
      const tile = page.locator(`[data-panel="tiles"] [data-department="${key}"]`);
      const backlog = (await tile.locator('[data-figure="backlog"] .value').textContent()) ?? '';
      const breaches = (await tile.locator('[data-figure="breaches"] .value').textContent()) ?? '';
      assert.deepEqual([key, Number(backlog), Number(breaches)], [key, groups.get(key)?.backlog ?? 0, groups.get(key)?.breaches ?? 0]);
      assert.match((await tile.locator('[data-figure="withinSla"] .value').textContent()) ?? '', /^(\d+%|—)$/);
      assert.match((await tile.locator('[data-figure="frt"] .value').textContent()) ?? '', /^(—|\d.*) · (—|\d.*)$/);
    }
    assert.ok(Number(await page.locator('[data-department="support"] [data-figure="backlog"] .value').textContent()) >= 1, 'support has an open conversation');
    assert.ok((await page.locator('[data-panel="chart"] svg rect.volume').count()) >= 1, 'the chart has bars');

    const firstAtRisk = page.locator('[data-panel="atRisk"] tbody tr').first();
    assert.equal(await firstAtRisk.getAttribute('data-id'), ids.atRisk);
    const atRiskText = (await firstAtRisk.textContent()) ?? '';
    for (const part of ['my thermostat is broken again', 'First response', 'Customer support', 'Dana Weiss']) assert.ok(atRiskText.includes(part), `at-risk row shows "${part}": ${atRiskText}`);
    // the breached list is its own, each list with the total the API counts
    const watch = (await request(app).get('/api/conversations/at-risk').query({ limit: 10 }).set('Authorization', manager).expect(200)).body.data;
    const breachedIds = await page.$$eval('[data-panel="atRisk"] [data-list="breached"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id')));
    assert.ok(breachedIds.includes(ids.late!) && !breachedIds.includes(ids.atRisk!), `breached: ${breachedIds.join(', ')}`);
    assert.equal(await page.locator('[data-panel="atRisk"] [data-list="at-risk"] h3').textContent(), `At risk · ${watch.atRisk.total}`);
    assert.equal(await page.locator('[data-panel="atRisk"] [data-list="breached"] h3').textContent(), `Breached, still open · ${watch.breached.total}`);

    const triageIds = await page.$$eval('[data-panel="triage"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-id')));
    assert.ok(triageIds.includes(ids.xss!) && !triageIds.includes(ids.moved!), `triage queue: ${triageIds.join(', ')}`);
    const xssRow = page.locator(`[data-panel="triage"] tr[data-id="${ids.xss}"]`);
    assert.equal(await xssRow.locator('td.preview').textContent(), XSS);
    assert.ok(((await xssRow.textContent()) ?? '').includes(XSS_NAME));
    // the model found no word it knows: its guess and a close second (a tie) are both shown
    assert.equal(await xssRow.locator('.runner-up').textContent(), ' · close second: People (HR) 20%');

    const manual = page.locator(`[data-panel="routing"] li[data-method="manual"][data-conversation="${ids.moved}"]`);
    const manualText = (await manual.textContent()) ?? '';
    for (const part of ['Triage → Sales', 'by token:test-manager', 'asks for a quote']) assert.ok(manualText.includes(part), `correction shows "${part}": ${manualText}`);
    const decision = (await page.locator(`[data-panel="routing"] li[data-method="model"][data-conversation="${ids.atRisk}"]`).textContent()) ?? '';
    assert.ok(decision.includes('Routed to Customer support') && decision.includes('90% confident'), decision);
    assert.match((await page.locator('[data-panel="model"] .version').textContent()) ?? '', /^Model version 1, in use since /);
    // routing quality in plain words, departments by name: 6 sent to a department and none moved; 2 of 8 to triage
    assert.equal(await page.locator('[data-panel="model"] .quality-summary').textContent(), '100% routed right, 25% needed triage');
    assert.ok(((await page.locator('[data-panel="model"] .facts').textContent()) ?? '').includes('Customer support'));
    // the chart's numbers are in a table for screen readers, the SVG is hidden from them
    assert.equal(await page.locator('[data-panel="chart"] svg').getAttribute('aria-hidden'), 'true');
    const chartRows = await page.$$eval('[data-panel="chart"] table.chart-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(chartRows.length, 8, 'a row per day of the 7-day window');
    assert.equal(chartRows.reduce((n, r) => n + Number(r[1]), 0), 8, 'the table counts every conversation of the window');
    const dmRow = (await page.locator('[data-panel="channels"] tr[data-id="x:kestrel:dms"]').textContent()) ?? '';
    for (const part of ['stopped', 'refused until the credentials change', 'Your app may not read Direct Messages']) assert.ok(dmRow.includes(part), `DM timeline shows "${part}": ${dmRow}`);
    assert.ok(((await page.locator('[data-panel="channels"] tr[data-id="x:kestrel:mentions"]').textContent()) ?? '').includes('ok'));

    // the script and image arrived as text: nothing ran, no element was made from them
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await page.locator('script').count(), 1);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`      dashboard screenshot: ${SCREENSHOT}`);
    assert.ok(fs.statSync(SCREENSHOT).size > 10_000);

    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY), null);
    assert.equal(await page.locator('#dashboard').isHidden(), true);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a wrong token shows the API error on the form; an agent token is sent back with the role message', async () => {
    const { context, page, problems } = await openPage(browser!);
    await signIn(page, base, 'not-a-real-token');
    await page.waitForSelector('#login-message.error');
    assert.equal(await page.locator('#login-message').textContent(), 'API token is not valid (unknown)');
    assert.equal(await page.locator('#dashboard').isHidden(), true);
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY), null);

    await page.fill('#token', raw(agent));
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('#login-message')?.textContent?.includes('role manager'));
    assert.equal(await page.locator('#login').isVisible(), true);
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY), null);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('says how many more conversations each list holds than it shows', async () => {
    const { context, page, problems } = await openPage(browser!);
    const row = { id: ids.atRisk, department: 'support', status: 'open', customer: { name: 'Dana Weiss' }, preview: 'my thermostat is broken again', target: 'firstResponse', dueAt: new Date(Date.now() + 5 * 60_000).toISOString(), elapsedShare: 0.92 };
    const data = { atRisk: { total: 25, items: [row] }, breached: { total: 0, items: [] } };
    await page.route('**/api/conversations/at-risk**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data }) }));
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    assert.equal(await page.locator('[data-panel="atRisk"] [data-list="at-risk"] .more').textContent(), '24 more');
    assert.equal(await page.locator('[data-panel="atRisk"] [data-list="breached"] .more').count(), 0);
    assert.equal(await page.locator('[data-panel="atRisk"] [data-list="breached"] .empty').textContent(), 'No open conversation is past due.');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('one failing endpoint shows its error in its panel; the others still render', async () => {
    const { context, page, problems } = await openPage(browser!);
    await page.route('**/api/reports/sla/daily**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'internal error' } }) }),
    );
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    assert.equal(await page.getAttribute('[data-panel="chart"]', 'data-state'), 'error');
    assert.equal(await page.locator('[data-panel="chart"] .panel-error').textContent(), 'Could not load this panel: internal error');
    for (const name of ['tiles', 'atRisk', 'triage', 'routing', 'model', 'channels']) {
      assert.equal(await page.getAttribute(`[data-panel="${name}"]`, 'data-state'), 'loaded', name);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a German browser sees German labels, numbers and Slack-free texts; the chart says when it has nothing to show', async () => {
    const { context, page, problems } = await openPage(browser!, { locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await page.goto(`${base}/dashboard`);
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    assert.equal(await page.locator('#login-title').textContent(), 'Anmelden');
    assert.equal(await page.locator('#login-submit').textContent(), 'Anmelden');
    await page.fill('#token', raw(manager));
    await page.click('#login-submit');
    await page.waitForSelector('body[data-state="ready"]');
    assert.equal(await page.locator('#h-tiles').textContent(), 'Abteilungen');
    assert.equal(await page.locator('#refresh').textContent(), 'Aktualisieren');
    assert.equal(await page.locator('[data-department="support"] [data-figure="backlog"]').locator('xpath=..').locator('dt').textContent(), 'Offen');
    assert.match((await page.locator('[data-panel="model"] .quality-summary').textContent()) ?? '', /^100\s%\srichtig zugeordnet, 25\s%\sbrauchten Triage$/);
    assert.match((await page.locator('[data-panel="chart"] .meta').textContent()) ?? '', /Tage in Europe\/Berlin/);
    assert.equal(await page.locator('#chart-department option[value=""]').textContent(), 'Alle Abteilungen');
    // no agent has answered yet: no axis of "0 min / 1 min", a sentence instead
    await page.selectOption('#chart-metric', 'frt');
    await page.waitForFunction(() => document.querySelector('[data-panel="chart"] .empty')?.textContent === 'Noch keine ersten Antworten in diesem Zeitraum.');
    assert.equal(await page.locator('[data-panel="chart"] svg').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('asks the API for days in the viewer\'s time zone and counts them there', async () => {
    const { context, page, problems } = await openPage(browser!, { timezoneId: 'Pacific/Kiritimati' });
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/reports/sla/daily') asked.push(url.searchParams.get('tz') ?? '(none)');
    });
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(asked, ['Pacific/Kiritimati']);
    const res = await request(app).get('/api/reports/sla/daily').query({ tz: 'Pacific/Kiritimati' }).set('Authorization', manager).expect(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    assert.equal(res.body.data.at(-1).date, today, 'the last day is today there (UTC+14)');
    const bad = await request(app).get('/api/reports/sla/daily').query({ tz: 'Mars/Olympus' }).set('Authorization', manager).expect(400);
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field), ['tz']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('fits a 390 px phone: no horizontal scroll, table rows stacked with their column names', async () => {
    const { context, page, problems } = await openPage(browser!, { width: 390 });
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `page is ${await page.evaluate(() => document.documentElement.scrollWidth)} px wide`);
    const offscreen = await page.$$eval('header button, header select, main *', (els) =>
      els.filter((e) => e.getClientRects().length > 0 && !e.closest('.visually-hidden') && e.getBoundingClientRect().right > 390.5).map((e) => `${e.tagName}.${e.className}`),
    );
    assert.deepEqual(offscreen, [], 'nothing reaches past the right edge');
    const label = await page.locator('[data-panel="triage"] tbody tr td.preview').first().evaluate((td) => getComputedStyle(td, '::before').content);
    assert.equal(label, '"Message"');
    await page.screenshot({ path: path.join(os.tmpdir(), 'switchboard-dashboard-390.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('says how many feedback themes and conversations the digest leaves out', async () => {
    const { context, page, problems } = await openPage(browser!);
    await page.route('**/api/feedback/digest**', async (route) => {
      const real = await route.fetch();
      const body = (await real.json()) as { data: Record<string, unknown> };
      await route.fulfill({ response: real, json: { data: { ...body.data, more: { themes: 4, conversations: 9 } } } });
    });
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    assert.equal(await page.locator('[data-panel="feedback"] .more-themes').textContent(), '4 more themes with 9 conversations');
    assert.ok((await page.locator('[data-panel="feedback"] .theme').count()) >= 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('keeps every text at WCAG AA contrast (4.5:1, 3:1 for large text)', async () => {
    const { context, page, problems } = await openPage(browser!);
    await signIn(page, base, raw(manager));
    await page.waitForSelector('body[data-state="ready"]');
    const failures = await page.evaluate<string[]>(CONTRAST_FAILURES);
    assert.deepEqual(failures, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
