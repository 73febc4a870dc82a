import { expect, test } from '@playwright/test';
import { ADMIN, accountNav, ready, searchBox, signIn } from './helpers';

// These interactions only work once the wasm bundle has hydrated the page.

test('type-ahead suggestions appear and the keyboard picks one', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  const box = await searchBox(page);
  await box.pressSequentially('rtx 40', { delay: 40 });
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option').first()).toContainText('RTX 40');
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', /option-0$/);
  await box.press('Enter');
  await expect(page).toHaveURL(/\/products\/.*rtx-40/);
});

test('gallery arrow keys swap images without reloading', async ({ page }, info) => {
  await page.goto('/products/asus-tuf-gaming-geforce-rtx-4090-oc');
  await ready(page, info);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const gallery = page.getByRole('group', { name: /Product images/ });
  await gallery.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(/^Image 2 of \d$/)).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText(/^Image (\d) of \1$/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
});

test('filters apply as soon as they change, keeping focus', async ({ page }, info) => {
  await page.goto('/categories/cpus');
  await ready(page, info);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByRole('checkbox', { name: /^In stock only/ }).check();
  await expect(page).toHaveURL(/in_stock=1/);
  await expect(page.getByRole('checkbox', { name: /^In stock only/ })).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
});

test('searching away from a search box leaves the app alive', async ({ page }, info) => {
  // The page's own box is unmounted by the navigation while its type-ahead
  // timer is pending; the app must keep working afterwards.
  await page.goto('/search');
  await ready(page, info);
  const own = page.getByRole('combobox', { name: 'Search the catalog' });
  await own.pressSequentially('rtx', { delay: 10 });
  await own.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Results for “rtx”' })).toBeVisible();
  await page.waitForTimeout(400);
  const header = page.getByRole('combobox', { name: 'Search products' });
  await header.pressSequentially('logitech', { delay: 20 });
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeVisible();
  await header.press('Enter');
  await expect(page).toHaveURL(/q=logitech/);
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeHidden();
});

// The release build is split (`cargo leptos --split`): the shop's pages
// ship in the main bundle, account and back-office pages are chunks loaded
// on first use. A hydration mismatch panics in the wasm (a page error)
// while the page still looks hydrated, so these tests watch for errors too.
function wasmRequests(page: import('@playwright/test').Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) seen.push(path);
  });
  return seen;
}

// Uncaught errors and Rust panics (a refused request, such as a 401 as the
// short test tokens expire, is logged too but is not one of these).
function pageErrors(page: import('@playwright/test').Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|hydration/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

test('a product page loads the main bundle only; signing in brings its own chunk', async ({ page }, info) => {
  const wasm = wasmRequests(page);
  const errors = pageErrors(page);
  await page.goto('/products/asus-tuf-gaming-geforce-rtx-4090-oc');
  await ready(page, info);
  expect(wasm, 'one wasm file: the main bundle').toHaveLength(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 5));
  await accountNav(page).getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  expect(wasm.length, 'the sign-in page fetched its chunk').toBeGreaterThan(1);
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker), 'no full reload').toBe(5);
  expect(errors).toEqual([]);
});

// The largest image comes first: the loader fetches the main bundle once the
// page has loaded and its `fetchpriority="high"` image is painted.
for (const path of ['/', '/products?page=3&sort=price-asc', '/products/asus-tuf-gaming-geforce-rtx-4090-oc']) {
  test(`${path}: the main bundle is fetched after the largest image has arrived`, async ({ page }, info) => {
    const order: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('.wasm')) order.push('wasm requested');
    });
    page.on('requestfinished', (r) => order.push(`finished ${new URL(r.url()).pathname}`));
    await page.goto(path);
    await ready(page, info);
    const hero = await page.locator('img[fetchpriority="high"]').first().getAttribute('src');
    const arrived = order.indexOf(`finished ${hero}`);
    expect(arrived, `${hero} arrived`).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('wasm requested'), 'the wasm asked for after it').toBeGreaterThan(arrived);
  });
}

test('a lazy page opened first is served with its chunks preloaded and hydrates', async ({ page }, info) => {
  const wasm = wasmRequests(page);
  const errors = pageErrors(page);
  await page.goto('/register');
  const preloads = page.locator('head link[rel="preload"][href$=".wasm"]');
  expect(await preloads.count(), 'the page\'s chunks').toBeGreaterThan(0);
  await ready(page, info);
  const hrefs = await preloads.evaluateAll((links) => links.map((l) => new URL((l as HTMLLinkElement).href).pathname));
  // The main bundle is not preloaded: the loader fetches it after the page's load.
  const fetched = new Set(wasm);
  for (const href of hrefs) expect(fetched, 'each preloaded chunk is used').toContain(href);
  expect([...fetched].filter((f) => !hrefs.includes(f)), 'nothing else fetched but the main bundle').toHaveLength(1);
  // Hydrated: a link on the page navigates without reloading.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 9));
  await page.getByRole('link', { name: 'OctaBlitz home' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(9);
  expect(errors).toEqual([]);
});

test('every lazy page hydrates without an error when opened first', async ({ page }, info) => {
  test.setTimeout(120_000);
  await signIn(page, info, ADMIN);
  const errors = pageErrors(page);
  for (const path of ['/cart', '/checkout', '/account', '/account/orders', '/admin', '/admin/alerts', '/admin/orders', '/admin/products',
    '/admin/products/new', '/admin/products/1', '/admin/products/1/images', '/admin/stock', '/admin/stock/1',
    '/admin/payments']) {
    await page.goto(path);
    await ready(page, info);
    // Hydration has finished once a later task runs: give the chunks' own work a moment.
    await page.waitForTimeout(300);
    expect(errors, path).toEqual([]);
  }
});
