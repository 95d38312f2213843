import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PublicComment } from '../../src/core/types.ts';
import { ulid } from '../../src/lib/ids.ts';
import { ADMIN_TOKEN, startTestService, type TestService } from '../helpers/service.ts';
import { filterThread, type Listening, launchChromium, listen } from './helpers.ts';

/**
 * Reader reports and bans in real Chromium: the widget's report dialog on a host page of another
 * origin, and the moderator page's Reported view, ban dialog and bans list.
 */

const NO_LIMITS = {
  RATE_LIMIT_IP: 'off',
  RATE_LIMIT_AUTHOR: 'off',
  RATE_LIMIT_THREAD: 'off',
  RATE_LIMIT_GLOBAL: 'off',
  RATE_LIMIT_REPORT: 'off',
};

let browser: Browser;
let host: Listening;
let service: TestService;
let server: Listening;
const contexts: BrowserContext[] = [];

/** A news site on its own origin embedding the widget from the service's origin. */
function hostPageServer(): Promise<Listening> {
  const srv: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.test');
    const api = url.searchParams.get('api') ?? '';
    const thread = url.searchParams.get('thread') ?? 'thread';
    const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'vi';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo mẫu</title></head><body>
<duyet-comments thread="${thread.replace(/[^\w-]/g, '')}" lang="${lang}"></duyet-comments>
<script src="${api.replace(/"/g, '')}/widget.js" defer></script></body></html>`);
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            srv.close(() => done());
            srv.closeAllConnections();
          }),
      });
    });
  });
}

beforeAll(async () => {
  browser = await launchChromium();
  host = await hostPageServer();
  service = await startTestService({ ...NO_LIMITS, ALLOWED_ORIGINS: host.url });
  server = await listen(service);
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([host?.close(), server?.close()]);
  await service?.cleanup();
});

let seq = 0;
function freshThread(name: string): string {
  seq++;
  return `reports-${name}-${seq}`;
}

/** A published comment, each from its own address. */
async function seed(threadId: string, authorName: string, authorEmail?: string): Promise<PublicComment> {
  seq++;
  const res = await service.call('POST', `/api/v1/threads/${threadId}/comments`, {
    body: { body: `Ý kiến của ${authorName} về bài báo`, authorName, ...(authorEmail ? { authorEmail } : {}) },
    ip: `198.51.100.${seq % 250}`,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { comment: PublicComment }).comment;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

// ---------------------------------------------------------------- the widget

async function openWidget(threadId: string, lang = 'vi'): Promise<{ page: Page; w: Locator }> {
  const page = await newPage();
  const q = new URLSearchParams({ api: server.url, thread: threadId, lang });
  await page.goto(`${host.url}/?${q}`);
  await page.waitForFunction(() => {
    const list = document.querySelector('duyet-comments')?.shadowRoot?.querySelector('ol.list');
    return !!list && !list.hasAttribute('aria-busy') && list.childElementCount > 0;
  });
  return { page, w: page.locator('duyet-comments') };
}

function commentItem(w: Locator, id: string): Locator {
  return w.locator(`li.c[data-id="${id}"]`);
}

describe('the widget report dialog', () => {
  it('reports a comment with a reason and a note from another origin, in Vietnamese', async () => {
    const threadId = freshThread('widget-vi');
    const comment = await seed(threadId, 'Trần Bình');
    const { page, w } = await openWidget(threadId);
    const button = commentItem(w, comment.id).getByRole('button', { name: 'Báo vi phạm bình luận của Trần Bình' });
    expect(await button.textContent()).toBe('Báo vi phạm');
    await button.click();

    const dialog = w.getByRole('dialog', { name: 'Báo vi phạm' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open && d.matches(':modal'))).toBe(true);
    expect(
      await dialog.getByRole('radio').evaluateAll((els) => els.map((e) => e.parentElement?.textContent?.trim())),
    ).toEqual(['Spam, quảng cáo', 'Xúc phạm, thù ghét, quấy rối', 'Không liên quan đến bài viết', 'Lý do khác']);
    // The first reason has focus; sending without choosing one asks for it.
    expect(
      await page.evaluate(() =>
        document.querySelector('duyet-comments')?.shadowRoot?.activeElement?.getAttribute('value'),
      ),
    ).toBe('spam');
    await dialog.getByRole('button', { name: 'Gửi báo cáo' }).click();
    expect(await dialog.locator('.msg').textContent()).toBe('Bạn vui lòng chọn một lý do');

    await dialog.getByRole('radio', { name: 'Xúc phạm, thù ghét, quấy rối' }).check();
    await dialog.getByRole('textbox', { name: 'Ghi chú (không bắt buộc, không hiển thị)' }).fill('Lăng mạ người khác');
    await dialog.getByRole('button', { name: 'Gửi báo cáo' }).click();
    const thanks = commentItem(w, comment.id).locator('.rmsg');
    await thanks.waitFor();
    expect(await thanks.textContent()).toBe('Cảm ơn bạn đã báo cáo, ban biên tập sẽ xem xét bình luận này');
    expect(await dialog.isVisible()).toBe(false);
    expect(
      await button.evaluate(
        (b) => b.getRootNode() instanceof ShadowRoot && (b.getRootNode() as ShadowRoot).activeElement === b,
      ),
    ).toBe(true);

    const rows = await service.deps.store.db
      .selectFrom('reports')
      .select(['reason', 'note'])
      .where('comment_id', '=', comment.id)
      .execute();
    expect(rows).toEqual([{ reason: 'abuse', note: 'Lăng mạ người khác' }]);
  });

  it('speaks English, closes on Escape and says when a comment is gone', async () => {
    const threadId = freshThread('widget-en');
    const comment = await seed(threadId, 'Lê Cúc');
    const { w, page } = await openWidget(threadId, 'en');
    const button = commentItem(w, comment.id).getByRole('button', { name: 'Report the comment by Lê Cúc' });
    await button.click();
    const dialog = w.getByRole('dialog', { name: 'Report a comment' });
    await dialog.waitFor();
    expect(
      await dialog.getByRole('radio').evaluateAll((els) => els.map((e) => e.parentElement?.textContent?.trim())),
    ).toEqual(['Spam or advertising', 'Abusive, hateful or harassing', 'Not about the article', 'Something else']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A moderator un-publishes it while the page is open.
    expect((await service.admin('POST', `/api/v1/moderation/comments/${comment.id}/reject`, {})).status).toBe(200);
    await button.click();
    await dialog.getByRole('radio', { name: 'Something else' }).check();
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => dialog.locator('.msg').textContent()).toBe('This comment is no longer shown');
    expect(await dialog.isVisible()).toBe(true);
  });
});

// ---------------------------------------------------------------- the moderator page

async function openAdmin(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/admin`);
  await page.locator('input[type="password"][name="token"]').fill(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await page.locator('#queue-view').waitFor({ state: 'visible' });
  return page;
}

async function showTab(page: Page, name: RegExp, threadId?: string): Promise<void> {
  await page.locator('#tabs').getByRole('button', { name }).click();
  if (threadId) await filterThread(page, threadId);
}

async function report(id: string, ip: string, reason: string, note?: string): Promise<void> {
  const res = await service.call('POST', `/api/v1/comments/${id}/reports`, {
    body: { reason, ...(note ? { note } : {}) },
    ip,
  });
  expect(res.status).toBe(202);
}

describe('the moderator page: reports and bans', () => {
  it('lists reported comments with counts and reasons, and dismisses their reports', async () => {
    const threadId = freshThread('admin-reported');
    const comment = await seed(threadId, 'Phạm Dũng');
    await report(comment.id, '203.0.113.1', 'abuse', 'Chửi thề');
    await report(comment.id, '203.0.113.2', 'off_topic');
    const page = await openAdmin();
    await showTab(page, /^Bị báo cáo/, threadId);
    expect(await page.locator('#tabs [data-count="reported"]').textContent()).not.toBe('–');

    const item = page.locator(`li.comment[data-id="${comment.id}"]`);
    expect(await item.locator('.badge-warn').textContent()).toBe('2 báo cáo');
    expect(await item.locator('.reports-title').textContent()).toBe('Báo cáo của bạn đọc (2)');
    expect(await item.locator('.report-reason').allTextContents()).toEqual(['Xúc phạm, thù ghét', 'Lạc đề']);
    expect(await item.locator('.report-note').allTextContents()).toEqual(['Chửi thề']);

    // The count shows in the other views too.
    await showTab(page, /^Đã duyệt/, threadId);
    expect(await page.locator(`li.comment[data-id="${comment.id}"] .badge-warn`).textContent()).toBe('2 báo cáo');
    await showTab(page, /^Bị báo cáo/, threadId);

    await item.locator('input.note').fill('Không vi phạm');
    await item.getByRole('button', { name: 'Bỏ qua báo cáo' }).click();
    await item.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã bỏ qua báo cáo về bình luận của Phạm Dũng');
    const res = await service.admin('GET', `/api/v1/moderation/comments/${comment.id}`);
    const json = (await res.json()) as {
      comment: { status: string; reportCount: number };
      history: { action: string; note: string | null }[];
    };
    expect(json.comment).toMatchObject({ status: 'approved', reportCount: 0 });
    expect(json.history.at(-1)).toMatchObject({ action: 'dismiss-reports', note: 'Không vi phạm' });
  });

  it('bans an author from a comment for 30 days and rejects their pending comments', async () => {
    const threadId = freshThread('admin-ban');
    const comment = await seed(threadId, 'Võ Em', 'vo.em@example.com');
    await report(comment.id, '203.0.113.3', 'spam');
    const pendingId = ulid();
    await service.deps.store.insertComment({
      id: pendingId,
      threadId,
      parentId: null,
      authorName: 'Võ Em',
      authorEmail: 'vo.em@example.com',
      authorKey: `author:${pendingId}`,
      body: 'Mua hàng giá rẻ tại đây',
      originalBody: null,
      status: 'pending',
      reasons: [{ code: 'SPAM_LINK', rule: 'spam' }],
      score: 0.6,
      ipHash: null,
      textHash: `text:${pendingId}`,
    });
    const page = await openAdmin();
    await showTab(page, /^Bị báo cáo/, threadId);
    const item = page.locator(`li.comment[data-id="${comment.id}"]`);
    const opener = item.getByRole('button', { name: 'Cấm người viết' });
    await opener.click();

    const dialog = page.getByRole('dialog', { name: 'Cấm người viết' });
    await dialog.waitFor();
    expect(await dialog.locator('#ban-who').textContent()).toBe('Tác giả: Võ Em <vo.em@example.com>');
    expect(
      await dialog.getByRole('radio').evaluateAll((els) => els.map((e) => e.parentElement?.textContent?.trim())),
    ).toEqual(['1 ngày', '7 ngày', '30 ngày', 'Vĩnh viễn']);
    // Shortcuts stay off while the dialog is open: "s" must not mark the comment as spam.
    await dialog.getByRole('radio', { name: '30 ngày' }).check();
    await page.keyboard.press('s');
    await dialog.getByRole('button', { name: 'Cấm', exact: true }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe('Vui lòng nhập lý do');
    await dialog.getByRole('textbox', { name: 'Lý do' }).fill('Quảng cáo lặp lại');
    await dialog.getByRole('checkbox', { name: 'Từ chối luôn các bình luận đang chờ duyệt của người này' }).check();
    const before = Date.now();
    await dialog.getByRole('button', { name: 'Cấm', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã cấm Võ Em và từ chối 1 bình luận đang chờ');
    expect(await opener.evaluate((b) => document.activeElement === b)).toBe(true);

    const { bans } = (await (await service.admin('GET', '/api/v1/moderation/bans')).json()) as {
      bans: { email: string; byIp: boolean; commentId: string; reason: string; until: string }[];
    };
    const ban = bans.find((b) => b.commentId === comment.id);
    expect(ban).toMatchObject({ email: 'vo.em@example.com', byIp: true, reason: 'Quảng cáo lặp lại' });
    const days = (Date.parse(ban?.until ?? '') - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    const pending = (await (await service.admin('GET', `/api/v1/moderation/comments/${pendingId}`)).json()) as {
      comment: { status: string };
    };
    expect(pending.comment.status).toBe('rejected');
    const approved = (await (await service.admin('GET', `/api/v1/moderation/comments/${comment.id}`)).json()) as {
      comment: { status: string };
    };
    expect(approved.comment.status).toBe('approved');
  });

  it('lists bans and lifts one', async () => {
    const created = await service.admin('POST', '/api/v1/moderation/bans', {
      email: 'go.cam@example.com',
      until: null,
      reason: 'Thử gỡ lệnh cấm',
    });
    expect(created.status).toBe(201);
    const page = await openAdmin();
    await showTab(page, /^Lệnh cấm/);
    await page.locator('#bans-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#queue-panel').isVisible()).toBe(false);
    const row = page.locator('#bans-list li.ban', { hasText: 'go.cam@example.com' });
    await row.waitFor();
    expect(await row.locator('.ban-reason').textContent()).toBe('Thử gỡ lệnh cấm');
    expect(await row.locator('.ban-meta').textContent()).toMatch(/^Vĩnh viễn · Cấm bởi admin-token, /);
    await row.getByRole('button', { name: 'Gỡ lệnh cấm go.cam@example.com' }).click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã gỡ lệnh cấm go.cam@example.com');

    await page.getByRole('checkbox', { name: 'Hiện cả lệnh đã gỡ và đã hết hạn' }).check();
    const lifted = page.locator('#bans-list li.ban', { hasText: 'go.cam@example.com' });
    await lifted.waitFor();
    expect(await lifted.locator('.ban-who .badge').textContent()).toMatch(/^Đã gỡ bởi admin-token, /);
    expect(await lifted.getByRole('button').count()).toBe(0);
  });
});
