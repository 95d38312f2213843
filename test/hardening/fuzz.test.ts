import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestService, type TestService } from '../helpers/service.ts';

/**
 * Property: whatever a client sends, the service answers with a structured error or a success,
 * never a 5xx, and keeps serving.
 */

let s: TestService;
beforeAll(async () => {
  s = await startTestService({
    RATE_LIMIT_IP: 'off',
    RATE_LIMIT_AUTHOR: 'off',
    RATE_LIMIT_THREAD: 'off',
    RATE_LIMIT_GLOBAL: 'off',
    RATE_LIMIT_REPORT: 'off',
  });
});
afterAll(async () => {
  await s.cleanup();
});

const nasty = fc.constantFrom(
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\u202E',
  '\u200B',
  '\uFEFF',
  "' OR 1=1 --",
  '"; DROP TABLE comments; --',
  '%00',
  '%',
  '%E0%A4%A',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is the literal text
  '${7*7}',
  '\\',
  'ệ'.repeat(600),
);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), nasty);
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'prototype', 'body', 'authorName')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

/** Bodies shaped like a comment, with any field of any type. */
const commentish = fc.record(
  {
    body: fc.oneof(text, jsonValue),
    authorName: fc.oneof(text, jsonValue),
    authorEmail: fc.oneof(text, jsonValue),
    parentId: fc.oneof(text, jsonValue),
    website: fc.oneof(text, jsonValue),
    __proto__: jsonValue,
  },
  { requiredKeys: [] },
);

/** encodeURIComponent, or the text as is when it cannot be encoded (lone surrogates): both are sent. */
function encodeLoosely(t: string): string {
  try {
    return encodeURIComponent(t);
  } catch {
    return t;
  }
}

async function expectStructured(res: Response): Promise<void> {
  expect(res.status, `status ${res.status}`).toBeLessThan(500);
  if (res.status >= 400) {
    const json = (await res.json()) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
    expect(typeof json.error?.code).toBe('string');
    expect(typeof json.error?.message).toBe('string');
    expect(typeof json.error?.requestId).toBe('string');
  } else {
    await res.arrayBuffer();
  }
}

describe('fuzzing the reader API', () => {
  it('answers arbitrary comment-shaped JSON without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(commentish, async (body) => {
        await expectStructured(await s.call('POST', '/api/v1/threads/fuzz/comments', { body }));
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary JSON values and raw bytes without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
          fc.string(),
          fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b)),
        ),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          '',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/vnd.api+json',
        ),
        async (raw, type) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          await expectStructured(await s.call('POST', '/api/v1/threads/fuzz/comments', { raw, headers }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary thread ids, queries and cursors without a 5xx', async () => {
    const segment = fc.oneof(text, nasty, fc.string({ unit: 'binary-ascii' })).map(encodeLoosely);
    await fc.assert(
      fc.asyncProperty(
        segment,
        segment,
        segment,
        fc.constantFrom('newest', 'oldest', 'x', ''),
        async (thread, cursor, limit, order) => {
          await expectStructured(
            await s.call(
              'GET',
              `/api/v1/threads/${thread || 'x'}/comments?cursor=${cursor}&limit=${limit}&order=${order}`,
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
    for (const path of [
      '/api/v1/threads/%E0%A4%A/comments',
      '/api/v1/threads/%/comments',
      '/api/v1/threads/a%00b/comments',
    ]) {
      await expectStructured(await s.call('GET', path));
    }
  });

  it('refuses deeply nested and huge bodies cleanly', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    await expectStructured(
      await s.call('POST', '/api/v1/threads/t/comments', {
        raw: deep,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const nested = `{"body":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)},"authorName":"x"}`;
    await expectStructured(
      await s.call('POST', '/api/v1/threads/t/comments', {
        raw: nested,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const huge = JSON.stringify({ body: 'x'.repeat(1_000_000), authorName: 'x' });
    const res = await s.call('POST', '/api/v1/threads/t/comments', {
      raw: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
  });

  it('does not let prototype pollution through', async () => {
    const raw =
      '{"body":"Một bình luận bình thường","authorName":"A","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const res = await s.call('POST', '/api/v1/threads/proto/comments', {
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fuzzing the moderator API', () => {
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  it('answers arbitrary queue queries, ids and decision bodies without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(text, nasty).map(encodeLoosely),
        fc.constantFrom('approve', 'reject', 'spam'),
        jsonValue,
        fc.record(
          { status: text, q: text, reason: text, limit: text, cursor: text, threadId: text },
          { requiredKeys: [] },
        ),
        async (id, action, body, query) => {
          await expectStructured(
            await s.call('POST', `/api/v1/moderation/comments/${id || 'x'}/${action}`, { body, headers: auth }),
          );
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          await expectStructured(await s.call('GET', `/api/v1/moderation/comments?${qs}`, { headers: auth }));
          await expectStructured(await s.call('POST', '/api/v1/moderation/comments/bulk', { body, headers: auth }));
          await expectStructured(await s.call('POST', '/api/v1/check', { body, headers: auth }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary bearer headers with 401, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary-ascii', maxLength: 300 }), async (token) => {
        let res: Response;
        try {
          res = await s.call('GET', '/api/v1/moderation/stats', { headers: { authorization: `Bearer ${token}` } });
        } catch {
          return; // the header itself is not valid HTTP: no request was made
        }
        expect([200, 401]).toContain(res.status);
        if (token !== ADMIN_TOKEN) expect(res.status).toBe(401);
        await res.arrayBuffer();
      }),
      { numRuns: 200 },
    );
  });

  it('keeps serving afterwards', async () => {
    const res = await s.call('POST', '/api/v1/threads/after-fuzz/comments', {
      body: { body: 'Vẫn hoạt động bình thường', authorName: 'Kiểm tra' },
    });
    expect(res.status).toBe(201);
    expect((await s.call('GET', '/healthz')).status).toBe(200);
  });
});
