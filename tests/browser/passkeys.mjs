// Passkeys end to end in Debian's headless Chromium with a CDP virtual authenticator (ctap2,
// internal, resident keys, user verification, automatic presence), then the console switched to
// French with the footer's language picker. Run by tests/e2e/passkeys.rs:
//   USHER_URL=http://localhost:PORT USHER_SETUP_LINK=http://localhost:PORT/setup/TOKEN node passkeys.mjs
// Prints one "step: …" line per step and exits non-zero (with the reason) on any failure,
// including a browser that cannot be started.
import { chromium } from 'playwright-core';

const base = process.env.USHER_URL;
const setupLink = process.env.USHER_SETUP_LINK;
const executablePath = process.env.USHER_CHROMIUM || '/usr/bin/chromium';
// Optional: a folder to save screenshots of the pages in, for a person to look at.
const shots = process.env.USHER_SCREENSHOTS;
async function snap(page, name) {
  if (shots) { await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); }
}
if (!base || !setupLink) {
  console.error('USHER_URL and USHER_SETUP_LINK must be set');
  process.exit(2);
}

function check(condition, what) {
  if (!condition) { throw new Error(`check failed: ${what}`); }
  console.log(`step: ${what}`);
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
  const page = await context.newPage();
  const consoleErrors = [];
  // Script exceptions, CSP refusals and missing static files count; the expected 404 of the
  // spent setup link (and the browser's favicon probe) do not.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      consoleErrors.push(msg.text());
    }
  });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  page.on('response', (response) => {
    if (response.url().includes('/static/') && response.status() !== 200) {
      consoleErrors.push(`${response.url()} answered ${response.status()}`);
    }
  });

  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  // The printed setup link: name, passkey name, create.
  const setup = await page.goto(setupLink);
  check(setup.status() === 200, 'setup link answers 200');
  await snap(page, 'setup');
  await page.fill('#display-name', 'Ada Admin');
  await page.fill('#passkey-name', 'Virtual key');
  await page.click('#passkey-register button[type="submit"]');
  await page.waitForURL(`${base}/`, { timeout: 15000 });
  check((await page.textContent('main')).includes('Ada Admin'), 'registered and signed in on the dashboard');

  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  check(credentials.length === 1 && credentials[0].isResidentCredential, 'the authenticator keeps one discoverable credential');

  // Sign out, then back in with the passkey alone (no user name), coming back to /account.
  await page.click('form.signout button[type="submit"]');
  await page.waitForURL(/\/login$/, { timeout: 15000 });
  check(true, 'signed out');
  await page.goto(`${base}/account`);
  await page.waitForURL(/\/login\?next=/, { timeout: 15000 });
  check(true, 'the account page sends a stranger to sign in');
  await snap(page, 'login');
  await page.click('#passkey-login');
  await page.waitForURL(`${base}/account`, { timeout: 15000 });
  await snap(page, 'account');
  const names = await page.locator('tr.passkey input[name="name"]').evaluateAll(
    (inputs) => inputs.map((input) => input.value));
  check(names.length === 1 && names[0] === 'Virtual key', 'signed in with the passkey; /account lists it');
  check((await page.textContent('#sessions')).toLowerCase().includes('passkey'), '/account lists the session');

  // Approve the waiting request from the Requests page; the audit log names the decision.
  await page.goto(`${base}/requests?status=pending`);
  check((await page.textContent('main')).includes('The Matrix'), 'the Requests page lists the pending request');
  await snap(page, 'requests');
  await Promise.all([
    page.waitForLoadState('load'),
    page.click('form[action$="/approve"] button[type="submit"]'),
  ]);
  await page.goto(`${base}/requests?status=pending`);
  check(!(await page.textContent('main')).includes('The Matrix'), 'approved: no longer pending');
  await page.goto(`${base}/`);
  await snap(page, 'dashboard');
  await page.goto(`${base}/users`);
  await snap(page, 'users');
  await page.goto(`${base}/settings`);
  await snap(page, 'settings');
  await page.goto(`${base}/audit`);
  check((await page.textContent('main')).includes('Request approved'), 'the audit log shows the approval');
  await snap(page, 'audit');

  // The setup link is spent.
  const again = await page.goto(setupLink);
  check(again.status() === 404, 'the setup link now answers 404');
  check((await page.textContent('main')).includes('expired or was already used'), 'and says why');

  // The language picker in the footer, without script: French is stored for the user and the
  // whole console, dates included, speaks it from then on.
  await page.goto(`${base}/`);
  check((await page.getAttribute('html', 'lang')) === 'en-US', 'the console starts in the browser\'s English');
  await page.selectOption('#footer-language', 'fr');
  await Promise.all([
    page.waitForURL(`${base}/`, { timeout: 15000 }),
    page.click('form.language-pick button[type="submit"]'),
  ]);
  check((await page.getAttribute('html', 'lang')) === 'fr', 'the picker switched the page to French');
  check((await page.textContent('main')).includes('Tableau de bord'), 'the dashboard speaks French');
  await snap(page, 'dashboard-fr');
  await page.goto(`${base}/audit`);
  const audit = await page.textContent('main');
  check(audit.includes('Langue choisie') && audit.includes('Demande approuvée'), 'the audit log speaks French and records the choice');
  check(/\d{1,2} [a-zéû]+\.? \d{4}, \d{2}:\d{2}:\d{2} UTC/.test(audit), 'audit dates are written the French way');

  check(consoleErrors.length === 0, `no script errors (${consoleErrors.join(' | ')})`);
  console.log('passkeys: all steps passed');
} catch (err) {
  console.error(`FAILED: ${err.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
