import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.ts';

let s: TestService;
beforeAll(async () => {
  s = await startTestService();
});
afterAll(async () => {
  await s.cleanup();
});

describe('OpenAPI', () => {
  it('documents every API route the app serves, and nothing it does not', async () => {
    const doc = (await (await s.call('GET', '/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = new Set(
      s.app.routes
        .filter((r) => (r.path.startsWith('/api/v1/') || r.path === '/healthz') && r.method !== 'ALL')
        .filter((r) => r.path !== '/api/v1/openapi.json')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('describes the post body from the validator schema', async () => {
    const doc = (await (await s.call('GET', '/api/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required: string[] } }> } }>
      >;
    };
    const schema =
      doc.paths['/api/v1/threads/{threadId}/comments']?.post?.requestBody?.content['application/json']?.schema;
    expect(schema?.required).toEqual(['body', 'authorName']);
  });

  it('renders the docs page without scripts', async () => {
    const res = await s.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('/api/v1/threads/{threadId}/comments');
    expect(html).toContain('/api/v1/moderation/comments/bulk');
    expect(html).not.toContain('<script');
  });
});
