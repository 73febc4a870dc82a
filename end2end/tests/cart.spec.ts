import { Browser, expect, Page, test, TestInfo } from '@playwright/test';
import { accountNav, announceStock, newCustomer, noHorizontalScroll, noJs, ready, signIn, signOut, sql } from './helpers';

type Product = { id: number; slug: string; name: string };

/**
 * A product for this test alone (tests run in parallel against one store,
 * and some change prices and stock), with `stock` units left.
 */
function product(info: TestInfo, slot: number, stock = 20): Product {
  const projects = ['hydrated', 'phone-320', 'no-js'];
  const offset = 40 + projects.indexOf(info.project.name) * 10 + slot;
  const [[id, slug, name]] = sql('SELECT id, slug, name FROM products WHERE active = 1 ORDER BY id LIMIT 1 OFFSET ?', [
    offset,
  ]) as [number, string, string][];
  sql('UPDATE products SET stock = ? WHERE id = ?', [stock, id]);
  announceStock(id, stock);
  return { id, slug, name };
}

function cartLink(page: Page) {
  return accountNav(page).getByRole('link', { name: /^Cart/ });
}

async function addFromProductPage(page: Page, info: TestInfo, p: Product, quantity = 1) {
  await page.goto(`/products/${p.slug}`);
  await ready(page, info);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: `Add to cart: ${p.name}`, exact: true }).click();
  if (!noJs(info)) {
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
  }
}

async function cartLine(page: Page, p: Product) {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name: p.name, exact: true }) });
}

test.describe('guest carts', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'a guest cart lives in the browser');

  test('guest adds from a listing card and a product page → reload keeps both', async ({ page }, info) => {
    const a = product(info, 0);
    const b = product(info, 1);
    // From a listing card…
    await page.goto(`/search?q=${encodeURIComponent(b.name)}`);
    await ready(page, info);
    await page.getByRole('button', { name: `Add to cart: ${b.name}`, exact: true }).click();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 1 item');
    // …and from the product page.
    await addFromProductPage(page, info, a, 2);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');
    await page.reload();
    await ready(page, info);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');
    await cartLink(page).click();
    await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    await expect(await cartLine(page, a)).toBeVisible();
    await noHorizontalScroll(page);
    await expect((await cartLine(page, a)).getByRole('spinbutton')).toHaveValue('2');
    // Change and remove, then reload: the browser kept exactly that.
    await (await cartLine(page, a)).getByRole('spinbutton').fill('3');
    await page.getByRole('button', { name: `Update quantity of ${a.name}` }).click();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 4 items');
    await page.getByRole('button', { name: `Remove ${b.name}` }).click();
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');
    await page.reload();
    await ready(page, info);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');
    await expect(await cartLine(page, b)).toHaveCount(0);
  });

  test('a price changed on the server shows corrected after reload', async ({ page }, info) => {
    const p = product(info, 2);
    await addFromProductPage(page, info, p, 1);
    await expect(cartLink(page)).toHaveAccessibleName('Cart, 1 item');
    const [[before]] = sql('SELECT price_cents FROM products WHERE id = ?', [p.id]) as [number][];
    sql('UPDATE products SET price_cents = price_cents + 1000 WHERE id = ?', [p.id]);
    await page.goto('/cart');
    await ready(page, info);
    const money = (cents: number) =>
      `$${Math.floor(cents / 100).toLocaleString('en-US')}.${String(cents % 100).padStart(2, '0')}`;
    await expect(page.getByText(`The price of ${p.name} changed from ${money(before)} to ${money(before + 1000)}.`)).toBeVisible();
    await expect(page.getByTestId('subtotal')).toHaveText(money(before + 1000));
  });
});

test('guest + server cart merge on sign-in, with the adjustment shown', async ({ page }, info) => {
  test.skip(noJs(info), 'a guest cart lives in the browser');
  const p = product(info, 4, 3);
  const who = await newCustomer(page, info);
  await addFromProductPage(page, info, p, 2);
  await expect(cartLink(page)).toHaveAccessibleName('Cart, 2 items');
  await signOut(page);
  await addFromProductPage(page, info, p, 2);
  await expect(cartLink(page)).toHaveAccessibleName('Cart, 2 items');
  await signIn(page, info, who);
  await expect(page.getByText(`Reduced ${p.name} from 4 to 3: only 3 left.`)).toBeVisible();
  await expect(cartLink(page)).toHaveAccessibleName('Cart, 3 items');
  // The guest copy is gone once merged; signing out leaves an empty guest cart.
  expect(await page.evaluate(() => localStorage.getItem('octablitz.cart.v1'))).toBeNull();
  await signOut(page);
  await expect(cartLink(page)).toHaveAccessibleName('Cart');
});

test('the cart follows the shopper into a second browser context', async ({ page, browser }, info) => {
  const p = product(info, 5);
  const who = await newCustomer(page, info);
  await addFromProductPage(page, info, p, 2);
  if (noJs(info)) {
    // Without JavaScript the form posts and lands on the cart page.
    await expect(page).toHaveURL(/\/cart$/);
  }
  await expect(cartLink(page)).toHaveAccessibleName(noJs(info) ? 'Cart' : 'Cart, 2 items');

  const other = await (browser as Browser).newContext({
    baseURL: info.project.use.baseURL,
    javaScriptEnabled: !noJs(info),
    viewport: info.project.use.viewport,
  });
  const second = await other.newPage();
  await signIn(second, info, who, '/cart');
  await expect(second).toHaveURL(/\/cart$/);
  await expect(await cartLine(second, p)).toBeVisible();
  await expect((await cartLine(second, p)).getByRole('spinbutton')).toHaveValue('2');
  if (noJs(info)) {
    // Quantities change through plain forms too.
    await (await cartLine(second, p)).getByRole('spinbutton').fill('3');
    await second.getByRole('button', { name: `Update quantity of ${p.name}` }).click();
    await expect(second).toHaveURL(/\/cart$/);
    await expect((await cartLine(second, p)).getByRole('spinbutton')).toHaveValue('3');
    await expect(second.getByText('Subtotal (3 items)')).toBeVisible();
  }
  await other.close();
});
