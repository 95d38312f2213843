import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode } from '../core/errors.ts';
import { message } from '../core/messages.ts';
import type { LimitState } from '../core/rules/rate-limit.ts';
import { rateLimitHeaders } from '../ratelimit/limiter.ts';
import type { AppContext } from './env.ts';

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 422,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  COMMENT_TOO_SHORT: 422,
  COMMENT_TOO_LONG: 422,
  COMMENT_REJECTED: 422,
  DUPLICATE_COMMENT: 422,
  RATE_LIMITED: 429,
  AUTHOR_BANNED: 403,
  PARENT_NOT_FOUND: 422,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  WEBHOOK_URL_FORBIDDEN: 422,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVICE_UNAVAILABLE',
};

/** `{ error: { code, message, requestId, details? } }` with the message in the reader's language. */
export function errorResponse(c: AppContext, err: DomainError): Response {
  const locale = c.get('locale') ?? 'vi';
  const body = {
    error: {
      code: err.code,
      message: message(locale, err.code, err.params),
      requestId: c.get('requestId'),
      ...(err.details ? { details: err.details } : {}),
    },
  };
  if (err.code === 'RATE_LIMITED') {
    const retryAfter = Number(err.params.retryAfter ?? 1);
    c.header('Retry-After', String(retryAfter));
    const limits = (err.details?.limits ?? []) as LimitState[];
    for (const [k, v] of Object.entries(rateLimitHeaders(limits))) c.header(k, v);
  }
  return c.json(body, STATUS_OF[err.code]);
}

/** The one place any thrown thing becomes an HTTP answer; unknown errors are logged and answered 500. */
export function onError(err: Error, c: AppContext): Response {
  if (err instanceof DomainError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = CODE_OF_STATUS[err.status] ?? (err.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    return errorResponse(c, new DomainError(code));
  }
  c.get('deps')?.logger.error('unhandled error', { err, requestId: c.get('requestId'), path: c.req.path });
  return errorResponse(c, new DomainError('INTERNAL'));
}
