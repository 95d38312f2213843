import { z } from 'zod';
import { COMMENT_STATUSES, REPORT_REASONS } from '../core/types.ts';
import { banBody, banListQuery } from './routes/bans.ts';
import { createKeyBody } from './routes/keys.ts';
import { bulkBody, checkBody, noteBody, queueQuery } from './routes/moderation.ts';
import { authorEmailBody, authorEmailQuery } from './routes/privacy.ts';
import { reportBodySchema } from './routes/reports.ts';
import { listQuerySchema, postCommentSchema } from './routes/threads.ts';
import { createWebhookBody, deliveriesQuery } from './routes/webhooks.ts';

/**
 * The OpenAPI 3.1 document of the public contract, assembled from the same zod schemas the routes
 * validate with, so the document cannot drift from what the server accepts.
 */

const Reason = z.object({
  code: z.string(),
  rule: z.string(),
  detail: z.string().optional(),
  spans: z.array(z.tuple([z.number().int(), z.number().int()])).optional(),
});

const Comment = z.object({
  id: z.string(),
  threadId: z.string(),
  parentId: z.string().nullable(),
  authorName: z.string(),
  body: z.string(),
  status: z.enum(COMMENT_STATUSES),
  createdAt: z.string().describe('ISO-8601 UTC'),
});

const ModeratedComment = Comment.extend({
  authorEmail: z.string().nullable(),
  reasons: z.array(Reason),
  score: z.number(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reportCount: z.number().int(),
  originalBody: z.string().optional().describe('The text as written, when the published body was masked'),
});

const ReaderReport = z.object({
  reason: z.enum(REPORT_REASONS),
  note: z.string().nullable(),
  createdAt: z.string(),
});

/** Moderation lists add each comment's active reader reports (never who sent them). */
const ListedComment = ModeratedComment.extend({ reports: z.array(ReaderReport) });

const Ban = z.object({
  id: z.string(),
  email: z.string().nullable().describe('Lower-cased'),
  byIp: z.boolean().describe('Also matches the keyed client-IP hash of the comment it was made from'),
  commentId: z.string().nullable(),
  reason: z.string(),
  until: z.string().nullable().describe('ISO-8601 UTC; null: no end'),
  createdAt: z.string(),
  createdBy: z.string(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  active: z.boolean(),
});

const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('SCREAMING_SNAKE error code'),
    message: z.string().describe("In the reader's language (?lang, Accept-Language, DEFAULT_LOCALE)"),
    requestId: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const Verdict = z.object({
  action: z.enum(['allow', 'review', 'reject']),
  status: z.enum(COMMENT_STATUSES).nullable(),
  reasons: z.array(Reason),
  score: z.number(),
  code: z.string().optional(),
});

const HistoryEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  from: z.enum(COMMENT_STATUSES).nullable(),
  to: z.enum(COMMENT_STATUSES),
  note: z.string().nullable(),
});

const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'moderator']),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

type Auth = 'public' | 'moderator' | 'admin';

interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  tag: string;
  summary: string;
  auth: Auth;
  path_params?: Record<string, string>;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<string, [string, z.ZodType?]>;
}

const threadId = { threadId: 'Chosen by the site: 1–200 characters of [A-Za-z0-9._:~/-], URL-encoded' };
const id = { id: 'Comment id' };

const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/threads/{threadId}/comments',
    tag: 'Readers',
    summary: 'Post a comment',
    auth: 'public',
    path_params: threadId,
    body: postCommentSchema,
    responses: {
      '201': ['Published', z.object({ comment: Comment })],
      '202': ['Held for a moderator (also answered for spam)', z.object({ comment: Comment, message: z.string() })],
      '400': ['INVALID_JSON', ErrorBody],
      '403': ['AUTHOR_BANNED', ErrorBody],
      '413': ['PAYLOAD_TOO_LARGE', ErrorBody],
      '415': ['UNSUPPORTED_MEDIA_TYPE', ErrorBody],
      '422': [
        'COMMENT_TOO_SHORT, COMMENT_TOO_LONG, COMMENT_REJECTED, DUPLICATE_COMMENT, PARENT_NOT_FOUND, VALIDATION_FAILED',
        ErrorBody,
      ],
      '429': ['RATE_LIMITED, with Retry-After, RateLimit-Policy and RateLimit headers', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/api/v1/threads/{threadId}/comments',
    tag: 'Readers',
    summary: 'Read the approved comments of a thread',
    auth: 'public',
    path_params: threadId,
    query: listQuerySchema,
    responses: {
      '200': [
        'A page of comments',
        z.object({ comments: z.array(Comment), nextCursor: z.string().nullable(), total: z.number().int() }),
      ],
      '422': ['VALIDATION_FAILED (bad cursor, limit or order)', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/api/v1/widget-config',
    tag: 'Readers',
    summary: 'Limits and mode the widget needs',
    auth: 'public',
    responses: {
      '200': [
        'Configuration',
        z.object({
          minLength: z.number().int(),
          maxLength: z.number().int(),
          moderationMode: z.enum(['post', 'pre']),
          defaultLocale: z.enum(['vi', 'en']),
        }),
      ],
    },
  },
  {
    method: 'post',
    path: '/api/v1/comments/{id}/reports',
    tag: 'Readers',
    summary: 'Report a published comment (once per client; enough distinct reports hide it for review)',
    auth: 'public',
    path_params: id,
    body: reportBodySchema,
    responses: {
      '202': ['Received (a repeat is answered the same)', z.object({ message: z.string() })],
      '404': ['NOT_FOUND: unknown or unpublished comment', ErrorBody],
      '422': ['VALIDATION_FAILED', ErrorBody],
      '429': ['RATE_LIMITED (RATE_LIMIT_REPORT), with Retry-After', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/api/v1/moderation/comments',
    tag: 'Moderators',
    summary:
      'The moderation queue (pending oldest first, other statuses newest first; `reported`: published comments with reports, most reported first)',
    auth: 'moderator',
    query: queueQuery,
    responses: {
      '200': ['A page', z.object({ comments: z.array(ListedComment), nextCursor: z.string().nullable() })],
    },
  },
  {
    method: 'post',
    path: '/api/v1/moderation/comments/{id}/dismiss-reports',
    tag: 'Moderators',
    summary: 'Set reader reports aside: the comment stays (or is again) published',
    auth: 'moderator',
    path_params: id,
    body: noteBody,
    responses: {
      '200': ['Dismissed', z.object({ comment: ListedComment })],
      '404': ['NOT_FOUND', ErrorBody],
      '409': ['CONFLICT: neither published nor hidden by reports', ErrorBody],
    },
  },
  {
    method: 'post',
    path: '/api/v1/moderation/bans',
    tag: 'Moderators',
    summary: 'Ban an author by email and/or by the client-IP hash of one of their comments',
    auth: 'moderator',
    body: banBody,
    responses: {
      '201': ['Banned', z.object({ ban: Ban, rejected: z.array(z.string()).describe('Pending comments rejected') })],
      '404': ['NOT_FOUND: unknown commentId', ErrorBody],
      '422': ['VALIDATION_FAILED (nothing to ban, `until` not in the future)', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/api/v1/moderation/bans',
    tag: 'Moderators',
    summary: 'Active bans, newest first (`all=true`: lifted and expired ones too)',
    auth: 'moderator',
    query: banListQuery,
    responses: { '200': ['Bans', z.object({ bans: z.array(Ban) })] },
  },
  {
    method: 'delete',
    path: '/api/v1/moderation/bans/{id}',
    tag: 'Moderators',
    summary: 'Lift a ban (kept, with who lifted it and when; repeating is a no-op)',
    auth: 'moderator',
    path_params: { id: 'Ban id' },
    responses: { '200': ['Lifted', z.object({ ban: Ban })], '404': ['NOT_FOUND', ErrorBody] },
  },
  {
    method: 'get',
    path: '/api/v1/moderation/comments/{id}',
    tag: 'Moderators',
    summary: 'A comment and its history',
    auth: 'moderator',
    path_params: id,
    responses: {
      '200': ['Found', z.object({ comment: ListedComment, history: z.array(HistoryEntry) })],
      '404': ['NOT_FOUND', ErrorBody],
    },
  },
  ...(['approve', 'reject', 'spam'] as const).map(
    (action): Operation => ({
      method: 'post',
      path: `/api/v1/moderation/comments/{id}/${action}`,
      tag: 'Moderators',
      summary: `${action[0]?.toUpperCase()}${action.slice(1)} a comment (repeating is a no-op)`,
      auth: 'moderator',
      path_params: id,
      body: noteBody,
      responses: {
        '200': ['Decided', z.object({ comment: ModeratedComment })],
        '404': ['NOT_FOUND', ErrorBody],
      },
    }),
  ),
  {
    method: 'post',
    path: '/api/v1/moderation/comments/bulk',
    tag: 'Moderators',
    summary: 'Decide up to 500 comments',
    auth: 'moderator',
    body: bulkBody,
    responses: {
      '200': [
        'Per-id results',
        z.object({
          results: z.array(
            z.object({
              id: z.string(),
              ok: z.boolean(),
              status: z.string().optional(),
              error: z.object({ code: z.string() }).optional(),
            }),
          ),
        }),
      ],
    },
  },
  {
    method: 'get',
    path: '/api/v1/moderation/stats',
    tag: 'Moderators',
    summary: 'Counts per status and the oldest pending comment',
    auth: 'moderator',
    responses: {
      '200': [
        'Stats',
        z.object({
          counts: z.record(z.string(), z.number().int()),
          reported: z.number().int().describe('Published comments with reader reports'),
          oldestPendingAt: z.string().nullable(),
          oldestPendingAgeSeconds: z.number().int().nullable(),
        }),
      ],
    },
  },
  {
    method: 'post',
    path: '/api/v1/check',
    tag: 'Moderators',
    summary: "The pipeline's verdict on a text, storing and counting nothing",
    auth: 'moderator',
    body: checkBody,
    responses: { '200': ['Verdict', Verdict] },
  },
  {
    method: 'post',
    path: '/api/v1/keys',
    tag: 'Admins',
    summary: 'Create an API key (the secret is shown once)',
    auth: 'admin',
    body: createKeyBody,
    responses: { '201': ['Created', z.object({ key: ApiKey, secret: z.string() })] },
  },
  {
    method: 'get',
    path: '/api/v1/keys',
    tag: 'Admins',
    summary: 'List API keys',
    auth: 'admin',
    responses: { '200': ['Keys', z.object({ keys: z.array(ApiKey) })] },
  },
  {
    method: 'delete',
    path: '/api/v1/keys/{id}',
    tag: 'Admins',
    summary: 'Revoke an API key',
    auth: 'admin',
    path_params: { id: 'Key id' },
    responses: { '204': ['Revoked'], '404': ['NOT_FOUND', ErrorBody] },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks',
    tag: 'Admins',
    summary: 'Register a webhook endpoint (the whsec_ secret is shown once)',
    auth: 'admin',
    body: createWebhookBody,
    responses: {
      '201': ['Created', z.object({ webhook: z.record(z.string(), z.unknown()), secret: z.string() })],
      '422': ['WEBHOOK_URL_FORBIDDEN or VALIDATION_FAILED', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks',
    tag: 'Admins',
    summary: 'List webhook endpoints',
    auth: 'admin',
    responses: { '200': ['Endpoints'] },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/{id}',
    tag: 'Admins',
    summary: 'One webhook endpoint',
    auth: 'admin',
    path_params: { id: 'Webhook id' },
    responses: { '200': ['Endpoint'], '404': ['NOT_FOUND', ErrorBody] },
  },
  {
    method: 'delete',
    path: '/api/v1/webhooks/{id}',
    tag: 'Admins',
    summary: 'Delete a webhook endpoint',
    auth: 'admin',
    path_params: { id: 'Webhook id' },
    responses: { '204': ['Deleted'], '404': ['NOT_FOUND', ErrorBody] },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/{id}/rotate-secret',
    tag: 'Admins',
    summary: 'Rotate the signing secret (the old one keeps signing for 24 h)',
    auth: 'admin',
    path_params: { id: 'Webhook id' },
    responses: { '200': ['New secret', z.object({ secret: z.string() })] },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/{id}/enable',
    tag: 'Admins',
    summary: 'Enable an endpoint that was disabled',
    auth: 'admin',
    path_params: { id: 'Webhook id' },
    responses: { '200': ['Enabled'] },
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/{id}/deliveries',
    tag: 'Admins',
    summary: 'The delivery log with every attempt',
    auth: 'admin',
    path_params: { id: 'Webhook id' },
    query: deliveriesQuery,
    responses: { '200': ['Deliveries'] },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
    tag: 'Admins',
    summary: 'Retry a delivery now',
    auth: 'admin',
    path_params: { id: 'Webhook id', deliveryId: 'Delivery id' },
    responses: { '202': ['Scheduled'], '409': ['CONFLICT (in flight or endpoint disabled)', ErrorBody] },
  },
  {
    method: 'get',
    path: '/api/v1/privacy/authors/export',
    tag: 'Admins',
    summary: 'Export every comment an author wrote, with its history (data-protection request)',
    auth: 'admin',
    query: authorEmailQuery,
    responses: {
      '200': [
        'The export',
        z.object({
          email: z.string(),
          exportedAt: z.string(),
          comments: z.array(z.object({ comment: ModeratedComment, history: z.array(HistoryEntry) })),
        }),
      ],
    },
  },
  {
    method: 'post',
    path: '/api/v1/privacy/authors/erase',
    tag: 'Admins',
    summary: 'Erase every comment an author wrote, with its history, reports and webhook events',
    auth: 'admin',
    body: authorEmailBody,
    responses: { '200': ['Erased', z.object({ erased: z.number().int() })] },
  },
  {
    method: 'post',
    path: '/api/v1/privacy/retention/run',
    tag: 'Admins',
    summary: 'Run the RETENTION_DAYS sweep now (it also runs hourly)',
    auth: 'admin',
    responses: {
      '200': [
        'What was removed',
        z.object({
          days: z.number().int(),
          ipHashesCleared: z.number().int(),
          commentsDeleted: z.number().int(),
          reportsDeleted: z.number().int(),
        }),
      ],
      '409': ['CONFLICT: RETENTION_DAYS is not set', ErrorBody],
    },
  },
  {
    method: 'get',
    path: '/healthz',
    tag: 'Operations',
    summary: 'Health of the database and other dependencies',
    auth: 'public',
    responses: { '200': ['Healthy'], '503': ['A dependency is down'] },
  },
];

function schema(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const [name, description] of Object.entries(op.path_params ?? {})) {
      parameters.push({ name, in: 'path', required: true, description, schema: { type: 'string' } });
    }
    if (op.query) {
      const q = schema(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s });
      }
    }
    parameters.push({
      name: 'lang',
      in: 'query',
      required: false,
      description: 'Language of error messages',
      schema: { type: 'string', enum: ['vi', 'en'] },
    });
    const responses: Record<string, unknown> = {};
    for (const [code, [description, s]] of Object.entries(op.responses)) {
      responses[code] = s
        ? { description, content: { 'application/json': { schema: schema(s, 'output') } } }
        : { description };
    }
    if (op.auth !== 'public') {
      responses['401'] = { description: 'UNAUTHORIZED: missing or unknown key' };
      if (op.auth === 'admin') responses['403'] = { description: 'FORBIDDEN: the key is not an admin key' };
    }
    paths[op.path] ??= {};
    (paths[op.path] as Record<string, unknown>)[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.auth !== 'public' ? { security: [{ bearer: [] }], 'x-role': op.auth } : {}),
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(op.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Duyệt',
      version: '1',
      description:
        "Comment moderation: reader API, moderation queue, keys and webhooks. Errors are `{ error: { code, message, requestId, details? } }` with the message in the reader's language.",
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
  return cached;
}
