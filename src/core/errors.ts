/**
 * Domain errors carry a code and parameters, never an HTTP status: the HTTP layer maps codes to
 * statuses and the message catalogue (messages.ts) renders them in the reader's language.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'COMMENT_TOO_SHORT'
  | 'COMMENT_TOO_LONG'
  | 'COMMENT_REJECTED'
  | 'DUPLICATE_COMMENT'
  | 'RATE_LIMITED'
  | 'AUTHOR_BANNED'
  | 'PARENT_NOT_FOUND'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'WEBHOOK_URL_FORBIDDEN'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Values interpolated into the localized message ({min}, {max}, {retryAfter}, …). */
  readonly params: Record<string, string | number>;
  /** Machine-readable details returned to the client as `error.details`. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, details?: Record<string, unknown>) {
    super(code);
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
