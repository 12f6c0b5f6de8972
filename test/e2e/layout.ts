/**
 * Geometry checks for the layout specs (boxes, never pixels): what overflows its box or its container,
 * whether the page scrolls sideways, whether something covers an element, and the browser's text size.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Sub-pixel rounding of layout: a box may poke out by this much without anyone seeing it. */
const TOLERANCE_PX = 1;

export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} has no box (not rendered)`);
  return box;
}

/** True when two boxes share an area (touching edges do not count). */
export function overlap(a: Box, b: Box): boolean {
  return (
    a.x + TOLERANCE_PX < b.x + b.width &&
    b.x + TOLERANCE_PX < a.x + a.width &&
    a.y + TOLERANCE_PX < b.y + b.height &&
    b.y + TOLERANCE_PX < a.y + a.height
  );
}

/** Asserts `locator` lies wholly inside the viewport (not cut off by a window edge). */
export async function expectInViewport(page: Page, locator: Locator, label: string): Promise<void> {
  const box = await boxOf(locator);
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no viewport size');
  expect(box.x, `${label}: left edge`).toBeGreaterThanOrEqual(-TOLERANCE_PX);
  expect(box.y, `${label}: top edge`).toBeGreaterThanOrEqual(-TOLERANCE_PX);
  expect(box.x + box.width, `${label}: right edge within ${viewport.width}`).toBeLessThanOrEqual(
    viewport.width + TOLERANCE_PX,
  );
  expect(box.y + box.height, `${label}: bottom edge within ${viewport.height}`).toBeLessThanOrEqual(
    viewport.height + TOLERANCE_PX,
  );
}

/**
 * Asserts nothing is painted over `locator`: the topmost element at its centre and at its four inner
 * corners is the element itself or inside it (a sticky bar or a header over it would be hit instead).
 */
export async function expectUncovered(locator: Locator, label: string): Promise<void> {
  const covering = await locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    const inset = 3;
    const points: [number, number][] = [
      [r.left + r.width / 2, r.top + r.height / 2],
      [r.left + inset, r.top + inset],
      [r.right - inset, r.top + inset],
      [r.left + inset, r.bottom - inset],
      [r.right - inset, r.bottom - inset],
    ];
    const describe = (e: Element | null) =>
      e
        ? `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[data-testid=${e.getAttribute('data-testid')}]` : ''}.${e.className}`
        : 'nothing (outside the viewport)';
    const out: string[] = [];
    for (const [x, y] of points) {
      const top = document.elementFromPoint(x, y);
      const own = top !== null && (top === element || element.contains(top) || top.contains(element));
      if (!own) out.push(`(${Math.round(x)}, ${Math.round(y)}): ${describe(top)}`);
    }
    return out;
  });
  expect(covering, `${label} is covered at`).toEqual([]);
}

/** Asserts the page does not scroll sideways (nothing is wider than the window); names what sticks out. */
export async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, clientWidth, outside } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The innermost elements that reach past the window's right edge: the culprits, not their parents.
    const past = [...document.body.querySelectorAll('*')].filter(
      (e) =>
        e.getBoundingClientRect().right > width + 1 &&
        // A table scrolls inside its wrapper; what is positioned out of the flow may escape it.
        !(e.parentElement?.closest('.table-wrap') && getComputedStyle(e).position !== 'absolute'),
    );
    const innermost = past.filter((e) => !past.some((other) => other !== e && e.contains(other)));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: width,
      outside: innermost
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent ?? '').trim().slice(0, 30)}" to ${Math.round(e.getBoundingClientRect().right)}`,
        ),
    };
  });
  expect(
    scrollWidth,
    `${label}: page width ${scrollWidth} > window ${clientWidth}; past the edge: ${outside.join('; ')}`,
  ).toBeLessThanOrEqual(clientWidth);
}

/**
 * Text that does not fit: every button, label, legend, heading, link, badge and navigation entry whose text
 * is wider or taller than its own box, or whose box pokes out of the panel, card, dialog or bar it sits in.
 * Tables are left out: their wrapper scrolls sideways on purpose.
 */
export async function overflowingText(page: Page): Promise<string[]> {
  return page.evaluate((tolerance) => {
    const TEXT =
      'button, label, legend, h1, h2, h3, a, .badge, .hint, .field-error, .message, .notice, .note';
    const CONTAINER =
      '.panel, .auth-card, dialog, .topbar, .sidenav, .actions-sticky, .page-header, .field, .content';
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[data-testid=${e.getAttribute('data-testid')}]` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    const problems: string[] = [];
    for (const element of document.querySelectorAll(TEXT)) {
      if (!(element instanceof HTMLElement) || element.closest('.table-wrap, .visually-hidden')) continue;
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden') continue;
      if (element.scrollWidth > element.clientWidth + tolerance && style.overflowX === 'visible')
        problems.push(
          `${name(element)}: text ${element.scrollWidth}px wide in a ${element.clientWidth}px box`,
        );
      if (element.scrollHeight > element.clientHeight + tolerance && style.overflowY === 'visible')
        problems.push(
          `${name(element)}: text ${element.scrollHeight}px tall in a ${element.clientHeight}px box`,
        );
      const container = element.parentElement?.closest(CONTAINER);
      if (!container) continue;
      const c = container.getBoundingClientRect();
      if (r.left < c.left - tolerance || r.right > c.right + tolerance)
        problems.push(
          `${name(element)}: ${Math.round(r.left)}–${Math.round(r.right)} sticks out of ${name(container)} ${Math.round(c.left)}–${Math.round(c.right)}`,
        );
    }
    return problems;
  }, TOLERANCE_PX);
}

/**
 * The browser's text size, as a person sets it in the OS or browser (Chromium's default font size; 100% =
 * 16 px). Everything sized in rem and em follows it; zoom would scale the whole window instead.
 */
export async function setTextSize(page: Page, percent: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', {
    fontSizes: { standard: Math.round((16 * percent) / 100), fixed: Math.round((13 * percent) / 100) },
  });
  await cdp.detach();
}
