import { expect, test, TestInfo } from '@playwright/test';
import {
  addToCart,
  cartLink,
  fresh,
  mailTo,
  newCustomer,
  noJs,
  placeOrder,
  productFor,
  ready,
  sql,
  toCheckout,
} from './helpers';

/**
 * Stripe's and PayPal's redirect flows end to end, against the local fakes
 * (`fakes/`, started by end2end/fakes.sh): the store sends the shopper to
 * the fake's hosted page, the shopper's click there changes the payment,
 * the fake delivers the signed webhook to the store and redirects back.
 */
const providers = [
  {
    name: 'Stripe',
    choice: /^Card \(Stripe\)/,
    heading: 'Stripe test checkout',
    pay: /^Pay .* with card 4242$/,
    decline: 'Pay with card 0002 (declined)',
    webhook: 'checkout.session.completed',
    // The events any one of which may pay the order.
    paidBy: ['checkout.session.completed'],
    fake: `http://${process.env.FAKE_STRIPE_ADDR ?? '127.0.0.1:3110'}`,
  },
  {
    name: 'PayPal',
    choice: /^PayPal/,
    heading: 'PayPal test checkout',
    pay: /^Pay .* with PayPal$/,
    decline: 'Pay with a card that will be declined',
    webhook: 'CHECKOUT.ORDER.APPROVED',
    // The store captures on the approval; the capture's own event races it,
    // and whichever is applied first pays the order (the other is ignored).
    paidBy: ['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED'],
    fake: `http://${process.env.FAKE_PAYPAL_ADDR ?? '127.0.0.1:3111'}`,
  },
] as const;

/** payments.spec's products: offsets 140–169. */
function product(info: TestInfo, slot: number) {
  return productFor(info, 140, slot);
}

/** The provider events the store took in for order `number`: `[type, outcome]`. */
function events(number: string) {
  return sql(
    'SELECT e.event_type, e.outcome FROM payment_events e JOIN orders o ON o.id = e.order_id WHERE o.number = ? ORDER BY e.id',
    [number],
  ) as [string, string][];
}

function orderNumber(url: string) {
  return new URL(url).pathname.replace('/orders/', '');
}

for (const [i, provider] of providers.entries()) {
  test.describe(provider.name, () => {
    test('pay on the hosted page → signed webhook → paid, stock lower, confirmation mailed', async ({
      page,
      request,
    }, info) => {
      test.setTimeout(60_000);
      const p = product(info, 2 * i);
      const who = await newCustomer(page, info);
      await addToCart(page, info, p);
      await toCheckout(page, info);
      await placeOrder(page, info, provider.choice);
      // The provider's page, with the amounts the server sent it.
      await expect(page.getByRole('heading', { name: provider.heading })).toBeVisible();
      await expect(page.getByRole('cell', { name: new RegExp(p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeVisible();
      await page.getByRole('button', { name: provider.pay }).click();
      await expect(page.getByRole('heading', { name: /^Order OB-/ })).toBeVisible();
      await ready(page, info);
      await expect(page.getByTestId('order-status')).toHaveText('Paid');
      await expect(page.getByText('your payment arrived')).toBeVisible();
      const number = orderNumber(page.url());
      // The signed webhook reached the store, checked out and paid the order.
      const applied = events(number).filter(
        ([type, outcome]) => outcome === 'applied' && (provider.paidBy as readonly string[]).includes(type as string),
      );
      expect(applied, 'exactly one signed webhook paid the order').toHaveLength(1);
      const delivered = await (await request.get(`${provider.fake}/_fake/delivered`)).json();
      expect(delivered).toContainEqual(expect.objectContaining({ event_type: provider.webhook, status: 200 }));
      expect(sql('SELECT status FROM orders WHERE number = ?', [number])).toEqual([['paid']]);
      expect(await mailTo(who.email)).toContain(`Your OctaBlitz order ${number}`);
      if (!noJs(info)) {
        await expect(cartLink(page)).toHaveAccessibleName('Cart');
      }
      await page.goto(`/products/${p.slug}`);
      await expect(page.getByText('Only 2 left').first()).toBeVisible();
    });

    test('a declined payment leaves the order unpaid and the cart intact; paying again works', async ({
      page,
    }, info) => {
      test.setTimeout(60_000);
      const p = product(info, 2 * i + 1);
      await newCustomer(page, info);
      await addToCart(page, info, p);
      await toCheckout(page, info);
      await placeOrder(page, info, provider.choice);
      await expect(page.getByRole('heading', { name: provider.heading })).toBeVisible();
      await page.getByRole('button', { name: provider.decline }).click();
      if (provider.name === 'Stripe') {
        // Checkout says so and stays open; the shopper goes back to the store.
        await expect(page.getByRole('alert')).toHaveText(/Your card was declined/);
        await page.getByRole('link', { name: 'Back to the store' }).click();
        await expect(page.getByText('The payment did not go through')).toBeVisible();
      } else {
        // PayPal approved, the capture was declined: the store heard it by webhook.
        await expect(page.getByText('the payment provider declined it')).toBeVisible();
      }
      await expect(page.getByRole('heading', { name: /^Order OB-/ })).toBeVisible();
      await ready(page, info);
      await expect(page.getByTestId('order-status')).toHaveText('Awaiting payment');
      const number = orderNumber(page.url());
      expect(sql('SELECT status, stock_held FROM orders WHERE number = ?', [number])).toEqual([['pending', 1]]);
      const orderPage = page.url();
      await page.goto('/cart');
      await ready(page, info);
      await expect(page.getByRole('link', { name: p.name, exact: true })).toBeVisible();
      // Paying again: Stripe's session is still open, PayPal needs a new order.
      await page.goto(orderPage);
      await fresh(page, info);
      await page.getByRole('button', { name: 'Pay now' }).click();
      await expect(page.getByRole('heading', { name: provider.heading })).toBeVisible();
      await page.getByRole('button', { name: provider.pay }).click();
      await ready(page, info);
      await expect(page.getByTestId('order-status')).toHaveText('Paid');
      if (!noJs(info)) {
        await expect(cartLink(page)).toHaveAccessibleName('Cart');
      }
    });
  });
}
