import { expect, Page, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the e2e server writes outgoing mail (end2end/serve.sh). */
const MAIL_DIR = join(__dirname, '..', '..', 'target', 'e2e-mail');

/**
 * A mail as a reader shows it: raw headers, a blank line, the body decoded
 * from quoted-printable or base64 (lettre picks those for long lines or
 * non-ASCII text), with CRLF line ends.
 */
function readable(raw: string): string {
  const at = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, at);
  let body = raw.slice(at + 4);
  const encoding = /\r\nContent-Transfer-Encoding: ([\w-]+)/i.exec(`\r\n${headers}`)?.[1].toLowerCase();
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else {
    body = Buffer.from(body, 'latin1').toString('utf8');
  }
  return `${headers}\r\n\r\n${body}`;
}

/** The newest message the store mailed to `address` (waits for it to arrive). */
export async function mailTo(address: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(() => {
      let names: string[] = [];
      try {
        names = readdirSync(MAIL_DIR).filter((n) => n.endsWith('.eml')).sort();
      } catch {
        return false;
      }
      found = names
        .map((n) => readable(readFileSync(join(MAIL_DIR, n), 'latin1')))
        .reverse()
        .find((m) => m.includes(`\r\nTo: ${address}\r\n`));
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** The first absolute link in a mail whose path starts with `path`. */
export function linkIn(mail: string, path: string): string {
  const line = mail.split('\r\n').find((l) => /^https?:\/\//.test(l) && new URL(l).pathname === path);
  expect(line, `a ${path} link in the mail`).toBeDefined();
  return line!;
}

/** True when the project runs with JavaScript off. */
export function noJs(info: TestInfo): boolean {
  return info.project.use.javaScriptEnabled === false;
}

/**
 * Waits until the page is hydrated (a no-op with JavaScript off). Hydration
 * is the precondition here, not what is measured: with two workers on two
 * cores, fetching and compiling the wasm bundle can outlast the default
 * expect timeout, so this wait gets longer.
 */
export async function ready(page: Page, info: TestInfo): Promise<void> {
  if (!noJs(info)) {
    await expect(page.locator('html'), 'the page hydrates').toHaveAttribute('data-hydrated', 'true', { timeout: 25_000 });
  }
}

/** The page must not scroll sideways (checked at every width, 320 px included). */
export async function noHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
}

/** On narrow screens the filter form is folded away behind a toggle. */
export async function openFilters(page: Page): Promise<void> {
  const apply = page.getByRole('button', { name: 'Apply filters' });
  if (!(await apply.isVisible())) {
    await page.getByText('Show filters and sort').click();
  }
  await expect(apply).toBeVisible();
}

/** Without JavaScript filters apply on submit; hydrated they apply on change. */
export async function applyFilters(page: Page, info: TestInfo): Promise<void> {
  if (noJs(info)) {
    await page.getByRole('button', { name: 'Apply filters' }).click();
  }
}

/** The visible search box (header on desktop, drawer on phones). */
export async function searchBox(page: Page) {
  const opener = page.getByLabel('Open search');
  if (await opener.isVisible()) {
    await opener.click();
  }
  return page.getByRole('combobox', { name: 'Search products' });
}

export const CUSTOMER = { email: 'test-customer@octablitz.local', password: 'TestPass123' };
export const ADMIN = { email: 'admin@octablitz.local', password: 'AdminPass123' };

export function accountNav(page: Page) {
  return page.getByRole('navigation', { name: 'Account' });
}

export async function signIn(page: Page, info: TestInfo, who: { email: string; password: string }, next = '/') {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await ready(page, info);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(accountNav(page).getByRole('link', { name: 'Account' })).toBeVisible();
}

export async function signOut(page: Page) {
  await accountNav(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** Fills in the registration form; the store then asks to check the inbox. */
export async function register(page: Page, info: TestInfo, email: string, password: string) {
  await page.goto('/register');
  await ready(page, info);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
}

/** A new, confirmed customer of this test alone, signed in on `page`. */
export async function newCustomer(page: Page, info: TestInfo) {
  const who = {
    email: `e2e-${info.project.name}-${info.workerIndex}-${Date.now()}@example.com`,
    password: 'Secret123',
  };
  await register(page, info, who.email, who.password);
  await page.goto(linkIn(await mailTo(who.email), '/confirm-email'));
  await ready(page, info);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(accountNav(page).getByRole('link', { name: 'Account' })).toBeVisible();
  return who;
}

/** The e2e store's database (end2end/serve.sh). */
const DB = join(__dirname, '..', '..', 'target', 'e2e-data', 'octablitz.db');

/**
 * Runs SQL against the running store's SQLite database (what an admin tool
 * would change: prices, stock) and returns the rows. Python's sqlite3 is on
 * every machine this runs on; Node has no SQLite of its own here.
 */
export function sql(query: string, params: (string | number)[] = []): unknown[][] {
  const script = [
    'import json, sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], timeout=10)',
    'rows = c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()',
    'c.commit()',
    'print(json.dumps(rows))',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script, DB, query, JSON.stringify(params)], { encoding: 'utf8' });
  return JSON.parse(out);
}

/**
 * Tells the running store that product `id`'s stock was changed behind its
 * back (by `sql`), the way another app server's change reaches it: a
 * `stock_changed` event in the outbox, which the store's relay publishes and
 * its catalog read model follows. Returns once the event is published (and
 * a moment more), so the next page shows the new stock.
 */
export function announceStock(id: number, stock: number) {
  const eventId = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const at = new Date().toISOString().replace('Z', '+00:00');
  const payload = JSON.stringify({ id: eventId, at, event: { kind: 'stock_changed', product_id: id, stock } });
  sql("INSERT INTO outbox_events (event_id, kind, payload, created_at) VALUES (?, 'stock_changed', ?, ?)", [
    eventId,
    payload,
    at,
  ]);
  for (let i = 0; i < 100; i++) {
    const [[published]] = sql('SELECT published_at IS NOT NULL FROM outbox_events WHERE event_id = ?', [eventId]) as [
      [number],
    ];
    if (published) {
      execFileSync('sleep', ['0.05']);
      return;
    }
    execFileSync('sleep', ['0.05']);
  }
  throw new Error(`the store did not publish ${eventId}`);
}

export type Product = { id: number; slug: string; name: string };

/**
 * A product for one test alone: tests run in parallel against one store, so
 * each spec takes its own range of offsets from `base` (cart.spec 40–69,
 * checkout.spec 100–129, payments.spec 140–169, admin.spec 180–209, a11y.spec
 * offset 3), ten per project. It gets `stock` units, low enough that its page
 * shows how many are left.
 */
export function productFor(info: TestInfo, base: number, slot: number, stock = 3): Product {
  const projects = ['hydrated', 'phone-320', 'no-js'];
  const offset = base + projects.indexOf(info.project.name) * 10 + slot;
  const [[id, slug, name]] = sql('SELECT id, slug, name FROM products WHERE active = 1 ORDER BY id LIMIT 1 OFFSET ?', [
    offset,
  ]) as [number, string, string][];
  sql('UPDATE products SET stock = ?, low_stock_threshold = 5 WHERE id = ?', [stock, id]);
  announceStock(id, stock);
  return { id, slug, name };
}

/**
 * The e2e store's access tokens last 8 s, and a form posted without
 * JavaScript cannot renew one on the way: reload the page through the
 * refresh endpoint, so the token is new when the form is filled in at once.
 */
export async function fresh(page: Page, info: TestInfo) {
  const here = new URL(page.url());
  await page.goto(`/api/auth/refresh?next=${encodeURIComponent(here.pathname + here.search)}`);
  await ready(page, info);
}

export function cartLink(page: Page) {
  return accountNav(page).getByRole('link', { name: /^Cart/ });
}

export async function addToCart(page: Page, info: TestInfo, p: Product) {
  await page.goto(`/products/${p.slug}`);
  await ready(page, info);
  await page.getByRole('button', { name: `Add to cart: ${p.name}`, exact: true }).click();
  if (noJs(info)) {
    await expect(page).toHaveURL(/\/cart$/);
  } else {
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
  }
}

/** From the cart to the checkout page, hydrated. */
export async function toCheckout(page: Page, info: TestInfo) {
  await page.goto('/cart');
  await ready(page, info);
  await page.getByRole('link', { name: 'Check out' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await ready(page, info);
  await expect(page.getByRole('button', { name: 'Place order and pay' })).toBeVisible();
}

/**
 * On the checkout page: types a new address, chooses express delivery and
 * the payment method labelled `provider`, and places the order (on the way
 * to that provider's page).
 */
export async function placeOrder(page: Page, info: TestInfo, provider: RegExp) {
  await fresh(page, info);
  await page.getByLabel('Full name').fill('Zoë Ångström');
  await page.getByLabel('Address line 1').fill('1 Main Street');
  await page.getByLabel('Town or city').fill('Springfield');
  await page.getByLabel('Postcode').fill('12345');
  await page.getByLabel('Country').selectOption('US');
  await page.getByRole('radio', { name: /^Express delivery/ }).check();
  await page.getByRole('radio', { name: provider }).check();
  await page.getByRole('button', { name: 'Place order and pay' }).click();
}
