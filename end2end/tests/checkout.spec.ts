import { expect, Page, test, TestInfo } from '@playwright/test';
import { checkA11y } from './axe';
import {
  addToCart,
  cartLink,
  fresh,
  newCustomer,
  noHorizontalScroll,
  noJs,
  placeOrder,
  Product,
  productFor,
  ready,
  sql,
  toCheckout,
} from './helpers';

/** A product for this test alone (checkout.spec uses offsets 100–129). */
function product(info: TestInfo, slot: number, stock = 3): Product {
  return productFor(info, 100, slot, stock);
}

/** From the cart to the stub's payment page, typing a new address. */
async function checkOut(page: Page, info: TestInfo, a11y = false) {
  await toCheckout(page, info);
  if (a11y) await checkA11y(page, info, 'checkout');
  await noHorizontalScroll(page);
  await placeOrder(page, info, /^Test payment/);
  await expect(page.getByRole('heading', { name: 'Test payment' })).toBeVisible();
  await expect(page.getByText('Pay by')).toBeVisible();
  if (a11y) await checkA11y(page, info, 'stub payment page');
  await noHorizontalScroll(page);
}

test('buy with the stub: cart → checkout → pay → confirmation → history, stock lower', async ({ page }, info) => {
  // Four axe checks; without JavaScript each runs on a static copy in a second page.
  test.setTimeout(90_000);
  const p = product(info, 0);
  await newCustomer(page, info);
  await addToCart(page, info, p);
  await checkOut(page, info, true);
  await page.getByRole('button', { name: /^Pay \$/ }).click();
  await expect(page.getByRole('heading', { name: /^Order OB-/ })).toBeVisible();
  await ready(page, info);
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
  await expect(page.getByText('your payment arrived')).toBeVisible();
  await expect(page.getByText('Zoë Ångström')).toBeVisible();
  await expect(page.getByRole('link', { name: p.name })).toBeVisible();
  await checkA11y(page, info, 'order confirmation');
  await noHorizontalScroll(page);
  const number = (await page.getByRole('heading', { name: /^Order OB-/ }).innerText()).replace('Order ', '');
  if (!noJs(info)) {
    await expect(cartLink(page)).toHaveAccessibleName('Cart');
  }
  await page.goto('/account/orders');
  await ready(page, info);
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await checkA11y(page, info, 'order history');
  await page.goto(`/products/${p.slug}`);
  await expect(page.getByText('Only 2 left').first()).toBeVisible();
});

for (const outcome of ['Fail the payment', 'Cancel and go back'] as const) {
  test(`${outcome} → not paid, cart intact, paying again works`, async ({ page }, info) => {
    const p = product(info, outcome === 'Fail the payment' ? 1 : 2);
    await newCustomer(page, info);
    await addToCart(page, info, p);
    await checkOut(page, info);
    await page.getByRole('button', { name: outcome }).click();
    await expect(page.getByRole('heading', { name: /^Order OB-/ })).toBeVisible();
    await ready(page, info);
    await expect(page.getByTestId('order-status')).toHaveText('Awaiting payment');
    await expect(page.getByText('The payment did not go through')).toBeVisible();
    const orderPage = page.url();
    await page.goto('/cart');
    await ready(page, info);
    await expect(page.getByRole('link', { name: p.name, exact: true })).toBeVisible();
    await page.goto(orderPage);
    await fresh(page, info);
    await page.getByRole('button', { name: 'Pay now' }).click();
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await ready(page, info);
    await expect(page.getByTestId('order-status')).toHaveText('Paid');
  });
}

test('every field that is wrong says so, and nothing is placed', async ({ page }, info) => {
  const p = product(info, 3);
  await newCustomer(page, info);
  await addToCart(page, info, p);
  await page.goto('/checkout');
  await ready(page, info);
  await fresh(page, info);
  // The browser's own checks would stop the form first; the server's are what count.
  await page.locator('form.checkout__form').evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await page.getByLabel('Address line 1').fill('1 Main Street');
  await page.getByLabel('Postcode').fill('<b>!</b>');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await expect(page.getByText('Enter the full name.')).toBeVisible();
  // What was typed is still there, with or without JavaScript.
  await expect(page.getByLabel('Address line 1')).toHaveValue('1 Main Street');
  await expect(page.getByLabel('Postcode')).toHaveValue('<b>!</b>');
  await expect(page.getByText('A postcode has only letters, digits, spaces and hyphens.')).toBeVisible();
  await expect(page.getByText('Choose a country.')).toBeVisible();
  await expect(page.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');
  expect(sql('SELECT stock FROM products WHERE id = ?', [p.id])).toEqual([[3]]);
});

test.describe('guests', () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'a guest cart lives in the browser');

  test('a guest checks out with an e-mail address and follows the order', async ({ page }, info) => {
    const p = product(info, 4);
    await addToCart(page, info, p);
    await page.goto('/checkout');
    await ready(page, info);
    await page.getByLabel('E-mail').fill(`guest-${info.project.name}-${Date.now()}@example.com`);
    await page.getByLabel('Full name').fill('Guest Shopper');
    await page.getByLabel('Address line 1').fill('2 Side Road');
    await page.getByLabel('Town or city').fill('Shelbyville');
    await page.getByLabel('Postcode').fill('54321');
    await page.getByLabel('Country').selectOption('CA');
    await page.getByRole('button', { name: 'Place order and pay' }).click();
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await ready(page, info);
    await expect(page.getByTestId('order-status')).toHaveText('Paid');
    // The paid order empties the guest's cart, which lives in this browser.
    await expect(cartLink(page)).toHaveAccessibleName('Cart');
    expect(await page.evaluate(() => localStorage.getItem('octablitz.cart.v1'))).toBeNull();
    await page.goto('/cart');
    await ready(page, info);
    await expect(page.getByText(p.name)).toHaveCount(0);
  });
});

test.describe('keyboard', () => {
  test('the whole purchase with the keyboard alone', async ({ page }, info) => {
    test.skip(info.project.name !== 'hydrated', 'once, hydrated on a desktop');
    const p = product(info, 5);
    await newCustomer(page, info);
    await addToCart(page, info, p);
    await page.goto('/checkout');
    await ready(page, info);
    const focusOn = async (label: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const here = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '' : '';
        });
        if (here.startsWith(label)) return;
      }
      throw new Error(`never reached ${label} with Tab`);
    };
    await focusOn('Full name');
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('3 Tab Street');
    await page.keyboard.press('Tab'); // line 2
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyton');
    await page.keyboard.press('Tab'); // region
    await page.keyboard.press('Tab');
    await page.keyboard.type('10001');
    await page.keyboard.press('Tab');
    await page.keyboard.type('United States');
    await focusOn('Test payment');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Place order and pay' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Test payment' })).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: /^Pay \$/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('order-status')).toHaveText('Paid');
  });
});
