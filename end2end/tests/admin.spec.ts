import { deflateSync } from 'node:zlib';
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
  sql,
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

/** `cents` as the store writes money: "$1,299.99". */
function dollars(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Pays the order just placed with the test provider; returns its number. */
async function payWithStub(page: import('@playwright/test').Page): Promise<string> {
  await page.getByRole('button', { name: /^Pay \$/ }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Paid');
  return (await page.getByRole('heading', { name: /^Order OB-/ }).innerText()).replace('Order ', '').trim();
}

test('admin changes a price: a new order pays the new price, the earlier order keeps its own', async ({ page }, info) => {
  test.setTimeout(150_000);
  const p = productFor(info, 180, 3, 6);
  const [[old]] = sql('SELECT price_cents FROM products WHERE id = ?', [p.id]) as [[number]];
  // Lower, so a compare-at price stays above it.
  const now = old - 100;
  const customer = await newCustomer(page, info);
  await addToCart(page, info, p);
  await toCheckout(page, info);
  await placeOrder(page, info, /^Test payment/);
  const first = await payWithStub(page);
  await expect(page.getByText(`× 1 at ${dollars(old)}`)).toBeVisible();
  await signOut(page);

  await signIn(page, info, ADMIN, '/admin/products');
  await expect(page.getByRole('heading', { level: 1, name: 'Products' })).toBeVisible();
  await ready(page, info);
  await page.getByLabel('Name, SKU or address').fill(p.name);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('product-count')).toHaveText(/^\d+ products?$/);
  await noHorizontalScroll(page);
  await page.getByRole('link', { name: p.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: p.name })).toBeVisible();
  await ready(page, info);
  await expect(page.getByTestId('product-saved')).toContainText('version 1');
  await checkA11y(page, info, 'admin product');
  await noHorizontalScroll(page);
  await fresh(page, info);
  await page.getByLabel('Price (USD)', { exact: true }).fill((now / 100).toFixed(2));
  await page.getByRole('button', { name: 'Save product' }).click();
  await expect(page.getByTestId('product-saved')).toContainText('version 2');
  await expect(page.getByLabel('Price (USD)', { exact: true })).toHaveValue((now / 100).toFixed(2).replace(/\.00$/, ''));
  await signOut(page);

  await signIn(page, info, customer, `/products/${p.slug}`);
  await ready(page, info);
  await expect(page.getByText(dollars(now)).first()).toBeVisible();
  await addToCart(page, info, p);
  await toCheckout(page, info);
  await placeOrder(page, info, /^Test payment/);
  const second = await payWithStub(page);
  await expect(page.getByText(`× 1 at ${dollars(now)}`)).toBeVisible();
  expect(second).not.toBe(first);

  await page.goto(`/account/orders/${first}`);
  await ready(page, info);
  await expect(page.getByText(`× 1 at ${dollars(old)}`)).toBeVisible();
});

/** A `w` × `h` PNG of one colour, made here (no fixture files). */
function png(w: number, h: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Drags `source` onto `target` with the mouse, both on screen first (a
 * drag that starts while the page scrolls picks up whatever is under the
 * pointer then).
 */
async function drag(page: import('@playwright/test').Page, source: import('@playwright/test').Locator, target: import('@playwright/test').Locator) {
  await target.scrollIntoViewIfNeeded();
  await source.scrollIntoViewIfNeeded();
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + 30, from.y + 30);
  await page.mouse.down();
  await page.mouse.move(to.x + 30, to.y + 30, { steps: 12 });
  await page.mouse.up();
}

test('admin uploads two images and reorders them; the storefront gallery follows', async ({ page }, info) => {
  test.setTimeout(120_000);
  const p = productFor(info, 180, 4, 5);
  await signIn(page, info, ADMIN, `/admin/products/${p.id}/images`);
  await expect(page.getByRole('heading', { level: 1, name: `Images of ${p.name}` })).toBeVisible();
  await ready(page, info);
  const items = page.getByTestId('gallery-editor').getByRole('listitem');
  const seeded = await items.count();
  const colours: [number, number, number][] = [
    [220, 30, 30],
    [30, 30, 220],
  ];
  for (const [i, colour] of colours.entries()) {
    await fresh(page, info);
    await page.getByLabel(/^Image \(JPEG/).setInputFiles({ name: `photo-${i}.png`, mimeType: 'image/png', buffer: png(64, 48, colour) });
    await page.getByLabel('Description for screen readers').fill(`Upload ${i} of ${p.name}`);
    await page.getByRole('button', { name: 'Upload image' }).click();
    await expect(items).toHaveCount(seeded + i + 1);
    await ready(page, info);
  }
  await expect(items.last()).toContainText(`Upload 1 of ${p.name}`);
  await checkA11y(page, info, 'admin gallery');
  await noHorizontalScroll(page);

  // The last upload one place up: dragged onto its neighbour with a mouse
  // (HTML drag and drop), by its button without JavaScript and on the
  // touch-screen phone.
  if (noJs(info) || info.project.use.hasTouch) {
    await fresh(page, info);
    await items.last().getByRole('button', { name: 'Move up' }).click();
  } else {
    // A drag that did not take (headless Chromium under load now and then
    // starts none) moved nothing, so it is tried again; one that took is
    // never repeated.
    await expect(async () => {
      if (!(await items.nth(seeded).innerText()).includes(`Upload 1 of ${p.name}`)) {
        await drag(page, items.last(), items.nth(seeded));
      }
      await expect(items.nth(seeded)).toContainText(`Upload 1 of ${p.name}`, { timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
  }
  await expect(items.nth(seeded)).toContainText(`Upload 1 of ${p.name}`);
  await expect(items.last()).toContainText(`Upload 0 of ${p.name}`);
  await ready(page, info);
  // Then to the front, as the primary image, by its button (also from the keyboard).
  await fresh(page, info);
  await items.nth(seeded).getByRole('button', { name: 'Make primary' }).click();
  await expect(items.first()).toContainText(`Upload 1 of ${p.name}`);

  await page.goto(`/products/${p.slug}`);
  await ready(page, info);
  const thumbs = page.getByRole('region', { name: `${p.name} images` }).getByRole('link', { name: /^Show image/ });
  await expect(thumbs).toHaveCount(seeded + 2);
  await expect(thumbs.first()).toHaveAccessibleName(`Show image 1: Upload 1 of ${p.name}`);
  await expect(thumbs.last()).toHaveAccessibleName(`Show image ${seeded + 2}: Upload 0 of ${p.name}`);
  await expect(page.getByRole('img', { name: `Upload 1 of ${p.name}` })).toBeVisible();
});

/** Adjusts the product page's stock by `units` ("-3", "+20") for `reason`. */
async function adjust(page: import('@playwright/test').Page, info: import('@playwright/test').TestInfo, units: string, reason: string, left: string) {
  await fresh(page, info);
  await page.getByLabel('Units (+ adds, − takes)').fill(units);
  await page.getByLabel('Reason').selectOption(reason);
  await page.getByRole('button', { name: 'Adjust' }).click();
  await expect(page.getByTestId('stock-level')).toHaveText(left);
}

test('a stock alert is raised, dismissed, back when the product sells out, and closed by a delivery', async ({ page }, info) => {
  test.setTimeout(120_000);
  // 7 in stock, threshold 5; no alert yet.
  const p = productFor(info, 180, 5, 7);
  sql('DELETE FROM stock_alerts WHERE product_id = ?', [p.id]);
  const row = page.getByTestId('stock-alerts').getByRole('row').filter({ has: page.getByRole('link', { name: p.name, exact: true }) });
  /** Whether the alert list `tab` shows the product, page by page (stays on its page). */
  const listed = async (tab: string) => {
    await page.goto(`/admin/alerts${tab}`);
    for (;;) {
      if ((await row.count()) > 0) return true;
      const next = page.getByRole('link', { name: 'Next' });
      if ((await next.count()) === 0) return false;
      await page.goto((await next.getAttribute('href'))!);
    }
  };
  const alertsAt = async (tab: string) => {
    // The subscriber acts moments after the change: look again until it has.
    await expect(async () => expect(await listed(tab)).toBe(true)).toPass({ timeout: 20_000 });
    await ready(page, info);
    return row;
  };
  await signIn(page, info, ADMIN, `/admin/stock/${p.id}`);
  await expect(page.getByRole('heading', { level: 1, name: p.name })).toBeVisible();
  await ready(page, info);
  await adjust(page, info, '-3', 'damaged', '4');

  await alertsAt('');
  await expect(row).toContainText('Low stock');
  await expect(row.getByRole('cell').nth(3)).toHaveText('4');
  await checkA11y(page, info, 'stock alerts');
  await noHorizontalScroll(page);
  await fresh(page, info);
  await row.getByRole('button', { name: `Dismiss the alert for ${p.name}` }).click();
  await expect(row).toHaveCount(0);
  await alertsAt('?state=dismissed');
  await expect(row).toContainText(`by ${ADMIN.email}`);

  // Sold out: the dismissed alert is open again.
  await page.goto(`/admin/stock/${p.id}`);
  await ready(page, info);
  await adjust(page, info, '-4', 'damaged', '0');
  await alertsAt('');
  await expect(row).toContainText('Sold out');

  // A delivery takes it over the threshold: closed.
  await page.goto(`/admin/stock/${p.id}`);
  await ready(page, info);
  await adjust(page, info, '+20', 'received', '20');
  await alertsAt('?state=closed');
  await expect(row).toContainText('Closed');
  expect(await listed('')).toBe(false);
});

test('admin takes selected products off sale and back on together', async ({ page }, info) => {
  test.setTimeout(90_000);
  const a = productFor(info, 180, 6, 9);
  const b = productFor(info, 180, 7, 9);
  // Changed last of all (the year 2099, in the stored format): both head
  // the list sorted by last change, so both can be selected on one page.
  sql("UPDATE products SET updated_at = '2099' || substr(updated_at, 5) WHERE id IN (?, ?)", [a.id, b.id]);
  const row = (p: { name: string }) =>
    page.getByRole('row').filter({ has: page.getByRole('link', { name: p.name, exact: true }) });
  const status = async (p: { name: string }, text: string) => {
    await page.goto(`/admin/products?q=${encodeURIComponent(p.name)}`);
    await ready(page, info);
    await expect(row(p).getByRole('cell', { name: text, exact: true })).toBeVisible();
  };
  await signIn(page, info, ADMIN, '/admin/products?sort=updated');
  await expect(page.getByRole('heading', { level: 1, name: 'Products' })).toBeVisible();
  await ready(page, info);
  await fresh(page, info);
  await row(a).getByRole('checkbox', { name: `Select ${a.name}` }).check();
  await row(b).getByRole('checkbox', { name: `Select ${b.name}` }).check();
  await page.getByRole('button', { name: 'Take off sale' }).click();
  if (noJs(info)) {
    await expect(page).toHaveURL(/\/admin\/products\?sort=updated$/);
  } else {
    await expect(page.getByTestId('bulk-result')).toHaveText('2 products changed.');
  }
  await noHorizontalScroll(page);
  await status(a, 'Not on sale');
  await status(b, 'Not on sale');
  const shopper = await page.context().browser()!.newContext({ baseURL: info.project.use.baseURL });
  const other = await shopper.newPage();
  expect((await other.goto(`/products/${a.slug}`))?.status()).toBe(404);

  // Back on sale: only the one selected.
  await page.goto(`/admin/products?q=${encodeURIComponent(a.name)}`);
  await fresh(page, info);
  await row(a).getByRole('checkbox', { name: `Select ${a.name}` }).check();
  await page.getByRole('button', { name: 'Put on sale' }).click();
  // Hydrated, the form posts in the background: wait for its answer before
  // leaving the page, which would cancel it (without JavaScript the click
  // itself waits for the post's navigation).
  if (!noJs(info)) {
    await expect(page.getByTestId('bulk-result')).toHaveText('1 product changed.');
  }
  await status(a, 'On sale');
  await status(b, 'Not on sale');
  expect((await other.goto(`/products/${a.slug}`))?.status()).toBe(200);
  await shopper.close();
  sql('UPDATE products SET active = 1 WHERE id = ?', [b.id]);
});
