// Every console page in Debian's headless Chromium, as a phone (390x844) and a desktop
// (1280x800), each in light and dark: axe-core on each (no serious or critical violation), no
// sideways scroll on the phone, no script error or CSP refusal, and one confirmation dialog
// (cancel does nothing, confirm posts), and an approval with a quality profile picked from the
// instance's list. Run by tests/e2e/console_a11y.rs:
//   USHER_URL=http://127.0.0.1:PORT USHER_COOKIE=name=value USHER_PAGES='["/", …]'
//   USHER_DECLINE_PAGE=/requests/1 USHER_APPROVE_PAGE=/requests/2 USHER_APPROVE_PROFILE=5 \
//   node console.mjs
// Prints one "step: …" line per check, "timing: …" lines with each page's server time, and
// exits non-zero with every failure listed (a browser that cannot start fails too).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const base = process.env.USHER_URL;
const cookie = process.env.USHER_COOKIE;
const pages = JSON.parse(process.env.USHER_PAGES || '[]');
const declinePage = process.env.USHER_DECLINE_PAGE;
const approvePage = process.env.USHER_APPROVE_PAGE;
const approveProfile = process.env.USHER_APPROVE_PROFILE;
const executablePath = process.env.USHER_CHROMIUM || '/usr/bin/chromium';
const repeats = Number(process.env.USHER_TIMING_REPEATS || '7');
if (!base || !cookie || pages.length === 0 || !declinePage || !approvePage || !approveProfile) {
  console.error('USHER_URL, USHER_COOKIE, USHER_PAGES, USHER_DECLINE_PAGE, USHER_APPROVE_PAGE and USHER_APPROVE_PROFILE must be set');
  process.exit(2);
}

const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];
const schemes = ['light', 'dark'];
const failures = [];

function check(condition, what, detail) {
  if (condition) {
    console.log(`step: ${what}`);
  } else {
    failures.push(detail ? `${what}: ${detail}` : what);
    console.log(`FAILED: ${what}${detail ? `: ${detail}` : ''}`);
  }
}

// axe-core is evaluated through the DevTools protocol, so the page's CSP (no inline script)
// stays on and still catches our own mistakes.
async function axeProblems(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
} catch (err) {
  console.error(`BROWSER DID NOT START (${executablePath}): ${err.message}`);
  process.exit(3);
}

try {
  const context = await browser.newContext();
  const eq = cookie.indexOf('=');
  await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: base }]);
  const page = await context.newPage();
  const scriptErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      scriptErrors.push(msg.text());
    }
  });
  page.on('pageerror', (err) => scriptErrors.push(err.message));
  page.on('response', (response) => {
    if (response.url().includes('/static/') && response.status() !== 200) {
      scriptErrors.push(`${response.url()} answered ${response.status()}`);
    }
  });

  // First, that the check can fail: axe must find a critical problem on a bad page.
  await page.setContent('<!doctype html><html lang="en"><title>bad</title><main><img src="/x.png"><input></main></html>');
  const known = await axeProblems(page);
  check(known.some((p) => p.startsWith('image-alt')), 'axe reports a missing alt text as critical', known.join('; '));

  // Every page in every size and scheme.
  for (const viewport of viewports) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of pages) {
        const where = `${path} ${viewport.name} ${scheme}`;
        let response;
        try {
          response = await page.goto(`${base}${path}`);
        } catch (err) {
          check(false, `${where} loads`, err.message.split('\n')[0]);
          continue;
        }
        check(response.status() === 200, `${where} answers 200`, `got ${response.status()}`);
        check(!page.url().includes('/login'), `${where} is shown signed in`, page.url());
        const problems = await axeProblems(page);
        check(problems.length === 0, `${where}: axe finds nothing serious or critical`, problems.join('; '));
        if (viewport.name === 'phone') {
          const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          check(widths[0] <= widths[1], `${where}: no sideways scroll`, `scrollWidth ${widths[0]} > innerWidth ${widths[1]}`);
        }
      }
    }
  }

  // The server's time per page (request sent to first byte), median of a few loads, desktop.
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const path of pages) {
    const samples = [];
    for (let i = 0; i < repeats; i++) {
      const response = await page.goto(`${base}${path}`).catch(() => null);
      if (!response) { break; }
      samples.push(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return nav.responseStart - nav.requestStart;
      }));
    }
    if (samples.length === 0) { continue; }
    samples.sort((a, b) => a - b);
    console.log(`timing: ${path} median ${samples[Math.floor(samples.length / 2)].toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
  }

  // The sign-in page, for someone without a session.
  const stranger = await browser.newContext();
  const signIn = await stranger.newPage();
  for (const viewport of viewports) {
    await signIn.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const scheme of schemes) {
      await signIn.emulateMedia({ colorScheme: scheme });
      await signIn.goto(`${base}/login`);
      const problems = await axeProblems(signIn);
      check(problems.length === 0, `/login ${viewport.name} ${scheme}: axe finds nothing serious or critical`, problems.join('; '));
      if (viewport.name === 'phone') {
        const widths = await signIn.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        check(widths[0] <= widths[1], `/login phone ${scheme}: no sideways scroll`, `${widths[0]} > ${widths[1]}`);
      }
    }
  }
  await stranger.close();

  // Keyboard focus is visible: the first link reached with Tab has an outline.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${base}/`);
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    const style = el ? getComputedStyle(el) : null;
    return style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none';
  });
  check(!outline.startsWith('none') && !outline.endsWith(' 0px'), 'keyboard focus is visible', outline);

  // One confirmation: decline from the request's page on a phone. Cancel leaves it pending;
  // confirm posts it and the page comes back with its notice.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${base}${declinePage}`);
  await page.click('details.decline summary');
  await page.fill('details.decline input[name="reason"]', 'Not this year');
  await page.click('details.decline button[type="submit"]');
  await page.waitForSelector('#confirm-dialog[open]', { timeout: 5000 });
  check(true, 'declining opens the confirmation dialog');
  const dialogProblems = await axeProblems(page);
  check(dialogProblems.length === 0, 'the open dialog: axe finds nothing serious or critical', dialogProblems.join('; '));
  await page.click('#confirm-dialog [data-answer="cancel"]');
  const closed = await page.evaluate(() => !document.getElementById('confirm-dialog').open);
  check(closed && page.url() === `${base}${declinePage}`, 'cancel closes the dialog and stays on the page', page.url());
  await page.click('details.decline button[type="submit"]');
  await page.waitForSelector('#confirm-dialog[open]', { timeout: 5000 });
  const [answer] = await Promise.all([
    page.waitForNavigation({ timeout: 15000 }),
    page.click('#confirm-dialog [data-answer="confirm"]'),
  ]);
  const finalUrl = page.url();
  check(/notice=declined/.test(finalUrl), 'confirm posts the decline and comes back with a notice',
    `${finalUrl} answered ${answer && answer.status()}: ${(await page.textContent('main')).slice(0, 300)}`);
  const notice = await page.textContent('[role="status"]');
  check(Boolean(notice && notice.trim()), 'confirm declines and the page shows its notice', page.url());

  // Approve with a quality profile picked from the instance's list (a <select>, not free
  // text); the page comes back with its notice. The test then checks Radarr got that profile.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}${approvePage}`);
  const offered = await page.$$eval('select[name="quality_profile"] option', (os) => os.map((o) => o.value));
  check(offered.includes(approveProfile), 'the approve form offers the instance\'s quality profiles', offered.join(', '));
  await page.selectOption('select[name="quality_profile"]', approveProfile);
  const approveForm = page.locator(`form[action$="/approve"]`);
  await Promise.all([
    page.waitForNavigation({ timeout: 15000 }),
    approveForm.locator('button[type="submit"]').click(),
  ]);
  check(/notice=approved/.test(page.url()), 'approving with a picked profile comes back with a notice',
    `${page.url()}: ${(await page.textContent('main')).slice(0, 300)}`);

  check(scriptErrors.length === 0, 'no script errors, CSP refusals or missing files', scriptErrors.join('; '));

} catch (err) {
  failures.push(`the run stopped: ${err.stack || err.message}`);
} finally {
  await browser.close();
}

if (failures.length > 0) {
  console.error(`${failures.length} console check(s) failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('console: all pages passed');
