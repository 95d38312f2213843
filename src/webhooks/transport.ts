/**
 * How a webhook request leaves the process. Node sends with node:http (re-checking DNS answers at
 * connection time); a Worker would send with fetch. The dispatcher only sees this interface.
 */

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Total time for connection, request and response; past it the attempt fails as a timeout. */
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** At most the first KiB of the response body, for the delivery log. */
  bodyExcerpt: string;
  durationMs: number;
}

export interface WebhookTransport {
  /** Resolves with any HTTP answer (redirects included, never followed); rejects with a `WebhookSendError`. */
  send(req: WebhookRequest): Promise<WebhookResponse>;
}

/** Why no HTTP answer came back. */
export type SendFailure = 'TIMEOUT' | 'NETWORK' | 'FORBIDDEN_ADDRESS';

export class WebhookSendError extends Error {
  override name = 'WebhookSendError';
  constructor(
    readonly kind: SendFailure,
    message: string,
    readonly durationMs = 0,
  ) {
    super(message);
  }
}

/** The delivery log keeps this much of each response body. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** Decodes at most `RESPONSE_EXCERPT_BYTES`, dropping a character cut in half at the end. */
export function excerpt(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, RESPONSE_EXCERPT_BYTES));
  return bytes.length > RESPONSE_EXCERPT_BYTES ? text.replace(/\uFFFD$/, '') : text;
}
