import { Hono } from 'hono';
import type { HonoEnv } from '../env.ts';
import { openApiDocument } from '../openapi.ts';

const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Op {
  tags?: string[];
  summary?: string;
  'x-role'?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content: { 'application/json': { schema: unknown } } };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: unknown } } }>;
}

/** Renders the OpenAPI document as one static page: no script, works offline. */
function renderDocs(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Op>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Other';
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(p.description ?? '')} <code>${esc(JSON.stringify(p.schema ?? {}))}</code></td></tr>`,
        )
        .join('');
      const body = op.requestBody
        ? `<h4>Body</h4><pre>${esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2))}</pre>`
        : '';
      const responses = Object.entries(op.responses)
        .map(
          ([code, r]) =>
            `<details><summary><b>${esc(code)}</b> ${esc(r.description)}</summary>${r.content ? `<pre>${esc(JSON.stringify(r.content['application/json'].schema, null, 2))}</pre>` : ''}</details>`,
        )
        .join('');
      const role = op['x-role']
        ? `<span class="role">${esc(op['x-role'])} key</span>`
        : '<span class="role public">public</span>';
      const html = `<section id="${esc(`${method}-${path}`)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${role}</h3><p>${esc(op.summary ?? '')}</p>${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : ''}${body}<h4>Responses</h4>${responses}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const info = doc.info as { title: string; description: string; version: string };
  const sections = [...byTag].map(([tag, ops]) => `<h2>${esc(tag)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(info.title)} API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem 1.25rem;color:#1d1d1f}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #b3261e;padding-bottom:.2rem;margin-top:2rem}
section{border:1px solid #ddd;border-radius:8px;padding:.2rem 1rem .8rem;margin:1rem 0}
h3{font-size:1rem}.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;padding:0 .4em;font-size:.85em}
.get{background:#1565c0}.post{background:#2e7d32}.delete{background:#b3261e}.role{font-size:.8em;color:#555;border:1px solid #bbb;border-radius:10px;padding:0 .5em;margin-left:.5em}
pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:.85em}table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top}
</style></head><body><h1>${esc(info.title)} API</h1><p>${esc(info.description)}</p><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>${sections}</body></html>`;
}

let page: string | undefined;

/** `GET /api/v1/openapi.json` and `GET /docs`. */
export function docsRoutes() {
  return new Hono<HonoEnv>()
    .get('/api/v1/openapi.json', (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      c.header('Access-Control-Allow-Origin', '*');
      return c.json(openApiDocument());
    })
    .get('/docs', (c) => {
      page ??= renderDocs(openApiDocument());
      c.header('Content-Security-Policy', DOCS_CSP);
      c.header('Cache-Control', 'public, max-age=300');
      return c.html(page);
    });
}
