import { expect, test } from '@playwright/test';
import { checkA11y } from './axe';
import {
  ADMIN,
  addToCart,
  fresh,
  newCustomer,
  noHorizontalScroll,
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
