import { expect, test } from '@playwright/test';
import { checkA11y } from './axe';
import {
  ADMIN,
  addToCart,
  fresh,
  newCustomer,
  noHorizontalScroll,
  noJs,
  placeOrder,
  productFor,
  ready,
  signIn,
  signOut,
  toCheckout,
} from './helpers';

// admin.spec uses product offsets 180–209 (see productFor).

test('admin ships a paid order; the customer sees Shipped and its tracking number', async ({ page }, info) => {
  test.setTimeout(120_000);
  const p = productFor(info, 180, 0, 5);
  const customer = await newCustomer(page, info);
  await addToCart(page, info, p);
  await toCheckout(page, info);
  await placeOrder(page, info, /^Test payment/);
  await page.getByRole('button', { name: /^Pay \$/ }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
  const number = (await page.getByRole('heading', { name: /^Order OB-/ }).innerText()).replace('Order ', '').trim();
  await signOut(page);

  // The back office finds it by its number.
  await signIn(page, info, ADMIN, '/admin/orders');
  await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible();
  await ready(page, info);
  await page.getByLabel('Order number').fill(number);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('order-count')).toHaveText('1 order');
  await noHorizontalScroll(page);
  await page.getByRole('link', { name: number }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Paid');
  await ready(page, info);
  // Only the moves the status machine allows are offered.
  await expect(page.getByRole('button', { name: 'Mark as shipped' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel and refund' })).toBeVisible();

  await fresh(page, info);
  await page.getByRole('button', { name: 'Start preparing' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Processing');
  await ready(page, info);
  await fresh(page, info);
  await page.getByLabel('Tracking number').fill('1Z 999 AA1 0123 4567 84');
  await page.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(page.getByTestId('admin-order-status')).toHaveText('Shipped');
  await expect(page.getByRole('cell', { name: 'Processing → Shipped' })).toBeVisible();
  await expect(page.getByRole('cell', { name: ADMIN.email }).first()).toBeVisible();
  await ready(page, info);
  await checkA11y(page, info, 'admin order');
  await noHorizontalScroll(page);
  await signOut(page);

  // The customer sees it in their order history.
  await signIn(page, info, customer, `/account/orders/${number}`);
  await expect(page.getByRole('heading', { name: `Order ${number}` })).toBeVisible();
  await ready(page, info);
  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await expect(page.getByTestId('tracking-number')).toHaveText('1Z999AA10123456784');
  await expect(page.getByText('Your order is on its way.')).toBeVisible();
});

test('admin receives stock with a reason; the ledger and the storefront follow', async ({ page }, info) => {
  test.setTimeout(60_000);
  const p = productFor(info, 180, 1, 2);
  await signIn(page, info, ADMIN, '/admin/stock');
  await expect(page.getByRole('heading', { level: 1, name: 'Stock' })).toBeVisible();
  await ready(page, info);
  await page.getByLabel('Name or SKU').fill(p.name);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: p.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: p.name })).toBeVisible();
  await ready(page, info);
  await expect(page.getByTestId('stock-level')).toHaveText('2');

  // Taking more than there is is refused, and nothing changes.
  await fresh(page, info);
  await page.getByLabel('Units (+ adds, − takes)').fill('-3');
  await page.getByLabel('Reason').selectOption('damaged');
  await page.getByRole('button', { name: 'Adjust' }).click();
  await expect(page.getByRole('alert')).toContainText('Only 2 in stock');
  await expect(page.getByTestId('stock-level')).toHaveText('2');

  await fresh(page, info);
  await page.getByLabel('Units (+ adds, − takes)').fill('+5');
  await page.getByLabel('Reason').selectOption('received');
  await page.getByLabel('Note (optional)').fill('Delivery note 4711');
  await page.getByRole('button', { name: 'Adjust' }).click();
  await expect(page.getByTestId('stock-level')).toHaveText('7');
  const row = page.getByRole('row').filter({ hasText: 'Delivery note 4711' });
  await expect(row).toContainText('+5');
  await expect(row).toContainText('Received');
  await expect(row).toContainText(ADMIN.email);
  await noHorizontalScroll(page);

  await page.goto(`/products/${p.slug}`);
  await ready(page, info);
  await expect(page.getByText('Only 2 left')).toHaveCount(0);
  await expect(page.getByText('In stock').first()).toBeVisible();
});

test('a purchase that takes a product under its threshold is announced live in an open admin page', async ({
  page,
  browser,
}, info) => {
  test.skip(noJs(info), 'live notifications need JavaScript; without it the dashboard shows the counts on reload');
  test.setTimeout(90_000);
  // 7 in stock, threshold 5: an order of 3 leaves 4.
  const p = productFor(info, 180, 2, 7);
  await signIn(page, info, ADMIN, '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
  await ready(page, info);
  const live = page.getByTestId('live-notices');
  await expect(live).toContainText('Nothing new since this page opened.');

  const shopper = await browser.newContext({ baseURL: info.project.use.baseURL });
  const other = await shopper.newPage();
  await newCustomer(other, info);
  await other.goto(`/products/${p.slug}`);
  await ready(other, info);
  await other.getByLabel('Quantity').fill('3');
  await other.getByRole('button', { name: `Add to cart: ${p.name}`, exact: true }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Added to your cart' })).toBeVisible();
  await toCheckout(other, info);
  await placeOrder(other, info, /^Test payment/);
  await expect(other.getByRole('heading', { name: 'Test payment' })).toBeVisible();
  await shopper.close();

  await expect(live).toContainText(`Low stock: ${p.name} has 4 left`);
  await expect(live).toContainText('New order OB-');
});
