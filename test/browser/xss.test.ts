import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from '../../src/lib/ids.ts';
import { ADMIN_TOKEN, startTestService, type TestService } from '../helpers/service.ts';
import { type Listening, launchChromium, listen } from './helpers.ts';

/**
 * 50 script-injection payloads in comment bodies and author names, shown in the widget (embedded
 * on another origin) and in the moderator page: every one must appear as text and none may run.
 * Each payload that executes would set window.__xss or open a dialog.
 */
const PAYLOADS: string[] = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<img src="x" onerror=window.__xss=3 />',
  '<svg onload="window.__xss=4"></svg>',
  '<svg><script>window.__xss=5</script></svg>',
  '<body onload="window.__xss=6">',
  '<iframe src="javascript:window.parent.__xss=7"></iframe>',
  '<a href="javascript:window.__xss=8">bấm vào đây</a>',
  '<a href="JaVaScRiPt:window.__xss=9">x</a>',
  '<a href="&#106;avascript:window.__xss=10">x</a>',
  '<div onmouseover="window.__xss=11">di chuột</div>',
  '<input autofocus onfocus="window.__xss=12">',
  '<details open ontoggle="window.__xss=13">',
  '<video><source onerror="window.__xss=14"></video>',
  '<audio src=x onerror=window.__xss=15>',
  '<object data="javascript:window.__xss=16"></object>',
  '<embed src="javascript:window.__xss=17">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=18>',
  '"><script>window.__xss=19</script>',
  "'><img src=x onerror=window.__xss=20>",
  '</textarea><script>window.__xss=21</script>',
  '</title><script>window.__xss=22</script>',
  '<style>@import "javascript:window.__xss=23";</style>',
  '<link rel=stylesheet href="javascript:window.__xss=24">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=25">',
  '<base href="javascript:window.__xss=26//">',
  '<form action="javascript:window.__xss=27"><button>gửi</button></form>',
  '<isindex type=image src=1 onerror=window.__xss=28>',
  '<marquee onstart="window.__xss=29">chạy</marquee>',
  '<select autofocus onfocus=window.__xss=30>',
  '<textarea autofocus onfocus=window.__xss=31>',
  '<keygen autofocus onfocus=window.__xss=32>',
  '<svg><animate onbegin=window.__xss=33 attributeName=x dur=1s>',
  '<svg><a xlink:href="javascript:window.__xss=34"><text x="20" y="20">XSS</text></a></svg>',
  '<svg><use href="data:image/svg+xml,<svg id=x xmlns=http://www.w3.org/2000/svg><image href=1 onerror=window.__xss=35 /></svg>#x" />',
  '&lt;script&gt;window.__xss=36&lt;/script&gt;',
  '%3Cscript%3Ewindow.__xss=37%3C/script%3E',
  '\\u003cscript\\u003ewindow.__xss=38\\u003c/script\\u003e',
  '<scr<script>ipt>window.__xss=39</scr</script>ipt>',
  '<SCRIPT SRC=//127.0.0.1:1/x.js></SCRIPT>',
  '<img """><script>window.__xss=41</script>">',
  '<img src=`x` onerror=window.__xss=42>',
  '<img src=x:alert(1) onerror=eval(`window.__xss=43`)>',
  '<div style="background:url(javascript:window.__xss=44)">nền</div>',
  '<div style="width: expression(window.__xss=45)">ie</div>',
  '<template><img src=x onerror=window.__xss=46></template>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=47>">',
  '{{constructor.constructor("window.__xss=48")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the literal text
  '${window.__xss=49}',
  'Bình luận <b>đậm</b> và <i>nghiêng</i> <img src=x onerror=window.__xss=50>',
];

/** Element kinds no comment may ever turn into on each page (the widget has no details or SVG of its own). */
const WIDGET_TAGS = [
  'IMG',
  'SVG',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'VIDEO',
  'AUDIO',
  'MARQUEE',
  'DETAILS',
  'BASE',
  'META',
  'LINK',
];
const ADMIN_TAGS = ['IMG', 'IFRAME', 'OBJECT', 'EMBED', 'VIDEO', 'AUDIO', 'MARQUEE', 'BASE', 'META', 'LINK', 'SCRIPT'];

/**
 * Runs in the page: elements a payload could have injected (a forbidden tag, an event handler, or a
 * script URL in a URL-bearing attribute). Self-contained, as page.evaluate serialises it.
 */
function findInjected({ tags, shadowHost }: { tags: string[]; shadowHost: string | null }): string[] {
  const root = shadowHost ? document.querySelector(shadowHost)?.shadowRoot : null;
  const all = [...(root?.querySelectorAll('*') ?? []), ...document.querySelectorAll('body *')];
  return all
    .filter(
      (el) =>
        tags.includes(el.tagName.toUpperCase()) ||
        [...el.attributes].some(
          (a) =>
            a.name.startsWith('on') ||
            (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'style'].includes(a.name) &&
              /javascript:|expression\(/i.test(a.value)),
        ),
    )
    .map((el) => el.outerHTML.slice(0, 80));
}

let browser: Browser;
let service: TestService;
let http: Listening;
let host: { url: string; close(): Promise<void> };
const thread = 'xss-thread';

function hostPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const api = new URL(req.url ?? '/', 'http://h').searchParams.get('api') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo</title></head><body>` +
        `<duyet-comments thread="${thread}" lang="vi"></duyet-comments><script src="${api}/widget.js" defer></script></body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    ),
  );
}

beforeAll(async () => {
  [browser, service] = await Promise.all([launchChromium(), startTestService()]);
  [http, host] = await Promise.all([listen(service), hostPage()]);
  // Stored as they came, bypassing the content rules, so every payload reaches the pages.
  for (const [i, payload] of PAYLOADS.entries()) {
    const base = {
      threadId: thread,
      parentId: null,
      authorEmail: `x${i}@example.com`,
      authorKey: `k${i}`,
      originalBody: null,
      reasons: [
        { code: 'SPAM', rule: 'spam', detail: payload, spans: [[0, Math.min(5, payload.length)] as [number, number]] },
      ],
      score: 0.5,
      ipHash: null,
    };
    await service.deps.store.insertComment({
      ...base,
      id: ulid(),
      authorName: payload.slice(0, 80),
      body: payload,
      status: 'approved',
      textHash: `a${i}`,
    });
    await service.deps.store.insertComment({
      ...base,
      id: ulid(),
      authorName: payload.slice(0, 80),
      body: payload,
      status: 'pending',
      textHash: `p${i}`,
    });
  }
});

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await host?.close();
  await service?.cleanup();
});

async function watch(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return dialogs;
}

describe('no script injection', () => {
  it('shows all 50 payloads as text in the widget on another origin, and runs none', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs = await watch(page);
    await page.goto(`${host.url}/?api=${encodeURIComponent(http.url)}`);
    const w = page.locator('duyet-comments');
    await w.locator('ol.list > li').first().waitFor();
    // Load every page of the thread.
    for (let i = 0; i < 5; i++) {
      const more = w.locator('button', { hasText: 'Xem thêm' });
      if ((await more.count()) === 0 || !(await more.first().isVisible())) break;
      await more.first().click();
      await page.waitForTimeout(300);
    }
    const shown = await page.evaluate(() => {
      const root = document.querySelector('duyet-comments')?.shadowRoot;
      return root ? (root.textContent ?? '') : '';
    });
    for (const payload of PAYLOADS) expect(shown, payload).toContain(payload.slice(0, 80));
    const injected = await page.evaluate(findInjected, { tags: WIDGET_TAGS, shadowHost: 'duyet-comments' });
    expect(injected).toEqual([]);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('shows all 50 payloads as text in the moderator page, and runs none', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const dialogs = await watch(page);
    const res = await page.goto(`${http.url}/admin?limit=200`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('input[type="password"][name="token"]').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#queue-view').waitFor({ state: 'visible' });
    const last = PAYLOADS[PAYLOADS.length - 2] ?? '';
    await page.waitForFunction(
      ([text, n]) =>
        document.body.textContent?.includes(text as string) &&
        document.querySelectorAll('mark').length >= (n as number),
      [last, 10] as const,
    );
    const text = await page.evaluate(() => document.body.textContent ?? '');
    for (const payload of PAYLOADS) expect(text, payload).toContain(payload.slice(0, 80));
    const injected = await page.evaluate(findInjected, { tags: ADMIN_TAGS, shadowHost: null });
    expect(injected).toEqual([]);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('sends a strict Content-Security-Policy with the moderator page and the demo article', async () => {
    for (const path of ['/admin', '/']) {
      const res = await fetch(`${http.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-eval');
      expect(csp.match(/script-src[^;]*/)?.[0], path).not.toContain('unsafe-inline');
    }
  });
});
