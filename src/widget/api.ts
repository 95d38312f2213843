import type { ErrorCode } from '../core/errors.ts';
import type { Locale, PublicComment, ReportReason } from '../core/types.ts';

export type { PublicComment };

/** `GET /api/v1/widget-config`; mirrors src/http/routes/widget-config.ts. */
export interface WidgetConfig {
  minLength: number;
  maxLength: number;
  moderationMode: 'post' | 'pre';
  defaultLocale: Locale;
}

export interface CommentPage {
  comments: PublicComment[];
  nextCursor: string | null;
  total: number;
}

export interface NewComment {
  body: string;
  authorName: string;
  authorEmail?: string;
  parentId?: string;
  website: string;
}

export type PostResult =
  | { kind: 'published'; comment: PublicComment }
  | { kind: 'held'; comment: PublicComment; message: string }
  | {
      kind: 'error';
      /** A server error code, or NETWORK when no answer came back at all. */
      code: ErrorCode | 'NETWORK';
      /** The server's message (already in the reader's language), if it sent one. */
      message: string | null;
      retryAfter: number | null;
      /** With AUTHOR_BANNED: when the ban ends (ISO), or null for a ban without end. */
      until?: string | null;
    };

export type ReportResult = { kind: 'received'; message: string } | Extract<PostResult, { kind: 'error' }>;

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { until?: unknown } };
}

const TIMEOUT_MS = 15_000;

/** Talks to one Duyệt deployment. `base` ends with a slash, e.g. `https://comments.example/`. */
export class Api {
  constructor(
    readonly base: string,
    readonly locale: Locale,
  ) {}

  private url(path: string, query: Record<string, string> = {}): string {
    const u = new URL(path, this.base);
    // The server renders every message in this language, so its errors need no translation here.
    u.searchParams.set('lang', this.locale);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.href;
  }

  private thread(threadId: string): string {
    return `api/v1/threads/${encodeURIComponent(threadId)}/comments`;
  }

  private request(url: string, init: RequestInit = {}): Promise<Response> {
    // No cookies: the reader API is anonymous, and credentials would need a stricter CORS setup.
    return fetch(url, { ...init, mode: 'cors', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
  }

  async config(): Promise<WidgetConfig | null> {
    try {
      const res = await this.request(this.url('api/v1/widget-config'));
      if (!res.ok) return null;
      const body = (await res.json()) as Partial<WidgetConfig>;
      if (typeof body.minLength !== 'number' || typeof body.maxLength !== 'number') return null;
      return body as WidgetConfig;
    } catch {
      return null;
    }
  }

  /** Throws on network or server failure; the caller shows a retry button. */
  async list(threadId: string, cursor: string | null, limit = 20): Promise<CommentPage> {
    const res = await this.request(
      this.url(this.thread(threadId), { limit: String(limit), order: 'newest', ...(cursor ? { cursor } : {}) }),
    );
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as Partial<CommentPage>;
    return {
      comments: Array.isArray(body.comments) ? body.comments : [],
      nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : null,
      total: typeof body.total === 'number' ? body.total : 0,
    };
  }

  async post(threadId: string, input: NewComment): Promise<PostResult> {
    const sent = await this.postJson(this.thread(threadId), input);
    if (!sent) return NETWORK_ERROR;
    const { res, body } = sent;
    const data = (body ?? {}) as { comment?: PublicComment; message?: string } & ErrorBody;
    if (res.status === 201 && data.comment) return { kind: 'published', comment: data.comment };
    if (res.status === 202 && data.comment) {
      return { kind: 'held', comment: data.comment, message: data.message ?? '' };
    }
    return errorResult(res, data);
  }

  /** Reports a comment; a repeat by the same reader is answered like the first report. */
  async report(commentId: string, input: { reason: ReportReason; note?: string }): Promise<ReportResult> {
    const sent = await this.postJson(`api/v1/comments/${encodeURIComponent(commentId)}/reports`, input);
    if (!sent) return NETWORK_ERROR;
    const { res, body } = sent;
    const data = (body ?? {}) as { message?: string } & ErrorBody;
    if (res.status === 202) return { kind: 'received', message: data.message ?? '' };
    return errorResult(res, data);
  }

  /** POSTs JSON; the answer with its JSON body (null if it has none), or null when the network failed. */
  private async postJson(path: string, input: unknown): Promise<{ res: Response; body: unknown } | null> {
    try {
      const res = await this.request(this.url(path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(input),
      });
      return { res, body: await res.json().catch(() => null) };
    } catch {
      return null;
    }
  }
}

const NETWORK_ERROR = { kind: 'error', code: 'NETWORK', message: null, retryAfter: null } as const;

function errorResult(res: Response, data: ErrorBody): Extract<PostResult, { kind: 'error' }> {
  const retry = Number(res.headers.get('Retry-After'));
  const until = data.error?.details?.until;
  return {
    kind: 'error',
    code: (data.error?.code as ErrorCode | undefined) ?? (res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL'),
    message: typeof data.error?.message === 'string' ? data.error.message : null,
    retryAfter: Number.isFinite(retry) && retry > 0 ? Math.ceil(retry) : null,
    ...(data.error?.code === 'AUTHOR_BANNED' ? { until: typeof until === 'string' ? until : null } : {}),
  };
}
