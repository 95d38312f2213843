import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestService } from '../helpers/service.ts';

/** Debian's Chromium (see STACK.md): playwright-core never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline in containers and CI (STACK.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a test service on a real loopback port, as the browser needs; `app.request` is not enough.
 * `close` also drops the browser's keep-alive sockets, which would otherwise hold the server open.
 */
export async function listen(service: TestService): Promise<Listening> {
  let server: Server | undefined;
  const info = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, resolve) as Server;
  });
  const srv = server!;
  return {
    url: `http://127.0.0.1:${info.port}`,
    close: () =>
      new Promise<void>((done, fail) => {
        srv.close((err) => (err ? fail(err) : done()));
        srv.closeAllConnections();
      }),
  };
}

/** Filters the moderator page's list to one thread and waits until it shows that thread and nothing else. */
export async function filterThread(page: Page, threadId: string): Promise<void> {
  await page.locator('#f-thread').fill(threadId);
  await page.locator('#f-thread').press('Enter');
  // Every test's thread has comments: wait until the list shows that thread and nothing else.
  await expect
    .poll(async () => {
      const threads = await page.locator('li.comment .thread code').allTextContents();
      return threads.length > 0 && threads.every((t) => t === threadId);
    })
    .toBe(true);
}
