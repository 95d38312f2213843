import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicComment } from '../../src/core/types.ts';
import { ManualClock, startTestService, type TestService } from '../helpers/service.ts';
import { type Listening, launchChromium, listen } from './helpers.ts';

/**
 * The widget as a site embeds it: the host page comes from one origin (a bare node:http server),
 * the script and API from another (the real service on a real port), in real Chromium.
 */

const NO_LIMITS = {
  RATE_LIMIT_IP: 'off',
  RATE_LIMIT_AUTHOR: 'off',
  RATE_LIMIT_THREAD: 'off',
  RATE_LIMIT_GLOBAL: 'off',
};

interface Running {
  service: TestService;
  http: Listening;
}

let browser: Browser;
let host: Listening;
let thirdParty: Listening;
let main: Running;
let premoderated: Running;
let limited: Running;
const started: Running[] = [];

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * A news site on its own origin. Its stylesheet is hostile on purpose: if any of it reached the
 * widget, the form would vanish and the text would be huge and magenta.
 */
function hostPageServer(): Promise<Listening> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.test');
    const api = url.searchParams.get('api') ?? '';
    const thread = url.searchParams.get('thread') ?? 'thread';
    const lang = url.searchParams.get('lang') ?? 'vi';
    const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo mẫu</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 30px/3 "Comic Sans MS", cursive; color: #f0f; letter-spacing: 4px; margin: 16px; }
  textarea, input, button, form { display: none !important; }
  p, li, h2 { color: red !important; font-size: 40px !important; }
</style></head><body>
<h1>Bài báo</h1><p>Nội dung bài báo.</p>
<duyet-comments thread="${escapeAttr(thread)}" lang="${escapeAttr(lang)}"></duyet-comments>
<script src="${escapeAttr(api)}/widget.js" defer></script>
</body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function run(env: Record<string, string>, options: { clock?: ManualClock } = {}): Promise<Running> {
  const service = await startTestService(env, options);
  const running = { service, http: await listen(service) };
  started.push(running);
  return running;
}

let ip = 0;
/** Seeds a comment through the API, each from its own address so no limit or duplicate rule interferes. */
async function seed(
  target: Running,
  thread: string,
  body: string,
  authorName: string,
  parentId?: string,
): Promise<PublicComment> {
  ip++;
  const res = await target.service.call('POST', `/api/v1/threads/${thread}/comments`, {
    body: { body, authorName, ...(parentId ? { parentId } : {}) },
    ip: `198.51.100.${ip % 250}`,
  });
  const json = (await res.json()) as { comment: PublicComment };
  if (res.status === 202) {
    const approved = await target.service.admin('POST', `/api/v1/moderation/comments/${json.comment.id}/approve`);
    expect(approved.status).toBe(200);
  } else {
    expect(res.status).toBe(201);
  }
  return json.comment;
}

interface Opened {
  page: Page;
  w: Locator;
}

/** Opens the host page and waits until the widget has asked for its first page of comments. */
async function open(
  context: BrowserContext,
  target: Running,
  thread: string,
  opts: { lang?: string; origin?: string } = {},
): Promise<Opened> {
  const page = await context.newPage();
  const q = new URLSearchParams({ api: target.http.url, thread, lang: opts.lang ?? 'vi' });
  await page.goto(`${opts.origin ?? host.url}/?${q}`);
  await waitLoaded(page);
  return { page, w: page.locator('duyet-comments') };
}

async function waitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.querySelector('duyet-comments')?.shadowRoot;
    const list = root?.querySelector('ol.list');
    return !!list && !list.hasAttribute('aria-busy');
  });
}

const counter = (w: Locator) => w.locator('form .counter').first();
const status = (w: Locator) => w.locator('form .msg').first();
const topLevel = (w: Locator) => w.locator('ol.list > li.c');

async function write(w: Locator, body: string, name = 'Bạn đọc'): Promise<void> {
  await w.locator('textarea[name="body"]').first().fill(body);
  await w.locator('input[name="authorName"]').first().fill(name);
}

beforeAll(async () => {
  browser = await launchChromium();
  host = await hostPageServer();
  thirdParty = await hostPageServer();
  const allowed = { ALLOWED_ORIGINS: host.url };
  [main, premoderated, limited] = await Promise.all([
    run({ ...NO_LIMITS, ...allowed }),
    run({ ...NO_LIMITS, ...allowed, MODERATION_MODE: 'pre', COMMENT_MAX_LENGTH: '300' }),
    run({ ...allowed, RATE_LIMIT_IP: '1/1m' }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([host?.close(), thirdParty?.close()]);
  for (const r of started) {
    await r.http.close();
    await r.service.cleanup();
  }
});

describe('the comment widget embedded on another origin', () => {
  it('renders in an open shadow root that the host page CSS cannot reach', async () => {
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'isolation');
    expect(await w.locator('h2').textContent()).toBe('BÌNH LUẬN');
    expect(await page.evaluate(() => document.querySelector('duyet-comments')?.shadowRoot?.mode)).toBe('open');
    expect(await w.locator('textarea[name="body"]').isVisible()).toBe(true);
    expect(await w.locator('button[type="submit"]').textContent()).toBe('Gửi bình luận');
    const styles = await w.locator('h2').evaluate((el) => {
      const s = getComputedStyle(el);
      return { size: s.fontSize, color: s.color, spacing: s.letterSpacing };
    });
    expect(styles.size).not.toBe('40px');
    expect(styles.color).not.toBe('rgb(255, 0, 0)');
    expect(await w.locator('.state').textContent()).toBe('Chưa có bình luận nào. Hãy là người đầu tiên!');
    await context.close();
  });

  it('starts the counter at 500/500 and counts down while the reader types', async () => {
    const context = await browser.newContext();
    const { w } = await open(context, main, 'counter');
    expect(await counter(w).textContent()).toBe('Bạn còn 500/500 ký tự');
    expect(await counter(w).getAttribute('aria-live')).toBe('polite');
    await w.locator('textarea[name="body"]').pressSequentially('Xin chào');
    expect(await counter(w).textContent()).toBe('Bạn còn 492/500 ký tự');
    await w.locator('textarea[name="body"]').press('Backspace');
    expect(await counter(w).textContent()).toBe('Bạn còn 493/500 ký tự');
    await context.close();
  });

  it('counts NFD letters and emoji as the server does, and the server accepts what the counter allows', async () => {
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'nfd');
    const nfd = 'e\u0323\u0302';
    const textarea = w.locator('textarea[name="body"]');
    await textarea.fill(`${nfd.repeat(3)}👍🏽`);
    expect(await counter(w).textContent()).toBe('Bạn còn 496/500 ký tự');
    await w.locator('input[name="authorName"]').fill('Hà');
    await w.locator('button[type="submit"]').click();
    // 4 characters: the client refuses with the server's own words, and nothing is sent.
    expect(await status(w).textContent()).toBe('Bạn vui lòng nhập từ 5 ký tự trở lên');
    await textarea.fill(`${nfd.repeat(3)}👍🏽${nfd}`);
    expect(await counter(w).textContent()).toBe('Bạn còn 495/500 ký tự');
    const answer = page.waitForResponse((r) => r.request().method() === 'POST');
    await w.locator('button[type="submit"]').click();
    expect((await answer).status()).toBe(201);
    await expect.poll(() => topLevel(w).first().locator('.body').textContent()).toBe('ệệệ👍🏽ệ');
    await context.close();
  });

  it('shows the min-5 message for a short comment, keeps the text and sends nothing', async () => {
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'short');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST') posts++;
    });
    await write(w, 'abc');
    await w.locator('button[type="submit"]').click();
    expect(await status(w).textContent()).toBe('Bạn vui lòng nhập từ 5 ký tự trở lên');
    expect(await w.locator('textarea[name="body"]').inputValue()).toBe('abc');
    expect(await w.locator('textarea[name="body"]').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toBe(0);
    await context.close();
  });

  it('speaks English with lang="en", in its own words and the server catalogue', async () => {
    const context = await browser.newContext();
    const { w } = await open(context, main, 'english', { lang: 'en' });
    expect(await w.locator('h2').textContent()).toBe('COMMENTS');
    expect(await counter(w).textContent()).toBe('500/500 characters left');
    expect(await w.locator('.state').textContent()).toBe('No comments yet. Be the first!');
    await write(w, 'abcd');
    await w.locator('button[type="submit"]').click();
    expect(await status(w).textContent()).toBe('Please enter at least 5 characters');
    await write(w, 'x'.repeat(502));
    expect(await counter(w).textContent()).toBe('2 characters over the 500 limit');
    await w.locator('button[type="submit"]').click();
    expect(await status(w).textContent()).toBe('Comments can be at most 500 characters');
    await context.close();
  });

  it('publishes a comment at once, keeps it after a reload, and takes a reply under it', async () => {
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'publish');
    await write(w, 'Mận năm nay ngọt lắm, cảm ơn bài viết!', 'Lan');
    await w.locator('button[type="submit"]').click();
    await expect.poll(() => status(w).textContent()).toBe('Bình luận của bạn đã được đăng');
    const first = topLevel(w).first();
    expect(await first.locator('.body').textContent()).toBe('Mận năm nay ngọt lắm, cảm ơn bài viết!');
    expect(await first.locator('.name').textContent()).toBe('Lan');
    expect(await first.locator('time').textContent()).toBe('vừa xong');
    expect(await w.locator('textarea[name="body"]').inputValue()).toBe('');
    expect(await w.locator('.total').textContent()).toBe('1 bình luận');

    await page.reload();
    await waitLoaded(page);
    expect(await topLevel(w).count()).toBe(1);
    // The name is remembered for the next comment.
    expect(await w.locator('input[name="authorName"]').inputValue()).toBe('Lan');

    await w.getByRole('button', { name: 'Trả lời Lan' }).click();
    const reply = w.locator('.reply form');
    expect(await reply.locator('label').first().textContent()).toBe('Trả lời Lan');
    await reply.locator('textarea[name="body"]').fill('Đồng ý, mận hậu Mộc Châu là ngon nhất.');
    await reply.locator('input[name="authorName"]').fill('Minh');
    await reply.locator('button[type="submit"]').click();
    await expect
      .poll(() => first.locator('.replies > li.c .body').textContent())
      .toBe('Đồng ý, mận hậu Mộc Châu là ngon nhất.');
    expect(await w.locator('.reply').count()).toBe(0);
    const listed = await main.service.call('GET', '/api/v1/threads/publish/comments');
    const { comments } = (await listed.json()) as { comments: PublicComment[] };
    expect(comments.find((c) => c.authorName === 'Minh')?.parentId).toBe(
      comments.find((c) => c.authorName === 'Lan')?.id,
    );
    await context.close();
  });

  it('is usable with the keyboard alone, skipping the honeypot', async () => {
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'keyboard');
    const focused = () =>
      page.evaluate(() => {
        const el = document.querySelector('duyet-comments')?.shadowRoot?.activeElement;
        return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('name') ?? el.getAttribute('type') ?? ''}` : '';
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('textarea:body');
    await page.keyboard.type('Gõ bằng bàn phím thôi cũng gửi được.');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input:authorName');
    await page.keyboard.type('Tuấn');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input:authorEmail');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:submit');
    await page.keyboard.press('Enter');
    await expect.poll(() => topLevel(w).first().locator('.name').textContent()).toBe('Tuấn');
    expect(await w.getByRole('textbox', { name: 'Ý kiến của bạn' }).count()).toBe(1);
    expect(await w.getByRole('textbox', { name: 'Tên hiển thị' }).count()).toBe(1);
    const honeypot = w.locator('input[name="website"]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.getAttribute('autocomplete')).toBe('off');
    expect(await w.locator('.hp').getAttribute('aria-hidden')).toBe('true');
    await context.close();
  });

  it('shows a held comment, marked, only to its writer until a moderator approves it', async () => {
    const writer = await browser.newContext();
    const { page, w } = await open(writer, premoderated, 'held');
    // Limits come from the server's configuration (COMMENT_MAX_LENGTH=300 here).
    await expect.poll(() => counter(w).textContent()).toBe('Bạn còn 300/300 ký tự');
    expect(await w.locator('form .note').textContent()).toBe('Bình luận được ban biên tập duyệt trước khi đăng.');
    await write(w, 'Đường lên bản Nà Bó đã sửa xong chưa ạ?', 'Hùng');
    await w.locator('button[type="submit"]').click();
    await expect.poll(() => status(w).textContent()).toBe('Bình luận của bạn đang chờ kiểm duyệt');
    const mine = topLevel(w).first();
    expect(await mine.getAttribute('class')).toContain('pending');
    expect(await mine.locator('.pnote').textContent()).toBe('Chỉ bạn nhìn thấy bình luận này cho đến khi được duyệt.');
    expect(await mine.locator('.badge').textContent()).toBe('Chờ duyệt');
    mkdirSync('test-results', { recursive: true });
    await w.screenshot({ path: 'test-results/widget-pending.png' });

    await page.reload();
    await waitLoaded(page);
    expect(await topLevel(w).first().locator('.pnote').count()).toBe(1);

    const other = await browser.newContext();
    const stranger = await open(other, premoderated, 'held');
    expect(await topLevel(stranger.w).count()).toBe(0);
    expect(await stranger.w.locator('.state').textContent()).toBe('Chưa có bình luận nào. Hãy là người đầu tiên!');

    const pending = await premoderated.service.admin('GET', '/api/v1/moderation/comments?status=pending&threadId=held');
    const { comments } = (await pending.json()) as { comments: PublicComment[] };
    expect(comments).toHaveLength(1);
    const approved = await premoderated.service.admin('POST', `/api/v1/moderation/comments/${comments[0]?.id}/approve`);
    expect(approved.status).toBe(200);
    await page.reload();
    await waitLoaded(page);
    expect(await topLevel(w).count()).toBe(1);
    expect(await topLevel(w).first().getAttribute('class')).not.toContain('pending');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('duyet:pending')))).toEqual(
      [],
    );
    await Promise.all([writer.close(), other.close()]);
  });

  it('shows the 429 message with the retry time and keeps what the reader typed', async () => {
    const context = await browser.newContext();
    const { w } = await open(context, limited, 'limited');
    await write(w, 'Bình luận đầu tiên của tôi hôm nay.', 'Quang');
    await w.locator('button[type="submit"]').click();
    await expect.poll(() => status(w).textContent()).toBe('Bình luận của bạn đã được đăng');
    await write(w, 'Gửi thêm một bình luận nữa ngay.', 'Quang');
    await w.locator('button[type="submit"]').click();
    await expect.poll(() => status(w).textContent()).toMatch(/^Bạn gửi quá nhanh, vui lòng thử lại sau \d+ giây$/);
    expect(await status(w).getAttribute('class')).toContain('err');
    mkdirSync('test-results', { recursive: true });
    await w.screenshot({ path: 'test-results/widget-error.png' });
    expect(await w.locator('textarea[name="body"]').inputValue()).toBe('Gửi thêm một bình luận nữa ngay.');
    expect(await topLevel(w).count()).toBe(1);
    await context.close();
  });

  it('shows 20 comments, then the rest with "Xem thêm", newest first', async () => {
    for (let i = 1; i <= 25; i++) await seed(main, 'many', `Ý kiến thứ ${i} về vụ mận năm nay.`, `Bạn đọc ${i}`);
    const context = await browser.newContext();
    const { w } = await open(context, main, 'many');
    expect(await topLevel(w).count()).toBe(20);
    expect(await w.locator('.total').textContent()).toBe('25 bình luận');
    expect(await topLevel(w).first().locator('.body').textContent()).toBe('Ý kiến thứ 25 về vụ mận năm nay.');
    const more = w.getByRole('button', { name: 'Xem thêm' });
    expect(await more.isVisible()).toBe(true);
    await more.click();
    await expect.poll(() => topLevel(w).count()).toBe(25);
    expect(await topLevel(w).last().locator('.body').textContent()).toBe('Ý kiến thứ 1 về vụ mận năm nay.');
    expect(await more.isVisible()).toBe(false);
    await context.close();
  });

  it('shows markup in comments and names as text and never runs it', async () => {
    const hostile = '<img src=x onerror="window.__xss=1"> và <script>window.__xss=2</script> hết.';
    await seed(main, 'xss', hostile, '<b onmouseover="window.__xss=3">Kẻ lạ</b>');
    const context = await browser.newContext();
    const { page, w } = await open(context, main, 'xss');
    await write(w, hostile, '<img src=x onerror="window.__xss=4">');
    await w.locator('button[type="submit"]').click();
    await expect.poll(() => topLevel(w).count()).toBe(2);
    const bodies = await topLevel(w).locator('.body').allTextContents();
    expect(bodies).toEqual([hostile, hostile]);
    expect(await topLevel(w).locator('.name').allTextContents()).toEqual([
      '<img src=x onerror="window.__xss=4">',
      '<b onmouseover="window.__xss=3">Kẻ lạ</b>',
    ]);
    await topLevel(w).last().locator('.name').hover();
    await page.waitForTimeout(200);
    expect(await w.locator('img, script, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });

  it('answers the configured origin with CORS and refuses any other', async () => {
    const context = await browser.newContext();
    const { page } = await open(context, main, 'cors');
    const probe = (p: Page, url: string) =>
      p.evaluate(async (u) => {
        try {
          const r = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
          return { ok: true, status: r.status };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      }, url);
    const target = `${main.http.url}/api/v1/threads/cors/comments`;
    expect(await probe(page, target)).toEqual({ ok: true, status: 422 });
    const allowed = await main.service.call('OPTIONS', '/api/v1/threads/cors/comments', {
      headers: { origin: host.url, 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(host.url);

    // A page from an origin not in ALLOWED_ORIGINS: the script loads, but the browser blocks its calls.
    const other = await open(context, main, 'cors', { origin: thirdParty.url });
    expect(await probe(other.page, target)).toMatchObject({ ok: false });
    expect(await other.w.locator('.state').textContent()).toBe('Không tải được bình luận. Thử lại');
    const preflight = await main.service.call('OPTIONS', '/api/v1/threads/cors/comments', {
      headers: { origin: thirdParty.url, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await context.close();
  });

  it('serves /widget.js for embedding, revalidated by ETag, within the size budget', async () => {
    const first = await fetch(`${main.http.url}/widget.js`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('javascript');
    expect(first.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(first.headers.get('x-frame-options')).toBeNull();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const script = await first.text();
    expect(gzipSync(script).length).toBeLessThanOrEqual(15 * 1024);
    const again = await fetch(`${main.http.url}/widget.js`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const config = await fetch(`${main.http.url}/api/v1/widget-config`, { headers: { origin: host.url } });
    expect(await config.json()).toEqual({ minLength: 5, maxLength: 500, moderationMode: 'post', defaultLocale: 'vi' });
    expect(config.headers.get('access-control-allow-origin')).toBe(host.url);
  });

  it('looks right on the demo page at phone and desktop widths (screenshots)', async () => {
    const clock = new ManualClock(Date.now());
    const demo = await run(NO_LIMITS, { clock });
    const at = (msAgo: number) => clock.set(new Date(Date.now() - msAgo).toISOString());
    const minute = 60_000;
    at(3 * 24 * 60 * minute);
    await seed(
      demo,
      'demo-article-1',
      'Năm ngoái tôi lên Mộc Châu đúng mùa mận, đường dốc nhưng cảnh đẹp lắm. Năm nay nhất định phải quay lại.',
      'Trần Thu Hà',
    );
    at(2 * 60 * minute);
    const parent = await seed(
      demo,
      'demo-article-1',
      'Giá 25.000–35.000 đồng/kg tại vườn là hợp lý. Mong hợp tác xã giữ chất lượng đều như bài viết nói, đừng để mận xanh trà trộn.',
      'Nguyễn Văn Bình',
    );
    at(47 * minute);
    await seed(
      demo,
      'demo-article-1',
      'Đồng ý với anh Bình, mua có tem truy xuất thì yên tâm hơn hẳn.',
      'Lò Thị Mai',
      parent.id,
    );
    at(5 * minute);
    await seed(
      demo,
      'demo-article-1',
      'Đoạn đường vào bản Nà Bó sửa xong chưa ạ? Cuối tuần này gia đình tôi định đi xe máy lên hái mận.',
      'Phạm Đức Anh',
    );
    clock.set(new Date().toISOString());

    mkdirSync('test-results', { recursive: true });
    mkdirSync('docs', { recursive: true });
    const shots = [
      { file: 'test-results/widget-phone.png', viewport: { width: 390, height: 844 } },
      { file: 'test-results/widget-desktop.png', viewport: { width: 1280, height: 900 } },
    ];
    for (const shot of shots) {
      const context = await browser.newContext({ viewport: shot.viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${demo.http.url}/`);
      await waitLoaded(page);
      const w = page.locator('duyet-comments');
      expect(await topLevel(w).count()).toBe(3);
      expect(await w.locator('.replies > li.c').count()).toBe(1);
      expect(await w.locator('time').allTextContents()).toEqual([
        '5 phút trước',
        '2 giờ trước',
        '47 phút trước',
        '3 ngày trước',
      ]);
      await w.locator('textarea[name="body"]').fill('Cảm ơn phóng viên, bài viết rất hữu ích');
      await w.locator('input[name="authorName"]').fill('Hoàng Yến');
      await w.locator('input[name="authorName"]').blur();
      await w.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      // Leave the end of the article in view, so the picture shows the widget in its page.
      await page.evaluate((up) => window.scrollBy(0, -up), shot.viewport.width > 600 ? 200 : 60);
      await page.screenshot({ path: shot.file });
      await context.close();
    }
    copyFileSync('test-results/widget-desktop.png', 'docs/widget.png');
  });
});
